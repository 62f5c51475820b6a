#pragma once
// BarCsvStream: reads a bar CSV file — generic OHLCV (ohlcv_csv.hpp) or Binance kline CSV
// (binance_kline_csv.hpp) — in fixed-size chunks and hands out its bars in small batches, so that a file
// of any length is processed in constant memory (the chunk buffer plus one batch).
//
// Same rows, same checks, same errors as the whole-file readers: both use the same row parsers
// (internal/ohlcv_rows.hpp, internal/kline_rows.hpp), and errors name "file:line" (1-based physical lines).
// A line split across two chunks is joined before it is parsed; a line longer than the buffer grows it.
//
// The one difference is the bar interval of an OHLCV file without a given interval: the whole-file reader
// takes the most common step over all rows, the stream settles it from the first 64 steps (the first 65
// rows, read ahead when the stream opens) — the same guess the whole-file reader makes first and keeps
// whenever the whole file agrees with it. For Binance klines each bar's end comes from its own close_time,
// and interval() is the first bar's length.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::data {

enum class BarCsvFormat { Ohlcv, BinanceKlines };

struct BarCsvStreamOptions {
  OhlcvCsvReadOptions ohlcv{};  // layout options of an OHLCV file (instrument_id is not used: bars carry none)
  std::size_t buffer_bytes{std::size_t{4} << 20};  // chunk size (at least 64 bytes)
  std::size_t batch_bars{4096};                    // bars per next_batch() (at least 1)
};

class BarCsvStream {
 public:
  // Opens `path` as the given format, reads its layout and its first rows (errors there come out here).
  static core::Result<BarCsvStream> open(const std::filesystem::path& path, BarCsvFormat format,
                                         const BarCsvStreamOptions& options = {});
  // The format taken from the first line, as `ballast` picks it: 12 comma-separated fields starting with a
  // digit is Binance kline CSV, anything else generic OHLCV.
  static core::Result<BarCsvFormat> detect_format(const std::filesystem::path& path);

  BarCsvStream(BarCsvStream&&) noexcept;
  BarCsvStream& operator=(BarCsvStream&&) noexcept;
  ~BarCsvStream();

  // The next bars in file order; an empty span at the end of the file. The span is valid until the next
  // call. After an error the stream stays at the failing line (every later call returns the same error).
  core::Result<std::span<const model::Bar>> next_batch();

  // The bar interval (header comment); 0 when unknown.
  core::Duration interval() const noexcept;
  BarCsvFormat format() const noexcept;
  // Bars handed out so far.
  std::size_t bars_read() const noexcept;

 private:
  struct State;
  explicit BarCsvStream(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The whole of a bar file in `format`, or in the one detect_format() picks: what the command line, the API's
// backtests and the paper replay feed read. `options` applies to an OHLCV file (the timestamp label, an
// interval, an epoch unit, the instrument id); a Binance kline file names both ends of each bar itself and
// takes only the instrument id from it.
core::Result<model::BarSeries> read_bar_file(const std::filesystem::path& path, const OhlcvCsvReadOptions& options = {},
                                             std::optional<BarCsvFormat> format = std::nullopt);

// The first `max_bars` bars of a bar file (all of a shorter one), in the format detect_format() picks: what the
// command line and the API's backtests look at before a run (tick size, bar interval, at least 3 bars).
core::Result<std::vector<model::Bar>> read_bar_head(const std::filesystem::path& path, std::size_t max_bars,
                                                    const OhlcvCsvReadOptions& options = {});

}  // namespace ballast::data
