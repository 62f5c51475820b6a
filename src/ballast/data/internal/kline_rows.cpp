#include "ballast/data/internal/kline_rows.hpp"

namespace ballast::data::internal {
namespace {

constexpr std::size_t kColumns = 12;

std::string column_label(std::size_t i) {
  static constexpr std::array<std::string_view, kColumns> kNames{
      "open_time",   "open",         "high",        "low",
      "close",       "volume",       "close_time",  "quote_volume",
      "trade_count", "taker_buy_base_volume", "taker_buy_quote_volume", "ignore"};
  return fmt::format("column {} ({})", i + 1, kNames[i]);
}

}  // namespace

RowStep KlineRowParser::fail(core::Error e) {
  error_ = std::move(e);
  return RowStep::Error;
}

// The general path: split, parse, and on failure say which column and why.
core::Status KlineRowParser::parse_general(std::string_view line, std::size_t n) {
  KlineRow& row = row_;
  FieldSplitter& f = fields_;
  const auto row_error = [&](std::string message) {
    return line_error(core::ErrorCode::ParseError, source_, n, std::move(message));
  };
  f.split(line, ',');
  if (f.count() != kColumns) return row_error(fmt::format("expected {} columns, got {}", kColumns, f.count()));
  for (std::size_t c : {std::size_t{0}, std::size_t{6}}) {
    if (!parse_int64(f[c], c == 0 ? row.open_time : row.close_time)) {
      return row_error(fmt::format("{}: expected epoch milliseconds or microseconds, got '{}'", column_label(c), f[c]));
    }
  }
  for (std::size_t c = 1; c <= 5; ++c) {
    if (!parse_decimal(f[c], row.ohlcv[c - 1])) {
      return row_error(fmt::format("{}: {}", column_label(c), decimal_error(f[c])));
    }
  }
  for (std::size_t c : {std::size_t{7}, std::size_t{9}, std::size_t{10}}) {
    core::Decimal& target = c == 7   ? row.extra.quote_volume
                            : c == 9 ? row.extra.taker_buy_base_volume
                                     : row.extra.taker_buy_quote_volume;
    if (!parse_decimal(f[c], target)) {
      return row_error(fmt::format("{}: {}", column_label(c), decimal_error(f[c])));
    }
  }
  if (!parse_int64(f[8], row.extra.trade_count) || row.extra.trade_count < 0) {
    return row_error(fmt::format("{}: expected a non-negative integer, got '{}'", column_label(8), f[8]));
  }
  return core::ok();
}

}  // namespace ballast::data::internal
