#pragma once
// Pre-trade questions a trader asks about one position or one planned trade (no engine state needed):
//
// (a) max_loss — the most a held position can lose: closed at its stop or, when it has none (or the
//     liquidation price comes first), at its liquidation price (portfolio/liquidation.hpp).
//       exit        = the stop, unless the liquidation price is reached first (long: LP >= stop;
//                     short: LP <= stop), then the liquidation price;
//                     no stop: the liquidation price; a long that is never liquidated: a price of 0;
//                     an account already below maintenance at any price (AT_ANY_PRICE): the mark.
//       price loss  = side × Q × (entry − exit)       (Q = |quantity| × multiplier; > 0 is a loss,
//                                                       a stop beyond the entry locks a gain: < 0)
//       fees        = taker fee on the entry notional + taker fee on the exit notional
//                     (Instrument::commission, rounded up): the stop and the liquidation fill as
//                     market orders, and we assume the entry took liquidity too (conservative).
//       total loss  = price loss + both fees;  loss from mark = side × Q × (mark − exit) + exit fee
//                     (what is still at stake now, the entry fee being already paid).
//     Liquidation clearance fees are not included; for an ISOLATED position the venue keeps what is
//     left of the isolated margin at liquidation, so the realised loss can reach the whole isolated
//     margin (reported alongside as `isolated_margin`).
//
// (b) risk_reward — an order with entry, stop and target:
//       risk   = Q × |entry − stop|,  reward = Q × |target − entry|   (gross, settlement currency)
//       R      = reward / risk,  break-even win rate = 1 / (1 + R) = risk / (risk + reward)
//     and the same after round-trip taker fees (entry + exit at the stop / target):
//       net risk = risk + fees at the stop,  net reward = reward − fees at the target,
//       net R = net reward / net risk, net break-even = net risk / (net risk + net reward).
//     Buy: stop < entry < target; sell: target < entry < stop.
//
// Linear (USDⓈ-margined) contracts only (an inverse contract's P&L is not linear in the price):
// ErrorCode::Unsupported. Amounts are exact Money in the settlement currency; ratios are Decimals with
// kRatioScale places, rounded half-even.

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"
#include "ballast/portfolio/liquidation.hpp"
#include "ballast/portfolio/margin_state.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace ballast::risk {

inline constexpr int kRatioScale = 8;

// Where max_loss closes the position. Stable codes: "STOP", "LIQUIDATION", "PRICE_ZERO", "MARK".
enum class ExitBasis { Stop, Liquidation, PriceZero, Mark };

std::string_view to_string(ExitBasis basis) noexcept;
core::Result<ExitBasis> parse_exit_basis(std::string_view text);

struct MaxLoss {
  ExitBasis basis{ExitBasis::Stop};
  model::Price exit_price{};
  model::Money price_loss{};      // side × Q × (entry − exit); > 0 loss
  model::Money entry_fee{};       // taker, on the entry notional
  model::Money exit_fee{};        // taker, on the exit notional
  model::Money total_loss{};      // price_loss + entry_fee + exit_fee
  model::Money loss_from_mark{};  // side × Q × (mark − exit) + exit_fee
  std::optional<portfolio::LiquidationPrice> liquidation{};  // always computed
  std::optional<model::Money> isolated_margin{};             // ISOLATED positions: the ceiling at liquidation
};

// Max loss of account.positions[position_index]; `stop` (> 0) is the position's protective stop, if any.
// Errors: index out of range, an invalid snapshot entry, an inverse contract, a non-positive stop.
core::Result<MaxLoss> max_loss(const portfolio::MarginAccountState& account, std::size_t position_index,
                               std::optional<model::Price> stop);

struct TradePlan {
  const model::Instrument* instrument{nullptr};  // not owned; required
  model::OrderSide side{model::OrderSide::Buy};
  model::Quantity quantity{};  // > 0
  model::Price entry{};        // > 0
  model::Price stop{};         // > 0, on the losing side of the entry
  model::Price target{};       // > 0, on the winning side of the entry
};

struct RiskReward {
  model::Money risk{};    // gross loss at the stop
  model::Money reward{};  // gross gain at the target
  core::Decimal reward_risk_ratio{};     // R = reward / risk
  core::Decimal break_even_win_rate{};   // 1 / (1 + R), fraction
  model::Money entry_fee{};              // taker fee on the entry
  model::Money stop_fee{};               // taker fee on the exit at the stop
  model::Money target_fee{};             // taker fee on the exit at the target
  model::Money net_risk{};               // risk + entry_fee + stop_fee
  model::Money net_reward{};             // reward − entry_fee − target_fee (may be <= 0)
  core::Decimal net_reward_risk_ratio{};    // net_reward / net_risk (<= 0 when fees eat the reward)
  std::optional<core::Decimal> net_break_even_win_rate{};  // nullopt when net_reward <= 0 (never breaks even)
};

// Errors (InvalidArgument, where() names the TradePlan field): non-positive prices or quantity, stop or
// target on the wrong side of the entry; Unsupported for inverse contracts.
core::Result<RiskReward> risk_reward(const TradePlan& plan);

}  // namespace ballast::risk
