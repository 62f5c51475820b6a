#pragma once
// Liquidation price of one position of a linear (USDⓈ-margined) account, one-way position mode, in
// cross or isolated margin, after Binance's "How to Calculate Liquidation Price of USDⓈ-M Contracts":
//
//        WB − TMM1 + UPNL1 + cum − side × Q × EP
//   LP = ─────────────────────────────────────────        (one-way mode: only the BOTH-side terms)
//               Q × MMR − side × Q
//
//   Q     = |position| × multiplier, side = +1 long / −1 short, EP = entry price;
//   MMR, cum = maintenance margin rate and maintenance amount of the tier that holds the notional
//              Q × LP AT THE LIQUIDATION PRICE (not at the mark);
//   WB    = isolated: the position's isolated wallet balance (its margin); TMM1 = UPNL1 = 0.
//           cross: the cross wallet balance; TMM1 and UPNL1 are the maintenance margin and unrealised
//           P&L of every OTHER cross position at its current mark (isolated positions do not share the
//           cross wallet and are left out).
// It is the price P at which margin balance equals maintenance margin with everything else held fixed:
//   WB + UPNL1 + side × Q × (P − EP) = TMM1 + Q × P × MMR − cum,
// which solves to the formula above (the maintenance amount enters with a plus sign). Venue fees for
// closing and funding are not included.
//
// Tier search: start from the tier at the current mark, solve, look up the tier holding Q × LP and
// re-solve with it until the tier is consistent (at most one pass per tier; published brackets are
// continuous — each maintenance amount makes MM continuous at the caps — so margin balance − MM is
// monotone in P and exactly one tier is consistent). If the walk does not settle, every tier is tried;
// none consistent means the tiers are not continuous and is reported as an error.
//
// Rounding: the quotient is solved exactly in fixed point and rounded ONCE, AWAY from the position's safe
// side onto the instrument's tick: up for longs, down for shorts (the reported price is reached no later
// than the exact one — conservative). `unrounded` keeps tick precision + kLiquidationExtraDigits places.
//
// Outcomes: AT_PRICE (a positive price); NEVER (a long whose margin covers the loss down to a price of
// zero); AT_ANY_PRICE (a short whose account is below maintenance even at a price of zero — in practice
// other cross positions have already exhausted the wallet). Inverse contracts: ErrorCode::Unsupported.

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/price.hpp"
#include "ballast/portfolio/margin_state.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace ballast::portfolio {

enum class LiquidationOutcome { AtPrice, Never, AtAnyPrice };

// "AT_PRICE", "NEVER", "AT_ANY_PRICE".
std::string_view to_string(LiquidationOutcome outcome) noexcept;
core::Result<LiquidationOutcome> parse_liquidation_outcome(std::string_view text);

inline constexpr int kLiquidationExtraDigits = 8;

struct LiquidationPrice {
  LiquidationOutcome outcome{LiquidationOutcome::AtPrice};
  std::optional<model::Price> price{};       // AT_PRICE only: on the tick, rounded away from the safe side
  std::optional<core::Decimal> unrounded{};  // AT_PRICE only: tick precision + kLiquidationExtraDigits places
  model::MarginTier tier{};                  // the tier the formula was solved with (consistent with LP)
  int passes{0};                             // formula evaluations the tier search needed
  // True when the mark is already at or beyond the (unrounded) liquidation price.
  bool reached_at_mark{false};
};

// Liquidation price of account.positions[position_index]. Errors: an index out of range, an invalid
// snapshot entry (see measure_position), an inverse contract (Unsupported), discontinuous margin tiers.
core::Result<LiquidationPrice> liquidation_price(const MarginAccountState& account, std::size_t position_index);

}  // namespace ballast::portfolio
