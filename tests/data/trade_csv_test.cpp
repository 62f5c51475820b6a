// Trade-tick CSV: the Ballast layout and Binance's trades / aggTrades dumps (column order as documented
// for Binance's public trade dumps).

#include "ballast/data/trade_csv.hpp"

#include <gtest/gtest.h>

#include "testkit/shared_data.hpp"

namespace ballast::data {
namespace {

using core::ErrorCode;
using model::AggressorSide;

std::vector<model::TradeTick> parse_ok(std::string_view text, const TradeCsvReadOptions& options = {}) {
  auto r = parse_trade_csv(text, "<text>", options);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().to_string());
  return r ? *r : std::vector<model::TradeTick>{};
}

core::Error parse_error(std::string_view text, const TradeCsvReadOptions& options = {}) {
  auto r = parse_trade_csv(text, "trades.csv", options);
  EXPECT_FALSE(r.has_value());
  return r ? core::Error(ErrorCode::Internal, "") : r.error();
}

TEST(CsvTradeTicks, ReadsTheBallastLayoutWithSideAliasesAndSharedTimestamps) {
  TradeCsvReadOptions options;
  options.instrument_id = *core::InstrumentId::parse("ETHUSDT.BINANCE");
  const auto ticks = parse_ok(
      "timestamp,price,size,side,trade_id\n"
      "2024-01-01T00:00:00.123456Z,2282.30,0.5,BUY,t-1\n"
      "2024-01-01T00:00:00.123456Z,2282.29,1.25,sell,t-2\n"
      "1704067201000,2282.31,0.01,,\n"
      "1704067202000,2282.32,3,NO_AGGRESSOR,99\n",
      options);
  ASSERT_EQ(ticks.size(), 4u);
  EXPECT_EQ(ticks[0].instrument_id.value(), "ETHUSDT.BINANCE");
  EXPECT_EQ(ticks[0].ts_event, *core::parse_timestamp("2024-01-01T00:00:00.123456Z"));
  EXPECT_EQ(ticks[0].ts_recv, ticks[0].ts_event);
  EXPECT_EQ(ticks[0].aggressor, AggressorSide::Buyer);
  EXPECT_EQ(ticks[0].trade_id.value(), "t-1");
  EXPECT_EQ(ticks[1].aggressor, AggressorSide::Seller);
  EXPECT_EQ(ticks[1].size, *model::Quantity::parse("1.25"));
  EXPECT_EQ(ticks[2].aggressor, AggressorSide::NoAggressor);
  EXPECT_TRUE(ticks[2].trade_id.empty());
  EXPECT_EQ(ticks[2].ts_event, *core::parse_timestamp("2024-01-01T00:00:01Z"));
  EXPECT_EQ(ticks[3].price, *model::Price::parse("2282.32"));
}

TEST(CsvTradeTicks, ReadsBinanceTradesWithAndWithoutIsBestMatch) {
  TradeCsvReadOptions options;
  options.format = TradeCsvFormat::BinanceTrades;
  const auto futures = parse_ok(
      "id,price,qty,quote_qty,time,is_buyer_maker\n"
      "4391233821,42283.50,0.003,126.8505,1704067200123,true\n"
      "4391233822,42283.60,0.100,4228.36,1704067200125,false\n",
      options);
  ASSERT_EQ(futures.size(), 2u);
  EXPECT_EQ(futures[0].trade_id.value(), "4391233821");
  EXPECT_EQ(futures[0].aggressor, AggressorSide::Seller);  // the buyer was the maker
  EXPECT_EQ(futures[1].aggressor, AggressorSide::Buyer);
  EXPECT_EQ(futures[1].ts_event, core::UnixNanos::from_millis(1704067200125));
  const auto spot = parse_ok("3350000000,42283.5,0.003,126.8505,1704067200123,True,True\n", options);
  ASSERT_EQ(spot.size(), 1u);
  EXPECT_EQ(spot[0].aggressor, AggressorSide::Seller);
}

TEST(CsvTradeTicks, ReadsBinanceAggTrades) {
  TradeCsvReadOptions options;
  options.format = TradeCsvFormat::BinanceAggTrades;
  const auto ticks = parse_ok(
      "1950000000,42283.5,0.25,3350000000,3350000004,1704067200123,false\n"
      "1950000001,42283.4,1.00,3350000005,3350000005,1704067200200,true\n",
      options);
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].trade_id.value(), "1950000000");
  EXPECT_EQ(ticks[0].size, *model::Quantity::parse("0.25"));
  EXPECT_EQ(ticks[0].aggressor, AggressorSide::Buyer);
  EXPECT_EQ(ticks[1].aggressor, AggressorSide::Seller);
  // Microsecond times with the is_best_match column of spot dumps.
  const auto spot = parse_ok("1,42283.5,0.25,3,4,1735689600000123,false,true\n", options);
  ASSERT_EQ(spot.size(), 1u);
  EXPECT_EQ(spot[0].ts_event, core::UnixNanos::from_micros(1735689600000123));
}

TEST(CsvTradeTicks, StopsAtBadRowsWithLineAndReason) {
  const std::string header = "timestamp,price,size,side,trade_id\n";
  auto back = parse_error(header + "1704067201000,1,1,BUY,a\n1704067200000,1,1,BUY,b\n");
  EXPECT_EQ(back.where(), "trades.csv:3");
  EXPECT_EQ(back.message(),
            "timestamp 2024-01-01T00:00:00Z is before 2024-01-01T00:00:01Z on line 2: rows must be in non-decreasing "
            "time order");
  auto negative = parse_error(header + "1704067200000,1,-1,BUY,a\n");
  EXPECT_EQ(negative.where(), "trades.csv:2");
  EXPECT_EQ(negative.message(), "size -1 is negative");
  auto side = parse_error(header + "1704067200000,1,1,LONG,a\n");
  EXPECT_EQ(side.message(),
            "column 4 (side): unknown side 'LONG' (expected BUYER, SELLER, NO_AGGRESSOR, BUY, SELL, B, S or empty)");
  auto id = parse_error(header + "1704067200000,1,1,BUY,\"a b\"\n");
  EXPECT_EQ(id.message(), "column 5 (trade_id): 'a b' is not a valid trade id (1-128 printable characters, no spaces)");
  auto price = parse_error(header + "1704067200000,1..2,1,BUY,a\n");
  EXPECT_EQ(price.message(), "column 2 (price): invalid number '1..2': unexpected character '.'");
  auto columns = parse_error(header + "1704067200000,1,1,BUY\n");
  EXPECT_EQ(columns.message(), "expected 5 columns, got 4");

  TradeCsvReadOptions binance;
  binance.format = TradeCsvFormat::BinanceTrades;
  auto width = parse_error("1,1,1,1,1704067200000\n", binance);
  EXPECT_EQ(width.where(), "trades.csv:1");
  EXPECT_EQ(width.message(), "expected 6 or 7 columns, got 5");
  auto flag = parse_error("1,1,1,1,1704067200000,maybe\n", binance);
  EXPECT_EQ(flag.message(), "column 6 (is_buyer_maker): expected true or false, got 'maybe'");
  auto ts = parse_error("1,1,1,1,yesterday,true\n", binance);
  EXPECT_EQ(ts.message(), "column 5 (time): invalid timestamp 'yesterday': expected a date YYYY-MM-DD");
}

TEST(CsvTradeTicks, RoundTripsThroughTheWriter) {
  TradeCsvReadOptions options;
  options.instrument_id = *core::InstrumentId::parse("SOLUSDT.BINANCE");
  const auto ticks = parse_ok(
      "2024-01-01T00:00:00.000000001Z,101.50,10,B,x1\n"
      "2024-01-01T00:00:00.5Z,101.49,2.5,S,\n"
      "2024-01-01T00:00:01Z,101.51,0.001,,x3\n",
      options);
  ASSERT_EQ(ticks.size(), 3u);
  auto text = format_trade_csv(ticks);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->substr(0, text->find('\n', 36) + 1),
            "timestamp,price,size,side,trade_id\n1704067200000000001,101.50,10,BUYER,x1\n");
  testkit::TempDir dir;
  const auto path = dir.path() / "ticks.csv";
  ASSERT_TRUE(write_trade_csv(path, ticks).has_value());
  auto back = read_trade_csv(path, options);
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  ASSERT_EQ(back->size(), ticks.size());
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    EXPECT_EQ((*back)[i].ts_event, ticks[i].ts_event);
    EXPECT_EQ((*back)[i].price.to_string(), ticks[i].price.to_string());
    EXPECT_EQ((*back)[i].size.to_string(), ticks[i].size.to_string());
    EXPECT_EQ((*back)[i].aggressor, ticks[i].aggressor);
    EXPECT_EQ((*back)[i].trade_id, ticks[i].trade_id);
    EXPECT_EQ((*back)[i].instrument_id, ticks[i].instrument_id);
  }
  TradeCsvWriteOptions millis;
  millis.timestamp_format = CsvTimestampFormat::EpochMillis;
  auto coarse = format_trade_csv(ticks, millis);
  ASSERT_FALSE(coarse.has_value());
  EXPECT_EQ(coarse.error().where(), "ticks[0].ts_event");
}

}  // namespace
}  // namespace ballast::data
