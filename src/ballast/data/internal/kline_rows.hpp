#pragma once
// Private to the data module: the row parser of Binance kline CSV (column rules in binance_kline_csv.hpp),
// shared by the whole-file reader and the streaming reader so that both accept the same rows, check them
// the same way and word the same errors ("source:line").

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/data/binance_kline_csv.hpp"
#include "ballast/data/internal/csv_scan.hpp"
#include "ballast/data/internal/ohlcv_rows.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::data::internal {

// One kline row as written (times in the file's unit).
struct KlineRow {
  std::int64_t open_time = 0;
  std::int64_t close_time = 0;
  std::array<core::Decimal, 5> ohlcv;
  BinanceKlineExtras extra;
};

// Parses and checks the rows of one file, in order; turns each into a Bar and its extra columns.
class KlineRowParser {
 public:
  explicit KlineRowParser(std::string_view source) : source_(source) {}

  // Reads physical line `n`, which starts at `pos`; `end` is a line end or the end of the text (never inside
  // a line). Advances `pos` to the next line. Skip: a blank line or the header. Error: see error().
  RowStep next(const char*& pos, const char* end, std::size_t n, model::Bar& bar, BinanceKlineExtras& extra);

  const core::Error& error() const { return *error_; }
  // The unit of the first row's times (Millis before any row).
  core::EpochUnit time_unit() const noexcept { return time_unit_; }
  // The common bar length (ts_recv − ts_event) of the rows so far, 0 when they differ or before any row.
  core::Duration interval() const noexcept { return core::Duration(uniform_ ? span_ : 0); }

 private:
  RowStep fail(core::Error e);
  core::Status parse_general(std::string_view line, std::size_t n);
  RowStep finish(std::size_t n, model::Bar& bar, BinanceKlineExtras& extra);

  std::string source_;
  KlineRow row_;
  FieldSplitter fields_;
  bool first_row_ = true;
  bool any_row_ = false;
  bool uniform_ = true;
  std::int64_t span_ = 0;  // ns from ts_event to ts_recv of the first bar
  core::EpochUnit time_unit_ = core::EpochUnit::Millis;
  core::UnixNanos previous_;
  std::size_t previous_line_ = 0;
  std::optional<core::Error> error_;
};

// The plain form of a row (integers and plain decimals, no quotes or spaces), straight from the text.
// Returns the start of the next line, or nullptr when the row needs the general path.
inline const char* parse_kline_fast(const char* p, const char* end, KlineRow& row) {
  const auto integer = [&](std::int64_t& out) {
    std::uint64_t u = 0;
    const int digits = scan_digits(p, end, u);
    out = static_cast<std::int64_t>(u);
    return digits > 0 && digits <= 18;
  };
  const auto next_cell = [&] {
    if (!at(p, end, ',')) return false;
    ++p;
    return true;
  };
  if (!integer(row.open_time) || !next_cell()) return nullptr;
  for (auto& v : row.ohlcv) {
    if (!scan_plain_decimal(p, end, v) || !next_cell()) return nullptr;
  }
  if (!integer(row.close_time) || !next_cell()) return nullptr;
  if (!scan_plain_decimal(p, end, row.extra.quote_volume) || !next_cell()) return nullptr;
  if (!integer(row.extra.trade_count) || !next_cell()) return nullptr;
  if (!scan_plain_decimal(p, end, row.extra.taker_buy_base_volume) || !next_cell()) return nullptr;
  if (!scan_plain_decimal(p, end, row.extra.taker_buy_quote_volume) || !next_cell()) return nullptr;
  // The "ignore" column: any text without a delimiter or quote.
  while (p < end && *p != '\n' && *p != '\r') {
    if (*p == ',' || *p == '"') return nullptr;
    ++p;
  }
  return after_line_end(p, end);
}

inline RowStep KlineRowParser::next(const char*& pos, const char* end, std::size_t n, model::Bar& bar,
                                    BinanceKlineExtras& extra) {
  if (const char* next = parse_kline_fast(pos, end, row_); next != nullptr) {
    pos = next;
  } else {
    const auto* newline = static_cast<const char*>(std::memchr(pos, '\n', static_cast<std::size_t>(end - pos)));
    std::string_view line(pos, static_cast<std::size_t>((newline != nullptr ? newline : end) - pos));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = newline != nullptr ? newline + 1 : end;
    if (line.empty() || is_blank(line)) return RowStep::Skip;
    if (first_row_ && starts_with_letter(line)) {
      first_row_ = false;
      return RowStep::Skip;  // a header
    }
    if (auto status = parse_general(line, n); !status) return fail(status.error());
  }
  first_row_ = false;
  return finish(n, bar, extra);
}

inline RowStep KlineRowParser::finish(std::size_t n, model::Bar& bar, BinanceKlineExtras& extra) {
  const KlineRow& row = row_;
  const core::EpochUnit unit = core::infer_epoch_unit(row.open_time) == core::EpochUnit::Micros
                                   ? core::EpochUnit::Micros
                                   : core::EpochUnit::Millis;
  if (!any_row_) time_unit_ = unit;
  const std::int64_t per_unit = unit == core::EpochUnit::Micros ? core::kNanosPerMicro : core::kNanosPerMilli;
  std::int64_t open_ns = 0, close_ns = 0;
  if (__builtin_mul_overflow(row.open_time, per_unit, &open_ns) ||
      __builtin_mul_overflow(row.close_time, per_unit, &close_ns) ||
      __builtin_add_overflow(close_ns, per_unit, &close_ns)) {
    return fail(line_error(core::ErrorCode::ParseError, source_, n,
                           fmt::format("open or close time outside 1677..2262: {}, {}", row.open_time, row.close_time)));
  }
  const core::UnixNanos ts_event(open_ns);
  const core::UnixNanos ts_recv(close_ns);
  if (ts_recv <= ts_event) {
    return fail(line_error(core::ErrorCode::InvalidArgument, source_, n,
                           fmt::format("close time {} is before open time {}", row.close_time, row.open_time)));
  }
  if (previous_line_ != 0 && ts_event <= previous_) {
    return fail(line_error(core::ErrorCode::InvalidArgument, source_, n,
                           time_order_violation(ts_event, previous_, previous_line_, true)));
  }
  const auto& [open, high, low, close, volume] = row.ohlcv;
  if (less(high, low) || less(open, low) || less(high, open) || less(close, low) || less(high, close) ||
      volume.is_negative()) {
    return fail(line_error(core::ErrorCode::InvalidArgument, source_, n,
                           bar_row_violation(open, high, low, close, volume)));
  }
  const std::int64_t this_span = ts_recv.value - ts_event.value;
  if (!any_row_) span_ = this_span;
  uniform_ = uniform_ && this_span == span_;
  any_row_ = true;
  previous_ = ts_event;
  previous_line_ = n;
  bar = model::Bar{ts_event,           ts_recv,           model::Price(open),     model::Price(high),
                   model::Price(low), model::Price(close), model::Quantity(volume)};
  extra = row.extra;
  return RowStep::Row;
}

}  // namespace ballast::data::internal
