#pragma once
// AlgoDesk: the execution algorithms (TWAP, VWAP, POV, iceberg) running on the paper desk. It is the
// caller that execution_algorithm.hpp describes: it feeds each algorithm the paper market at every market
// step, carries out its AlgoActions through the kernel like any API order, and forwards the outcomes of
// its children. Kernel thread only (it lives in the Desk). Private to the server module.
//
// The paper touch: the paper venue has bars, no book. At each step the algorithm of an instrument sees its
// latest bar as the market: last = close, best bid = close − ½ tick rounded DOWN to the tick, best ask =
// close + ½ tick rounded UP (one tick either side of a close on the tick; the mid is the close), volume =
// the bar's volume. Time is the bar's end (ts_recv), the moment it is complete.
//
// Children: the algorithm's child specs are submitted with strategy id = the algo's id ("ALGO<session>-n",
// unique across restarts like the order ids), so they pass the risk engine, are persisted and are
// found with GET /api/orders?strategy=<id>. A child denied by the risk engine is reported to the algorithm
// as closed with no fill and counted in `denials` (with the last reason). An algo stops as FAILED when
// the trading state becomes HALTED (emergency stop, halting breaker) or after kMaxDenials denials; as DONE
// when the algorithm says it is done; as CANCELED by cancel(), which cancels its working children (the
// paper venue confirms them at the next bar; their fills until then still count).
//
// Finished algos are kept in memory (the latest kKept); nothing is resumed after a restart — the children
// left open are canceled with the other resting orders (trading_service.hpp, Restart).

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/execution/execution_algorithm.hpp"
#include "ballast/model/events.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/price.hpp"

#include <nlohmann/json_fwd.hpp>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::server {

class Desk;

enum class AlgoKind { Twap, Vwap, Pov, Iceberg };
enum class AlgoStatus { Running, Done, Canceled, Failed };

std::string_view to_string(AlgoKind kind) noexcept;    // "TWAP", "VWAP", "POV", "ICEBERG"
std::string_view to_string(AlgoStatus status) noexcept;  // "RUNNING", "DONE", "CANCELED", "FAILED"
core::Result<AlgoKind> parse_algo_kind(std::string_view text);

// What a trader asks for (validated by the route for shape; the algorithm validates against the instrument).
struct AlgoRequest {
  AlgoKind kind{AlgoKind::Twap};
  const model::Instrument* instrument{nullptr};
  model::OrderSide side{model::OrderSide::Buy};
  model::Quantity quantity{};
  core::Duration duration{};                        // market time, > 0
  std::optional<int> slices{};                      // TWAP, VWAP
  std::optional<double> participation{};            // POV: (0, 1)
  std::optional<model::Quantity> display_quantity{};  // ICEBERG
  std::optional<model::Price> limit_price{};        // required for ICEBERG
  execution::ChildPricing pricing{execution::ChildPricing::Passive};
  std::string user;
};

class AlgoDesk {
 public:
  static constexpr std::size_t kKept = 100;  // algos kept in memory, running ones always
  static constexpr int kMaxDenials = 20;     // an algo stops as FAILED after this many risk denials

  AlgoDesk();
  ~AlgoDesk();
  AlgoDesk(const AlgoDesk&) = delete;
  AlgoDesk& operator=(const AlgoDesk&) = delete;

  // Creates the algorithm and runs its first update at the latest bar. Errors: InvalidArgument with the
  // field (parameters the algorithm refuses), InvalidState when the instrument has no price yet or the
  // trading state is HALTED.
  core::Result<std::string> start(Desk& desk, const AlgoRequest& request);
  // Cancels the working children and stops. NotFound (unknown id), InvalidState (already finished).
  core::Status cancel(Desk& desk, std::string_view id);

  // A market step was applied (every instrument's latest bar is in the desk): update the running algos.
  void on_step(Desk& desk);
  // Every order event the kernel reports (the service's observer): children's fills and closes.
  void on_order_event(Desk& desk, const model::OrderEvent& event);

  // The view of one algo (null when unknown) and of all of them, newest first.
  nlohmann::json view(const Desk& desk, std::string_view id) const;
  nlohmann::json list(const Desk& desk) const;

 private:
  struct Algo;
  Algo* find(std::string_view id) const;
  void carry_out(Desk& desk, Algo& algo, const std::vector<execution::AlgoAction>& actions);
  void finish(Desk& desk, Algo& algo, AlgoStatus status, std::string reason);
  void publish_changes(Desk& desk);
  nlohmann::json view_of(const Desk& desk, const Algo& algo) const;

  std::deque<std::unique_ptr<Algo>> algos_;  // oldest first
  std::map<std::string, Algo*> by_child_;    // kernel order id of an open child → its algo
  Algo* submitting_{nullptr};                // the algo whose child kernel.submit() is handling
  core::ClientOrderId submitting_child_{};
  int next_id_{1};
};

}  // namespace ballast::server
