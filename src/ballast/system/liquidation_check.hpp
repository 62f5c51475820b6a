#pragma once
// Liquidation prices: the venue's own figure (runtime::PositionStatusReport::liquidation_price) against
// the one our margin manager computes for the same position from the kernel's book
// (portfolio::liquidation_price: tiers, wallet, the other cross positions at their marks).
//
// Why: the risk engine sizes, margins and warns from our figure. If the venue's tiers, margin mode or
// wallet differ from what the book holds, the venue liquidates at a price we did not expect; comparing
// the two is how a live account finds that out before it matters.
//
// Rules, per venue position (the venue's list; book positions the venue does not list are
// reconciliation's business, not this check's):
//  - NOT_COMPARED when the kernel has no instrument for it, when the book's quantity differs from the
//    venue's (reconcile first), when the book has no mark yet, or when ours cannot be computed (the note
//    says which; an inverse contract, say).
//  - Both priced: difference_bps = (ours − venue's) / venue's × 10 000, rounded half-even to 0.01 bp;
//    AGREES when |difference_bps| <= tolerance_bps, else DIFFERS.
//  - The venue reports none: AGREES when ours is NEVER (a long its margin carries to a price of zero),
//    DIFFERS when ours is a price or AT_ANY_PRICE. The venue reports a price and ours is NEVER or
//    AT_ANY_PRICE: DIFFERS.
//  - The note of a DIFFERS names a margin-mode mismatch when the venue says how it holds the position and
//    the book holds it otherwise (the commonest cause: the formula depends on the mode).
// Pure: no clock, no I/O.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/price.hpp"
#include "ballast/portfolio/liquidation.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/runtime/execution_client.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::system {

enum class LiquidationVerdict { Agrees, Differs, NotCompared };

// "AGREES", "DIFFERS", "NOT_COMPARED".
std::string_view to_string(LiquidationVerdict verdict) noexcept;

struct LiquidationComparison {
  core::InstrumentId instrument{};
  core::Decimal venue_quantity{};  // signed, as the venue reports it
  core::Decimal book_quantity{};   // signed, the kernel's book (0 when the instrument is unknown)
  std::optional<model::MarginMode> venue_margin_mode{};
  model::MarginMode book_margin_mode{model::MarginMode::Cross};
  std::optional<model::Price> venue_price{};                    // nullopt: the venue reports none
  std::optional<portfolio::LiquidationOutcome> our_outcome{};  // nullopt: not computed
  std::optional<model::Price> our_price{};                      // AT_PRICE only
  std::optional<core::Decimal> difference_bps{};                // both priced
  LiquidationVerdict verdict{LiquidationVerdict::NotCompared};
  std::string note{};  // why it differs or was not compared; empty when it agrees
};

// One comparison per venue position, in the venue's order. `tolerance_bps` must not be negative.
std::vector<LiquidationComparison> compare_liquidation_prices(
    const portfolio::PortfolioBook& book, std::span<const runtime::PositionStatusReport> venue_positions,
    const core::Decimal& tolerance_bps);

}  // namespace ballast::system
