#include "ballast/adapters/binance_futures/klines.hpp"

#include <array>
#include <string>

#include <fmt/format.h>

#include "ballast/adapters/binance_futures/internal/json_reader.hpp"

namespace ballast::adapters::binance {
namespace {

using internal::Json;

struct IntervalName {
  KlineInterval interval;
  std::string_view name;
  std::int64_t minutes;  // 0: calendar month
};

constexpr std::array<IntervalName, 15> kIntervals{{
    {KlineInterval::Min1, "1m", 1},
    {KlineInterval::Min3, "3m", 3},
    {KlineInterval::Min5, "5m", 5},
    {KlineInterval::Min15, "15m", 15},
    {KlineInterval::Min30, "30m", 30},
    {KlineInterval::Hour1, "1h", 60},
    {KlineInterval::Hour2, "2h", 120},
    {KlineInterval::Hour4, "4h", 240},
    {KlineInterval::Hour6, "6h", 360},
    {KlineInterval::Hour8, "8h", 480},
    {KlineInterval::Hour12, "12h", 720},
    {KlineInterval::Day1, "1d", 1440},
    {KlineInterval::Day3, "3d", 3 * 1440},
    {KlineInterval::Week1, "1w", 7 * 1440},
    {KlineInterval::Month1, "1M", 0},
}};

constexpr std::array<KlineInterval, 15> kAllIntervals{
    KlineInterval::Min1,  KlineInterval::Min3,  KlineInterval::Min5,   KlineInterval::Min15, KlineInterval::Min30,
    KlineInterval::Hour1, KlineInterval::Hour2, KlineInterval::Hour4,  KlineInterval::Hour6, KlineInterval::Hour8,
    KlineInterval::Hour12, KlineInterval::Day1, KlineInterval::Day3, KlineInterval::Week1, KlineInterval::Month1};

constexpr std::string_view kChoices = "1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M";

// Column names as the Binance documentation comments them.
constexpr std::array<std::string_view, 11> kColumns{
    "openTime", "open",   "high",         "low",          "close",        "volume",
    "closeTime", "quoteVolume", "trades", "takerBuyBase", "takerBuyQuote"};

std::string short_text(const Json& v) {
  std::string text = v.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

core::Error row_error(std::size_t row, std::size_t column, std::string message) {
  const std::string where = fmt::format("[{}].{}", row, kColumns[column]);
  return core::Error(core::ErrorCode::ParseError,
                     fmt::format("kline row {}, field '{}' (column {}): {}", row, kColumns[column], column + 1,
                                 std::move(message)),
                     where);
}

core::Result<std::int64_t> int_cell(const Json& cells, std::size_t row, std::size_t column) {
  const Json& v = cells[column];
  if (v.is_number_integer()) return v.get<std::int64_t>();
  return row_error(row, column, "expected an integer, got " + short_text(v));
}

core::Result<core::Decimal> decimal_cell(const Json& cells, std::size_t row, std::size_t column) {
  const Json& v = cells[column];
  if (v.is_number_integer()) return core::Decimal::from_int(v.get<std::int64_t>());
  if (v.is_string()) {
    auto parsed = core::Decimal::parse(v.get_ref<const std::string&>());
    if (parsed) return *parsed;
    return row_error(row, column, fmt::format("'{}' is not a decimal: {}", v.get_ref<const std::string&>(),
                                              parsed.error().message()));
  }
  return row_error(row, column, "expected a decimal string, got " + short_text(v));
}

core::Result<Kline> parse_row(const Json& cells, std::size_t row) {
  if (!cells.is_array()) {
    return core::Error(core::ErrorCode::ParseError,
                       fmt::format("kline row {}: expected an array, got {}", row, short_text(cells)),
                       fmt::format("[{}]", row));
  }
  if (cells.size() < kColumns.size()) {
    return core::Error(core::ErrorCode::ParseError,
                       fmt::format("kline row {}: expected 12 columns, got {}", row, cells.size()),
                       fmt::format("[{}]", row));
  }
  auto open_time = int_cell(cells, row, 0);
  if (!open_time) return open_time.error();
  auto close_time = int_cell(cells, row, 6);
  if (!close_time) return close_time.error();
  auto trades = int_cell(cells, row, 8);
  if (!trades) return trades.error();
  std::array<core::Decimal, 11> d{};
  for (std::size_t c : {1, 2, 3, 4, 5, 7, 9, 10}) {
    auto v = decimal_cell(cells, row, c);
    if (!v) return v.error();
    d[c] = *v;
  }
  // Epoch milliseconds of 1677..2262 fit in int64 nanoseconds.
  constexpr std::int64_t kMaxMillis = INT64_MAX / core::kNanosPerMilli - 1;
  for (std::size_t c : {std::size_t{0}, std::size_t{6}}) {
    const std::int64_t ms = c == 0 ? *open_time : *close_time;
    if (ms < 0 || ms > kMaxMillis) return row_error(row, c, fmt::format("{} is not an epoch time in ms", ms));
  }
  if (*close_time < *open_time) {
    return row_error(row, 6, fmt::format("close time {} is before open time {}", *close_time, *open_time));
  }
  const core::Decimal &open = d[1], &high = d[2], &low = d[3], &close = d[4];
  if (high < low) return row_error(row, 2, fmt::format("high {} is below low {}", high.to_string(), low.to_string()));
  for (std::size_t c : {std::size_t{1}, std::size_t{4}}) {
    if (d[c] < low || d[c] > high) {
      return row_error(row, c, fmt::format("{} is outside [low {}, high {}]", d[c].to_string(), low.to_string(),
                                           high.to_string()));
    }
  }
  for (std::size_t c : {std::size_t{5}, std::size_t{7}, std::size_t{9}, std::size_t{10}}) {
    if (d[c].is_negative()) return row_error(row, c, fmt::format("{} is negative", d[c].to_string()));
  }
  if (*trades < 0) return row_error(row, 8, fmt::format("{} is negative", *trades));

  Kline k;
  k.bar.ts_event = core::UnixNanos::from_millis(*open_time);
  k.bar.ts_recv = core::UnixNanos::from_millis(*close_time + 1);
  k.bar.open = model::Price(open);
  k.bar.high = model::Price(high);
  k.bar.low = model::Price(low);
  k.bar.close = model::Price(close);
  k.bar.volume = model::Quantity(d[5]);
  k.quote_volume = d[7];
  k.trade_count = *trades;
  k.taker_buy_base_volume = d[9];
  k.taker_buy_quote_volume = d[10];
  return k;
}

}  // namespace

std::string_view to_string(KlineInterval interval) noexcept {
  for (const auto& i : kIntervals) {
    if (i.interval == interval) return i.name;
  }
  return "?";
}

core::Result<KlineInterval> parse_kline_interval(std::string_view text) {
  for (const auto& i : kIntervals) {
    if (i.name == text) return i.interval;
  }
  return core::Error(core::ErrorCode::InvalidArgument,
                     fmt::format("'{}' is not a Binance kline interval; choose one of {}", text, kChoices),
                     "interval");
}

std::span<const KlineInterval> all_kline_intervals() noexcept {
  return kAllIntervals;
}

std::string_view kline_interval_choices() noexcept {
  return kChoices;
}

std::optional<core::Duration> kline_interval_length(KlineInterval interval) noexcept {
  for (const auto& i : kIntervals) {
    if (i.interval == interval) {
      if (i.minutes == 0) return std::nullopt;
      return core::Duration(i.minutes * core::kNanosPerMinute);
    }
  }
  return std::nullopt;
}

std::int64_t kline_request_weight(int limit) noexcept {
  if (limit < 100) return 1;
  if (limit < 500) return 2;
  if (limit <= 1000) return 5;
  return 10;
}

core::Result<std::vector<Kline>> parse_klines(std::string_view body) {
  auto root = internal::parse_exact(body);
  if (!root) return root.error();
  if (!root->is_array()) {
    return core::Error(core::ErrorCode::ParseError,
                       "expected an array of klines, got " + short_text(*root), "$");
  }
  std::vector<Kline> out;
  out.reserve(root->size());
  for (std::size_t i = 0; i < root->size(); ++i) {
    auto k = parse_row((*root)[i], i);
    if (!k) return k.error();
    out.push_back(std::move(*k));
  }
  return out;
}

}  // namespace ballast::adapters::binance
