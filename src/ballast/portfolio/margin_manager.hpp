#pragma once
// MarginManager: initial and maintenance margin, available margin and margin ratio of an account's
// linear (USDⓈ-margined) perpetual and dated-future positions, in cross and isolated mode, following
// Binance USDⓈ-M futures (one-way position mode). Inverse (coin-margined) contracts are refused with
// ErrorCode::Unsupported.
//
// Definitions (all amounts in the settlement currency; Q = |quantity| × multiplier):
//  - notional            = Q × mark (rounded half-even to the currency precision)
//  - unrealised P&L      = side × Q × (mark − entry), side = +1 long / −1 short (half-even)
//  - initial margin      = notional / leverage, rounded UP (a requirement is never understated).
//                          leverage must be >= 1 and <= the max leverage of the margin tier that holds the
//                          notional (with open orders: position notional + the larger open-order side).
//  - maintenance margin  = notional × MMR(tier) − maintenance amount(tier), tier chosen by the position's
//                          notional (Instrument::maintenance_margin, rounded UP).
//  - open-order margin   = per instrument, the LARGER of the buy-side and the sell-side initial margin
//                          (Σ order notional at the order price / leverage, each side rounded up): only one
//                          side can fill into a new exposure in the worst case, as Binance counts it. No
//                          credit is given for orders that would only reduce the position (conservative).
//  - cross margin balance = cross wallet balance + Σ unrealised P&L of CROSS positions
//  - available margin    = cross margin balance − Σ initial margin of cross positions − Σ open-order
//                          margin (all instruments: an isolated position's order margin comes from the
//                          cross wallet too). It may be negative (a deficit); the venue shows max(0, ·).
//  - margin ratio        = maintenance margin / margin balance (cross: Σ over cross positions against the
//                          cross margin balance; isolated: the position's own MM against isolated margin
//                          + its unrealised P&L), rounded UP to 8 places. With a margin balance <= 0 while
//                          maintenance margin > 0 the ratio is unbounded (nullopt).
//  - margin call         = ratio >= MarginConfig::margin_call_ratio (or unbounded);
//    liquidatable        = ratio >= 1 (margin balance <= maintenance margin, maintenance margin > 0).

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/currency.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/money.hpp"
#include "ballast/portfolio/margin_state.hpp"

#include <optional>
#include <vector>

namespace ballast::portfolio {

struct MarginConfig {
  // Margin ratio at or above which a margin call is raised; must be in (0, 1].
  core::Decimal margin_call_ratio{core::Decimal::from_raw(80, 2)};
};

// Places of a margin ratio (rounded up).
inline constexpr int kMarginRatioScale = 8;

struct PositionMargin {
  core::InstrumentId instrument_id{};
  model::MarginMode mode{model::MarginMode::Cross};
  model::Money notional{};
  model::Money unrealized_pnl{};
  model::Money initial_margin{};
  model::Money maintenance_margin{};
  model::MarginTier tier{};  // the tier that holds the notional
  // Isolated positions only: isolated margin + unrealised P&L, the ratio against it and the flags.
  std::optional<model::Money> isolated_margin_balance{};
  std::optional<core::Decimal> isolated_margin_ratio{};
  bool margin_call{false};
  bool liquidatable{false};
};

struct OpenOrderMargin {
  core::InstrumentId instrument_id{};
  model::Money buy_side{};
  model::Money sell_side{};
  model::Money charged{};  // max(buy_side, sell_side)
};

struct MarginSummary {
  model::Money cross_wallet_balance{};
  model::Money cross_unrealized_pnl{};
  model::Money cross_margin_balance{};
  model::Money cross_initial_margin{};
  model::Money cross_maintenance_margin{};
  model::Money open_order_margin{};
  model::Money available_margin{};
  std::optional<core::Decimal> cross_margin_ratio{};  // nullopt: unbounded (balance <= 0 < MM)
  bool cross_margin_call{false};
  bool cross_liquidatable{false};
  std::vector<PositionMargin> positions{};      // in the snapshot's order
  std::vector<OpenOrderMargin> open_orders{};   // one per instrument, in order of first appearance
  // Any margin call / liquidatable state, cross or isolated.
  bool any_margin_call{false};
  bool any_liquidatable{false};
};

// Validates a position of a snapshot settled in `settlement` (instrument set, linear, same settlement
// currency, non-zero quantity, positive prices, leverage in [1, tier max]) and measures its margins.
core::Result<PositionMargin> measure_position(const MarginPosition& position, const model::Currency& settlement,
                                              const MarginConfig& config);

// maintenance margin / margin balance rounded up to kMarginRatioScale places; nullopt when unbounded.
std::optional<core::Decimal> margin_ratio(const model::Money& maintenance_margin, const model::Money& margin_balance);
// The same for two amounts of one currency already at its precision (the live monitor's per-mark call:
// no Money built).
std::optional<core::Decimal> margin_ratio(const core::Decimal& maintenance_margin, const core::Decimal& margin_balance);

class MarginManager {
 public:
  // margin_call_ratio must be in (0, 1].
  static core::Result<MarginManager> create(MarginConfig config = {});

  const MarginConfig& config() const noexcept { return config_; }

  // Everything above for the snapshot. Errors name the offending entry ("positions[1].leverage").
  core::Result<MarginSummary> evaluate(const MarginAccountState& account) const;

  // Open-order margin of `orders` (all of one settlement currency), grouped by instrument.
  core::Result<std::vector<OpenOrderMargin>> open_order_margins(const MarginAccountState& account) const;

 private:
  explicit MarginManager(MarginConfig config) : config_(config) {}

  MarginConfig config_;
};

}  // namespace ballast::portfolio
