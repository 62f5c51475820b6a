// OHLCV CSV layout detection: header recognition, column aliases, header-less layouts (ohlcv_csv.hpp).

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "ballast/data/internal/csv_scan.hpp"
#include "ballast/data/internal/ohlcv_layout.hpp"
#include "ballast/data/ohlcv_csv.hpp"

namespace ballast::data {
namespace internal {
namespace {

using core::Error;
using core::ErrorCode;
enum class Role { Timestamp, Date, Time, Open, High, Low, Close, Volume, Ignored };

constexpr std::string_view kExpectedLayouts =
    "expected timestamp,open,high,low,close[,volume] or date,time,open,high,low,close[,volume]; see docs/data.md";

Role role_of(std::string_view normalised, std::size_t column) {
  struct Alias {
    std::string_view name;
    Role role;
  };
  static constexpr std::array<Alias, 30> kAliases{{
      {"timestamp", Role::Timestamp},
      {"ts", Role::Timestamp},
      {"ts_event", Role::Timestamp},
      {"datetime", Role::Timestamp},
      {"date_time", Role::Timestamp},
      {"open_time", Role::Timestamp},
      {"opentime", Role::Timestamp},
      {"time_stamp", Role::Timestamp},
      {"unix", Role::Timestamp},
      {"unix_time", Role::Timestamp},
      {"epoch", Role::Timestamp},
      {"date", Role::Date},
      {"day", Role::Date},
      {"time", Role::Time},
      {"open", Role::Open},
      {"o", Role::Open},
      {"open_price", Role::Open},
      {"high", Role::High},
      {"h", Role::High},
      {"high_price", Role::High},
      {"low", Role::Low},
      {"l", Role::Low},
      {"low_price", Role::Low},
      {"close", Role::Close},
      {"c", Role::Close},
      {"close_price", Role::Close},
      {"last", Role::Close},
      {"volume", Role::Volume},
      {"vol", Role::Volume},
      {"v", Role::Volume},
  }};
  if (normalised.empty()) return column == 0 ? Role::Date : Role::Ignored;
  for (const auto& alias : kAliases) {
    if (alias.name == normalised) return alias.role;
  }
  return Role::Ignored;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::Timestamp: return "timestamp";
    case Role::Date: return "date";
    case Role::Time: return "time";
    case Role::Open: return "open";
    case Role::High: return "high";
    case Role::Low: return "low";
    case Role::Close: return "close";
    case Role::Volume: return "volume";
    case Role::Ignored: return "ignored";
  }
  return "ignored";
}

std::string shorten(std::string_view text) {
  constexpr std::size_t kMax = 160;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "…";
}

// First two non-blank lines with their line numbers.
struct LeadingLines {
  std::string_view first;
  std::size_t first_line = 0;
  std::string_view second;
  std::size_t second_line = 0;
};

LeadingLines leading_lines(std::string_view text) {
  LeadingLines out;
  LineCursor lines(text);
  std::string_view line;
  while (lines.next(line)) {
    if (internal::is_blank(line)) continue;
    if (out.first_line == 0) {
      out.first = line;
      out.first_line = lines.line_number();
    } else {
      out.second = line;
      out.second_line = lines.line_number();
      break;
    }
  }
  return out;
}

Error layout_error(std::string_view source, std::size_t line, std::string message) {
  return internal::line_error(ErrorCode::Unsupported, source, line, std::move(message));
}

core::Result<DetectedLayout> layout_from_header(const FieldSplitter& header, const LeadingLines& lead, char delimiter,
                                                std::string_view source) {
  DetectedLayout out;
  OhlcvCsvLayout& layout = out.layout;
  layout.delimiter = delimiter;
  layout.has_header = true;
  layout.columns = header.count();
  out.header_line = lead.first_line;
  const auto not_understood = [&](std::string why) {
    return layout_error(source, lead.first_line,
                        fmt::format("header '{}' is not a layout this reader understands: {} ({})", shorten(lead.first),
                                    why, kExpectedLayouts));
  };
  if (header.count() > FieldSplitter::kMaxFields) {
    return not_understood(
        fmt::format("{} columns, at most {} are supported", header.count(), FieldSplitter::kMaxFields));
  }
  std::array<int, 8> column_of{-1, -1, -1, -1, -1, -1, -1, -1};
  for (std::size_t i = 0; i < header.count(); ++i) {
    out.names.emplace_back(header[i]);
    const Role role = role_of(internal::normalise_column_name(header[i]), i);
    if (role == Role::Ignored) continue;
    int& slot = column_of[static_cast<std::size_t>(role)];
    if (slot >= 0) {
      return not_understood(fmt::format("columns {} and {} both name the {}", slot + 1, i + 1, role_name(role)));
    }
    slot = static_cast<int>(i);
  }
  const auto col = [&](Role r) { return column_of[static_cast<std::size_t>(r)]; };
  if (col(Role::Timestamp) >= 0) {
    layout.timestamp = col(Role::Timestamp);
  } else if (col(Role::Date) >= 0 && col(Role::Time) >= 0) {
    layout.date = col(Role::Date);
    layout.time = col(Role::Time);
  } else if (col(Role::Date) >= 0) {
    layout.timestamp = col(Role::Date);
  } else if (col(Role::Time) >= 0) {
    layout.timestamp = col(Role::Time);
  } else {
    return not_understood("no timestamp column (named timestamp, datetime, date, time, open_time, … or unnamed first)");
  }
  for (Role r : {Role::Open, Role::High, Role::Low, Role::Close}) {
    if (col(r) < 0) return not_understood(fmt::format("no '{}' column", role_name(r)));
  }
  layout.open = col(Role::Open);
  layout.high = col(Role::High);
  layout.low = col(Role::Low);
  layout.close = col(Role::Close);
  layout.volume = col(Role::Volume);

  // Some exports name only "Date" while every row carries a date and a time: one more field than the
  // header, a time of day right after the date. Insert the missing time column.
  if (lead.second_line != 0 && layout.timestamp >= 0 && layout.date < 0 && header.count() < FieldSplitter::kMaxFields) {
    FieldSplitter row;
    row.split(lead.second, delimiter);
    const auto ts = static_cast<std::size_t>(layout.timestamp);
    if (row.count() == header.count() + 1 && internal::looks_like_time_of_day(row[ts + 1])) {
      layout.date = layout.timestamp;
      layout.time = layout.timestamp + 1;
      layout.timestamp = -1;
      for (int* c : {&layout.open, &layout.high, &layout.low, &layout.close, &layout.volume}) {
        if (*c > layout.date) ++*c;
      }
      layout.columns = header.count() + 1;
      layout.header_missing_time = true;
      out.names.insert(out.names.begin() + layout.time, "(time)");
    }
  }
  return out;
}

core::Result<DetectedLayout> layout_without_header(const FieldSplitter& row, const LeadingLines& lead, char delimiter,
                                                   std::string_view source) {
  DetectedLayout out;
  OhlcvCsvLayout& layout = out.layout;
  layout.delimiter = delimiter;
  layout.columns = row.count();
  const bool date_time = row.count() >= 2 && internal::looks_like_time_of_day(row[1]);
  const int first_price = date_time ? 2 : 1;
  const std::size_t base = date_time ? 6 : 5;
  if (row.count() != base && row.count() != base + 1) {
    std::string hint;
    if (row.count() == 12) hint = " (12 columns look like a Binance kline file: use read_binance_klines)";
    return layout_error(source, lead.first_line,
                        fmt::format("{} columns and no header: a layout this reader does not understand ({}){}",
                                    row.count(), kExpectedLayouts, hint));
  }
  if (date_time) {
    layout.date = 0;
    layout.time = 1;
  } else {
    layout.timestamp = 0;
  }
  layout.open = first_price;
  layout.high = first_price + 1;
  layout.low = first_price + 2;
  layout.close = first_price + 3;
  layout.volume = row.count() == base + 1 ? first_price + 4 : -1;
  if (date_time)
    out.names = {"date", "time"};
  else
    out.names = {"timestamp"};
  for (std::string_view n : {"open", "high", "low", "close", "volume"}) out.names.emplace_back(n);
  return out;
}

}  // namespace

core::Result<DetectedLayout> detect_layout(std::string_view text, std::string_view source, char delimiter) {
  const LeadingLines lead = leading_lines(text);
  DetectedLayout empty;
  if (lead.first_line == 0) return empty;  // nothing but blank lines: an empty series
  const char delim = delimiter != '\0' ? delimiter : internal::detect_delimiter(lead.first);
  FieldSplitter first;
  first.split(lead.first, delim);
  bool header = false;
  for (std::size_t i = 0; i < std::min(first.count(), FieldSplitter::kMaxFields); ++i) {
    header = header || internal::starts_with_letter(first[i]);
  }
  return header ? layout_from_header(first, lead, delim, source) : layout_without_header(first, lead, delim, source);
}

std::string column_label(const DetectedLayout& d, int i) {
  const auto idx = static_cast<std::size_t>(i);
  if (idx < d.names.size() && !d.names[idx].empty()) return fmt::format("column {} ({})", i + 1, d.names[idx]);
  return fmt::format("column {}", i + 1);
}

}  // namespace internal

std::string OhlcvCsvLayout::describe() const {
  std::string out = has_header ? "header" : "no header";
  out += ";";
  const auto add = [&](std::string_view name, int c) {
    if (c >= 0) out += fmt::format(" {}={}", name, c + 1);
  };
  add("timestamp", timestamp);
  add("date", date);
  add("time", time);
  add("open", open);
  add("high", high);
  add("low", low);
  add("close", close);
  add("volume", volume);
  out += fmt::format("; {} columns; delimiter '{}'", columns,
                     delimiter == '\t' ? std::string("\\t") : std::string(1, delimiter));
  if (header_missing_time) out += "; the header omits the time column";
  return out;
}

core::Result<OhlcvCsvLayout> detect_ohlcv_layout(std::string_view text, std::string_view source_name, char delimiter) {
  auto d = internal::detect_layout(text, source_name, delimiter);
  if (!d) return d.error();
  return d->layout;
}

}  // namespace ballast::data
