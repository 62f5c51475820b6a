#pragma once
// Private helper of the risk module: a product of two decimals at full precision when it fits.

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"

#include <algorithm>

namespace ballast::risk::internal {

// a × b at a.scale + b.scale places (exact) when that fits 18 places and the int64 range; otherwise at
// the finest scale that fits (half-even), but not coarser than `min_scale` places (Overflow error then).
inline core::Result<core::Decimal> product(const core::Decimal& a, const core::Decimal& b, int min_scale = 8) {
  const int exact = std::min(core::Decimal::kMaxScale, a.scale() + b.scale());
  const int floor = std::min(exact, min_scale);
  for (int scale = exact;; --scale) {
    auto p = a.checked_mul(b, scale, core::RoundingMode::HalfEven);
    if (p || scale <= floor) return p;
  }
}

}  // namespace ballast::risk::internal
