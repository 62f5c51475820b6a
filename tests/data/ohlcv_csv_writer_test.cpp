// Writing generic OHLCV CSV and reading it back.

#include <gtest/gtest.h>

#include <chrono>

#include "ballast/data/ohlcv_csv.hpp"
#include "testkit/shared_data.hpp"

namespace ballast::data {
namespace {

using core::UnixNanos;
using model::Price;
using model::Quantity;

model::Bar bar(UnixNanos t, core::Duration interval, std::string_view o, std::string_view h, std::string_view l,
               std::string_view c, std::string_view v) {
  return model::Bar{
      t, t + interval, *Price::parse(o), *Price::parse(h), *Price::parse(l), *Price::parse(c), *Quantity::parse(v)};
}

model::BarSeries sample(core::Duration interval, UnixNanos start) {
  model::BarSeries s;
  s.instrument_id = *core::InstrumentId::parse("BTCUSDT.BINANCE");
  s.interval = interval;
  s.bars.push_back(bar(start, interval, "42283.50", "42290.0", "42270.1", "42285.3", "12.500"));
  s.bars.push_back(bar(start + interval, interval, "42285.3", "42300", "42280.0", "42299.9", "0"));
  s.bars.push_back(bar(start + 2 * interval, interval, "-1.5", "0.25", "-2", "0", "0.000001"));
  return s;
}

void expect_same_bars(const model::BarSeries& a, const model::BarSeries& b) {
  ASSERT_EQ(a.bars.size(), b.bars.size());
  EXPECT_EQ(a.interval, b.interval);
  for (std::size_t i = 0; i < a.bars.size(); ++i) {
    const auto& x = a.bars[i];
    const auto& y = b.bars[i];
    EXPECT_EQ(x.ts_event, y.ts_event) << i;
    EXPECT_EQ(x.ts_recv, y.ts_recv) << i;
    // Same text means same value and same scale.
    EXPECT_EQ(x.open.to_string(), y.open.to_string()) << i;
    EXPECT_EQ(x.high.to_string(), y.high.to_string()) << i;
    EXPECT_EQ(x.low.to_string(), y.low.to_string()) << i;
    EXPECT_EQ(x.close.to_string(), y.close.to_string()) << i;
    EXPECT_EQ(x.volume.to_string(), y.volume.to_string()) << i;
  }
}

TEST(CsvOhlcvWriter, WritesEpochMillisWithAHeader) {
  const auto text = format_ohlcv_csv(sample(std::chrono::minutes(1), *core::parse_timestamp("2024-01-01")));
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text,
            "timestamp,open,high,low,close,volume\n"
            "1704067200000,42283.50,42290.0,42270.1,42285.3,12.500\n"
            "1704067260000,42285.3,42300,42280.0,42299.9,0\n"
            "1704067320000,-1.5,0.25,-2,0,0.000001\n");
}

TEST(CsvOhlcvWriter, RoundTripsEveryTimestampFormat) {
  const auto start = *core::parse_timestamp("2024-01-01T00:00:00Z");
  const auto series = sample(std::chrono::minutes(1), start);
  for (auto format : {CsvTimestampFormat::EpochSeconds, CsvTimestampFormat::EpochMillis,
                      CsvTimestampFormat::EpochMicros, CsvTimestampFormat::EpochNanos, CsvTimestampFormat::Iso8601}) {
    OhlcvCsvWriteOptions options;
    options.timestamp_format = format;
    auto text = format_ohlcv_csv(series, options);
    ASSERT_TRUE(text.has_value()) << text.error().to_string();
    OhlcvCsvReadOptions read_options;
    read_options.instrument_id = series.instrument_id;
    auto back = parse_ohlcv_csv(*text, "<text>", read_options);
    ASSERT_TRUE(back.has_value()) << back.error().to_string();
    expect_same_bars(series, *back);
    EXPECT_EQ(back->instrument_id, series.instrument_id);
  }
}

TEST(CsvOhlcvWriter, RoundTripsSubSecondIsoTimestampsWithoutAHeaderAndWithSemicolons) {
  const auto series = sample(std::chrono::milliseconds(250), *core::parse_timestamp("2024-05-06T07:08:09.125Z"));
  OhlcvCsvWriteOptions options;
  options.timestamp_format = CsvTimestampFormat::Iso8601;
  options.header = false;
  options.delimiter = ';';
  auto text = format_ohlcv_csv(series, options);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->substr(0, 25), "2024-05-06T07:08:09.125Z;");
  auto back = parse_ohlcv_csv(*text);
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  expect_same_bars(series, *back);
}

TEST(CsvOhlcvWriter, RefusesATimestampThatIsNotAWholeUnit) {
  const auto series = sample(std::chrono::milliseconds(250), *core::parse_timestamp("2024-01-01T00:00:00Z"));
  OhlcvCsvWriteOptions options;
  options.timestamp_format = CsvTimestampFormat::EpochSeconds;
  auto text = format_ohlcv_csv(series, options);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().where(), "bars[1].ts_event");
  EXPECT_EQ(text.error().message(),
            "bar 1 starts at 2024-01-01T00:00:00.250Z, not a whole number of seconds; choose a finer timestamp format");
}

TEST(CsvOhlcvWriter, WritesAFileThatReadsBack) {
  testkit::TempDir dir;
  const auto series = sample(std::chrono::hours(1), *core::parse_timestamp("2023-06-01"));
  const auto path = dir.path() / "bars.csv";
  ASSERT_TRUE(write_ohlcv_csv(path, series).has_value());
  auto back = read_ohlcv_csv(path);
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  expect_same_bars(series, *back);
  EXPECT_FALSE(write_ohlcv_csv(dir.path() / "no-such-dir" / "x.csv", series).has_value());
}

}  // namespace
}  // namespace ballast::data
