// Binance kline CSV. The sample rows follow the column order documented for Binance's public kline
// dumps (open time, OHLCV, close time, quote volume, trades, taker buy base/quote, ignore).

#include "ballast/data/binance_kline_csv.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "testkit/shared_data.hpp"

namespace ballast::data {
namespace {

using core::ErrorCode;

constexpr std::string_view kMillis =
    "1704067200000,42283.58000000,42554.57000000,42261.02000000,42475.23000000,1271.68108000,1704070799999,"
    "53957248.97378900,47134,682.57581000,28957416.81966200,0\n"
    "1704070800000,42475.23000000,42775.00000000,42431.65000000,42613.56000000,1196.37856000,1704074399999,"
    "50984893.30536600,44751,712.48151000,30366780.11543200,0\n";

core::Decimal dec(std::string_view text) {
  return *core::Decimal::parse(text);
}

TEST(CsvBinanceKline, ReadsAMillisecondDump) {
  auto r = parse_binance_klines(kMillis, "<text>", *core::InstrumentId::parse("BTCUSDT.BINANCE"));
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const auto& s = r->series;
  ASSERT_EQ(s.bars.size(), 2u);
  EXPECT_EQ(r->time_unit, core::EpochUnit::Millis);
  EXPECT_EQ(s.interval, std::chrono::hours(1));
  EXPECT_EQ(s.instrument_id.value(), "BTCUSDT.BINANCE");
  EXPECT_EQ(s.bars[0].ts_event, *core::parse_timestamp("2024-01-01T00:00:00Z"));
  EXPECT_EQ(s.bars[0].ts_recv, *core::parse_timestamp("2024-01-01T01:00:00Z"));
  EXPECT_EQ(s.bars[1].close, *model::Price::parse("42613.56"));
  EXPECT_EQ(s.bars[1].volume, *model::Quantity::parse("1196.37856"));
  ASSERT_EQ(r->extras.size(), 2u);
  EXPECT_EQ(r->extras[0].quote_volume, dec("53957248.973789"));
  EXPECT_EQ(r->extras[0].trade_count, 47134);
  EXPECT_EQ(r->extras[0].taker_buy_base_volume, dec("682.57581"));
  EXPECT_EQ(r->extras[0].taker_buy_quote_volume, dec("28957416.819662"));
}

TEST(CsvBinanceKline, ReadsAMicrosecondDumpWithAHeader) {
  const std::string text =
      "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,"
      "ignore\n"
      "1735689600000000,93576.00,93610.93,93537.50,93610.93,8.21827,1735689659999999,768978.6,1343,3.86,361206.1,0\n"
      "1735689660000000,93610.93,93652.00,93606.00,93650.00,3.0,1735689719999999,281000.0,800,1.5,140000.0,0\n";
  auto r = parse_binance_klines(text);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->time_unit, core::EpochUnit::Micros);
  EXPECT_EQ(r->series.interval, std::chrono::minutes(1));
  EXPECT_EQ(r->series.bars[0].ts_event, *core::parse_timestamp("2025-01-01T00:00:00Z"));
  EXPECT_EQ(r->series.bars[1].ts_recv, *core::parse_timestamp("2025-01-01T00:02:00Z"));
}

TEST(CsvBinanceKline, ReportsMonthlyKlinesOfUnequalLengthAsUnknownInterval) {
  // January (31 days) and February 2024 (29 days).
  const std::string text =
      "1704067200000,1,2,0.5,1.5,10,1706745599999,15,3,5,7,0\n"
      "1706745600000,1.5,2,1,2,10,1709251199999,15,3,5,7,0\n";
  auto r = parse_binance_klines(text);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->series.interval.count(), 0);
  EXPECT_EQ(r->series.bars[1].ts_recv, *core::parse_timestamp("2024-03-01"));
}

TEST(CsvBinanceKline, StopsAtBadRowsWithLineAndReason) {
  const auto err = [](std::string_view text) {
    auto r = parse_binance_klines(text, "klines.csv");
    EXPECT_FALSE(r.has_value());
    return r ? core::Error(ErrorCode::Internal, "") : r.error();
  };
  const std::string good = "1704067200000,1,2,0.5,1.5,10,1704067259999,15,3,5,7,0\n";
  auto columns = err(good + "1704067260000,1,2,0.5,1.5,10,1704067319999,15,3,5,7\n");
  EXPECT_EQ(columns.where(), "klines.csv:2");
  EXPECT_EQ(columns.message(), "expected 12 columns, got 11");

  auto number = err(good + "1704067260000,1,2,0.5,1.5,1O,1704067319999,15,3,5,7,0\n");
  EXPECT_EQ(number.where(), "klines.csv:2");
  EXPECT_EQ(number.message(), "column 6 (volume): invalid number '1O': unexpected character 'O'");

  auto time = err("2024-01-01,1,2,0.5,1.5,10,1704067259999,15,3,5,7,0\n");
  EXPECT_EQ(time.where(), "klines.csv:1");
  EXPECT_EQ(time.message(), "column 1 (open_time): expected epoch milliseconds or microseconds, got '2024-01-01'");

  auto closes_early = err("1704067200000,1,2,0.5,1.5,10,1704067100000,15,3,5,7,0\n");
  EXPECT_EQ(closes_early.message(), "close time 1704067100000 is before open time 1704067200000");

  auto order = err(good + good);
  EXPECT_EQ(order.where(), "klines.csv:2");
  EXPECT_EQ(order.code(), ErrorCode::InvalidArgument);

  auto range = err("1704067200000,1,2,0.5,2.5,10,1704067259999,15,3,5,7,0\n");
  EXPECT_EQ(range.message(), "close 2.5 is outside [low 0.5, high 2]");

  auto trades = err("1704067200000,1,2,0.5,1.5,10,1704067259999,15,-3,5,7,0\n");
  EXPECT_EQ(trades.message(), "column 9 (trade_count): expected a non-negative integer, got '-3'");
}

TEST(CsvBinanceKline, RoundTripsBarsAndExtrasInBothUnits) {
  auto original = parse_binance_klines(kMillis, "<text>", *core::InstrumentId::parse("BTCUSDT.BINANCE"));
  ASSERT_TRUE(original.has_value());
  auto text = format_binance_klines(original->series, original->extras);
  ASSERT_TRUE(text.has_value()) << text.error().to_string();
  EXPECT_EQ(*text, kMillis);  // the dump's own text, byte for byte

  BinanceKlineWriteOptions micros;
  micros.time_unit = core::EpochUnit::Micros;
  micros.header = true;
  auto micro_text = format_binance_klines(original->series, original->extras, micros);
  ASSERT_TRUE(micro_text.has_value());
  auto back = parse_binance_klines(*micro_text);
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_EQ(back->time_unit, core::EpochUnit::Micros);
  ASSERT_EQ(back->series.bars.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back->series.bars[i].ts_event, original->series.bars[i].ts_event);
    EXPECT_EQ(back->series.bars[i].ts_recv, original->series.bars[i].ts_recv);
    EXPECT_EQ(back->series.bars[i].high, original->series.bars[i].high);
    EXPECT_EQ(back->extras[i], original->extras[i]);
  }
}

TEST(CsvBinanceKline, WritesZeroExtrasForPlainBarsAndRefusesBarsWithoutAnEnd) {
  model::BarSeries s;
  const auto t = *core::parse_timestamp("2024-01-01");
  s.bars.push_back(model::Bar{t, t + std::chrono::minutes(1), *model::Price::parse("1"), *model::Price::parse("2"),
                              *model::Price::parse("0.5"), *model::Price::parse("1.5"), model::Quantity::from_int(3)});
  auto text = format_binance_klines(s);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, "1704067200000,1,2,0.5,1.5,3,1704067259999,0,0,0,0,0\n");

  s.bars[0].ts_recv = s.bars[0].ts_event;
  auto no_end = format_binance_klines(s);
  ASSERT_FALSE(no_end.has_value());
  EXPECT_EQ(no_end.error().where(), "bars[0]");

  std::vector<BinanceKlineExtras> wrong(2);
  EXPECT_EQ(format_binance_klines(s, wrong).error().where(), "extras");
}

TEST(CsvBinanceKline, ReadsAndWritesFiles) {
  testkit::TempDir dir;
  auto original = parse_binance_klines(kMillis);
  ASSERT_TRUE(original.has_value());
  const auto path = dir.path() / "BTCUSDT-1h-2024-01-01.csv";
  ASSERT_TRUE(write_binance_klines(path, original->series, original->extras).has_value());
  auto back = read_binance_klines(path);
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_EQ(back->series.bars.size(), 2u);
  EXPECT_EQ(back->extras[1].trade_count, 44751);
}

}  // namespace
}  // namespace ballast::data
