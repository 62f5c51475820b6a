#pragma once
// RiskActionSink: the port through which circuit breakers act on the world. The kernel implements it
// through the normal order path (cancel commands and reduce-only market orders, persisted like any other
// order); tests use a recording fake. The risk module never talks to execution directly (DESIGN.md §2).
//
// Every call is synchronous from the caller's point of view: it returns once the commands are issued (not
// once the venue confirmed them) and says how many orders or positions it addressed. An implementation may
// re-enter the risk monitor (a simulated venue answering inside the call); the monitor allows it.

#include "ballast/core/ids.hpp"
#include "ballast/core/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ballast::risk {

// What one action did. `ok` false with `error` saying what failed; the counts report what was issued even
// on a partial failure.
struct ActionResult {
  bool ok{true};
  std::string error{};
  std::int32_t orders_affected{0};     // cancel requests issued
  std::int32_t positions_affected{0};  // reduce-only close orders issued

  static ActionResult failed(std::string message) { return ActionResult{false, std::move(message), 0, 0}; }
  friend bool operator==(const ActionResult&, const ActionResult&) = default;
};

class RiskActionSink {
 public:
  virtual ~RiskActionSink() = default;
  // Cancels the working orders of `instrument`, or of every instrument when nullopt.
  virtual ActionResult cancel_orders(const std::optional<core::InstrumentId>& instrument, std::string_view reason,
                                     core::UnixNanos now) = 0;
  // Cancels the instrument's working orders and closes its position at market, reduce-only.
  virtual ActionResult close_position(const core::InstrumentId& instrument, std::string_view reason,
                                      core::UnixNanos now) = 0;
  // Cancels every working order and closes every position at market, reduce-only.
  virtual ActionResult flatten_all(std::string_view reason, core::UnixNanos now) = 0;
};

}  // namespace ballast::risk
