#include "ballast/data/internal/ohlcv_rows.hpp"

#include <fmt/format.h>

#include <array>

namespace ballast::data::internal {
namespace {

using core::ErrorCode;

// The plan-driven path handles layouts with one timestamp column (not date + time); empty plan = always general.
std::vector<OhlcvAction> fast_plan(const OhlcvCsvLayout& layout) {
  if (layout.timestamp < 0 || layout.columns == 0) return {};
  std::vector<OhlcvAction> plan(layout.columns, OhlcvAction::Skip);
  plan[static_cast<std::size_t>(layout.timestamp)] = OhlcvAction::Timestamp;
  plan[static_cast<std::size_t>(layout.open)] = OhlcvAction::Open;
  plan[static_cast<std::size_t>(layout.high)] = OhlcvAction::High;
  plan[static_cast<std::size_t>(layout.low)] = OhlcvAction::Low;
  plan[static_cast<std::size_t>(layout.close)] = OhlcvAction::Close;
  if (layout.volume >= 0) plan[static_cast<std::size_t>(layout.volume)] = OhlcvAction::Volume;
  return plan;
}

// A timestamp cell of the plan path: an epoch integer, a plain ISO date-time, or any text up to the
// delimiter that the general path accepts; advances p to the delimiter or the line end.
bool scan_timestamp_cell(const char*& p, const char* end, char delimiter, std::optional<core::EpochUnit> unit,
                         core::UnixNanos& out) {
  const char* const start = p;
  if (scan_epoch(p, end, unit, out) && (p == end || *p == delimiter)) return true;
  p = start;
  if (scan_iso_datetime(p, end, out) && (p == end || *p == delimiter)) return true;
  const auto* stop = static_cast<const char*>(std::memchr(start, delimiter, static_cast<std::size_t>(end - start)));
  if (stop == nullptr) stop = end;
  // The general path's own parser, so that the two agree on every input (negative epochs in a forced unit).
  if (!parse_timestamp_fast(std::string_view(start, static_cast<std::size_t>(stop - start)), unit, out)) return false;
  p = stop;
  return true;
}

// A number cell of the plan path: a plain decimal ending at the delimiter or the line end.
inline bool scan_number_cell(const char*& p, const char* end, char delimiter, core::Decimal& out) {
  return scan_plain_decimal(p, end, out) && (p == end || *p == delimiter);
}

}  // namespace

OhlcvRowParser::OhlcvRowParser(DetectedLayout detected, std::string_view source, std::optional<core::EpochUnit> unit)
    : detected_(std::move(detected)), source_(source), unit_(unit) {
  const OhlcvCsvLayout& layout = detected_.layout;
  plan_ = fast_plan(layout);
  canonical_ = layout.columns > 0 && layout.timestamp == 0 && layout.open == 1 && layout.high == 2 &&
               layout.low == 3 && layout.close == 4 && (layout.volume == 5 || layout.volume < 0) &&
               layout.columns == (layout.volume < 0 ? 5u : 6u);
  has_volume_ = layout.volume >= 0;
}

RowStep OhlcvRowParser::fail(core::Error e) {
  error_ = std::move(e);
  return RowStep::Error;
}

// One pass over the row, no field array. False on anything unusual (quotes, spaces, exponents, wrong
// column count, bad values): the caller then takes the general path, which accepts or explains.
bool OhlcvRowParser::parse_fast(std::string_view line, OhlcvRow& row) const {
  const char* p = line.data();
  const char* const end = p + line.size();
  const char delimiter = detected_.layout.delimiter;
  const std::size_t columns = plan_.size();
  row.volume = core::Decimal();  // stays 0 when the layout has no volume column
  for (std::size_t c = 0; c < columns; ++c) {
    bool ok = true;
    switch (plan_[c]) {
      case OhlcvAction::Skip:
        while (p < end && *p != delimiter && *p != '"') ++p;
        ok = p == end || *p == delimiter;
        break;
      case OhlcvAction::Timestamp: ok = scan_timestamp_cell(p, end, delimiter, unit_, row.ts); break;
      case OhlcvAction::Open: ok = scan_number_cell(p, end, delimiter, row.open); break;
      case OhlcvAction::High: ok = scan_number_cell(p, end, delimiter, row.high); break;
      case OhlcvAction::Low: ok = scan_number_cell(p, end, delimiter, row.low); break;
      case OhlcvAction::Close: ok = scan_number_cell(p, end, delimiter, row.close); break;
      case OhlcvAction::Volume: ok = scan_number_cell(p, end, delimiter, row.volume); break;
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
core::Status OhlcvRowParser::parse_general(std::string_view line, std::size_t n, OhlcvRow& row) {
  const DetectedLayout& d = detected_;
  const OhlcvCsvLayout& layout = d.layout;
  const auto row_error = [&](std::string message) {
    return line_error(ErrorCode::ParseError, source_, n, std::move(message));
  };
  FieldSplitter& f = fields_;
  f.split(line, layout.delimiter);
  if (f.count() != layout.columns)
    return row_error(fmt::format("expected {} columns, got {}", layout.columns, f.count()));
  if (layout.timestamp >= 0) {
    const auto cell = f[static_cast<std::size_t>(layout.timestamp)];
    if (!parse_timestamp_fast(cell, unit_, row.ts)) {
      auto why = parse_timestamp_or_error(cell, unit_);
      return row_error(
          fmt::format("{}: {}", column_label(d, layout.timestamp), why ? "bad timestamp" : why.error().message()));
    }
  } else {
    auto parsed =
        core::parse_date_and_time(f[static_cast<std::size_t>(layout.date)], f[static_cast<std::size_t>(layout.time)]);
    if (!parsed) {
      return row_error(fmt::format("{} and {}: {}", column_label(d, layout.date), column_label(d, layout.time),
                                   parsed.error().message()));
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
    if (!parse_decimal(cell, *target)) {
      return row_error(fmt::format("{}: {}", column_label(d, column), decimal_error(cell)));
    }
  }
  return core::ok();
}

}  // namespace ballast::data::internal
