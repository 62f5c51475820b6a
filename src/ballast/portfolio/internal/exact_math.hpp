#pragma once
// Private helpers of the portfolio module: products of decimals kept exact where the fixed-point range
// allows, for margin and liquidation arithmetic.

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"

#include <algorithm>

namespace ballast::portfolio::internal {

// a × b at a.scale + b.scale places (exact) when that fits in 18 places and the int64 range; otherwise at
// the finest scale that fits, rounded half-even, but never coarser than `min_scale` places (an Overflow
// error then: amounts that large are not legitimate).
inline core::Result<core::Decimal> multiply(const core::Decimal& a, const core::Decimal& b, int min_scale = 8) {
  const int exact = std::min(core::Decimal::kMaxScale, a.scale() + b.scale());
  const int floor = std::min(exact, min_scale);
  for (int scale = exact;; --scale) {
    auto product = a.checked_mul(b, scale, core::RoundingMode::HalfEven);
    if (product || scale <= floor) return product;
  }
}

}  // namespace ballast::portfolio::internal
