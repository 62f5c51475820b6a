// Reading generic OHLCV CSV (layout rules in ohlcv_csv.hpp and docs/data.md).

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <vector>

#include "ballast/data/internal/csv_scan.hpp"
#include "ballast/data/internal/fast_scan.hpp"
#include "ballast/data/internal/ohlcv_layout.hpp"
#include "ballast/data/interval_estimator.hpp"
#include "ballast/data/ohlcv_csv.hpp"

namespace ballast::data {
namespace {

using core::Error;
using core::ErrorCode;
using internal::FieldSplitter;

// One data row, parsed.
struct Row {
  core::UnixNanos ts;
  core::Decimal open, high, low, close, volume;
};

// What the fast path does with each column.
enum class Action : std::uint8_t { Skip, Timestamp, Open, High, Low, Close, Volume };

// The fast path handles layouts with one timestamp column (not date + time); empty plan = always slow.
std::vector<Action> fast_plan(const OhlcvCsvLayout& layout) {
  if (layout.timestamp < 0) return {};
  std::vector<Action> plan(layout.columns, Action::Skip);
  plan[static_cast<std::size_t>(layout.timestamp)] = Action::Timestamp;
  plan[static_cast<std::size_t>(layout.open)] = Action::Open;
  plan[static_cast<std::size_t>(layout.high)] = Action::High;
  plan[static_cast<std::size_t>(layout.low)] = Action::Low;
  plan[static_cast<std::size_t>(layout.close)] = Action::Close;
  if (layout.volume >= 0) plan[static_cast<std::size_t>(layout.volume)] = Action::Volume;
  return plan;
}

// A timestamp cell of the plan path: an epoch integer, a plain ISO date-time, or any text up to the
// delimiter that the general path accepts; advances p to the delimiter or the line end.
bool scan_timestamp_cell(const char*& p, const char* end, char delimiter, std::optional<core::EpochUnit> unit,
                         core::UnixNanos& out) {
  const char* const start = p;
  if (internal::scan_epoch(p, end, unit, out) && (p == end || *p == delimiter)) return true;
  p = start;
  if (internal::scan_iso_datetime(p, end, out) && (p == end || *p == delimiter)) return true;
  const auto* stop = static_cast<const char*>(std::memchr(start, delimiter, static_cast<std::size_t>(end - start)));
  if (stop == nullptr) stop = end;
  // The general path's own parser, so that the two agree on every input (negative epochs in a forced unit).
  if (!internal::parse_timestamp_fast(std::string_view(start, static_cast<std::size_t>(stop - start)), unit, out)) {
    return false;
  }
  p = stop;
  return true;
}

// A number cell of the plan path: a plain decimal ending at the delimiter or the line end.
inline bool scan_number_cell(const char*& p, const char* end, char delimiter, core::Decimal& out) {
  return internal::scan_plain_decimal(p, end, out) && (p == end || *p == delimiter);
}

// The canonical layout "timestamp,open,high,low,close[,volume]" (epoch or plain ISO times), parsed straight from
// the text: no line split, no field array, no per-column dispatch. Returns the start of the next line,
// or nullptr when this row needs the other paths (nothing is consumed then).
const char* parse_canonical_row(const char* p, const char* end, char delimiter, bool has_volume,
                                std::optional<core::EpochUnit> unit, Row& row) {
  using internal::at;
  const char* const start = p;
  if (!internal::scan_epoch(p, end, unit, row.ts) || !at(p, end, delimiter)) {
    p = start;
    if (!internal::scan_iso_datetime(p, end, row.ts) || !at(p, end, delimiter)) return nullptr;
  }
  ++p;
  if (!internal::scan_plain_decimal(p, end, row.open) || !at(p, end, delimiter)) return nullptr;
  ++p;
  if (!internal::scan_plain_decimal(p, end, row.high) || !at(p, end, delimiter)) return nullptr;
  ++p;
  if (!internal::scan_plain_decimal(p, end, row.low) || !at(p, end, delimiter)) return nullptr;
  ++p;
  if (!internal::scan_plain_decimal(p, end, row.close)) return nullptr;
  if (has_volume) {
    if (!at(p, end, delimiter)) return nullptr;
    ++p;
    if (!internal::scan_plain_decimal(p, end, row.volume)) return nullptr;
  } else {
    row.volume = core::Decimal();
  }
  return internal::after_line_end(p, end);
}

// One pass over the row, no field array. False on anything unusual (quotes, spaces, exponents, wrong
// column count, bad values): the caller then takes the general path, which accepts or explains.
bool parse_row_fast(std::string_view line, const std::vector<Action>& plan, char delimiter,
                    std::optional<core::EpochUnit> unit, Row& row) {
  const char* p = line.data();
  const char* const end = p + line.size();
  const std::size_t columns = plan.size();
  row.volume = core::Decimal();  // stays 0 when the layout has no volume column
  for (std::size_t c = 0; c < columns; ++c) {
    bool ok = true;
    switch (plan[c]) {
      case Action::Skip:
        while (p < end && *p != delimiter && *p != '"') ++p;
        ok = p == end || *p == delimiter;
        break;
      case Action::Timestamp: ok = scan_timestamp_cell(p, end, delimiter, unit, row.ts); break;
      case Action::Open: ok = scan_number_cell(p, end, delimiter, row.open); break;
      case Action::High: ok = scan_number_cell(p, end, delimiter, row.high); break;
      case Action::Low: ok = scan_number_cell(p, end, delimiter, row.low); break;
      case Action::Close: ok = scan_number_cell(p, end, delimiter, row.close); break;
      case Action::Volume: ok = scan_number_cell(p, end, delimiter, row.volume); break;
    }
    if (!ok) return false;
    if (c + 1 < columns) {
      if (p == end) return false;  // too few columns
      ++p;                         // the delimiter
    } else if (p != end) {
      return false;  // too many columns
    }
  }
  return true;
}

// The general path: split, parse, and on failure say which column and why.
core::Status parse_row(std::string_view line, std::size_t n, const internal::DetectedLayout& d, std::string_view source,
                       std::optional<core::EpochUnit> unit, FieldSplitter& f, Row& row) {
  const OhlcvCsvLayout& layout = d.layout;
  const auto row_error = [&](std::string message) {
    return internal::line_error(ErrorCode::ParseError, source, n, std::move(message));
  };
  f.split(line, layout.delimiter);
  if (f.count() != layout.columns)
    return row_error(fmt::format("expected {} columns, got {}", layout.columns, f.count()));
  if (layout.timestamp >= 0) {
    const auto cell = f[static_cast<std::size_t>(layout.timestamp)];
    if (!internal::parse_timestamp_fast(cell, unit, row.ts)) {
      auto why = internal::parse_timestamp_or_error(cell, unit);
      return row_error(fmt::format("{}: {}", internal::column_label(d, layout.timestamp),
                                   why ? "bad timestamp" : why.error().message()));
    }
  } else {
    auto parsed =
        core::parse_date_and_time(f[static_cast<std::size_t>(layout.date)], f[static_cast<std::size_t>(layout.time)]);
    if (!parsed) {
      return row_error(fmt::format("{} and {}: {}", internal::column_label(d, layout.date),
                                   internal::column_label(d, layout.time), parsed.error().message()));
    }
    row.ts = *parsed;
  }
  const std::array<std::pair<int, core::Decimal*>, 5> numbers{{{layout.open, &row.open},
                                                               {layout.high, &row.high},
                                                               {layout.low, &row.low},
                                                               {layout.close, &row.close},
                                                               {layout.volume, &row.volume}}};
  for (const auto& [column, target] : numbers) {
    if (column < 0) {
      *target = core::Decimal();
      continue;
    }
    const auto cell = f[static_cast<std::size_t>(column)];
    if (!internal::parse_decimal(cell, *target)) {
      auto why = internal::parse_decimal_or_error(cell);
      return row_error(fmt::format("{}: {}", internal::column_label(d, column),
                                   why ? "number out of range" : why.error().message()));
    }
  }
  return core::ok();
}

}  // namespace

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

  // Three paths per row, tried in order: the canonical straight-line parser, the plan-driven one-pass
  // parser, and the general split-and-parse path that also words the errors.
  const std::vector<Action> plan = fast_plan(layout);
  const bool canonical = layout.timestamp == 0 && layout.open == 1 && layout.high == 2 && layout.low == 3 &&
                         layout.close == 4 && (layout.volume == 5 || layout.volume < 0) &&
                         layout.columns == (layout.volume < 0 ? 5u : 6u);
  const bool has_volume = layout.volume >= 0;
  FieldSplitter fields;
  IntervalEstimator estimator;
  core::UnixNanos previous;
  std::size_t previous_line = 0;
  Row row;
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
    const char* next = canonical && n != d.header_line
                           ? parse_canonical_row(pos, end, layout.delimiter, has_volume, options.epoch_unit, row)
                           : nullptr;
    if (next != nullptr) {
      pos = next;
    } else {
      const auto* newline = static_cast<const char*>(std::memchr(pos, '\n', static_cast<std::size_t>(end - pos)));
      const char* stop = newline != nullptr ? newline : end;
      std::string_view line(pos, static_cast<std::size_t>(stop - pos));
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      pos = newline != nullptr ? newline + 1 : end;
      if (line.empty() || n == d.header_line) continue;
      if (plan.empty() || !parse_row_fast(line, plan, layout.delimiter, options.epoch_unit, row)) {
        if (internal::is_blank(line)) continue;
        auto status = parse_row(line, n, d, source_name, options.epoch_unit, fields, row);
        if (!status) return status.error();
      }
    }

    if (previous_line != 0 && row.ts <= previous) {
      return internal::line_error(ErrorCode::InvalidArgument, source_name, n,
                                  internal::time_order_violation(row.ts, previous, previous_line, true));
    }
    using internal::less;
    if (less(row.high, row.low) || less(row.open, row.low) || less(row.high, row.open) || less(row.close, row.low) ||
        less(row.high, row.close) || row.volume.is_negative()) {
      return internal::line_error(ErrorCode::InvalidArgument, source_name, n,
                                  internal::bar_row_violation(row.open, row.high, row.low, row.close, row.volume));
    }
    previous = row.ts;
    previous_line = n;
    estimator.add(row.ts);
    // Until the interval is settled, bars are labelled with a guess: the given interval, or the most
    // common step of the first rows. The guess is checked at the end and the pass redone only if wrong.
    if (!guess_settled && estimator.steps() >= kGuessSteps) {
      guess = estimator.interval();
      guess_settled = true;
      guessed_from = series.bars.size();
    }
    const core::UnixNanos other_end = end_is_recv ? row.ts + guess : row.ts - guess;
    series.bars.push_back(model::Bar{end_is_recv ? row.ts : other_end, end_is_recv ? other_end : row.ts,
                                     model::Price(row.open), model::Price(row.high), model::Price(row.low),
                                     model::Price(row.close), model::Quantity(row.volume)});
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
