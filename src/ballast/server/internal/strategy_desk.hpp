#pragma once
// The strategies of the paper desk: the [[strategies]] of ballast.toml (ServiceConfig::strategies) built
// with strategy::create_strategy, each sized by its own risk::FixedNotionalSizer (`notional` in the
// instrument's settlement currency per entry) and added to the kernel under its configured id, which every
// order it sends carries as its strategy id (orders.strategy_id; GET /api/orders?strategy=<id>).
//
// Running or stopped: `enabled` decides at the first start; after that the last start or stop through the
// API does. That state lives in the event store as the stream "strategy.<account>.<id>" of
// StrategyStarted / StrategyStopped records (its latest record wins), written in the same durable batch as
// the audit entry of the change. Private to the server module; kernel thread only.

#include "ballast/core/result.hpp"
#include "ballast/server/service_config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace ballast::server {

class Desk;

// The event-store stream that holds whether strategy `id` of `account` runs.
std::string strategy_state_stream(std::string_view account, std::string_view id);

// Adds every configured strategy to the desk's kernel (before the kernel starts), running or stopped as
// the store last recorded (else as `enabled` says). Errors name the entry ("strategies[1] (fast-btc): …").
core::Status install_strategies(Desk& desk);

// Starts or stops strategy `id` and queues the state record and the audit entry in the desk's batch (the
// caller flushes). NotFound for an unknown id, InvalidState when it already is in that state.
core::Status set_strategy_running(Desk& desk, std::string_view id, bool running, std::string_view user,
                                  std::string_view remote);

// The configuration entry of strategy `id` (nullptr when none).
const StrategyConfig* find_strategy_config(const ServiceConfig& config, std::string_view id);

// --- JSON views (docs/api.md, "Strategies") ---
// One strategy: configuration, state, own position, orders sent, indicators and latest signal.
nlohmann::json strategy_json(const Desk& desk, const StrategyConfig& config);
// The latest signal of every running strategy (only strategy `only` when not empty), as an array.
nlohmann::json signals_json(const Desk& desk, std::string_view only = {});
// Publishes {"type":"signal","data":…} on the "signals" WebSocket channel for every running strategy whose
// latest signal was taken on the bar of its instrument just applied (call after a market step).
void publish_new_signals(Desk& desk);

}  // namespace ballast::server
