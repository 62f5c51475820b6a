#pragma once
// The trading session of `ballast serve`: RUNNING or STOPPED, in paper or live mode. Orthogonal to the
// risk trading state (ACTIVE/REDUCING/HALTED) and to the emergency stop: a stopped session refuses new
// exposure from every source (API, execution algorithms, strategies) while the market feed, the risk
// monitor and the circuit breakers keep running, and reducing orders and cancels still go through.
// The gate itself is the risk engine (RiskEngine::set_session_running, the TRADING_HOURS check), so
// nothing on the order path can bypass it. Lives on the Desk (kernel thread); see session_manager.hpp.

#include "ballast/core/time.hpp"

#include <string>
#include <string_view>

namespace ballast::server {

// Trading modes. PAPER trades on the simulated venue. LIVE is refused by the configuration check: the
// session manager runs the paper desk, and live exchange accounts run as [[venues]] (venue_service.hpp).
inline constexpr std::string_view kSessionModePaper = "paper";
inline constexpr std::string_view kSessionModeLive = "live";

struct SessionState {
  bool running{true};
  core::UnixNanos since{};    // market time of the last change (or of the service start)
  std::string by{"system"};   // the user who changed it, or "system"
  std::string reason{};
};

}  // namespace ballast::server
