#pragma once
// Generic OHLCV bar CSV: reading (with layout detection) and writing. Full rules in docs/data.md.
//
// Layout. One bar per line: a timestamp (or a date and a time-of-day column), open, high, low, close
// and optionally volume (0 when absent). A header line is optional; it is recognised when one of its
// cells starts with a letter. Column names are matched case-insensitively with aliases (timestamp, ts,
// datetime, date, time, open_time, …; open/o, high/h, low/l, close/c/last, volume/vol/v); an unnamed
// first column is the date; other columns ("Adj Close", "OpenInterest", …) are ignored. Without a header
// the columns are positional: timestamp,open,high,low,close[,volume] or date,time,open,high,low,close
// [,volume]. The delimiter is ',' unless the first line has more ';' or tab characters.
//
// Timestamps: epoch integers (unit from the magnitude, as core::parse_timestamp infers it, or forced with
// `epoch_unit`) or ISO-8601 dates and date-times, UTC unless an offset is given.
//
// Bars. A file's timestamp labels the START of each bar by default (ts_event); ts_recv = ts_event +
// interval, where the interval is given or detected (interval_estimator.hpp). When the interval is unknown
// (calendar-monthly data, a single bar) ts_recv = ts_event. With BarTimestampLabel::IntervalEnd the file
// labels the end instead: ts_recv is the file time and ts_event = ts_recv − interval.
//
// Errors. Reading stops at the first bad row with an Error whose where() is "source:line" (1-based
// physical lines; a header is line 1) and whose message names the column and the text: wrong column
// count, unparsable number, bad timestamp, timestamps not strictly increasing, high < low, open or close
// outside [low, high], negative volume. A header the reader does not understand is an Unsupported error
// naming the missing column. Blank lines are skipped (and counted).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::data {

// Which end of its interval a file's bar timestamp names.
enum class BarTimestampLabel { IntervalStart, IntervalEnd };
// As the command line and the API spell it: "start" or "end".
std::string_view to_string(BarTimestampLabel label) noexcept;
// "start" or "end" (any case); otherwise an InvalidArgument error that lists both.
core::Result<BarTimestampLabel> parse_bar_timestamp_label(std::string_view text);

struct OhlcvCsvReadOptions {
  core::InstrumentId instrument_id;           // copied into the BarSeries
  std::optional<core::Duration> interval;     // skips detection when set (must be > 0)
  std::optional<core::EpochUnit> epoch_unit;  // unit of integer timestamps; inferred per value when unset
  BarTimestampLabel timestamp_label = BarTimestampLabel::IntervalStart;
  char delimiter = '\0';  // '\0' = detect among ',', ';' and tab
};

// Where each field of a row is: 0-based column indexes, -1 for absent.
struct OhlcvCsvLayout {
  char delimiter = ',';
  bool has_header = false;
  std::size_t columns = 0;  // fields every data row must have
  int timestamp = -1;       // a full timestamp; or date + time below
  int date = -1;
  int time = -1;
  int open = -1;
  int high = -1;
  int low = -1;
  int close = -1;
  int volume = -1;
  // The header omitted the time column that the rows carry (e.g. "Date,Open,…" over "date,time,open,…").
  bool header_missing_time = false;

  // "header; timestamp=1 open=2 high=3 low=4 close=5 volume=6; 6 columns" (1-based columns).
  std::string describe() const;
};

// Reads the first lines of `text` and works out the layout (also what the readers do first).
core::Result<OhlcvCsvLayout> detect_ohlcv_layout(std::string_view text, std::string_view source_name = "<text>",
                                                 char delimiter = '\0');

core::Result<model::BarSeries> read_ohlcv_csv(const std::filesystem::path& path,
                                              const OhlcvCsvReadOptions& options = {});
// The same from text in memory; `source_name` stands in for the file name in error locations.
core::Result<model::BarSeries> parse_ohlcv_csv(std::string_view text, std::string_view source_name = "<text>",
                                               const OhlcvCsvReadOptions& options = {});

enum class CsvTimestampFormat { EpochSeconds, EpochMillis, EpochMicros, EpochNanos, Iso8601 };

struct OhlcvCsvWriteOptions {
  CsvTimestampFormat timestamp_format = CsvTimestampFormat::EpochMillis;
  bool header = true;  // "timestamp,open,high,low,close,volume"
  char delimiter = ',';
};

// Writes ts_event (the interval start) and the decimals at their own scale ("3602.00"). An error when a
// timestamp is not a whole number of the chosen epoch unit (nothing is silently truncated).
// Note: epoch milliseconds before 1973-03-03 read back as seconds unless the reader is told the unit.
core::Result<std::string> format_ohlcv_csv(const model::BarSeries& series, const OhlcvCsvWriteOptions& options = {});
core::Status write_ohlcv_csv(const std::filesystem::path& path, const model::BarSeries& series,
                             const OhlcvCsvWriteOptions& options = {});

}  // namespace ballast::data
