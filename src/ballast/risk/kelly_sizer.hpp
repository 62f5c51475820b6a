#pragma once
// KellySizer: the textbook Kelly criterion for a bet that wins b per unit staked with probability p and
// loses the stake otherwise (Kelly, "A New Interpretation of Information Rate", Bell System Technical
// Journal 35(4), 1956; Thorp, "The Kelly Criterion in Blackjack, Sports Betting and the Stock Market",
// 2006, §2):
//   f* = p − (1 − p) / b,    b = payoff ratio = average win / average loss
// f* is the fraction of equity to STAKE. The applied fraction is f = min(kelly_multiplier × f*,
// max_fraction) (half-Kelly: multiplier 0.5); f* <= 0 means no edge: size 0, reason NEGATIVE_EDGE.
// The edge is NOT divided by the per-trade risk (a common mistake that inflates the size by 1/risk).
//
// What the stake is (KellyBasis):
//  - Notional: the whole position is the stake; notional = f × equity.
//  - RiskToStop: the loss to the stop is the stake; fixed-fractional sizing with risk fraction f
//    (needs context.stop_price; linear contracts only).
// p and b are statistical estimates (doubles from analytics); f is converted to a Decimal with
// kKellyFractionScale places, rounded half-even.

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/risk/position_sizer.hpp"

#include <string_view>

namespace ballast::risk {

inline constexpr int kKellyFractionScale = 10;

enum class KellyBasis { Notional, RiskToStop };

struct KellyConfig {
  double win_probability{0.5};  // p in [0, 1]
  double payoff_ratio{1.0};     // b = average win / average loss, > 0
  double kelly_multiplier{0.5}; // fraction of Kelly, in (0, 1]
  double max_fraction{0.25};    // cap on the applied fraction, in (0, 1]
  KellyBasis basis{KellyBasis::Notional};
};

// f* = p − (1 − p) / b. Requires p in [0, 1] and b > 0 (a broken invariant otherwise; KellySizer::create
// validates user input).
double kelly_fraction(double win_probability, double payoff_ratio);

class KellySizer final : public PositionSizer {
 public:
  static core::Result<KellySizer> create(KellyConfig config);

  std::string_view name() const noexcept override { return "KELLY"; }
  core::Result<SizingResult> size(const SizingContext& context) const override;

  // f* of the configuration.
  double full_kelly() const { return kelly_fraction(config_.win_probability, config_.payoff_ratio); }
  // The fraction of equity applied: 0 without an edge, else min(multiplier × f*, max_fraction).
  double applied_fraction() const;

 private:
  explicit KellySizer(KellyConfig config) : config_(config) {}

  KellyConfig config_;
};

}  // namespace ballast::risk
