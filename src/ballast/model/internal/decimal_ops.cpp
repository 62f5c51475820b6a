#include "ballast/model/internal/decimal_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace ballast::model::internal {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using core::Int128;

constexpr Int128 kI64Max = std::numeric_limits<std::int64_t>::max();
constexpr Int128 kI64Min = std::numeric_limits<std::int64_t>::min();
// Products of two int64 raw values stay below 2^126 in magnitude; keep intermediates under this bound.
constexpr Int128 kSafeMagnitude = static_cast<Int128>(1) << 125;

Int128 pow10_wide(int n) {
  Int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

bool fits_i64(Int128 v) {
  return v >= kI64Min && v <= kI64Max;
}

Error overflow(std::string_view what, const Decimal& a, const Decimal& b) {
  return Error(ErrorCode::Overflow, fmt::format("decimal overflow in {} {} {}", a.to_string(), what, b.to_string()));
}

Error mul_div_overflow(const Decimal& a, const Decimal& b, const Decimal& c) {
  return Error(ErrorCode::Overflow,
               fmt::format("decimal overflow in {} * {} / {}", a.to_string(), b.to_string(), c.to_string()));
}

}  // namespace

core::Result<Decimal> multiply(const Decimal& a, const Decimal& b) {
  const Int128 product = static_cast<Int128>(a.raw()) * b.raw();
  const int product_scale = a.scale() + b.scale();
  // Exact at its own scale (nearly every price × quantity): nothing to round.
  if (product_scale <= Decimal::kMaxScale && fits_i64(product)) {
    return Decimal::from_raw(static_cast<std::int64_t>(product), product_scale);
  }
  for (int scale = std::min(product_scale, Decimal::kMaxScale); scale >= 0; --scale) {
    const Int128 v = core::div_round(product, pow10_wide(product_scale - scale), core::RoundingMode::HalfEven);
    if (fits_i64(v)) return Decimal::from_raw(static_cast<std::int64_t>(v), scale);
  }
  return overflow("*", a, b);
}

core::Result<Decimal> divide(const Decimal& a, const Decimal& b, int scale, int min_scale, core::RoundingMode mode) {
  BALLAST_REQUIRE(min_scale >= 0 && min_scale <= scale && scale <= Decimal::kMaxScale,
                  fmt::format("divide needs 0 <= min_scale {} <= scale {} <= 18", min_scale, scale));
  for (int s = scale; s >= min_scale; --s) {
    auto q = a.checked_div(b, s, mode);
    if (q || q.error().code() != ErrorCode::Overflow) return q;
  }
  return overflow("/", a, b);
}

core::Result<Decimal> mul_div(const Decimal& a, const Decimal& b, const Decimal& c, int scale,
                              core::RoundingMode mode) {
  BALLAST_REQUIRE(scale >= 0 && scale <= Decimal::kMaxScale, fmt::format("mul_div scale {} outside 0..18", scale));
  if (c.is_zero()) {
    return Error(ErrorCode::InvalidArgument, fmt::format("division of {} * {} by zero", a.to_string(), b.to_string()));
  }
  // a·b/c at `scale` places = ra·rb · 10^(scale + sc − sa − sb) / rc.
  Int128 num = static_cast<Int128>(a.raw()) * b.raw();
  Int128 den = c.raw();
  const int shift = scale + c.scale() - a.scale() - b.scale();
  if (shift > 0) {
    const Int128 factor = pow10_wide(shift);
    const Int128 limit = kSafeMagnitude / factor;
    if (num > limit || num < -limit) return mul_div_overflow(a, b, c);
    num *= factor;
  } else if (shift < 0) {
    // |rc| < 2^63 and 10^19 < 2^64, so up to 19 extra places keep den below 2^127.
    if (-shift > 19) return mul_div_overflow(a, b, c);
    den *= pow10_wide(-shift);
  }
  const Int128 v = core::div_round(num, den, mode);
  if (!fits_i64(v)) return mul_div_overflow(a, b, c);
  return Decimal::from_raw(static_cast<std::int64_t>(v), scale);
}

}  // namespace ballast::model::internal
