#pragma once
// Private to the portfolio module: the figures of one linear position at its mark, formed on every mark of
// the book. position_figures() computes them in 64-bit integers whenever every intermediate value is exact
// and in range, and otherwise through the general decimal arithmetic (position_figures_reference), so the
// two always agree; tests/portfolio/position_figures_test.cpp checks that they do.

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

// The same figures as position_figures_reference(), in integers where it can.
inline PositionFigures position_figures(const core::Decimal& quantity, const core::Decimal& multiplier,
                                        const core::Decimal& mark, const core::Decimal& avg_entry,
                                        const core::Decimal& leverage, int places) {
  using core::Decimal;
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const auto general = [&] {
    return position_figures_reference(quantity, multiplier, mark, avg_entry, leverage, places);
  };
  if (quantity.raw() == kMin || leverage.raw() <= 0) return general();
  const bool short_side = quantity.raw() < 0;
  // contracts = |quantity| × multiplier, exact.
  std::int64_t contracts = short_side ? -quantity.raw() : quantity.raw();
  int contract_places = quantity.scale();
  if (!(multiplier.raw() == 1 && multiplier.scale() == 0)) {
    contract_places += multiplier.scale();
    if (contract_places > Decimal::kMaxScale || __builtin_mul_overflow(contracts, multiplier.raw(), &contracts)) {
      return general();
    }
  }
  // The exact notional, contracts × mark.
  std::int64_t exact = 0;
  const int exact_places = contract_places + mark.scale();
  if (exact_places > Decimal::kMaxScale || __builtin_mul_overflow(contracts, mark.raw(), &exact) || exact == kMin) {
    return general();
  }
  // mark − avg_entry at the finer of their scales, then × contracts, exact.
  const int diff_places = mark.scale() > avg_entry.scale() ? mark.scale() : avg_entry.scale();
  std::int64_t m = 0;
  std::int64_t a = 0;
  std::int64_t diff = 0;
  std::int64_t move = 0;
  const int move_places = contract_places + diff_places;
  if (move_places > Decimal::kMaxScale || !detail::move_places(mark.raw(), mark.scale(), diff_places, m) ||
      !detail::move_places(avg_entry.raw(), avg_entry.scale(), diff_places, a) || __builtin_sub_overflow(m, a, &diff) ||
      __builtin_mul_overflow(contracts, diff, &move) || move == kMin) {
    return general();
  }
  std::int64_t notional = 0;
  std::int64_t pnl = 0;
  if (!detail::move_places(short_side ? -exact : exact, exact_places, places, notional) ||
      !detail::move_places(short_side ? -move : move, move_places, places, pnl)) {
    return general();
  }
  // margin = |exact| / leverage rounded up: |exact| · 10^shift / leverage (shift = places + its scale − exact's).
  const std::int64_t size = exact < 0 ? -exact : exact;
  const int shift = places + leverage.scale() - exact_places;
  std::int64_t num = size;
  std::int64_t den = leverage.raw();
  if (shift > Decimal::kMaxScale || shift < -Decimal::kMaxScale ||
      (shift >= 0 && __builtin_mul_overflow(size, core::detail::kPow10Int[shift], &num)) ||
      (shift < 0 && __builtin_mul_overflow(den, core::detail::kPow10Int[-shift], &den))) {
    return general();
  }
  std::int64_t margin = num;
  if (den != 1) {
    margin = num / den;
    if (num % den != 0) ++margin;
  }
  return {Decimal::from_raw(notional, places), Decimal::from_raw(pnl, places), Decimal::from_raw(margin, places)};
}

}  // namespace ballast::portfolio::internal
