// The six real files in ../shared/data, read as they are. Row counts come from shared/data/README.md;
// first/last timestamps and closes were read off the files with `head`/`tail`; the resampled values
// were computed independently with Python's csv and decimal modules (group by date/hour: first open,
// max high, min low, last close, summed volume).

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/data/resample.hpp"
#include "testkit/shared_data.hpp"

namespace ballast::data {
namespace {

struct Expected {
  std::string_view file;
  std::size_t rows;
  std::string_view first_time;
  std::string_view first_close;
  std::string_view last_time;
  std::string_view last_close;
  core::Duration interval;
};

void check_file(const std::filesystem::path& dir, const Expected& e) {
  SCOPED_TRACE(std::string(e.file));
  auto r = read_ohlcv_csv(dir / e.file);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const model::BarSeries& s = *r;
  ASSERT_EQ(s.bars.size(), e.rows);
  EXPECT_EQ(s.bars.front().ts_event, *core::parse_timestamp(e.first_time));
  EXPECT_EQ(s.bars.front().close, *model::Price::parse(e.first_close));
  EXPECT_EQ(s.bars.back().ts_event, *core::parse_timestamp(e.last_time));
  EXPECT_EQ(s.bars.back().close, *model::Price::parse(e.last_close));
  EXPECT_EQ(s.interval, e.interval);
  EXPECT_EQ(s.bars.back().ts_recv, s.bars.back().ts_event + e.interval);
}

constexpr auto kDay = std::chrono::hours(24);

TEST(CsvSharedData, ReadsOracleDailyWithAdjustedClose) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  check_file(dir, {"orcl-1995-2014-daily.csv", 5036, "1995-01-03", "2.117284", "2014-12-31", "44.970001", kDay});
}

TEST(CsvSharedData, ReadsNvidiaDailyWithAdjustedClose) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  check_file(dir, {"nvda-1999-2014-daily.csv", 4012, "1999-01-22", "1.640625", "2014-12-31", "20.049999", kDay});
}

TEST(CsvSharedData, ReadsGoogleDailyWithAnUnnamedDateColumn) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  check_file(dir, {"goog-2004-2013-daily.csv", 2148, "2004-08-19", "100.34", "2013-03-01", "806.19", kDay});
}

TEST(CsvSharedData, ReadsEurUsdHourlyWithDateTimes) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  check_file(dir, {"eurusd-2017-2018-hourly.csv", 5000, "2017-04-19 09:00:00", "1.07219", "2018-02-07 15:00:00",
                   "1.22904", std::chrono::hours(1)});
}

TEST(CsvSharedData, ReadsBitcoinMonthlyAsCalendarBarsOfUnknownInterval) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  check_file(dir,
             {"btcusd-2012-2024-monthly.csv", 156, "2012-01-31", "5.55", "2024-12-31", "93381.0", core::Duration(0)});
}

TEST(CsvSharedData, ReadsFuturesMinutesWhoseHeaderOmitsTheTimeColumn) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  check_file(dir, {"futures-2006-minute.csv", 30889, "2006-01-02 09:01:00", "3599.00", "2006-02-27 22:00:00", "3838.00",
                   std::chrono::minutes(1)});
}

TEST(CsvSharedData, ResamplesFuturesMinutesToHours) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  auto minutes = read_ohlcv_csv(dir / "futures-2006-minute.csv");
  ASSERT_TRUE(minutes.has_value()) << minutes.error().to_string();
  auto hours = resample_bars(*minutes, std::chrono::hours(1));
  ASSERT_TRUE(hours.has_value()) << hours.error().to_string();
  const auto& bars = hours->series.bars;
  ASSERT_EQ(bars.size(), 572u);
  EXPECT_EQ(bars.front().ts_event, *core::parse_timestamp("2006-01-02T09:00:00Z"));
  EXPECT_EQ(bars.front().open, *model::Price::parse("3602.00"));
  EXPECT_EQ(bars.front().high, *model::Price::parse("3619.00"));
  EXPECT_EQ(bars.front().low, *model::Price::parse("3596.00"));
  EXPECT_EQ(bars.front().close, *model::Price::parse("3612.00"));
  EXPECT_EQ(bars.front().volume, model::Quantity::from_int(45488));
  EXPECT_EQ(bars.back().ts_event, *core::parse_timestamp("2006-02-27T22:00:00Z"));
  EXPECT_EQ(bars.back().volume, model::Quantity::from_int(327));
  // The data starts at 09:01 and ends at 22:00 (22:00–22:01), so both end buckets are partial.
  EXPECT_TRUE(hours->first_bucket_partial);
  EXPECT_TRUE(hours->last_bucket_partial);
  model::Quantity total;
  for (const auto& b : bars) total += b.volume;
  EXPECT_EQ(total, model::Quantity::from_int(23244742));
}

TEST(CsvSharedData, ResamplesEurUsdHoursToDays) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  auto hours = read_ohlcv_csv(dir / "eurusd-2017-2018-hourly.csv");
  ASSERT_TRUE(hours.has_value()) << hours.error().to_string();
  auto days = resample_bars(*hours, kDay);
  ASSERT_TRUE(days.has_value()) << days.error().to_string();
  const auto& bars = days->series.bars;
  ASSERT_EQ(bars.size(), 251u);
  EXPECT_EQ(bars.front().open, *model::Price::parse("1.0716"));
  EXPECT_EQ(bars.front().high, *model::Price::parse("1.07299"));
  EXPECT_EQ(bars.front().low, *model::Price::parse("1.07002"));
  EXPECT_EQ(bars.front().close, *model::Price::parse("1.07149"));
  EXPECT_EQ(bars.front().volume, model::Quantity::from_int(16728));
  EXPECT_EQ(bars.back().ts_event, *core::parse_timestamp("2018-02-07"));
  EXPECT_EQ(bars.back().open, *model::Price::parse("1.23802"));
  EXPECT_EQ(bars.back().high, *model::Price::parse("1.24064"));
  EXPECT_EQ(bars.back().low, *model::Price::parse("1.22904"));
  EXPECT_EQ(bars.back().volume, model::Quantity::from_int(46379));
}

}  // namespace
}  // namespace ballast::data
