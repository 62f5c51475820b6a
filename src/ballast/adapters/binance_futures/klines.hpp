#pragma once
// Binance USDⓈ-M klines (GET /fapi/v1/klines): the interval names, one kline as a model::Bar plus the
// columns a Bar has no field for, and the parser of the documented answer, an array of arrays:
//   [openTime, "open", "high", "low", "close", "volume", closeTime, "quoteVolume", trades,
//    "takerBuyBase", "takerBuyQuote", "ignore"]
// Times are epoch milliseconds. closeTime is the bar's last millisecond (openTime + interval − 1 ms), so
// ts_event = openTime and ts_recv = closeTime + 1 ms (the instant the bar is complete). Decimals keep the
// precision Binance wrote them with ("30000.10" has 2 places); nothing passes through a double.
// Request weight depends on `limit` (documented): [1,100) → 1, [100,500) → 2, [500,1000] → 5, above → 10.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::adapters::binance {

// The intervals Binance USDⓈ-M serves, with their stable names ("1m" … "1M").
enum class KlineInterval {
  Min1,
  Min3,
  Min5,
  Min15,
  Min30,
  Hour1,
  Hour2,
  Hour4,
  Hour6,
  Hour8,
  Hour12,
  Day1,
  Day3,
  Week1,
  Month1,
};

std::string_view to_string(KlineInterval interval) noexcept;
// "1m", "3m", …, "1w", "1M" (case matters: "1m" is a minute, "1M" a month). The error lists the choices.
core::Result<KlineInterval> parse_kline_interval(std::string_view text);
std::span<const KlineInterval> all_kline_intervals() noexcept;
// "1m, 3m, 5m, …, 1M" for messages and help text.
std::string_view kline_interval_choices() noexcept;
// The fixed length of a bar; nullopt for 1M (calendar months differ in length).
std::optional<core::Duration> kline_interval_length(KlineInterval interval) noexcept;

inline constexpr int kKlineDefaultLimit = 500;
inline constexpr int kKlineMaxLimit = 1500;
// Request weight of one GET /fapi/v1/klines with this limit (1 ≤ limit ≤ 1500).
std::int64_t kline_request_weight(int limit) noexcept;

struct Kline {
  model::Bar bar;  // ts_event = openTime, ts_recv = closeTime + 1 ms
  core::Decimal quote_volume;
  std::int64_t trade_count{0};
  core::Decimal taker_buy_base_volume;
  core::Decimal taker_buy_quote_volume;
};

// The body of a 2xx GET /fapi/v1/klines → klines in the order received. A malformed row is a ParseError
// whose where() names the row and the field ("[17].high"), with the column in the message. Checked per
// row: at least 11 columns, integer times, closeTime ≥ openTime, decimals, low ≤ open/close ≤ high,
// volumes and trade count not negative.
core::Result<std::vector<Kline>> parse_klines(std::string_view body);

}  // namespace ballast::adapters::binance
