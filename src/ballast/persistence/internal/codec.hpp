#pragma once
// Conversions between rows and driver values, and a small builder for optional WHERE filters.

#include "ballast/core/decimal.hpp"
#include "ballast/persistence/internal/driver.hpp"
#include "ballast/persistence/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ballast::persistence::internal {

inline Value dec(const core::Decimal& d) {
  return Value{d.to_string()};
}
inline Value dec(const std::optional<core::Decimal>& d) {
  return d ? Value{d->to_string()} : Value{};
}
inline Value ns(core::UnixNanos t) {
  return Value{t.value};
}
inline Value flag(bool b) {
  return Value{std::int64_t{b ? 1 : 0}};
}
inline Value text(std::string_view s) {
  return Value{std::string(s)};
}
inline Value real(const std::optional<double>& d) {
  return d ? Value{*d} : Value{};
}

// Reads typed columns from a row, remembering the first decode error (a corrupt decimal).
class Decoder {
 public:
  Decoder(const Row& row, std::string_view what) : row_(row), what_(what) {}
  std::string text(std::size_t c) const { return row_.text(c); }
  std::int64_t integer(std::size_t c) const { return row_.integer(c); }
  bool flag(std::size_t c) const { return row_.integer(c) != 0; }
  core::UnixNanos ns(std::size_t c) const { return core::UnixNanos(row_.integer(c)); }
  double real(std::size_t c) const { return row_.real(c); }
  std::optional<double> optional_real(std::size_t c) const { return row_.optional_real(c); }
  core::Decimal dec(std::size_t c);
  std::optional<core::Decimal> optional_dec(std::size_t c);
  const std::optional<core::Error>& error() const { return error_; }

 private:
  const Row& row_;
  std::string_view what_;
  std::optional<core::Error> error_;
};

// WHERE clauses with positional parameters: w.add("account_id = ", value) appends "account_id = $N".
class Filter {
 public:
  std::string param(Value v);  // "$N" for the value just added
  void add(const std::string& lhs, Value v) { clauses_.push_back(lhs + param(std::move(v))); }
  void add_clause(std::string clause) { clauses_.push_back(std::move(clause)); }
  std::string where() const;
  // " LIMIT $n OFFSET $m"
  std::string page(std::size_t limit, std::size_t offset);
  std::vector<Value>& params() { return params_; }

 private:
  std::vector<std::string> clauses_;
  std::vector<Value> params_;
};

// Adds account / time-range filters of a TimeQuery on `ts_column`.
void add_time_filters(Filter& filter, const TimeQuery& query, const std::string& ts_column);

}  // namespace ballast::persistence::internal
