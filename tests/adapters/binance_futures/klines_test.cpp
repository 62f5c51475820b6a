// Kline intervals, request weights and the GET /fapi/v1/klines parser.

#include "ballast/adapters/binance_futures/klines.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace ballast::adapters::binance {
namespace {

TEST(KlineInterval, EveryIntervalNameRoundTrips) {
  std::set<std::string> names;
  for (const KlineInterval i : all_kline_intervals()) {
    names.insert(std::string(to_string(i)));
    auto parsed = parse_kline_interval(to_string(i));
    ASSERT_TRUE(parsed.has_value()) << to_string(i);
    EXPECT_EQ(*parsed, i);
  }
  // The 15 names of the USDⓈ-M "Kline/Candlestick chart intervals" list.
  const std::set<std::string> documented{"1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h",
                                         "6h", "8h", "12h", "1d", "3d", "1w", "1M"};
  EXPECT_EQ(names, documented);
}

TEST(KlineInterval, AnUnknownNameIsAnErrorListingTheChoices) {
  auto parsed = parse_kline_interval("2m");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message().find("'2m'"), std::string::npos);
  EXPECT_NE(parsed.error().message().find("1m, 3m, 5m"), std::string::npos);
  EXPECT_NE(parsed.error().message().find("1w, 1M"), std::string::npos);
  // Case matters: "1m" is a minute, "1M" a month; "1H" is neither.
  EXPECT_FALSE(parse_kline_interval("1H").has_value());
}

TEST(KlineInterval, LengthsAreFixedExceptForTheMonth) {
  EXPECT_EQ(kline_interval_length(KlineInterval::Min1), core::Duration(60'000'000'000));
  EXPECT_EQ(kline_interval_length(KlineInterval::Hour4), core::Duration(4LL * 3600 * 1'000'000'000));
  EXPECT_EQ(kline_interval_length(KlineInterval::Day3), core::Duration(3LL * 86400 * 1'000'000'000));
  EXPECT_EQ(kline_interval_length(KlineInterval::Week1), core::Duration(604'800LL * 1'000'000'000));
  EXPECT_FALSE(kline_interval_length(KlineInterval::Month1).has_value());
}

TEST(KlineRequestWeight, FollowsTheDocumentedLimitBands) {
  // USDⓈ-M "Kline/Candlestick Data": LIMIT [1,100) → 1, [100,500) → 2, [500,1000] → 5, > 1000 → 10.
  EXPECT_EQ(kline_request_weight(1), 1);
  EXPECT_EQ(kline_request_weight(99), 1);
  EXPECT_EQ(kline_request_weight(100), 2);
  EXPECT_EQ(kline_request_weight(499), 2);
  EXPECT_EQ(kline_request_weight(500), 5);
  EXPECT_EQ(kline_request_weight(1000), 5);
  EXPECT_EQ(kline_request_weight(1001), 10);
  EXPECT_EQ(kline_request_weight(1500), 10);
}

TEST(ParseKlines, ReadsTheDocumentationExampleRowExactly) {
  // The response example of GET /fapi/v1/klines in the Binance USDⓈ-M documentation.
  constexpr const char* kBody = R"([[1499040000000, "0.01634790", "0.80000000", "0.01575800", "0.01577100",
    "148976.11427815", 1499644799999, "2434.19055334", 308, "1756.87402397", "28.46694368", "17928899.62484339"]])";
  auto klines = parse_klines(kBody);
  ASSERT_TRUE(klines.has_value()) << klines.error().to_string();
  ASSERT_EQ(klines->size(), 1u);
  const Kline& k = klines->front();
  EXPECT_EQ(k.bar.ts_event, core::UnixNanos::from_millis(1499040000000));
  EXPECT_EQ(k.bar.ts_recv, core::UnixNanos::from_millis(1499644800000));  // closeTime + 1 ms
  EXPECT_EQ(k.bar.open.value().to_string(), "0.01634790");  // 8 places kept, as written
  EXPECT_EQ(k.bar.high.value().to_string(), "0.80000000");
  EXPECT_EQ(k.bar.low.value().to_string(), "0.01575800");
  EXPECT_EQ(k.bar.close.value().to_string(), "0.01577100");
  EXPECT_EQ(k.bar.volume.value().to_string(), "148976.11427815");
  EXPECT_EQ(k.quote_volume.to_string(), "2434.19055334");
  EXPECT_EQ(k.trade_count, 308);
  EXPECT_EQ(k.taker_buy_base_volume.to_string(), "1756.87402397");
  EXPECT_EQ(k.taker_buy_quote_volume.to_string(), "28.46694368");
}

TEST(ParseKlines, AnEmptyArrayIsNoBars) {
  auto klines = parse_klines("[]");
  ASSERT_TRUE(klines.has_value());
  EXPECT_TRUE(klines->empty());
}

constexpr const char* kGoodRow =
    R"([1704067200000, "100.0", "101.0", "99.0", "100.5", "2.5", 1704067259999, "251.0", 7, "1.0", "100.0", "0"])";

TEST(ParseKlines, AMalformedDecimalNamesTheRowAndField) {
  const std::string body = std::string("[") + kGoodRow +
                           R"(, [1704067260000, "100.0", "abc", "99.0", "100.5", "2.5", 1704067319999, "251.0", 7,
                           "1.0", "100.0", "0"]])";
  auto klines = parse_klines(body);
  ASSERT_FALSE(klines.has_value());
  EXPECT_EQ(klines.error().where(), "[1].high");
  EXPECT_NE(klines.error().message().find("row 1"), std::string::npos);
  EXPECT_NE(klines.error().message().find("'abc'"), std::string::npos);
}

TEST(ParseKlines, ATooShortRowIsAnError) {
  auto klines = parse_klines(R"([[1704067200000, "100.0", "101.0", "99.0", "100.5"]])");
  ASSERT_FALSE(klines.has_value());
  EXPECT_EQ(klines.error().where(), "[0]");
  EXPECT_NE(klines.error().message().find("got 5"), std::string::npos);
}

TEST(ParseKlines, AnOpenTimeSentAsTextIsAnError) {
  auto klines = parse_klines(
      R"([["1704067200000", "100.0", "101.0", "99.0", "100.5", "2.5", 1704067259999, "251.0", 7, "1.0", "100.0", "0"]])");
  ASSERT_FALSE(klines.has_value());
  EXPECT_EQ(klines.error().where(), "[0].openTime");
}

TEST(ParseKlines, HighBelowLowIsAnErrorOnTheHighField) {
  auto klines = parse_klines(
      R"([[1704067200000, "100.0", "98.0", "99.0", "98.5", "2.5", 1704067259999, "251.0", 7, "1.0", "100.0", "0"]])");
  ASSERT_FALSE(klines.has_value());
  EXPECT_EQ(klines.error().where(), "[0].high");
}

TEST(ParseKlines, ACloseOutsideTheRangeIsAnErrorOnTheCloseField) {
  auto klines = parse_klines(
      R"([[1704067200000, "100.0", "101.0", "99.0", "101.5", "2.5", 1704067259999, "251.0", 7, "1.0", "100.0", "0"]])");
  ASSERT_FALSE(klines.has_value());
  EXPECT_EQ(klines.error().where(), "[0].close");
}

TEST(ParseKlines, ACloseTimeBeforeTheOpenTimeIsAnError) {
  auto klines = parse_klines(
      R"([[1704067200000, "100.0", "101.0", "99.0", "100.5", "2.5", 1704067199999, "251.0", 7, "1.0", "100.0", "0"]])");
  ASSERT_FALSE(klines.has_value());
  EXPECT_EQ(klines.error().where(), "[0].closeTime");
}

TEST(ParseKlines, ANegativeVolumeIsAnError) {
  auto klines = parse_klines(
      R"([[1704067200000, "100.0", "101.0", "99.0", "100.5", "-2.5", 1704067259999, "251.0", 7, "1.0", "100.0", "0"]])");
  ASSERT_FALSE(klines.has_value());
  EXPECT_EQ(klines.error().where(), "[0].volume");
}

TEST(ParseKlines, ABodyThatIsNotAnArrayIsAnError) {
  auto klines = parse_klines(R"({"code": 0})");
  ASSERT_FALSE(klines.has_value());
  EXPECT_EQ(klines.error().where(), "$");
}

}  // namespace
}  // namespace ballast::adapters::binance
