#include "ballast/persistence/internal/driver.hpp"

#include <charconv>
#include <cstdlib>

namespace ballast::persistence::internal {

Value null_value() {
  return Value{};
}

bool Row::is_null(std::size_t col) const {
  return col >= values_.size() || std::holds_alternative<std::monostate>(values_[col]);
}

std::int64_t Row::integer(std::size_t col) const {
  if (is_null(col)) return 0;
  const Value& v = values_[col];
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  const auto& s = std::get<std::string>(v);
  std::int64_t out = 0;
  std::from_chars(s.data(), s.data() + s.size(), out);
  return out;
}

double Row::real(std::size_t col) const {
  if (is_null(col)) return 0;
  const Value& v = values_[col];
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::strtod(std::get<std::string>(v).c_str(), nullptr);
}

std::string Row::text(std::size_t col) const {
  if (is_null(col)) return {};
  const Value& v = values_[col];
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return std::to_string(std::get<double>(v));
}

std::optional<double> Row::optional_real(std::size_t col) const {
  if (is_null(col)) return std::nullopt;
  return real(col);
}

}  // namespace ballast::persistence::internal
