// Resampling bars. Expected bars are worked out by hand in the comments next to each input.

#include "ballast/data/resample.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace ballast::data {
namespace {

using core::ErrorCode;
using core::UnixNanos;
using model::Price;
using model::Quantity;
using std::chrono::minutes;

UnixNanos at(std::string_view iso) {
  return *core::parse_timestamp(iso);
}
Price px(std::string_view text) {
  return *Price::parse(text);
}

// 1-minute bars "o h l c v" starting at `start`.
model::BarSeries minutes_from(UnixNanos start, std::initializer_list<std::array<std::string_view, 5>> rows) {
  model::BarSeries s;
  s.instrument_id = *core::InstrumentId::parse("BTCUSDT.BINANCE");
  s.interval = minutes(1);
  UnixNanos t = start;
  for (const auto& r : rows) {
    s.bars.push_back(model::Bar{t, t + minutes(1), px(r[0]), px(r[1]), px(r[2]), px(r[3]), *Quantity::parse(r[4])});
    t += minutes(1);
  }
  return s;
}

void expect_bar(const model::Bar& b, std::string_view start, std::string_view o, std::string_view h, std::string_view l,
                std::string_view c, std::string_view v, core::Duration interval) {
  EXPECT_EQ(b.ts_event, at(start));
  EXPECT_EQ(b.ts_recv, at(start) + interval);
  EXPECT_EQ(b.open, px(o));
  EXPECT_EQ(b.high, px(h));
  EXPECT_EQ(b.low, px(l));
  EXPECT_EQ(b.close, px(c));
  EXPECT_EQ(b.volume, *Quantity::parse(v));
}

TEST(ResampleBars, BuildsFiveMinuteBarsByHand) {
  // 00:00–00:09, ten minutes → buckets 00:00 (rows 1–5) and 00:05 (rows 6–10).
  const auto src = minutes_from(at("2024-01-01T00:00:00Z"), {{"100", "101", "99", "100.5", "1"},
                                                             {"100.5", "103", "100", "102", "2.5"},
                                                             {"102", "102", "98.5", "99", "0.25"},
                                                             {"99", "100", "99", "100", "1"},
                                                             {"100", "100.75", "99.5", "100.25", "3"},
                                                             {"100.25", "100.5", "97", "97.5", "4"},
                                                             {"97.5", "98", "97.25", "98", "0"},
                                                             {"98", "104", "98", "103.5", "10"},
                                                             {"103.5", "103.5", "102", "102.5", "1.125"},
                                                             {"102.5", "103", "101", "101.5", "2"}});
  auto r = resample_bars(src, minutes(5));
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_EQ(r->series.bars.size(), 2u);
  EXPECT_EQ(r->series.interval, minutes(5));
  EXPECT_EQ(r->series.instrument_id, src.instrument_id);
  // open 100 (row 1), high max(101,103,102,100,100.75) = 103, low min(99,100,98.5,99,99.5) = 98.5,
  // close 100.25 (row 5), volume 1 + 2.5 + 0.25 + 1 + 3 = 7.75.
  expect_bar(r->series.bars[0], "2024-01-01T00:00:00Z", "100", "103", "98.5", "100.25", "7.75", minutes(5));
  // open 100.25, high 104, low 97, close 101.5, volume 4 + 0 + 10 + 1.125 + 2 = 17.125.
  expect_bar(r->series.bars[1], "2024-01-01T00:05:00Z", "100.25", "104", "97", "101.5", "17.125", minutes(5));
  EXPECT_FALSE(r->first_bucket_partial);
  EXPECT_FALSE(r->last_bucket_partial);
}

TEST(ResampleBars, FlagsOrDropsPartialBucketsAtBothEnds) {
  // 00:13–00:21: the 00:10 bucket lacks 00:10–00:12 and the 00:20 bucket ends early; 00:15 is complete.
  const auto src = minutes_from(at("2024-01-01T00:13:00Z"), {{"10", "11", "9", "10", "1"},
                                                             {"10", "12", "10", "11", "1"},
                                                             {"11", "11", "8", "9", "1"},
                                                             {"9", "9", "9", "9", "1"},
                                                             {"9", "10", "9", "10", "1"},
                                                             {"10", "10", "10", "10", "1"},
                                                             {"10", "13", "10", "12", "1"},
                                                             {"12", "12", "7", "8", "5"},
                                                             {"8", "9", "8", "9", "1"}});
  auto kept = resample_bars(src, minutes(5));
  ASSERT_TRUE(kept.has_value());
  ASSERT_EQ(kept->series.bars.size(), 3u);
  EXPECT_TRUE(kept->first_bucket_partial);
  EXPECT_TRUE(kept->last_bucket_partial);
  // 00:10 bucket: rows 00:13, 00:14 → open 10, high 12, low 9, close 11, volume 2.
  expect_bar(kept->series.bars[0], "2024-01-01T00:10:00Z", "10", "12", "9", "11", "2", minutes(5));
  // 00:15 bucket: rows 00:15–00:19 → open 11, high 13, low 8, close 12, volume 5.
  expect_bar(kept->series.bars[1], "2024-01-01T00:15:00Z", "11", "13", "8", "12", "5", minutes(5));
  // 00:20 bucket: rows 00:20, 00:21 → open 12, high 12, low 7, close 9, volume 6; kept with ts_recv 00:25.
  expect_bar(kept->series.bars[2], "2024-01-01T00:20:00Z", "12", "12", "7", "9", "6", minutes(5));

  ResampleOptions drop;
  drop.partial_buckets = PartialBucketPolicy::Drop;
  auto dropped = resample_bars(src, minutes(5), drop);
  ASSERT_TRUE(dropped.has_value());
  ASSERT_EQ(dropped->series.bars.size(), 1u);
  expect_bar(dropped->series.bars[0], "2024-01-01T00:15:00Z", "11", "13", "8", "12", "5", minutes(5));
  EXPECT_FALSE(dropped->first_bucket_partial);
  EXPECT_FALSE(dropped->last_bucket_partial);
}

TEST(ResampleBars, DropsASingleBucketThatIsPartial) {
  const auto src = minutes_from(at("2024-01-01T00:01:00Z"), {{"1", "1", "1", "1", "1"}});
  ResampleOptions drop;
  drop.partial_buckets = PartialBucketPolicy::Drop;
  auto r = resample_bars(src, minutes(5), drop);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->series.bars.empty());
}

TEST(ResampleBars, BuildsBucketsWithGapsInsideWithoutFlaggingThem) {
  // 00:00, 00:01, then a gap to 00:09; the last bar 00:09 completes the 00:05 bucket.
  auto src = minutes_from(at("2024-01-01T00:00:00Z"), {{"1", "2", "1", "2", "1"}, {"2", "3", "2", "3", "1"}});
  src.bars.push_back(model::Bar{at("2024-01-01T00:09:00Z"), at("2024-01-01T00:10:00Z"), px("3"), px("4"), px("0.5"),
                                px("1"), *Quantity::parse("2")});
  auto r = resample_bars(src, minutes(5));
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->series.bars.size(), 2u);
  expect_bar(r->series.bars[0], "2024-01-01T00:00:00Z", "1", "3", "1", "3", "2", minutes(5));
  expect_bar(r->series.bars[1], "2024-01-01T00:05:00Z", "3", "4", "0.5", "1", "2", minutes(5));
  EXPECT_FALSE(r->first_bucket_partial);
  EXPECT_FALSE(r->last_bucket_partial);
}

TEST(ResampleBars, AlignsDaysToUtcMidnightAndWeeksToAnOrigin) {
  model::BarSeries hours;
  hours.interval = std::chrono::hours(1);
  // 2024-01-07 (a Sunday) 22:00 to 2024-01-08 (Monday) 01:00.
  for (int h = 0; h < 4; ++h) {
    const auto t = at("2024-01-07T22:00:00Z") + std::chrono::hours(h);
    const auto p = px(std::to_string(10 + h));
    hours.bars.push_back(model::Bar{t, t + std::chrono::hours(1), p, p, p, p, Quantity::from_int(1)});
  }
  auto days = resample_bars(hours, std::chrono::hours(24));
  ASSERT_TRUE(days.has_value());
  ASSERT_EQ(days->series.bars.size(), 2u);
  expect_bar(days->series.bars[0], "2024-01-07", "10", "11", "10", "11", "2", std::chrono::hours(24));
  expect_bar(days->series.bars[1], "2024-01-08", "12", "13", "12", "13", "2", std::chrono::hours(24));

  // Epoch-aligned weeks start on Thursdays: 2024-01-04. With origin 4 days they start on Monday 2024-01-08.
  auto thursday_weeks = resample_bars(hours, std::chrono::hours(24 * 7));
  ASSERT_TRUE(thursday_weeks.has_value());
  ASSERT_EQ(thursday_weeks->series.bars.size(), 1u);
  EXPECT_EQ(thursday_weeks->series.bars[0].ts_event, at("2024-01-04"));
  ResampleOptions monday;
  monday.origin = std::chrono::hours(24 * 4);
  auto monday_weeks = resample_bars(hours, std::chrono::hours(24 * 7), monday);
  ASSERT_TRUE(monday_weeks.has_value());
  ASSERT_EQ(monday_weeks->series.bars.size(), 2u);
  EXPECT_EQ(monday_weeks->series.bars[0].ts_event, at("2024-01-01"));
  EXPECT_EQ(monday_weeks->series.bars[1].ts_event, at("2024-01-08"));
}

TEST(ResampleBars, SumsVolumesOfDifferentScalesExactly) {
  const auto src = minutes_from(at("2024-01-01T00:00:00Z"),
                                {{"1", "1", "1", "1", "0.1"}, {"1", "1", "1", "1", "0.02"}, {"1", "1", "1", "1", "3"}});
  auto r = resample_bars(src, minutes(3));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->series.bars[0].volume.to_string(), "3.12");
}

TEST(ResampleBars, KeepsTheSeriesAtTheSameIntervalAndHandlesEmptyInput) {
  const auto src =
      minutes_from(at("2024-01-01T00:00:00Z"), {{"1", "2", "0.5", "1.5", "1"}, {"1.5", "2", "1", "2", "1"}});
  auto same = resample_bars(src, minutes(1));
  ASSERT_TRUE(same.has_value());
  ASSERT_EQ(same->series.bars.size(), 2u);
  expect_bar(same->series.bars[1], "2024-01-01T00:01:00Z", "1.5", "2", "1", "2", "1", minutes(1));
  model::BarSeries empty;
  empty.interval = minutes(1);
  auto none = resample_bars(empty, minutes(5));
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->series.bars.empty());
}

TEST(ResampleBars, RejectsATargetThatIsNotAMultipleOfTheSource) {
  auto src = minutes_from(at("2024-01-01T00:00:00Z"), {{"1", "1", "1", "1", "1"}});
  src.interval = minutes(5);
  src.bars[0].ts_recv = src.bars[0].ts_event + minutes(5);
  auto r = resample_bars(src, minutes(7));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(r.error().where(), "target");
  EXPECT_EQ(r.error().message(), "target interval 7m is not a positive multiple of the source interval 5m");
  EXPECT_FALSE(resample_bars(src, minutes(1)).has_value());
  EXPECT_FALSE(resample_bars(src, core::Duration(0)).has_value());
}

TEST(ResampleBars, RejectsAnUnknownSourceIntervalMisalignedOrUnorderedBars) {
  auto src = minutes_from(at("2024-01-01T00:00:00Z"), {{"1", "1", "1", "1", "1"}, {"1", "1", "1", "1", "1"}});
  auto unknown = src;
  unknown.interval = core::Duration(0);
  EXPECT_EQ(resample_bars(unknown, minutes(5)).error().message(),
            "the source interval is unknown (0); set BarSeries::interval before resampling");

  auto misaligned = src;
  misaligned.bars[1].ts_event = at("2024-01-01T00:01:30Z");
  auto m = resample_bars(misaligned, minutes(5));
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().where(), "bars[1]");
  EXPECT_EQ(m.error().message(),
            "bar 1 at 2024-01-01T00:01:30Z is not aligned to the 1m grid and would straddle two buckets");

  auto unordered = src;
  std::swap(unordered.bars[0], unordered.bars[1]);
  auto u = resample_bars(unordered, minutes(5));
  ASSERT_FALSE(u.has_value());
  EXPECT_EQ(u.error().message(),
            "bar 1 at 2024-01-01T00:00:00Z is not after the bar before it at 2024-01-01T00:01:00Z");
}

}  // namespace
}  // namespace ballast::data
