#include "ballast/portfolio/internal/position_figures.hpp"

#include "ballast/portfolio/internal/exact_math.hpp"

#include <limits>

namespace ballast::portfolio::internal {
namespace {

using core::Decimal;

// a × b as multiply() forms it (exact at the sum of the scales when that fits, else rounded half-even at the
// most places that fit), the exact case without going through a Result.
Decimal exact_product(const Decimal& a, const Decimal& b) {
  const core::Int128 product = static_cast<core::Int128>(a.raw()) * b.raw();
  const int scale = a.scale() + b.scale();
  if (scale <= Decimal::kMaxScale && product >= std::numeric_limits<std::int64_t>::min() &&
      product <= std::numeric_limits<std::int64_t>::max()) {
    return Decimal::from_raw(static_cast<std::int64_t>(product), scale);
  }
  return multiply(a, b).value();
}

}  // namespace

PositionFigures position_figures_reference(const Decimal& quantity, const Decimal& multiplier, const Decimal& mark,
                                           const Decimal& avg_entry, const Decimal& leverage, int places) {
  const bool unit = multiplier.raw() == 1 && multiplier.scale() == 0;
  const Decimal contracts = unit ? quantity.abs() : exact_product(quantity.abs(), multiplier);
  const Decimal exact = exact_product(contracts, mark);
  const Decimal rounded = exact.rescale(places, core::RoundingMode::HalfEven);
  PositionFigures f;
  f.notional = quantity.is_negative() ? -rounded : rounded;
  const Decimal move = exact_product(contracts, mark - avg_entry);
  const Decimal pnl = quantity.is_negative() ? -move : move;
  f.unrealized_pnl = pnl.rescale(places, core::RoundingMode::HalfEven);
  // Margin from the exact notional (as MarginManager), rounded up: a requirement is never understated.
  f.initial_margin = exact.abs().div(leverage, places, core::RoundingMode::Up);
  return f;
}

}  // namespace ballast::portfolio::internal
