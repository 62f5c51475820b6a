// Reading generic OHLCV CSV (layout rules in ohlcv_csv.hpp and docs/data.md).

#include <fmt/format.h>

#include <cctype>
#include <string>

#include "ballast/data/internal/csv_scan.hpp"
#include "ballast/data/internal/ohlcv_layout.hpp"
#include "ballast/data/internal/ohlcv_rows.hpp"
#include "ballast/data/interval_estimator.hpp"
#include "ballast/data/ohlcv_csv.hpp"

namespace ballast::data {

using core::Error;
using core::ErrorCode;

std::string_view to_string(BarTimestampLabel label) noexcept {
  return label == BarTimestampLabel::IntervalEnd ? "end" : "start";
}

core::Result<BarTimestampLabel> parse_bar_timestamp_label(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "start") return BarTimestampLabel::IntervalStart;
  if (lower == "end") return BarTimestampLabel::IntervalEnd;
  return Error(ErrorCode::InvalidArgument,
               fmt::format("'{}' is not a bar time: \"start\" (the timestamp is the bar's open time) or \"end\" (its "
                           "close time)",
                           text));
}

core::Result<model::BarSeries> parse_ohlcv_csv(std::string_view text, std::string_view source_name,
                                               const OhlcvCsvReadOptions& options) {
  if (options.interval && options.interval->count() <= 0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("interval must be positive, got {}", core::format_duration(*options.interval)),
                 "interval");
  }
  auto detected = internal::detect_layout(text, source_name, options.delimiter);
  if (!detected) return detected.error();
  const internal::DetectedLayout& d = *detected;
  const OhlcvCsvLayout& layout = d.layout;

  model::BarSeries series;
  series.instrument_id = options.instrument_id;
  if (layout.columns == 0) return series;
  series.bars.reserve(internal::estimate_rows(text));
  internal::advise_huge_pages(series.bars.data(), series.bars.capacity() * sizeof(model::Bar));

  // The row parser takes each row through its fast paths or the general one, and checks it
  // (internal/ohlcv_rows.hpp).
  internal::OhlcvRowParser rows(d, source_name, options.epoch_unit);
  IntervalEstimator estimator;
  internal::OhlcvRow row;
  constexpr std::size_t kGuessSteps = 64;
  const bool end_is_recv = options.timestamp_label == BarTimestampLabel::IntervalStart;  // file time = ts_event
  core::Duration guess = options.interval.value_or(core::Duration(0));
  bool guess_settled = options.interval.has_value();
  std::size_t guessed_from = 0;  // bars before this index carry no (or another) guess

  const char* pos = text.data();
  const char* const end = pos + text.size();
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos += 3;  // as LineCursor does
  std::size_t n = 0;                                  // physical line number
  while (pos < end) {
    ++n;
    const internal::RowStep step = rows.next(pos, end, n, row);
    if (step == internal::RowStep::Skip) continue;
    if (step == internal::RowStep::Error) return rows.error();
    estimator.add(row.ts);
    // Until the interval is settled, bars are labelled with a guess: the given interval, or the most
    // common step of the first rows. The guess is checked at the end and the pass redone only if wrong.
    if (!guess_settled && estimator.steps() >= kGuessSteps) {
      guess = estimator.interval();
      guess_settled = true;
      guessed_from = series.bars.size();
    }
    series.bars.push_back(internal::bar_of(row, end_is_recv, guess));
  }

  series.interval = options.interval ? *options.interval : estimator.interval();
  const core::Duration interval = series.interval;
  // Bars before the guess carry no interval; after it, they are right when the guess was.
  const std::size_t relabel_to = interval == guess ? guessed_from : series.bars.size();
  for (std::size_t i = 0; i < relabel_to; ++i) {
    model::Bar& bar = series.bars[i];
    if (end_is_recv) {
      bar.ts_recv = bar.ts_event + interval;
    } else {
      bar.ts_event = bar.ts_recv - interval;
    }
  }
  return series;
}

core::Result<model::BarSeries> read_ohlcv_csv(const std::filesystem::path& path, const OhlcvCsvReadOptions& options) {
  auto text = internal::load_file(path);
  if (!text) return text.error();
  return parse_ohlcv_csv(text->view(), path.string(), options);
}

}  // namespace ballast::data
