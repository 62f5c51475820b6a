#pragma once
// Slippage: how far a taker fill's price moves against us from the price the fill rules gave (the bar
// path price, the trade price or the touch). Maker fills (resting limits) take no slippage: they trade
// at their limit. A slipped price is rounded to the instrument's tick AGAINST the taker (a buy up, a
// sell down), and never beyond the order's limit price when it has one (the venue would not fill
// beyond it; the limit caps the slip).
//
// Models:
//   FixedBpsSlippage(b)        buy: p·(1 + b/10⁴), sell: p·(1 − b/10⁴).
//   SpreadSlippage(h)          buy at the ask and sell at the bid when a quote is known; otherwise half
//                              the spread is assumed to be h bps: p·(1 ± h/10⁴).
//   SquareRootImpactSlippage(Y) the square-root law of market impact: relative impact
//                              I = Y·σ_d·√(Q / V_d) with σ_d the daily volatility (fraction), V_d the
//                              average daily volume (instrument units) and Q the fill quantity (Almgren,
//                              Thum, Hauptmann & Li, "Direct Estimation of Equity Market Impact", Risk
//                              2005; Tóth et al., "Anomalous price impact and the critical nature of
//                              liquidity", PRX 2011, Y ≈ 0.5–1). buy: p·(1 + I), sell: p·(1 − I).
// Every model is deterministic; prices stay positive (a sell slipped to <= 0 is an error).

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/price.hpp"

#include <memory>
#include <optional>
#include <string_view>

namespace ballast::sim {

struct SlippageContext {
  const model::Instrument* instrument{nullptr};  // required
  model::OrderSide side{model::OrderSide::Buy};
  model::Price price{};                          // the unslipped fill price, > 0
  model::Quantity quantity{};                    // the fill quantity
  std::optional<model::Price> limit_price{};     // the order's limit, caps the slip
  std::optional<model::Price> best_bid{};
  std::optional<model::Price> best_ask{};
  double daily_volatility{0.0};                  // σ of daily returns, fraction (SquareRootImpact)
  double daily_volume{0.0};                      // average daily volume, instrument units (SquareRootImpact)
};

class SlippageModel {
 public:
  virtual ~SlippageModel() = default;
  virtual std::string_view name() const noexcept = 0;
  // The slipped, tick-rounded, limit-capped price.
  virtual core::Result<model::Price> apply(const SlippageContext& context) const = 0;
};

class NoSlippage final : public SlippageModel {
 public:
  std::string_view name() const noexcept override { return "NONE"; }
  core::Result<model::Price> apply(const SlippageContext& context) const override;
};

class FixedBpsSlippage final : public SlippageModel {
 public:
  // bps >= 0.
  static core::Result<FixedBpsSlippage> create(core::Decimal bps);
  std::string_view name() const noexcept override { return "FIXED_BPS"; }
  core::Result<model::Price> apply(const SlippageContext& context) const override;

 private:
  explicit FixedBpsSlippage(core::Decimal bps) : bps_(bps) {}
  core::Decimal bps_;
};

class SpreadSlippage final : public SlippageModel {
 public:
  // half_spread_bps >= 0: used when no quote is known.
  static core::Result<SpreadSlippage> create(core::Decimal half_spread_bps);
  std::string_view name() const noexcept override { return "SPREAD"; }
  core::Result<model::Price> apply(const SlippageContext& context) const override;

 private:
  explicit SpreadSlippage(core::Decimal half_spread_bps) : half_spread_bps_(half_spread_bps) {}
  core::Decimal half_spread_bps_;
};

class SquareRootImpactSlippage final : public SlippageModel {
 public:
  // coefficient Y > 0 (finite).
  static core::Result<SquareRootImpactSlippage> create(double coefficient);
  std::string_view name() const noexcept override { return "SQRT_IMPACT"; }
  // Needs daily_volatility >= 0 and daily_volume > 0 in the context.
  core::Result<model::Price> apply(const SlippageContext& context) const override;
  // I = Y·σ·√(Q/V), the relative impact (fraction of price) before rounding.
  double relative_impact(double quantity, double daily_volatility, double daily_volume) const noexcept;

 private:
  explicit SquareRootImpactSlippage(double coefficient) : coefficient_(coefficient) {}
  double coefficient_;
};

// The price moved by `relative` (fraction, >= 0) against the taker, tick-rounded against it and capped
// by the limit. Shared by the models; exposed for tests.
core::Result<model::Price> slip_against_taker(const SlippageContext& context, const core::Decimal& relative);

}  // namespace ballast::sim
