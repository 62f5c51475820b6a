// The venue's liquidation prices against our margin manager's (see liquidation_check.hpp).

#include "ballast/system/liquidation_check.hpp"

#include "ballast/system/kernel.hpp"

#include <fmt/format.h>

namespace ballast::system {

namespace {

constexpr int kBpsScale = 2;  // difference_bps to 0.01 bp

std::string decimal_text(const core::Decimal& d) { return d.to_string_trimmed(); }

std::string mode_note(const LiquidationComparison& c) {
  if (!c.venue_margin_mode || *c.venue_margin_mode == c.book_margin_mode) return {};
  return fmt::format("; the venue holds the position {}, the book {}", model::to_string(*c.venue_margin_mode),
                     model::to_string(c.book_margin_mode));
}

void judge(LiquidationComparison& c, const portfolio::LiquidationPrice& ours, const core::Decimal& tolerance_bps) {
  using portfolio::LiquidationOutcome;
  c.our_outcome = ours.outcome;
  c.our_price = ours.price;
  const std::string mode = mode_note(c);
  if (c.venue_price && ours.outcome == LiquidationOutcome::AtPrice && ours.price) {
    const core::Decimal venue = c.venue_price->value();
    // × 10 000 is exact at the difference's own scale, so the quotient is rounded once.
    const core::Decimal diff = ours.price->value() - venue;
    c.difference_bps = diff.mul(core::Decimal::from_int(10'000), diff.scale()).div(venue, kBpsScale);
    if (c.difference_bps->abs() <= tolerance_bps) {
      c.verdict = LiquidationVerdict::Agrees;
      return;
    }
    c.verdict = LiquidationVerdict::Differs;
    c.note = fmt::format("ours {} against the venue's {}: {} bp (tolerance {} bp){}", decimal_text(ours.price->value()),
                         decimal_text(venue), decimal_text(*c.difference_bps), decimal_text(tolerance_bps), mode);
    return;
  }
  if (!c.venue_price) {
    if (ours.outcome == LiquidationOutcome::Never) {
      c.verdict = LiquidationVerdict::Agrees;
      return;
    }
    c.verdict = LiquidationVerdict::Differs;
    c.note = ours.price ? fmt::format("the venue reports no liquidation price; ours is {}{}",
                                      decimal_text(ours.price->value()), mode)
                        : fmt::format("the venue reports no liquidation price; ours is {}{}",
                                      portfolio::to_string(ours.outcome), mode);
    return;
  }
  c.verdict = LiquidationVerdict::Differs;
  c.note = fmt::format("the venue liquidates at {}; ours is {}{}", decimal_text(c.venue_price->value()),
                       portfolio::to_string(ours.outcome), mode);
}

}  // namespace

std::string_view to_string(LiquidationVerdict verdict) noexcept {
  switch (verdict) {
    case LiquidationVerdict::Agrees: return "AGREES";
    case LiquidationVerdict::Differs: return "DIFFERS";
    case LiquidationVerdict::NotCompared: return "NOT_COMPARED";
  }
  return "NOT_COMPARED";
}

std::vector<LiquidationComparison> compare_liquidation_prices(
    const portfolio::PortfolioBook& book, std::span<const runtime::PositionStatusReport> venue_positions,
    const core::Decimal& tolerance_bps) {
  const portfolio::MarginAccountState state = book.margin_state();
  std::vector<LiquidationComparison> out;
  out.reserve(venue_positions.size());
  for (const runtime::PositionStatusReport& v : venue_positions) {
    LiquidationComparison& c = out.emplace_back();
    c.instrument = v.instrument_id;
    c.venue_quantity = v.quantity;
    c.venue_margin_mode = v.margin_mode;
    c.venue_price = v.liquidation_price;
    const auto slot_index = book.find(v.instrument_id);
    if (!slot_index) {
      c.note = "the kernel has no instrument " + v.instrument_id.value();
      continue;
    }
    const portfolio::InstrumentSlot& slot = book.slot(*slot_index);
    c.book_quantity = slot.quantity;
    c.book_margin_mode = slot.margin_mode;
    if (slot.quantity != v.quantity) {
      c.note = fmt::format("the book holds {} and the venue {}: reconcile first", decimal_text(slot.quantity),
                           decimal_text(v.quantity));
      continue;
    }
    if (!slot.has_mark) {
      c.note = "no mark price yet";
      continue;
    }
    std::size_t index = state.positions.size();
    for (std::size_t i = 0; i < state.positions.size(); ++i) {
      if (state.positions[i].instrument == slot.instrument) index = i;
    }
    if (index == state.positions.size()) {
      c.note = "the book's margin state has no position for it";
      continue;
    }
    auto ours = portfolio::liquidation_price(state, index);
    if (!ours) {
      c.note = "ours cannot be computed: " + ours.error().message();
      continue;
    }
    judge(c, *ours, tolerance_bps);
  }
  return out;
}

core::Result<std::vector<LiquidationComparison>> Kernel::check_liquidation_prices(
    const core::VenueId& venue, const core::Decimal& tolerance_bps) const {
  if (tolerance_bps.is_negative()) {
    return core::Error(core::ErrorCode::InvalidArgument, "liquidation check: the tolerance must not be negative",
                       "tolerance_bps");
  }
  const auto it = clients_.find(venue.value());
  if (it == clients_.end()) {
    return core::Error(core::ErrorCode::NotFound,
                       fmt::format("liquidation check: no execution client for venue {}", venue.value()), "venue");
  }
  auto positions = it->second->query_positions();
  if (!positions) return positions.error().with_context("liquidation check: positions");
  return compare_liquidation_prices(*book_, *positions, tolerance_bps);
}

}  // namespace ballast::system
