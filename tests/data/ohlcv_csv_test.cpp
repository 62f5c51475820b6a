// Generic OHLCV CSV reading: layouts, timestamps, and the exact file:line errors.
// Expected values are read off the literal CSV text in each test.

#include "ballast/data/ohlcv_csv.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "testkit/shared_data.hpp"

namespace ballast::data {
namespace {

using core::ErrorCode;
using core::UnixNanos;
using model::Price;

UnixNanos iso(std::string_view text) {
  return *core::parse_timestamp(text);
}
Price px(std::string_view text) {
  return *Price::parse(text);
}

model::BarSeries parse_ok(std::string_view text, const OhlcvCsvReadOptions& options = {}) {
  auto r = parse_ohlcv_csv(text, "<text>", options);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().to_string());
  return r ? *r : model::BarSeries{};
}

core::Error parse_error(std::string_view text, const OhlcvCsvReadOptions& options = {}) {
  auto r = parse_ohlcv_csv(text, "bars.csv", options);
  EXPECT_FALSE(r.has_value());
  return r ? core::Error(ErrorCode::Internal, "no error") : r.error();
}

TEST(CsvOhlcvReader, ReadsHeaderlessEpochMillisAndDetectsTheInterval) {
  const auto s = parse_ok(
      "1704067200000,42283.5,42290.0,42270.1,42285.3,12.5\n"
      "1704067260000,42285.3,42300.0,42280.0,42299.9,3.25\n"
      "1704067320000,42299.9,42310.0,42295.0,42301.0,0\n");
  ASSERT_EQ(s.bars.size(), 3u);
  EXPECT_EQ(s.interval, std::chrono::minutes(1));
  EXPECT_EQ(s.bars[0].ts_event, iso("2024-01-01T00:00:00Z"));
  EXPECT_EQ(s.bars[0].ts_recv, iso("2024-01-01T00:01:00Z"));
  EXPECT_EQ(s.bars[0].open, px("42283.5"));
  EXPECT_EQ(s.bars[0].high, px("42290.0"));
  EXPECT_EQ(s.bars[0].low, px("42270.1"));
  EXPECT_EQ(s.bars[0].close, px("42285.3"));
  EXPECT_EQ(s.bars[0].volume, *model::Quantity::parse("12.5"));
  EXPECT_EQ(s.bars[2].ts_event, iso("2024-01-01T00:02:00Z"));
  // Decimals keep the scale they were written with.
  EXPECT_EQ(s.bars[0].high.to_string(), "42290.0");
}

TEST(CsvOhlcvReader, MatchesColumnNamesCaseInsensitivelyWithAliasesInAnyOrder) {
  const auto s = parse_ok(
      "Vol,CLOSE,Low,h,OPEN,DateTime\n"
      "10,101,99,102,100,2024-03-01T00:00:00Z\n"
      "11,102,100,103,101,2024-03-01T01:00:00Z\n");
  ASSERT_EQ(s.bars.size(), 2u);
  EXPECT_EQ(s.interval, std::chrono::hours(1));
  EXPECT_EQ(s.bars[1].open, px("101"));
  EXPECT_EQ(s.bars[1].high, px("103"));
  EXPECT_EQ(s.bars[1].low, px("100"));
  EXPECT_EQ(s.bars[1].close, px("102"));
  EXPECT_EQ(s.bars[1].volume, model::Quantity::from_int(11));
}

TEST(CsvOhlcvReader, IgnoresAdjustedCloseAndOpenInterestColumns) {
  const auto s = parse_ok(
      "Date,Open,High,Low,Close,Adj Close,Volume,OpenInterest\n"
      "2014-12-30,45.549999,45.660000,45.290001,45.340000,42.651192,9968400,7\n");
  ASSERT_EQ(s.bars.size(), 1u);
  EXPECT_EQ(s.bars[0].close, px("45.340000"));
  EXPECT_EQ(s.bars[0].volume, model::Quantity::from_int(9968400));
  EXPECT_EQ(s.bars[0].ts_event, iso("2014-12-30"));
  // A single bar has no detectable interval: ts_recv = ts_event.
  EXPECT_EQ(s.interval.count(), 0);
  EXPECT_EQ(s.bars[0].ts_recv, s.bars[0].ts_event);
}

TEST(CsvOhlcvReader, TakesAnUnnamedFirstColumnAsTheDate) {
  const auto s = parse_ok(
      ",Open,High,Low,Close,Volume\n"
      "2017-04-19 09:00:00,1.0716,1.0722,1.07083,1.07219,1413\n"
      "2017-04-19 10:00:00,1.07214,1.07296,1.07214,1.0726,1241\n");
  ASSERT_EQ(s.bars.size(), 2u);
  EXPECT_EQ(s.bars[1].ts_event, iso("2017-04-19T10:00:00Z"));
  EXPECT_EQ(s.bars[1].close, px("1.0726"));
  EXPECT_EQ(s.interval, std::chrono::hours(1));
}

TEST(CsvOhlcvReader, CombinesSeparateDateAndTimeColumns) {
  const auto s = parse_ok(
      "date,time,open,high,low,close,volume\n"
      "2006-01-02,09:01:00,3602.00,3603.00,3597.00,3599.00,5699\n"
      "2006-01-02,09:02,3600.00,3601.00,3598.00,3599.00,894\n");
  ASSERT_EQ(s.bars.size(), 2u);
  EXPECT_EQ(s.bars[0].ts_event, iso("2006-01-02T09:01:00Z"));
  EXPECT_EQ(s.bars[1].ts_event, iso("2006-01-02T09:02:00Z"));
}

TEST(CsvOhlcvReader, InsertsTheTimeColumnAHeaderOmits) {
  const std::string text =
      "Date,Open,High,Low,Close,Volume,OpenInterest\r\n"
      "2006-01-02,09:01:00,3602.00,3603.00,3597.00,3599.00,5699,0\r\n"
      "2006-01-02,09:02:00,3600.00,3601.00,3598.00,3599.00,894,0\r\n";
  auto layout = detect_ohlcv_layout(text);
  ASSERT_TRUE(layout.has_value()) << layout.error().to_string();
  EXPECT_TRUE(layout->header_missing_time);
  EXPECT_EQ(layout->columns, 8u);
  EXPECT_EQ(layout->date, 0);
  EXPECT_EQ(layout->time, 1);
  EXPECT_EQ(layout->close, 5);
  EXPECT_EQ(layout->volume, 6);
  const auto s = parse_ok(text);
  ASSERT_EQ(s.bars.size(), 2u);
  EXPECT_EQ(s.bars[1].ts_event, iso("2006-01-02T09:02:00Z"));
  EXPECT_EQ(s.bars[1].open, px("3600.00"));
  EXPECT_EQ(s.bars[1].volume, model::Quantity::from_int(894));
}

TEST(CsvOhlcvReader, ReadsHeaderlessDateTimeLayoutAndOptionalVolume) {
  const auto with_time = parse_ok("2024-01-02,10:00:00,1,2,0.5,1.5,7\n2024-01-02,10:05:00,1.5,2,1,2,8\n");
  ASSERT_EQ(with_time.bars.size(), 2u);
  EXPECT_EQ(with_time.interval, std::chrono::minutes(5));
  EXPECT_EQ(with_time.bars[1].volume, model::Quantity::from_int(8));

  const auto no_volume = parse_ok("2024-01-02,1,2,0.5,1.5\n2024-01-03,1.5,2,1,2\n");
  ASSERT_EQ(no_volume.bars.size(), 2u);
  EXPECT_TRUE(no_volume.bars[0].volume.is_zero());
  EXPECT_EQ(no_volume.interval, std::chrono::hours(24));
}

TEST(CsvOhlcvReader, DetectsSemicolonAndTabDelimiters) {
  const auto semi = parse_ok("timestamp;open;high;low;close;volume\n1700000000;1;2;0.5;1.5;3\n");
  ASSERT_EQ(semi.bars.size(), 1u);
  EXPECT_EQ(semi.bars[0].ts_event, UnixNanos::from_seconds(1700000000));
  const auto tab = parse_ok("timestamp\topen\thigh\tlow\tclose\n1700000000\t1\t2\t0.5\t1.5\n");
  ASSERT_EQ(tab.bars.size(), 1u);
  EXPECT_EQ(tab.bars[0].close, px("1.5"));
}

TEST(CsvOhlcvReader, AcceptsEveryEpochUnitAndIsoOffsets) {
  // Around one instant, 2023-11-14T22:13:20Z, written five ways.
  const auto s = parse_ok(
      "ts,o,h,l,c,v\n"
      "1700000000,1,1,1,1,1\n"
      "1700000000000002,1,1,1,1,1\n"
      "1700000000001,1,1,1,1,1\n"
      "1700000000001000003,1,1,1,1,1\n"
      "2023-11-15T00:13:20.5+02:00,1,1,1,1,1\n");
  ASSERT_EQ(s.bars.size(), 5u);
  const std::int64_t base = 1'700'000'000LL * core::kNanosPerSecond;
  EXPECT_EQ(s.bars[0].ts_event.value, base);
  EXPECT_EQ(s.bars[1].ts_event.value, base + 2'000);
  EXPECT_EQ(s.bars[2].ts_event.value, base + 1'000'000);
  EXPECT_EQ(s.bars[3].ts_event.value, base + 1'000'003);
  EXPECT_EQ(s.bars[4].ts_event.value, base + 500'000'000);
}

TEST(CsvOhlcvReader, ForcesTheEpochUnitWhenTold) {
  // 86'400'000 alone would be read as seconds (≈ 1972); as milliseconds it is 1970-01-02.
  OhlcvCsvReadOptions options;
  options.epoch_unit = core::EpochUnit::Millis;
  const auto s = parse_ok("86400000,1,1,1,1,1\n172800000,1,1,1,1,1\n", options);
  ASSERT_EQ(s.bars.size(), 2u);
  EXPECT_EQ(s.bars[0].ts_event, iso("1970-01-02"));
  EXPECT_EQ(s.interval, std::chrono::hours(24));
  // Negative epochs (before 1970) too, in every column order.
  for (std::string_view text : {"-86400000,1,1,1,1,1\n0,1,1,1,1,1\n", "o,h,l,c,ts\n1,1,1,1,-86400000\n1,1,1,1,0\n"}) {
    const auto before = parse_ok(text, options);
    ASSERT_EQ(before.bars.size(), 2u) << text;
    EXPECT_EQ(before.bars[0].ts_event, iso("1969-12-31")) << text;
  }
}

TEST(CsvOhlcvReader, SkipsBlankLinesBomAndCarriageReturnsAndUnquotesFields) {
  const auto s = parse_ok(
      "\xEF\xBB\xBF\"timestamp\",\"open\",\"high\",\"low\",\"close\",\"volume\"\r\n"
      "\r\n"
      "\"2024-01-01 00:00:00\", 1 ,2,0.5,1.5,3\r\n"
      "   \r\n"
      "\"2024-01-01 00:01:00\",1.5,2,1,2,4\r\n");
  ASSERT_EQ(s.bars.size(), 2u);
  EXPECT_EQ(s.bars[1].ts_event, iso("2024-01-01T00:01:00Z"));
  EXPECT_EQ(s.bars[0].open, px("1"));
}

TEST(CsvOhlcvReader, ReadsIntervalEndLabelsAsTheBarClose) {
  OhlcvCsvReadOptions options;
  options.timestamp_label = BarTimestampLabel::IntervalEnd;
  const auto s = parse_ok("2024-01-01T00:05:00Z,1,2,0.5,1.5,3\n2024-01-01T00:10:00Z,1.5,2,1,2,4\n", options);
  ASSERT_EQ(s.bars.size(), 2u);
  EXPECT_EQ(s.bars[0].ts_event, iso("2024-01-01T00:00:00Z"));
  EXPECT_EQ(s.bars[0].ts_recv, iso("2024-01-01T00:05:00Z"));
}

TEST(CsvOhlcvReader, UsesAGivenIntervalInsteadOfDetectingOne) {
  OhlcvCsvReadOptions options;
  options.interval = std::chrono::minutes(1);
  const auto s = parse_ok("2024-01-01T00:00:00Z,1,1,1,1,1\n2024-01-01T00:05:00Z,1,1,1,1,1\n", options);
  EXPECT_EQ(s.interval, std::chrono::minutes(1));
  EXPECT_EQ(s.bars[1].ts_recv, iso("2024-01-01T00:06:00Z"));
  options.interval = core::Duration(0);
  EXPECT_EQ(parse_ohlcv_csv("1,1,1,1,1\n", "<text>", options).error().code(), ErrorCode::InvalidArgument);
}

TEST(CsvOhlcvReader, DetectsTheMostCommonStepAcrossWeekendGaps) {
  // Mon..Fri, then Mon: steps 1d ×4 and 3d ×1.
  const auto s = parse_ok(
      "2024-01-01,1,1,1,1\n2024-01-02,1,1,1,1\n2024-01-03,1,1,1,1\n2024-01-04,1,1,1,1\n"
      "2024-01-05,1,1,1,1\n2024-01-08,1,1,1,1\n");
  EXPECT_EQ(s.interval, std::chrono::hours(24));
}

TEST(CsvOhlcvReader, ReportsCalendarMonthlyDataAsUnknownInterval) {
  const auto s = parse_ok(
      ",Open,High,Low,Close,Volume\n2012-01-31,4.58,7.38,3.8,5.55,2012.25\n2012-02-29,5.55,6.5,3.8,4.99,4761.6\n"
      "2012-03-31,4.99,5.44,4.54,4.92,9049.6\n2012-04-30,4.92,5.4,4.7,5.0,100\n");
  EXPECT_EQ(s.interval.count(), 0);
  EXPECT_EQ(s.bars[0].ts_recv, s.bars[0].ts_event);
}

TEST(CsvOhlcvReader, GivesAnEmptySeriesForEmptyTextOrAHeaderAlone) {
  EXPECT_TRUE(parse_ok("").bars.empty());
  EXPECT_TRUE(parse_ok("\n\n").bars.empty());
  const auto header_only = parse_ok("timestamp,open,high,low,close,volume\n");
  EXPECT_TRUE(header_only.bars.empty());
  EXPECT_EQ(header_only.interval.count(), 0);
}

TEST(CsvOhlcvReader, CopiesTheInstrumentId) {
  OhlcvCsvReadOptions options;
  options.instrument_id = *core::InstrumentId::parse("BTCUSDT.BINANCE");
  EXPECT_EQ(parse_ok("1,1,1,1,1\n", options).instrument_id.value(), "BTCUSDT.BINANCE");
}

TEST(CsvOhlcvReader, ReadsTheSameBarsWhicheverParsingPathARowTakes) {
  // The reader has a straight-line path for plain "epoch,o,h,l,c,v" rows, a one-pass path for other
  // column orders, and a general path (quotes, spaces, exponents, 19-digit numbers). Same values each way.
  const auto canonical = parse_ok(
      "1704067200000,42283.5,42290.0,42270.1,42285.3,12.5\n"
      "1704067260000,-1.25,0.5,-2,.5,5.\n");
  const auto reordered = parse_ok(
      "volume,close,low,high,open,timestamp,note\n"
      "12.5,42285.3,42270.1,42290.0,42283.5,1704067200000,x\n"
      "5.,.5,-2,0.5,-1.25,1704067260000,y\n");
  const auto general = parse_ok(
      "\"1704067200000\", 42283.5 ,42290.0,42270.1,42285.3,1.25e1\n"
      "1704067260000,-1.25,0.50e0,-2,+.5,5.\n");
  for (const auto* other : {&reordered, &general}) {
    ASSERT_EQ(other->bars.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
      const auto& a = canonical.bars[i];
      const auto& b = other->bars[i];
      EXPECT_EQ(a.ts_event, b.ts_event) << i;
      EXPECT_EQ(a.ts_recv, b.ts_recv) << i;
      EXPECT_EQ(a.open, b.open) << i;
      EXPECT_EQ(a.high, b.high) << i;
      EXPECT_EQ(a.low, b.low) << i;
      EXPECT_EQ(a.close, b.close) << i;
      EXPECT_EQ(a.volume, b.volume) << i;
    }
  }
  EXPECT_EQ(canonical.bars[1].close.to_string(), "0.5");
  EXPECT_EQ(canonical.bars[1].volume.to_string(), "5");
}

TEST(CsvOhlcvReader, HandlesEveryLineEndingOnTheFastPath) {
  // LF, CRLF, a final line without a newline, a final bare CR, and blank lines in between.
  for (std::string_view text :
       {"1,1,1,1,1,1\n2,1,1,1,1,1\n3,1,1,1,1,1", "1,1,1,1,1,1\r\n2,1,1,1,1,1\r\n3,1,1,1,1,1\r\n",
        "1,1,1,1,1,1\n\n2,1,1,1,1,1\n\r\n3,1,1,1,1,1\r", "1,1,1,1,1,1\n2,1,1,1,1,1\n3,1,1,1,1,1\n\n"}) {
    const auto s = parse_ok(text);
    ASSERT_EQ(s.bars.size(), 3u) << text;
    EXPECT_EQ(s.bars[2].ts_event, UnixNanos::from_seconds(3));
  }
  // A bare CR inside a line is not a line break: the row then has a bad last cell.
  auto e = parse_error("1,1,1,1,1,1\n2,1,1,1,1,1\r3,1,1,1,1,1\n");
  EXPECT_EQ(e.where(), "bars.csv:2");
  EXPECT_EQ(e.message(), "expected 6 columns, got 11");
}

TEST(CsvOhlcvReader, ReadsIsoTimestampsExactlyAsCoreParsesThem) {
  // The reader's fixed-position ISO fast path must agree with core::parse_timestamp on every input.
  for (std::string_view ts : {"2024-02-29", "2024-02-29T23:59:59", "2024-02-29 23:59:59Z", "1678-01-01T00:00:00",
                              "2261-12-31T23:59:59Z", "1970-01-01", "2000-02-29T12:00:00", "2024-03-01T12:30:00.250Z",
                              "2024-03-01T12:30:00+02:00", "2024-03-01T12:30", "1969-12-31T23:59:59Z"}) {
    for (std::string_view layout : {"timestamp,open,high,low,close,volume\n", "open,high,low,close,timestamp\n"}) {
      const std::string row =
          layout.front() == 't' ? std::string(ts) + ",1,1,1,1,1\n" : "1,1,1,1," + std::string(ts) + "\n";
      const auto s = parse_ok(std::string(layout) + row);
      ASSERT_EQ(s.bars.size(), 1u) << ts;
      EXPECT_EQ(s.bars[0].ts_event, *core::parse_timestamp(ts)) << ts << " with " << layout;
    }
  }
  // A comma fraction is fine where ',' is not the delimiter.
  const auto semicolons = parse_ok("timestamp;open;high;low;close\n2024-03-01T12:30:00,5;1;1;1;1\n");
  ASSERT_EQ(semicolons.bars.size(), 1u);
  EXPECT_EQ(semicolons.bars[0].ts_event, *core::parse_timestamp("2024-03-01T12:30:00.5"));
  for (std::string_view bad : {"2023-02-29", "2100-02-29T00:00:00", "2024-04-31", "2024-01-01T24:00:00"}) {
    const auto e = parse_error("timestamp,open,high,low,close\n" + std::string(bad) + ",1,1,1,1\n");
    EXPECT_EQ(e.where(), "bars.csv:2") << bad;
    EXPECT_EQ(e.message(), "column 1 (timestamp): " + core::parse_timestamp(bad).error().message()) << bad;
  }
}

// ---- errors: exact line and reason ----

TEST(CsvOhlcvReader, StopsAtAWrongColumnCount) {
  const auto e = parse_error(
      "timestamp,open,high,low,close,volume\n"
      "1704067200000,1,2,0.5,1.5,3\n"
      "1704067260000,1,2,0.5,1.5\n");
  EXPECT_EQ(e.code(), ErrorCode::ParseError);
  EXPECT_EQ(e.where(), "bars.csv:3");
  EXPECT_EQ(e.message(), "expected 6 columns, got 5");
}

TEST(CsvOhlcvReader, StopsAtAnUnparsableNumberNamingColumnAndText) {
  const auto e = parse_error(
      "Date,Open,High,Low,Close,Volume\n"
      "2024-01-01,1,2,0.5,1.5,3\n"
      "2024-01-02,1,2x,0.5,1.5,3\n");
  EXPECT_EQ(e.code(), ErrorCode::ParseError);
  EXPECT_EQ(e.where(), "bars.csv:3");
  EXPECT_EQ(e.message(), "column 3 (High): invalid number '2x': unexpected character 'x'");
}

TEST(CsvOhlcvReader, StopsAtAnEmptyVolumeCell) {
  const auto e = parse_error("1704067200000,1,2,0.5,1.5,\n");
  EXPECT_EQ(e.where(), "bars.csv:1");
  EXPECT_EQ(e.message(), "column 6 (volume): invalid number '': empty");
}

TEST(CsvOhlcvReader, StopsAtATimestampThatDoesNotIncrease) {
  const auto equal = parse_error(
      "1704067200000,1,2,0.5,1.5,3\n"
      "\n"
      "1704067200000,1,2,0.5,1.5,3\n");
  EXPECT_EQ(equal.code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(equal.where(), "bars.csv:3");
  EXPECT_EQ(equal.message(),
            "timestamp 2024-01-01T00:00:00Z is not after 2024-01-01T00:00:00Z on line 1: rows must be in strictly "
            "increasing time order");
  const auto backwards = parse_error(
      "ts,open,high,low,close\n"
      "2024-01-01T00:02:00Z,1,2,0.5,1.5\n"
      "2024-01-01T00:01:00Z,1,2,0.5,1.5\n");
  EXPECT_EQ(backwards.where(), "bars.csv:3");
  EXPECT_EQ(backwards.message(),
            "timestamp 2024-01-01T00:01:00Z is not after 2024-01-01T00:02:00Z on line 2: rows must be in strictly "
            "increasing time order");
}

TEST(CsvOhlcvReader, StopsAtHighBelowLow) {
  const auto e = parse_error("timestamp,open,high,low,close,volume\n1,100,99,100,100,1\n");
  EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(e.where(), "bars.csv:2");
  EXPECT_EQ(e.message(), "high 99 is below low 100");
}

TEST(CsvOhlcvReader, StopsAtOpenOrCloseOutsideTheRange) {
  const auto open = parse_error("1,101,100,99,100,1\n");
  EXPECT_EQ(open.where(), "bars.csv:1");
  EXPECT_EQ(open.message(), "open 101 is outside [low 99, high 100]");
  const auto close = parse_error("1,100,100,99,100,1\n2,100,100,99.5,99.25,1\n");
  EXPECT_EQ(close.where(), "bars.csv:2");
  EXPECT_EQ(close.message(), "close 99.25 is outside [low 99.5, high 100]");
}

TEST(CsvOhlcvReader, StopsAtNegativeVolume) {
  const auto e = parse_error("1,1,1,1,1,0\n2,1,1,1,1,-5\n");
  EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(e.where(), "bars.csv:2");
  EXPECT_EQ(e.message(), "volume -5 is negative");
}

TEST(CsvOhlcvReader, StopsAtABadTimestamp) {
  const auto e = parse_error("timestamp,open,high,low,close\n2024-13-01,1,1,1,1\n");
  EXPECT_EQ(e.code(), ErrorCode::ParseError);
  EXPECT_EQ(e.where(), "bars.csv:2");
  EXPECT_EQ(e.message(), "column 1 (timestamp): invalid timestamp '2024-13-01': month out of range");
  const auto split = parse_error("Date,Time,Open,High,Low,Close\n2024-01-01,25:00,1,1,1,1\n");
  EXPECT_EQ(split.where(), "bars.csv:2");
  EXPECT_EQ(split.message(),
            "column 1 (Date) and column 2 (Time): invalid timestamp '25:00': time of day out of range");
}

TEST(CsvOhlcvReader, ExplainsAHeaderItDoesNotUnderstand) {
  const auto e = parse_error("Date,Open,High,Close,Volume\n2024-01-01,1,1,1,1\n");
  EXPECT_EQ(e.code(), ErrorCode::Unsupported);
  EXPECT_EQ(e.where(), "bars.csv:1");
  EXPECT_EQ(e.message(),
            "header 'Date,Open,High,Close,Volume' is not a layout this reader understands: no 'low' column (expected "
            "timestamp,open,high,low,close[,volume] or date,time,open,high,low,close[,volume]; see docs/data.md)");
  const auto no_time = parse_error("Symbol,Open,High,Low,Close\nX,1,1,1,1\n");
  EXPECT_EQ(no_time.code(), ErrorCode::Unsupported);
  EXPECT_NE(no_time.message().find("no timestamp column"), std::string::npos);
}

TEST(CsvOhlcvReader, ExplainsAHeaderlessLayoutItDoesNotUnderstand) {
  const auto e = parse_error("1704067200000,1,2,0.5,1.5,3,1704067259999,10,5,1,5,0\n");
  EXPECT_EQ(e.code(), ErrorCode::Unsupported);
  EXPECT_EQ(e.where(), "bars.csv:1");
  EXPECT_EQ(e.message(),
            "12 columns and no header: a layout this reader does not understand (expected "
            "timestamp,open,high,low,close[,volume] or date,time,open,high,low,close[,volume]; see docs/data.md) (12 "
            "columns look like a Binance kline file: use read_binance_klines)");
}

TEST(CsvOhlcvReader, NamesTheFileInErrorsAndReportsAMissingFile) {
  testkit::TempDir dir;
  const auto path = dir.write("bad.csv", "timestamp,open,high,low,close\n1,1,1,1,1\n2,1,1,1,oops\n");
  auto r = read_ohlcv_csv(path);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where(), path.string() + ":3");
  EXPECT_EQ(r.error().to_string(), path.string() + ":3: column 5 (close): invalid number 'oops': no digits");

  auto missing = read_ohlcv_csv(dir.path() / "absent.csv");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ErrorCode::IoError);
  EXPECT_NE(missing.error().message().find("absent.csv"), std::string::npos);
}

TEST(CsvOhlcvReader, DescribesTheDetectedLayout) {
  auto layout = detect_ohlcv_layout(",Open,High,Low,Close,Volume\n2024-01-01,1,1,1,1,1\n");
  ASSERT_TRUE(layout.has_value());
  EXPECT_EQ(layout->describe(), "header; timestamp=1 open=2 high=3 low=4 close=5 volume=6; 6 columns; delimiter ','");
}

}  // namespace
}  // namespace ballast::data
