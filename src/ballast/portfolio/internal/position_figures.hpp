#pragma once
// Private to the portfolio module: the figures of one linear position at its mark, formed on every mark of
// the book. position_figures() computes them in 64-bit integers whenever every intermediate value is exact
// and in range, and otherwise through the general decimal arithmetic (position_figures_reference), so the
// two always agree; tests/portfolio/position_figures_test.cpp checks that they do. It is two steps, which
// the book takes apart: position_line() (what does not depend on the mark, kept per slot) and line_figures().

#include "ballast/core/decimal.hpp"

#include <cstdint>
#include <limits>

namespace ballast::portfolio::internal {

struct PositionFigures {
  core::Decimal notional{};        // signed as the quantity; at the mark, rounded half-even
  core::Decimal unrealized_pnl{};  // rounded half-even
  core::Decimal initial_margin{};  // |exact notional| / leverage, rounded up
};

// The figures of `quantity` (signed, nonzero) contracts of `multiplier` marked at `mark`, bought or sold at
// `avg_entry`, with `leverage` (> 0), at `places` places of the settlement currency:
//   contracts = |quantity| × multiplier                      (exact)
//   notional  = sign × contracts × mark                      rounded half-even at `places`
//   P&L       = sign × contracts × (mark − avg_entry)        rounded half-even at `places`
//   margin    = contracts × |mark| / leverage                rounded up at `places`
// Products that do not fit 18 places or the int64 range are rounded as internal::multiply rounds them.
PositionFigures position_figures_reference(const core::Decimal& quantity, const core::Decimal& multiplier,
                                           const core::Decimal& mark, const core::Decimal& avg_entry,
                                           const core::Decimal& leverage, int places);

namespace detail {

// `n` at `from` places moved to `to` places: multiplied up exactly, or divided down rounded half-even (as
// Decimal::rescale). False when the result leaves the int64 range.
[[gnu::always_inline]] inline bool move_places(std::int64_t n, int from, int to, std::int64_t& out) noexcept {
  if (from <= to) {
    const int k = to - from;
    return k <= core::Decimal::kMaxScale && !__builtin_mul_overflow(n, core::detail::kPow10Int[k], &out);
  }
  const std::int64_t d = core::detail::kPow10Int[from - to];  // from <= 18, to >= 0
  std::int64_t q = n / d;
  const std::int64_t r = n % d;
  const auto twice = static_cast<std::uint64_t>(r < 0 ? -r : r) * 2;  // < 2 · 10^18: no overflow
  const auto divisor = static_cast<std::uint64_t>(d);
  if (twice > divisor || (twice == divisor && (q & 1) != 0)) q += n < 0 ? -1 : 1;
  out = q;
  return true;
}

}  // namespace detail

// A position's figures as functions of its mark, for marks at one scale: what position_figures() forms from
// the quantity, multiplier, entry, leverage and places before it looks at the mark. The book forms it once per
// position and mark scale (position_line) and evaluates it on every mark (line_figures); `valid` is false when
// these inputs alone already leave the integers (the general arithmetic then forms every mark's figures).
struct PositionLine {
  bool valid{false};
  // What it was formed from (the book compares these to find it still current).
  std::int64_t quantity_raw{0};
  std::int64_t entry_raw{0};
  std::int64_t leverage_raw{0};
  std::int8_t quantity_scale{-1};
  std::int8_t entry_scale{-1};
  std::int8_t leverage_scale{-1};
  std::int8_t mark_scale{-1};
  // The line.
  bool short_side{false};
  std::int8_t exact_places{0};  // of contracts × mark
  std::int8_t move_places{0};   // of contracts × (mark − entry)
  std::int8_t places{0};
  std::int64_t contracts{0};     // |quantity| × multiplier, exact
  std::int64_t mark_up{1};       // the mark to the finer of its and the entry's scale: × 10^k
  std::int64_t entry{0};         // the entry at that scale
  std::int64_t margin_up{1};     // margin = ⌈|contracts × mark| × margin_up / margin_down⌉
  std::int64_t margin_down{1};

  bool formed_from(const core::Decimal& quantity, const core::Decimal& avg_entry, const core::Decimal& leverage,
                   int scale_of_mark) const noexcept {
    return quantity_raw == quantity.raw() && quantity_scale == quantity.scale() && entry_raw == avg_entry.raw() &&
           entry_scale == avg_entry.scale() && leverage_raw == leverage.raw() && leverage_scale == leverage.scale() &&
           mark_scale == scale_of_mark;
  }
};

// The line of `quantity` (signed, nonzero) contracts of `multiplier` bought or sold at `avg_entry`, with
// `leverage`, for marks at `mark_scale` places, at `places` places of the settlement currency.
inline PositionLine position_line(const core::Decimal& quantity, const core::Decimal& multiplier,
                                  const core::Decimal& avg_entry, const core::Decimal& leverage, int mark_scale,
                                  int places) {
  using core::Decimal;
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  PositionLine line;
  line.quantity_raw = quantity.raw();
  line.quantity_scale = static_cast<std::int8_t>(quantity.scale());
  line.entry_raw = avg_entry.raw();
  line.entry_scale = static_cast<std::int8_t>(avg_entry.scale());
  line.leverage_raw = leverage.raw();
  line.leverage_scale = static_cast<std::int8_t>(leverage.scale());
  line.mark_scale = static_cast<std::int8_t>(mark_scale);
  line.places = static_cast<std::int8_t>(places);
  if (quantity.raw() == kMin || leverage.raw() <= 0) return line;
  line.short_side = quantity.raw() < 0;
  // contracts = |quantity| × multiplier, exact.
  std::int64_t contracts = line.short_side ? -quantity.raw() : quantity.raw();
  int contract_places = quantity.scale();
  if (!(multiplier.raw() == 1 && multiplier.scale() == 0)) {
    contract_places += multiplier.scale();
    if (contract_places > Decimal::kMaxScale || __builtin_mul_overflow(contracts, multiplier.raw(), &contracts)) {
      return line;
    }
  }
  line.contracts = contracts;
  // The exact notional, contracts × mark, is at exact_places.
  const int exact_places = contract_places + mark_scale;
  if (exact_places > Decimal::kMaxScale) return line;
  line.exact_places = static_cast<std::int8_t>(exact_places);
  // mark − avg_entry at the finer of their scales, then × contracts.
  const int diff_places = mark_scale > avg_entry.scale() ? mark_scale : avg_entry.scale();
  const int move_places = contract_places + diff_places;
  if (move_places > Decimal::kMaxScale ||
      !detail::move_places(avg_entry.raw(), avg_entry.scale(), diff_places, line.entry)) {
    return line;
  }
  line.move_places = static_cast<std::int8_t>(move_places);
  line.mark_up = core::detail::kPow10Int[diff_places - mark_scale];
  // margin = |exact| / leverage rounded up: |exact| · 10^shift / leverage (shift = places + its scale − exact's).
  const int shift = places + leverage.scale() - exact_places;
  if (shift > Decimal::kMaxScale || shift < -Decimal::kMaxScale) return line;
  line.margin_down = leverage.raw();
  if (shift >= 0) {
    line.margin_up = core::detail::kPow10Int[shift];
  } else if (__builtin_mul_overflow(line.margin_down, core::detail::kPow10Int[-shift], &line.margin_down)) {
    return line;
  }
  line.valid = true;
  return line;
}

// The figures of a valid line at a mark of `mark_raw` (at the line's mark scale); false when a product leaves
// the int64 range (the general arithmetic forms them then).
[[gnu::always_inline]] inline bool line_figures(const PositionLine& line, std::int64_t mark_raw, std::int64_t& notional,
                                                std::int64_t& pnl, std::int64_t& margin) noexcept {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  std::int64_t exact = 0;
  std::int64_t m = 0;
  std::int64_t diff = 0;
  std::int64_t move = 0;
  if (__builtin_mul_overflow(line.contracts, mark_raw, &exact) || exact == kMin ||
      __builtin_mul_overflow(mark_raw, line.mark_up, &m) || __builtin_sub_overflow(m, line.entry, &diff) ||
      __builtin_mul_overflow(line.contracts, diff, &move) || move == kMin) {
    return false;
  }
  if (!detail::move_places(line.short_side ? -exact : exact, line.exact_places, line.places, notional) ||
      !detail::move_places(line.short_side ? -move : move, line.move_places, line.places, pnl)) {
    return false;
  }
  const std::int64_t size = exact < 0 ? -exact : exact;
  std::int64_t num = size;
  if (line.margin_up != 1 && __builtin_mul_overflow(size, line.margin_up, &num)) return false;
  margin = num;
  if (line.margin_down != 1) {
    margin = num / line.margin_down;
    if (num % line.margin_down != 0) ++margin;
  }
  return true;
}

// The same figures as position_figures_reference(), in integers where it can: the position's line at the mark.
inline PositionFigures position_figures(const core::Decimal& quantity, const core::Decimal& multiplier,
                                        const core::Decimal& mark, const core::Decimal& avg_entry,
                                        const core::Decimal& leverage, int places) {
  using core::Decimal;
  const PositionLine line = position_line(quantity, multiplier, avg_entry, leverage, mark.scale(), places);
  std::int64_t notional = 0;
  std::int64_t pnl = 0;
  std::int64_t margin = 0;
  if (!line.valid || !line_figures(line, mark.raw(), notional, pnl, margin)) {
    return position_figures_reference(quantity, multiplier, mark, avg_entry, leverage, places);
  }
  return {Decimal::from_raw(notional, places), Decimal::from_raw(pnl, places), Decimal::from_raw(margin, places)};
}

}  // namespace ballast::portfolio::internal
