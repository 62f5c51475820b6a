#pragma once
// Binance kline CSV, as in Binance's public data dumps: 12 columns, usually no header
//   open_time, open, high, low, close, volume, close_time, quote_volume, trade_count,
//   taker_buy_base_volume, taker_buy_quote_volume, ignore
// Times are epoch milliseconds, or microseconds in newer spot dumps: the unit is taken from the magnitude
// of open_time (≥ 1e14 → µs) and applies to close_time too. close_time is the last unit of the bar
// (open_time + interval − 1 ms), so a bar's ts_event = open_time and ts_recv = close_time + 1 unit.
// A header line (newer futures dumps have one: "open_time,open,…") is recognised by a first cell that
// starts with a letter and skipped. BarSeries::interval is the common bar length, or 0 when bars differ
// in length (monthly klines).
//
// Errors follow ohlcv_csv.hpp: the first bad row stops the read with where() = "source:line" (wrong column
// count, unparsable number, bad time, open times not strictly increasing, close_time before open_time,
// high < low, open/close outside [low, high], negative volume).

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::data {

// The kline columns a Bar has no field for.
struct BinanceKlineExtras {
  core::Decimal quote_volume;
  std::int64_t trade_count = 0;
  core::Decimal taker_buy_base_volume;
  core::Decimal taker_buy_quote_volume;

  friend bool operator==(const BinanceKlineExtras&, const BinanceKlineExtras&) = default;
};

// Bars plus, index for index, their extra columns.
struct BinanceKlineSeries {
  model::BarSeries series;
  std::vector<BinanceKlineExtras> extras;
  core::EpochUnit time_unit = core::EpochUnit::Millis;  // of the file's first row
};

core::Result<BinanceKlineSeries> read_binance_klines(const std::filesystem::path& path,
                                                     const core::InstrumentId& instrument_id = {});
core::Result<BinanceKlineSeries> parse_binance_klines(std::string_view text, std::string_view source_name = "<text>",
                                                      const core::InstrumentId& instrument_id = {});

struct BinanceKlineWriteOptions {
  core::EpochUnit time_unit = core::EpochUnit::Millis;  // Millis or Micros
  bool header = false;
};

// Writes close_time = ts_recv − 1 unit. `extras` is empty (zeros are written) or one per bar. Errors when
// a bar has no known end (ts_recv ≤ ts_event) or a time is not a whole number of the unit.
core::Result<std::string> format_binance_klines(const model::BarSeries& series,
                                                std::span<const BinanceKlineExtras> extras = {},
                                                const BinanceKlineWriteOptions& options = {});
core::Status write_binance_klines(const std::filesystem::path& path, const model::BarSeries& series,
                                  std::span<const BinanceKlineExtras> extras = {},
                                  const BinanceKlineWriteOptions& options = {});

}  // namespace ballast::data
