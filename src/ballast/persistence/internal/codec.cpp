#include "ballast/persistence/internal/codec.hpp"

namespace ballast::persistence::internal {

core::Decimal Decoder::dec(std::size_t c) {
  const std::string raw = row_.text(c);
  auto parsed = core::Decimal::parse(raw);
  if (!parsed) {
    if (!error_) {
      error_ = core::Error(core::ErrorCode::ParseError, std::string(what_) + ": stored decimal '" + raw +
                                                            "' is invalid: " + parsed.error().message());
    }
    return {};
  }
  return *parsed;
}

std::optional<core::Decimal> Decoder::optional_dec(std::size_t c) {
  if (row_.is_null(c)) return std::nullopt;
  return dec(c);
}

std::string Filter::param(Value v) {
  params_.push_back(std::move(v));
  std::string out(1, '$');
  out += std::to_string(params_.size());
  return out;
}

std::string Filter::where() const {
  if (clauses_.empty()) return {};
  std::string out = " WHERE ";
  for (std::size_t i = 0; i < clauses_.size(); ++i) {
    if (i > 0) out += " AND ";
    out += clauses_[i];
  }
  return out;
}

std::string Filter::page(std::size_t limit, std::size_t offset) {
  std::string out = " LIMIT " + param(static_cast<std::int64_t>(limit));
  out += " OFFSET " + param(static_cast<std::int64_t>(offset));
  return out;
}

void add_time_filters(Filter& filter, const TimeQuery& query, const std::string& ts_column) {
  if (query.account_id) filter.add("account_id = ", text(*query.account_id));
  if (query.from) filter.add(ts_column + " >= ", ns(*query.from));
  if (query.to) filter.add(ts_column + " < ", ns(*query.to));
}

}  // namespace ballast::persistence::internal
