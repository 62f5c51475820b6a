#pragma once
// A position as stress testing sees it: an instrument, the asset class that scenario shocks address,
// a signed quantity (long > 0, short < 0), the current price and the contract multiplier.
//
// Linear approximation: the exposure of a position is e = quantity × price × multiplier (currency),
// and a relative price move m (−0.30 = a 30% fall) changes its value by e × m. This is exact for
// delta-one instruments (spot, linear futures and perpetuals) and ignores convexity: options, inverse
// (coin-margined) contracts and funding are outside it. Plain double arithmetic: analytics works in
// doubles; convert Money/Quantity at the boundary.

#include "ballast/analytics/stress_issue.hpp"
#include "ballast/core/result.hpp"

#include <Eigen/Core>

#include <span>
#include <string>
#include <vector>

namespace ballast::analytics {

struct StressPosition {
  std::string instrument;   // "BTCUSDT.BINANCE", "ESZ4", …; matched against scenario instrument shocks
  std::string asset_class;  // "crypto-major", "crypto-alt", "equity", "fx", "index-future", …
  double quantity = 0.0;    // signed: long > 0, short < 0
  double price = 0.0;       // current price, > 0
  double multiplier = 1.0;  // contract multiplier (50 for an E-mini S&P future), > 0

  // Signed exposure in currency: quantity × price × multiplier.
  double exposure() const noexcept { return quantity * price * multiplier; }
};

// Every problem with the positions at once, each naming "positions[i].<field>": an empty instrument
// or asset class, a non-finite quantity, a price or multiplier that is not finite and positive.
std::vector<StressIssue> validate_positions(std::span<const StressPosition> positions);
// validate_positions as a Status (INVALID_ARGUMENT carrying every issue); also fails on no positions.
core::Status check_positions(std::span<const StressPosition> positions);

// Exposures in position order.
Eigen::VectorXd position_exposures(std::span<const StressPosition> positions);

}  // namespace ballast::analytics
