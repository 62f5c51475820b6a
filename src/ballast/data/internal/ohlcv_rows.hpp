#pragma once
// Private to the data module: the row parser of generic OHLCV CSV, shared by the whole-file reader
// (ohlcv_csv_reader.cpp) and the streaming reader (bar_csv_stream.cpp) so that both accept the same rows,
// check them the same way and word the same errors ("source:line").
//
// A row takes one of three paths, tried in order: the canonical straight-line parser
// (timestamp,open,high,low,close[,volume]), the plan-driven one-pass parser (any layout with one timestamp
// column), and the general split-and-parse path, which accepts every documented form and explains failures.
// The parser then checks the row: timestamps strictly increasing, low <= open, close <= high, volume >= 0.

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/data/internal/csv_scan.hpp"
#include "ballast/data/internal/fast_scan.hpp"
#include "ballast/data/internal/ohlcv_layout.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::data::internal {

// One data row, parsed (the file's timestamp, whichever end of the bar it labels).
struct OhlcvRow {
  core::UnixNanos ts;
  core::Decimal open, high, low, close, volume;
};

// What the plan-driven path does with each column.
enum class OhlcvAction : std::uint8_t { Skip, Timestamp, Open, High, Low, Close, Volume };

// What one call of a row parser found on its line.
enum class RowStep : std::uint8_t { Row, Skip, Error };

// The canonical layout "timestamp,open,high,low,close[,volume]" (epoch or plain ISO times), parsed straight from
// the text: no line split, no field array, no per-column dispatch. Returns the start of the next line,
// or nullptr when this row needs the other paths (nothing is consumed then).
inline const char* parse_canonical_ohlcv_row(const char* p, const char* end, char delimiter, bool has_volume,
                                             std::optional<core::EpochUnit> unit, OhlcvRow& row) {
  const char* const start = p;
  if (!scan_epoch(p, end, unit, row.ts) || !at(p, end, delimiter)) {
    p = start;
    if (!scan_iso_datetime(p, end, row.ts) || !at(p, end, delimiter)) return nullptr;
  }
  ++p;
  if (!scan_plain_decimal(p, end, row.open) || !at(p, end, delimiter)) return nullptr;
  ++p;
  if (!scan_plain_decimal(p, end, row.high) || !at(p, end, delimiter)) return nullptr;
  ++p;
  if (!scan_plain_decimal(p, end, row.low) || !at(p, end, delimiter)) return nullptr;
  ++p;
  if (!scan_plain_decimal(p, end, row.close)) return nullptr;
  if (has_volume) {
    if (!at(p, end, delimiter)) return nullptr;
    ++p;
    if (!scan_plain_decimal(p, end, row.volume)) return nullptr;
  } else {
    row.volume = core::Decimal();
  }
  return after_line_end(p, end);
}

// The bar of a row: the file time is the bar's start (end_is_recv) or its end, the other end `interval` away.
inline model::Bar bar_of(const OhlcvRow& row, bool end_is_recv, core::Duration interval) {
  const core::UnixNanos other_end = end_is_recv ? row.ts + interval : row.ts - interval;
  return model::Bar{end_is_recv ? row.ts : other_end, end_is_recv ? other_end : row.ts,
                    model::Price(row.open),           model::Price(row.high),
                    model::Price(row.low),            model::Price(row.close),
                    model::Quantity(row.volume)};
}

// Parses and checks the rows of one file, in order.
class OhlcvRowParser {
 public:
  OhlcvRowParser(DetectedLayout detected, std::string_view source, std::optional<core::EpochUnit> unit);

  // Reads physical line `n`, which starts at `pos`; `end` is a line end or the end of the text (never inside
  // a line). Advances `pos` to the next line. Skip: a blank line or the header. Error: see error().
  RowStep next(const char*& pos, const char* end, std::size_t n, OhlcvRow& row);

  // The error of the last call that returned RowStep::Error ("source:line" in where()).
  const core::Error& error() const { return *error_; }
  const DetectedLayout& detected() const noexcept { return detected_; }

 private:
  bool parse_fast(std::string_view line, OhlcvRow& row) const;
  core::Status parse_general(std::string_view line, std::size_t n, OhlcvRow& row);
  RowStep fail(core::Error e);

  DetectedLayout detected_;
  std::string source_;
  std::optional<core::EpochUnit> unit_;
  std::vector<OhlcvAction> plan_;  // empty: the layout always takes the general path
  bool canonical_ = false;
  bool has_volume_ = false;
  FieldSplitter fields_;
  core::UnixNanos previous_;
  std::size_t previous_line_ = 0;
  std::optional<core::Error> error_;
};

inline RowStep OhlcvRowParser::next(const char*& pos, const char* end, std::size_t n, OhlcvRow& row) {
  const char* next = canonical_ && n != detected_.header_line
                         ? parse_canonical_ohlcv_row(pos, end, detected_.layout.delimiter, has_volume_, unit_, row)
                         : nullptr;
  if (next != nullptr) {
    pos = next;
  } else {
    const auto* newline = static_cast<const char*>(std::memchr(pos, '\n', static_cast<std::size_t>(end - pos)));
    const char* stop = newline != nullptr ? newline : end;
    std::string_view line(pos, static_cast<std::size_t>(stop - pos));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = newline != nullptr ? newline + 1 : end;
    if (line.empty() || n == detected_.header_line) return RowStep::Skip;
    if (plan_.empty() || !parse_fast(line, row)) {
      if (is_blank(line)) return RowStep::Skip;
      if (auto status = parse_general(line, n, row); !status) return fail(status.error());
    }
  }
  if (previous_line_ != 0 && row.ts <= previous_) {
    return fail(line_error(core::ErrorCode::InvalidArgument, source_, n,
                           time_order_violation(row.ts, previous_, previous_line_, true)));
  }
  if (less(row.high, row.low) || less(row.open, row.low) || less(row.high, row.open) || less(row.close, row.low) ||
      less(row.high, row.close) || row.volume.is_negative()) {
    return fail(line_error(core::ErrorCode::InvalidArgument, source_, n,
                           bar_row_violation(row.open, row.high, row.low, row.close, row.volume)));
  }
  previous_ = row.ts;
  previous_line_ = n;
  return RowStep::Row;
}

}  // namespace ballast::data::internal
