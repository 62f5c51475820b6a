#include "ballast/data/binance_kline_csv.hpp"

#include <fmt/format.h>

#include <array>
#include <cstring>

#include "ballast/data/internal/csv_scan.hpp"
#include "ballast/data/internal/kline_rows.hpp"

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

}  // namespace

core::Result<BinanceKlineSeries> parse_binance_klines(std::string_view text, std::string_view source_name,
                                                      const core::InstrumentId& instrument_id) {
  BinanceKlineSeries out;
  out.series.instrument_id = instrument_id;
  const auto expected_rows = internal::estimate_rows(text);
  out.series.bars.reserve(expected_rows);
  out.extras.reserve(expected_rows);
  internal::advise_huge_pages(out.series.bars.data(), out.series.bars.capacity() * sizeof(model::Bar));

  // The row parser takes each row through its fast path or the general one, checks it and makes the bar
  // (internal/kline_rows.hpp).
  internal::KlineRowParser rows(source_name);
  model::Bar bar;
  BinanceKlineExtras extra;
  const char* pos = text.data();
  const char* const end = pos + text.size();
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos += 3;
  std::size_t n = 0;  // physical line number
  while (pos < end) {
    ++n;
    const internal::RowStep step = rows.next(pos, end, n, bar, extra);
    if (step == internal::RowStep::Skip) continue;
    if (step == internal::RowStep::Error) return rows.error();
    out.series.bars.push_back(bar);
    out.extras.push_back(extra);
  }
  out.time_unit = rows.time_unit();
  out.series.interval = rows.interval();
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
