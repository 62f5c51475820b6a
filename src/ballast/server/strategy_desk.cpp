// The strategies of the paper desk: built from the configuration, installed in the kernel, started and
// stopped with their state kept in the event store (see internal/strategy_desk.hpp).

#include "ballast/server/internal/strategy_desk.hpp"

#include "ballast/core/log.hpp"
#include "ballast/model/money.hpp"
#include "ballast/risk/fixed_notional_sizer.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"
#include "ballast/strategy/signal_strategy.hpp"
#include "ballast/strategy/technical_strategies.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ballast::server {
namespace {

namespace jv = json_views;
using Json = nlohmann::json;

Json number_or_null(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json indicator_object(std::span<const strategy::IndicatorValue> values) {
  Json out = Json::object();
  for (const auto& v : values) out[std::string(v.name)] = number_or_null(v.value);
  return out;
}

const strategy::SignalStrategy* signal_strategy(const Desk& desk, const StrategyConfig& c) {
  return dynamic_cast<const strategy::SignalStrategy*>(desk.kernel().strategy(core::StrategyId(c.id)));
}

// One item of GET /api/signals: the latest signal (null fields before the first one).
Json signal_view(const StrategyConfig& c, const strategy::SignalStrategy& s) {
  const auto& last = s.last_signal();
  return Json{{"strategy_id", c.id},
              {"strategy", c.strategy},
              {"symbol", c.symbol},
              {"signal", last ? Json(std::string(strategy::to_string(last->target))) : Json(nullptr)},
              {"at", last ? Json(jv::time_text(last->at)) : Json(nullptr)},
              {"price", last ? Json(jv::decimal_text(last->close.value())) : Json(nullptr)},
              {"acted", last ? last->acted : false},
              {"indicators", last ? indicator_object(last->indicators) : Json::object()},
              {"warm", s.warm()},
              {"bars_seen", s.bars_seen()}};
}

// The strategy's own position (from its fills in this session) valued at the instrument's mark.
Json position_view(const Desk& desk, const StrategyConfig& c) {
  const model::Instrument* instrument = desk.find_instrument(c.symbol);
  const model::Position* p =
      instrument == nullptr ? nullptr : desk.kernel().strategy_position(core::StrategyId(c.id), instrument->id());
  if (p == nullptr) {
    return Json{{"quantity", "0"}, {"average_price", nullptr}, {"unrealized_pnl", "0"}, {"realized_pnl", "0"}};
  }
  std::optional<model::Price> mark;
  if (const auto slot = desk.kernel().book().find(instrument->id())) {
    const auto& s = desk.kernel().book().slot(*slot);
    if (s.has_mark) mark = s.mark;
  }
  const auto avg = p->avg_px_open();
  return Json{{"quantity", jv::decimal_text(p->quantity())},
              {"average_price", avg ? Json(jv::decimal_text(*avg)) : Json(nullptr)},
              {"unrealized_pnl", mark && !p->is_flat() ? jv::decimal_text(p->unrealized_pnl(*mark).amount()) : "0"},
              {"realized_pnl", jv::decimal_text(p->realized_pnl().amount())}};
}

// One item of GET /api/strategies.
Json strategy_view_of(const Desk& desk, const StrategyConfig& c) {
  const core::StrategyId id(c.id);
  const strategy::SignalStrategy* s = signal_strategy(desk, c);
  Json params = Json::object();
  if (s != nullptr) {
    for (const auto& [name, value] : s->parameters().values()) params[name] = value;
  }
  return Json{{"id", c.id},
              {"strategy", c.strategy},
              {"symbol", c.symbol},
              {"params", std::move(params)},
              {"notional", jv::decimal_text(c.notional)},
              {"state", desk.kernel().strategy_running(id) ? "running" : "stopped"},
              {"position", position_view(desk, c)},
              {"orders_sent", desk.kernel().strategy_orders(id)},
              {"bars_seen", s != nullptr ? s->bars_seen() : 0},
              {"warm", s != nullptr && s->warm()},
              {"indicators", s != nullptr ? indicator_object(s->indicators()) : Json::object()},
              {"last_signal", s != nullptr && s->last_signal() ? signal_view(c, *s) : Json(nullptr)}};
}


constexpr std::string_view kStarted = "StrategyStarted";
constexpr std::string_view kStopped = "StrategyStopped";

// The state the store last recorded for the strategy (nullopt: never changed through the API).
core::Result<std::optional<bool>> stored_running(persistence::Store& store, std::string_view account,
                                                 std::string_view id) {
  auto records = store.events().load_stream(strategy_state_stream(account, id));
  if (!records) return records.error();
  for (auto it = records->rbegin(); it != records->rend(); ++it) {
    if (it->type == kStarted) return std::optional<bool>(true);
    if (it->type == kStopped) return std::optional<bool>(false);
  }
  return std::optional<bool>{};
}

}  // namespace

Json strategy_json(const Desk& desk, const StrategyConfig& c) { return strategy_view_of(desk, c); }

Json signals_json(const Desk& desk, std::string_view only) {
  Json list = Json::array();
  for (const auto& c : desk.config().strategies) {
    if (!only.empty() && c.id != only) continue;
    if (!desk.kernel().strategy_running(core::StrategyId(c.id))) continue;
    if (const auto* s = signal_strategy(desk, c)) list.push_back(signal_view(c, *s));
  }
  return list;
}

void publish_new_signals(Desk& desk) {
  for (const auto& c : desk.config().strategies) {
    if (!desk.kernel().strategy_running(core::StrategyId(c.id))) continue;
    const auto* s = signal_strategy(desk, c);
    const model::Instrument* instrument = desk.find_instrument(c.symbol);
    if (s == nullptr || instrument == nullptr || !s->last_signal()) continue;
    const auto index = desk.index_of(instrument->id());
    if (!index) continue;
    const auto& bar = desk.last_bar(*index);
    // Taken on the bar just applied: new (a signal is stamped with its bar's end).
    if (!bar || s->last_signal()->at != bar->ts_recv) continue;
    desk.publish("signals", Json{{"type", "signal"}, {"data", signal_view(c, *s)}}.dump());
  }
}

std::string strategy_state_stream(std::string_view account, std::string_view id) {
  return fmt::format("strategy.{}.{}", account, id);
}

const StrategyConfig* find_strategy_config(const ServiceConfig& config, std::string_view id) {
  for (const auto& s : config.strategies) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

core::Status install_strategies(Desk& desk) {
  const auto& configured = desk.config().strategies;
  for (std::size_t i = 0; i < configured.size(); ++i) {
    const StrategyConfig& c = configured[i];
    const std::string where = fmt::format("strategies[{}] ({})", i, c.id);
    const model::Instrument* instrument = desk.find_instrument(c.symbol);
    if (instrument == nullptr) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("{}: '{}' is not a paper instrument", where, c.symbol), "symbol");
    }
    std::vector<std::string> assignments;
    for (const auto& [name, value] : c.params) assignments.push_back(fmt::format("{}={}", name, value));
    auto made = strategy::create_strategy(c.strategy, instrument->id(), assignments);
    if (!made) return made.error().with_context(where);
    auto sizer = risk::FixedNotionalSizer::create({model::Money(c.notional, instrument->settlement_currency())});
    if (!sizer) return sizer.error().with_context(where);
    auto stored = stored_running(desk.store(), desk.account_id(), c.id);
    if (!stored) return stored.error().with_context(where);
    const bool running = stored->value_or(c.enabled);
    BALLAST_TRY(desk.kernel().add_strategy(std::unique_ptr<strategy::Strategy>(std::move(*made)), core::StrategyId(c.id),
                                           std::make_unique<risk::FixedNotionalSizer>(std::move(*sizer)), running));
    core::logger().info("serve: strategy {} ({} on {}, {} per entry) {}", c.id, c.strategy, c.symbol,
                        c.notional.to_string_trimmed(), running ? "running" : "stopped");
  }
  return core::ok();
}

core::Status set_strategy_running(Desk& desk, std::string_view id, bool running, std::string_view user,
                                  std::string_view remote) {
  if (find_strategy_config(desk.config(), id) == nullptr) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("no strategy '{}'", id), "id");
  }
  const core::StrategyId strategy_id{std::string(id)};
  system::Kernel& kernel = desk.kernel();
  if (kernel.strategy_running(strategy_id) == running) {
    return core::Error(core::ErrorCode::InvalidState,
                       fmt::format("strategy '{}' is already {}", id, running ? "running" : "stopped"), "id");
  }
  const core::Status changed = running ? kernel.start_strategy(strategy_id) : kernel.stop_strategy(strategy_id);
  // Stopping reports a cancel the venue refused after the strategy was stopped: it is stopped all the same.
  if (!changed && kernel.strategy_running(strategy_id) != running) return changed;
  const std::string details =
      nlohmann::json{{"strategy_id", std::string(id)},
                     {"account_id", desk.account_id()},
                     {"by", std::string(user)},
                     {"cancel_error", changed ? nlohmann::json(nullptr) : nlohmann::json(changed.error().message())}}
          .dump();
  runtime::EventRecord record;
  record.stream = strategy_state_stream(desk.account_id(), id);
  record.type = std::string(running ? kStarted : kStopped);
  record.payload = details;
  record.ts_event = desk.now();
  record.ts_init = desk.now();
  desk.batch().events.push_back(std::move(record));
  desk.audit(user, running ? "strategy.start" : "strategy.stop", id, details, remote);
  desk.mark_dirty();
  return core::ok();
}

}  // namespace ballast::server
