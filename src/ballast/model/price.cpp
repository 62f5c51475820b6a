#include "ballast/model/price.hpp"

#include <cstdlib>

#include <fmt/format.h>

namespace ballast::model {

core::Result<Price> Price::parse(std::string_view text) {
  auto d = Decimal::parse(text);
  if (!d) return d.error();
  return Price(*d);
}

core::Result<Price> Price::from_double(double v, int precision, RoundingMode mode) {
  auto d = Decimal::from_double(v, precision, mode);
  if (!d) return d.error();
  return Price(*d);
}

core::Result<Price> Price::round_to_tick(const Price& tick, RoundingMode mode) const {
  auto d = value_.round_to_increment(tick.value_, mode);
  if (!d) return d.error();
  return Price(*d);
}

void Quantity::throw_negative(const Decimal& value) {
  BALLAST_REQUIRE(!value.is_negative(), "quantity cannot be negative: " + value.to_string());
  std::abort();  // not reached: the requirement above throws for a negative value
}

core::Result<Quantity> Quantity::parse(std::string_view text) {
  auto d = Decimal::parse(text);
  if (!d) return d.error();
  if (d->is_negative()) {
    return core::Error(core::ErrorCode::InvalidArgument, fmt::format("quantity cannot be negative: '{}'", text));
  }
  return Quantity(*d);
}

core::Result<Quantity> Quantity::from_double(double v, int precision, RoundingMode mode) {
  if (v < 0) return core::Error(core::ErrorCode::InvalidArgument, fmt::format("quantity cannot be negative: {}", v));
  auto d = Decimal::from_double(v, precision, mode);
  if (!d) return d.error();
  return Quantity(*d);
}

core::Result<Quantity> Quantity::round_to_step(const Quantity& step, RoundingMode mode) const {
  auto d = value_.round_to_increment(step.value_, mode);
  if (!d) return d.error();
  return Quantity(*d);
}

}  // namespace ballast::model
