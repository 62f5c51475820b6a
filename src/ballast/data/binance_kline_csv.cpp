#include "ballast/data/binance_kline_csv.hpp"

#include <fmt/format.h>

#include <array>
#include <cstring>

#include "ballast/data/internal/csv_scan.hpp"
#include "ballast/data/internal/fast_scan.hpp"

namespace ballast::data {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::size_t kColumns = 12;
constexpr std::array<std::string_view, kColumns> kColumnNames{"open_time",
                                                              "open",
                                                              "high",
                                                              "low",
                                                              "close",
                                                              "volume",
                                                              "close_time",
                                                              "quote_volume",
                                                              "trade_count",
                                                              "taker_buy_base_volume",
                                                              "taker_buy_quote_volume",
                                                              "ignore"};

std::int64_t nanos_per(core::EpochUnit unit) {
  return unit == core::EpochUnit::Micros ? core::kNanosPerMicro : core::kNanosPerMilli;
}

std::string column_label(std::size_t i) {
  return fmt::format("column {} ({})", i + 1, kColumnNames[i]);
}

// One kline row, parsed.
struct KlineRow {
  std::int64_t open_time = 0;
  std::int64_t close_time = 0;
  std::array<core::Decimal, 5> ohlcv;
  BinanceKlineExtras extra;
};

// The plain form of a row (integers and plain decimals, no quotes or spaces), straight from the text.
// Returns the start of the next line, or nullptr when the row needs the general path.
const char* parse_kline_fast(const char* p, const char* end, KlineRow& row) {
  using internal::at;
  const auto integer = [&](std::int64_t& out) {
    std::uint64_t u = 0;
    const int digits = internal::scan_digits(p, end, u);
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
    if (!internal::scan_plain_decimal(p, end, v) || !next_cell()) return nullptr;
  }
  if (!integer(row.close_time) || !next_cell()) return nullptr;
  if (!internal::scan_plain_decimal(p, end, row.extra.quote_volume) || !next_cell()) return nullptr;
  if (!integer(row.extra.trade_count) || !next_cell()) return nullptr;
  if (!internal::scan_plain_decimal(p, end, row.extra.taker_buy_base_volume) || !next_cell()) return nullptr;
  if (!internal::scan_plain_decimal(p, end, row.extra.taker_buy_quote_volume) || !next_cell()) return nullptr;
  // The "ignore" column: any text without a delimiter or quote.
  while (p < end && *p != '\n' && *p != '\r') {
    if (*p == ',' || *p == '"') return nullptr;
    ++p;
  }
  return internal::after_line_end(p, end);
}

// The general path: split, parse, and on failure say which column and why.
core::Status parse_kline_row(std::string_view line, std::size_t n, std::string_view source, internal::FieldSplitter& f,
                             KlineRow& row) {
  const auto row_error = [&](std::string message) {
    return internal::line_error(ErrorCode::ParseError, source, n, std::move(message));
  };
  f.split(line, ',');
  if (f.count() != kColumns) return row_error(fmt::format("expected {} columns, got {}", kColumns, f.count()));
  for (std::size_t c : {std::size_t{0}, std::size_t{6}}) {
    if (!internal::parse_int64(f[c], c == 0 ? row.open_time : row.close_time)) {
      return row_error(fmt::format("{}: expected epoch milliseconds or microseconds, got '{}'", column_label(c), f[c]));
    }
  }
  for (std::size_t c = 1; c <= 5; ++c) {
    if (!internal::parse_decimal(f[c], row.ohlcv[c - 1])) {
      auto why = internal::parse_decimal_or_error(f[c]);
      return row_error(fmt::format("{}: {}", column_label(c), why ? "number out of range" : why.error().message()));
    }
  }
  for (std::size_t c : {std::size_t{7}, std::size_t{9}, std::size_t{10}}) {
    core::Decimal& target = c == 7   ? row.extra.quote_volume
                            : c == 9 ? row.extra.taker_buy_base_volume
                                     : row.extra.taker_buy_quote_volume;
    if (!internal::parse_decimal(f[c], target)) {
      auto why = internal::parse_decimal_or_error(f[c]);
      return row_error(fmt::format("{}: {}", column_label(c), why ? "number out of range" : why.error().message()));
    }
  }
  if (!internal::parse_int64(f[8], row.extra.trade_count) || row.extra.trade_count < 0) {
    return row_error(fmt::format("{}: expected a non-negative integer, got '{}'", column_label(8), f[8]));
  }
  return core::ok();
}

}  // namespace

core::Result<BinanceKlineSeries> parse_binance_klines(std::string_view text, std::string_view source_name,
                                                      const core::InstrumentId& instrument_id) {
  BinanceKlineSeries out;
  out.series.instrument_id = instrument_id;
  const auto rows = internal::estimate_rows(text);
  out.series.bars.reserve(rows);
  out.extras.reserve(rows);
  internal::advise_huge_pages(out.series.bars.data(), out.series.bars.capacity() * sizeof(model::Bar));

  const auto row_error = [&](ErrorCode code, std::size_t line, std::string message) {
    return internal::line_error(code, source_name, line, std::move(message));
  };

  internal::FieldSplitter fields;
  KlineRow row;
  bool first_row = true;
  bool uniform = true;
  std::int64_t span = 0;  // ns from ts_event to ts_recv of the first bar
  core::UnixNanos previous;
  std::size_t previous_line = 0;
  const char* pos = text.data();
  const char* const end = pos + text.size();
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos += 3;
  std::size_t n = 0;  // physical line number
  while (pos < end) {
    ++n;
    if (const char* next = parse_kline_fast(pos, end, row); next != nullptr) {
      pos = next;
    } else {
      const auto* newline = static_cast<const char*>(std::memchr(pos, '\n', static_cast<std::size_t>(end - pos)));
      std::string_view line(pos, static_cast<std::size_t>((newline != nullptr ? newline : end) - pos));
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      pos = newline != nullptr ? newline + 1 : end;
      if (line.empty() || internal::is_blank(line)) continue;
      if (first_row && internal::starts_with_letter(line)) {
        first_row = false;
        continue;  // a header
      }
      BALLAST_TRY(parse_kline_row(line, n, source_name, fields, row));
    }
    first_row = false;

    const core::EpochUnit unit = core::infer_epoch_unit(row.open_time) == core::EpochUnit::Micros
                                     ? core::EpochUnit::Micros
                                     : core::EpochUnit::Millis;
    if (out.series.bars.empty()) out.time_unit = unit;
    std::int64_t open_ns = 0, close_ns = 0;
    if (__builtin_mul_overflow(row.open_time, nanos_per(unit), &open_ns) ||
        __builtin_mul_overflow(row.close_time, nanos_per(unit), &close_ns) ||
        __builtin_add_overflow(close_ns, nanos_per(unit), &close_ns)) {
      return row_error(ErrorCode::ParseError, n,
                       fmt::format("open or close time outside 1677..2262: {}, {}", row.open_time, row.close_time));
    }
    const core::UnixNanos ts_event(open_ns);
    const core::UnixNanos ts_recv(close_ns);
    if (ts_recv <= ts_event) {
      return row_error(ErrorCode::InvalidArgument, n,
                       fmt::format("close time {} is before open time {}", row.close_time, row.open_time));
    }
    if (previous_line != 0 && ts_event <= previous) {
      return row_error(ErrorCode::InvalidArgument, n,
                       internal::time_order_violation(ts_event, previous, previous_line, true));
    }
    const auto& [open, high, low, close, volume] = row.ohlcv;
    using internal::less;
    if (less(high, low) || less(open, low) || less(high, open) || less(close, low) || less(high, close) ||
        volume.is_negative()) {
      return row_error(ErrorCode::InvalidArgument, n, internal::bar_row_violation(open, high, low, close, volume));
    }

    const std::int64_t this_span = ts_recv.value - ts_event.value;
    if (out.series.bars.empty()) span = this_span;
    uniform = uniform && this_span == span;
    previous = ts_event;
    previous_line = n;
    out.series.bars.push_back(model::Bar{ts_event, ts_recv, model::Price(open), model::Price(high), model::Price(low),
                                         model::Price(close), model::Quantity(volume)});
    out.extras.push_back(row.extra);
  }
  out.series.interval = core::Duration(uniform ? span : 0);
  return out;
}

core::Result<BinanceKlineSeries> read_binance_klines(const std::filesystem::path& path,
                                                     const core::InstrumentId& instrument_id) {
  auto text = internal::load_file(path);
  if (!text) return text.error();
  return parse_binance_klines(text->view(), path.string(), instrument_id);
}

core::Result<std::string> format_binance_klines(const model::BarSeries& series,
                                                std::span<const BinanceKlineExtras> extras,
                                                const BinanceKlineWriteOptions& options) {
  if (options.time_unit != core::EpochUnit::Millis && options.time_unit != core::EpochUnit::Micros) {
    return Error(ErrorCode::InvalidArgument, "Binance kline times are milliseconds or microseconds", "time_unit");
  }
  if (!extras.empty() && extras.size() != series.bars.size()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} extras for {} bars: give none or one per bar", extras.size(), series.bars.size()),
                 "extras");
  }
  const std::int64_t unit = nanos_per(options.time_unit);
  std::string out;
  out.reserve(128 * (series.bars.size() + 1));
  if (options.header) {
    for (std::size_t c = 0; c < kColumns; ++c) {
      if (c > 0) out += ',';
      out += kColumnNames[c];
    }
    out += '\n';
  }
  const BinanceKlineExtras zero;
  for (std::size_t i = 0; i < series.bars.size(); ++i) {
    const model::Bar& bar = series.bars[i];
    const auto where = fmt::format("bars[{}]", i);
    if (bar.ts_recv <= bar.ts_event) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("bar at {} has no known end (ts_recv must be after ts_event)",
                               core::format_iso8601(bar.ts_event)),
                   where);
    }
    if (bar.ts_event.value % unit != 0 || bar.ts_recv.value % unit != 0) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("bar at {} is not on whole {}", core::format_iso8601(bar.ts_event),
                               internal::to_string(options.time_unit)),
                   where);
    }
    const BinanceKlineExtras& extra = extras.empty() ? zero : extras[i];
    internal::append_int(out, bar.ts_event.value / unit);
    out += ',';
    internal::append_decimal(out, bar.open.value());
    out += ',';
    internal::append_decimal(out, bar.high.value());
    out += ',';
    internal::append_decimal(out, bar.low.value());
    out += ',';
    internal::append_decimal(out, bar.close.value());
    out += ',';
    internal::append_decimal(out, bar.volume.value());
    out += ',';
    internal::append_int(out, bar.ts_recv.value / unit - 1);
    out += ',';
    internal::append_decimal(out, extra.quote_volume);
    out += ',';
    internal::append_int(out, extra.trade_count);
    out += ',';
    internal::append_decimal(out, extra.taker_buy_base_volume);
    out += ',';
    internal::append_decimal(out, extra.taker_buy_quote_volume);
    out += ",0\n";
  }
  return out;
}

core::Status write_binance_klines(const std::filesystem::path& path, const model::BarSeries& series,
                                  std::span<const BinanceKlineExtras> extras, const BinanceKlineWriteOptions& options) {
  auto text = format_binance_klines(series, extras, options);
  if (!text) return text.error();
  return internal::save_file(path, *text);
}

}  // namespace ballast::data
