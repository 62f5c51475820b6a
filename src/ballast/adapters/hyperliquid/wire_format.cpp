#include "ballast/adapters/hyperliquid/wire_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace ballast::adapters::hyperliquid {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;

int digit_count(std::int64_t raw) noexcept {
  std::uint64_t mag = raw < 0 ? static_cast<std::uint64_t>(-(raw + 1)) + 1 : static_cast<std::uint64_t>(raw);
  int n = 0;
  do {
    ++n;
    mag /= 10;
  } while (mag != 0);
  return n;
}

}  // namespace

Decimal normalized(const Decimal& v) {
  std::int64_t raw = v.raw();
  int scale = v.scale();
  while (scale > 0 && raw % 10 == 0) {
    raw /= 10;
    --scale;
  }
  return Decimal::from_raw(raw, scale);
}

core::Result<std::string> decimal_to_wire(const Decimal& v, std::string_view field) {
  const Decimal n = normalized(v);
  if (n.scale() > kMaxWireDecimals) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} has {} decimals; the wire format carries at most {}", n.to_string(), n.scale(),
                             kMaxWireDecimals),
                 std::string(field));
  }
  // Decimal has no negative zero, so "-0" cannot arise.
  return n.to_string();
}

int max_price_decimals(int sz_decimals, MarketKind kind) noexcept {
  const int max_decimals = kind == MarketKind::Perp ? 6 : 8;
  return std::max(0, max_decimals - sz_decimals);
}

int significant_figures(const Decimal& v) noexcept {
  const Decimal n = normalized(v);
  if (n.raw() == 0) return 0;
  return digit_count(n.raw());
}

core::Status check_price(const Decimal& px, int sz_decimals, MarketKind kind, std::string_view field) {
  const Decimal n = normalized(px);
  if (!n.is_positive()) {
    return Error(ErrorCode::InvalidArgument, fmt::format("price must be positive, got {}", n.to_string()),
                 std::string(field));
  }
  if (n.scale() == 0) return core::ok();  // integer prices are always valid
  const int max_decimals = max_price_decimals(sz_decimals, kind);
  if (n.scale() > max_decimals) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("price {} has {} decimals; at most {} are allowed ({} − szDecimals {})", n.to_string(),
                             n.scale(), max_decimals, kind == MarketKind::Perp ? 6 : 8, sz_decimals),
                 std::string(field));
  }
  const int figures = significant_figures(n);
  if (figures > kMaxSignificantFigures) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("price {} has {} significant figures; at most {} are allowed for a non-integer price",
                             n.to_string(), figures, kMaxSignificantFigures),
                 std::string(field));
  }
  return core::ok();
}

core::Status check_size(const Decimal& sz, int sz_decimals, std::string_view field) {
  const Decimal n = normalized(sz);
  if (!n.is_positive()) {
    return Error(ErrorCode::InvalidArgument, fmt::format("size must be positive, got {}", n.to_string()),
                 std::string(field));
  }
  if (n.scale() > sz_decimals) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("size {} has {} decimals; this asset's szDecimals is {}", n.to_string(), n.scale(),
                             sz_decimals),
                 std::string(field));
  }
  return core::ok();
}

core::Result<std::string> price_to_wire(const Decimal& px, int sz_decimals, MarketKind kind, std::string_view field) {
  BALLAST_TRY(check_price(px, sz_decimals, kind, field));
  return decimal_to_wire(px, field);
}

core::Result<std::string> size_to_wire(const Decimal& sz, int sz_decimals, std::string_view field) {
  BALLAST_TRY(check_size(sz, sz_decimals, field));
  return decimal_to_wire(sz, field);
}

core::Result<Decimal> round_price(const Decimal& px, int sz_decimals, MarketKind kind, core::RoundingMode mode) {
  const Decimal n = normalized(px);
  if (!n.is_positive()) {
    return Error(ErrorCode::InvalidArgument, fmt::format("price must be positive, got {}", n.to_string()), "price");
  }
  if (n.scale() == 0) return n;
  // The decimal exponent e of the leading digit (x = d.ddd × 10^e); 5 significant figures keep 4 − e decimals.
  const int exponent = digit_count(n.raw()) - n.scale() - 1;
  const int figures_scale = kMaxSignificantFigures - 1 - exponent;
  const int scale = std::clamp(std::min(figures_scale, max_price_decimals(sz_decimals, kind)), 0, Decimal::kMaxScale);
  auto rounded = n.rescaled(scale, mode);
  if (!rounded) return rounded.error();
  const Decimal out = normalized(*rounded);
  if (!out.is_positive()) {
    return Error(ErrorCode::OutOfRange,
                 fmt::format("price {} rounds to zero at {} decimals", n.to_string(), scale), "price");
  }
  return out;
}

core::Result<Decimal> round_size(const Decimal& sz, int sz_decimals, core::RoundingMode mode) {
  if (sz.is_negative()) {
    return Error(ErrorCode::InvalidArgument, fmt::format("size must not be negative, got {}", sz.to_string()), "size");
  }
  auto rounded = sz.rescaled(std::clamp(sz_decimals, 0, Decimal::kMaxScale), mode);
  if (!rounded) return rounded.error();
  return normalized(*rounded);
}

core::Result<WireValue> decimal_to_scaled_int(const Decimal& v, int power, std::string_view field) {
  if (power < 0 || power > Decimal::kMaxScale) {
    return Error(ErrorCode::InvalidArgument, fmt::format("power must be 0..18, got {}", power), std::string(field));
  }
  const Decimal n = normalized(v);
  if (n.scale() > power) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} × 10^{} is not an integer ({} decimals); it would need rounding", n.to_string(),
                             power, n.scale()),
                 std::string(field));
  }
  // raw × 10^(power − scale) in 128 bits: 123123123123 × 10^8 exceeds int64 but fits uint64.
  const core::Int128 scaled = static_cast<core::Int128>(n.raw()) * core::pow10_i64(power - n.scale());
  const core::Int128 max_unsigned = static_cast<core::Int128>(std::numeric_limits<std::uint64_t>::max());
  if (scaled > max_unsigned || scaled < std::numeric_limits<std::int64_t>::min()) {
    return Error(ErrorCode::Overflow, fmt::format("{} × 10^{} does not fit 64 bits", n.to_string(), power),
                 std::string(field));
  }
  if (scaled >= 0) return WireValue::unsigned_integer(static_cast<std::uint64_t>(scaled));
  return WireValue::integer(static_cast<std::int64_t>(scaled));
}

}  // namespace ballast::adapters::hyperliquid
