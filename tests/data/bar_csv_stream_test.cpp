// BarCsvStream hands out the same bars as the whole-file readers (read_ohlcv_csv, read_binance_klines),
// which the other data tests check against values read off the files: here the reference is the
// whole-file reader on the same file, and every bar must be equal, field by field — for the real files in
// ../shared/data, for generated files larger than one chunk (lines split across chunk boundaries), and
// for tiny buffers where nearly every line is split. Errors must name the same file:line.

#include "ballast/data/bar_csv_stream.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <string>

#include "ballast/data/binance_kline_csv.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "testkit/shared_data.hpp"

namespace ballast::data {
namespace {

void expect_same_bar(const model::Bar& a, const model::Bar& b, std::size_t i) {
  EXPECT_EQ(a.ts_event, b.ts_event) << "bar " << i;
  EXPECT_EQ(a.ts_recv, b.ts_recv) << "bar " << i;
  EXPECT_EQ(a.open, b.open) << "bar " << i;
  EXPECT_EQ(a.high, b.high) << "bar " << i;
  EXPECT_EQ(a.low, b.low) << "bar " << i;
  EXPECT_EQ(a.close, b.close) << "bar " << i;
  EXPECT_EQ(a.volume, b.volume) << "bar " << i;
}

// All bars of a stream, or its error.
core::Result<std::vector<model::Bar>> drain(BarCsvStream& stream, std::size_t* batches = nullptr) {
  std::vector<model::Bar> out;
  while (true) {
    auto batch = stream.next_batch();
    if (!batch) return batch.error();
    if (batch->empty()) return out;
    if (batches != nullptr) ++*batches;
    out.insert(out.end(), batch->begin(), batch->end());
  }
}

void expect_stream_equals_reader(const std::filesystem::path& path, const BarCsvStreamOptions& options) {
  SCOPED_TRACE(path.string() + fmt::format(" buffer {} batch {}", options.buffer_bytes, options.batch_bars));
  auto format = BarCsvStream::detect_format(path);
  ASSERT_TRUE(format.has_value());
  model::BarSeries whole;
  if (*format == BarCsvFormat::BinanceKlines) {
    auto r = read_binance_klines(path);
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    whole = std::move(r->series);
  } else {
    auto r = read_ohlcv_csv(path, options.ohlcv);
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    whole = std::move(*r);
  }
  auto stream = BarCsvStream::open(path, *format, options);
  ASSERT_TRUE(stream.has_value()) << stream.error().to_string();
  if (*format == BarCsvFormat::Ohlcv) {
    EXPECT_EQ(stream->interval(), whole.interval);
  }
  auto bars = drain(*stream);
  ASSERT_TRUE(bars.has_value()) << bars.error().to_string();
  ASSERT_EQ(bars->size(), whole.bars.size());
  for (std::size_t i = 0; i < bars->size(); ++i) expect_same_bar((*bars)[i], whole.bars[i], i);
  EXPECT_EQ(stream->bars_read(), whole.bars.size());
}

TEST(BarCsvStream, StreamsTheSixSharedDataFilesAsTheWholeFileReaderReadsThem) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  for (const char* name : {"orcl-1995-2014-daily.csv", "nvda-1999-2014-daily.csv", "goog-2004-2013-daily.csv",
                           "eurusd-2017-2018-hourly.csv", "btcusd-2012-2024-monthly.csv", "futures-2006-minute.csv"}) {
    expect_stream_equals_reader(dir / name, BarCsvStreamOptions{});
    // A 1 KiB buffer: the files span many chunks, with lines cut at every kind of place.
    expect_stream_equals_reader(dir / name, BarCsvStreamOptions{{}, 1024, 100});
  }
}

// A seeded random walk as OHLCV CSV text: epoch-millisecond minutes, prices with 2 decimals.
std::string walk_csv(std::size_t rows, bool header) {
  std::string out = header ? "timestamp,open,high,low,close,volume\n" : "";
  std::int64_t price = 5'000'000;
  std::uint64_t state = 42;
  for (std::size_t i = 0; i < rows; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto step = static_cast<std::int64_t>((state >> 33) % 2001) - 1000;
    const std::int64_t open = price;
    price = std::max<std::int64_t>(price + step, 100'000);
    const std::int64_t high = std::max(open, price) + 37, low = std::min(open, price) - 41;
    out += fmt::format("{},{}.{:02},{}.{:02},{}.{:02},{}.{:02},{}\n", 1'704'067'200'000 + static_cast<std::int64_t>(i) * 60'000,
                       open / 100, open % 100, high / 100, high % 100, low / 100, low % 100, price / 100, price % 100,
                       (state >> 40) % 1000);
  }
  return out;
}

TEST(BarCsvStream, AFileOfSeveralChunksStreamsExactlyWithLinesSplitAcrossChunks) {
  testkit::TempDir dir;
  // 120,000 rows of about 50 bytes: about 6 MB, so the default 4 MiB buffer is refilled and the line at the
  // chunk boundary is split; a 4,099-byte buffer (prime, so cuts fall at every column) splits hundreds.
  const std::string text = walk_csv(120'000, true);
  ASSERT_GT(text.size(), std::size_t{5} << 20);
  const auto path = dir.write("walk.csv", text);
  expect_stream_equals_reader(path, BarCsvStreamOptions{});
  expect_stream_equals_reader(path, BarCsvStreamOptions{{}, 4099, 333});
  // The batches are at most batch_bars long.
  auto stream = BarCsvStream::open(path, BarCsvFormat::Ohlcv, BarCsvStreamOptions{{}, 4099, 1000});
  ASSERT_TRUE(stream.has_value());
  std::size_t batches = 0;
  auto bars = drain(*stream, &batches);
  ASSERT_TRUE(bars.has_value());
  EXPECT_EQ(batches, 120u);  // 120,000 / 1,000
  EXPECT_EQ(stream->interval(), std::chrono::minutes(1));
  // The first bar, read off the text: 2024-01-01T00:00:00Z, open 50000.00.
  EXPECT_EQ(bars->front().ts_event, *core::parse_timestamp("2024-01-01T00:00:00Z"));
  EXPECT_EQ(bars->front().ts_recv, *core::parse_timestamp("2024-01-01T00:01:00Z"));
  EXPECT_EQ(bars->front().open, *model::Price::parse("50000.00"));
}

TEST(BarCsvStream, UnusualLayoutsAndLinesLongerThanTheBufferMatchTheWholeFileReader) {
  testkit::TempDir dir;
  // A byte-order mark, CRLF line ends, blank lines, quoted cells, a date + time layout with ';' and extra
  // columns, and a header longer than the 64-byte buffer (which then grows).
  std::string text = "\xEF\xBB\xBF" "Date;Time;Open;High;Low;Close;Volume;Open Interest;Some Very Long Column Name\r\n";
  for (int i = 0; i < 300; ++i) {
    text += fmt::format("2006-01-{:02};{:02}:{:02}:00;\"{}.5\";{}.75;{}.25;{}.5;{};7;x\r\n", 2 + i / 120, (i / 60) % 2 + 9,
                        i % 60, 3600 + i, 3601 + i, 3599 + i, 3600 + i, 10 + i);
    if (i % 50 == 0) text += "\r\n";
  }
  const auto path = dir.write("futures.csv", text);
  expect_stream_equals_reader(path, BarCsvStreamOptions{{}, 64, 1});
  expect_stream_equals_reader(path, BarCsvStreamOptions{{}, 4096, 17});
  // Labelled at the interval end, with a given interval.
  OhlcvCsvReadOptions end_label;
  end_label.timestamp_label = BarTimestampLabel::IntervalEnd;
  end_label.interval = std::chrono::minutes(1);
  expect_stream_equals_reader(path, BarCsvStreamOptions{end_label, 100, 9});
}

TEST(BarCsvStream, StreamsBinanceKlinesAsTheKlineReader) {
  testkit::TempDir dir;
  std::string text = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
                     "taker_buy_quote_volume,ignore\n";
  for (std::int64_t i = 0; i < 2000; ++i) {
    const std::int64_t open_time = 1'704'067'200'000 + i * 3'600'000;
    const std::int64_t k = 1000 + i % 900;  // open 4k.10, high 4(k+1).90, low 4k.00, close 4k.50
    text += fmt::format("{},4{}.10,4{}.90,4{}.00,4{}.50,12.5,{},500.0,{},6.25,250.0,0\n", open_time, k, k + 1, k, k,
                        open_time + 3'599'999, 100 + i);
  }
  const auto path = dir.write("BTCUSDT-1h.csv", text);
  EXPECT_EQ(*BarCsvStream::detect_format(path), BarCsvFormat::Ohlcv);  // the header makes it "generic" to detection
  auto stream = BarCsvStream::open(path, BarCsvFormat::BinanceKlines, BarCsvStreamOptions{{}, 1000, 64});
  ASSERT_TRUE(stream.has_value()) << stream.error().to_string();
  EXPECT_EQ(stream->interval(), std::chrono::hours(1));
  auto bars = drain(*stream);
  ASSERT_TRUE(bars.has_value()) << bars.error().to_string();
  auto whole = read_binance_klines(path);
  ASSERT_TRUE(whole.has_value());
  ASSERT_EQ(bars->size(), 2000u);
  for (std::size_t i = 0; i < bars->size(); ++i) expect_same_bar((*bars)[i], whole->series.bars[i], i);

  // Without the header the first line is 12 numeric fields: detected as Binance klines.
  const auto bare = dir.write("bare.csv", text.substr(text.find('\n') + 1));
  EXPECT_EQ(*BarCsvStream::detect_format(bare), BarCsvFormat::BinanceKlines);
  expect_stream_equals_reader(bare, BarCsvStreamOptions{{}, 777, 50});
}

TEST(BarCsvStream, AMalformedLineDeepInTheFileGivesTheSameFileLineErrorAsTheWholeFileReader) {
  testkit::TempDir dir;
  std::string text = walk_csv(50'000, true);
  // Physical line 40,001 (the header is line 1): row 40,000's high replaced by text.
  std::size_t pos = 0;
  for (int line = 1; line < 40'001; ++line) pos = text.find('\n', pos) + 1;
  const std::size_t first_comma = text.find(',', pos);
  const std::size_t second_comma = text.find(',', first_comma + 1);
  const std::size_t third_comma = text.find(',', second_comma + 1);
  text.replace(second_comma + 1, third_comma - second_comma - 1, "12x4");
  const auto path = dir.write("bad.csv", text);

  auto whole = read_ohlcv_csv(path);
  ASSERT_FALSE(whole.has_value());
  EXPECT_EQ(whole.error().where(), path.string() + ":40001");

  for (std::size_t buffer : {std::size_t{4} << 20, std::size_t{1000}}) {
    auto stream = BarCsvStream::open(path, BarCsvFormat::Ohlcv, BarCsvStreamOptions{{}, buffer, 4096});
    ASSERT_TRUE(stream.has_value()) << stream.error().to_string();
    auto bars = drain(*stream);
    ASSERT_FALSE(bars.has_value());
    EXPECT_EQ(bars.error().where(), path.string() + ":40001");
    EXPECT_EQ(bars.error().message(), whole.error().message());
    EXPECT_NE(bars.error().message().find("column 3 (high)"), std::string::npos) << bars.error().message();
    // The stream stays at the error.
    auto again = stream->next_batch();
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().where(), path.string() + ":40001");
  }

  // An out-of-order row: the same check and wording as the whole-file reader.
  std::string unordered = walk_csv(100, false);
  const std::size_t line_90 = [&] {
    std::size_t p = 0;
    for (int line = 1; line < 90; ++line) p = unordered.find('\n', p) + 1;
    return p;
  }();
  // Line 90 back at the first row's time (after the 65 rows the stream reads ahead when it opens).
  unordered.replace(line_90, 13, "1704067200000");
  const auto path2 = dir.write("unordered.csv", unordered);
  auto whole2 = read_ohlcv_csv(path2);
  ASSERT_FALSE(whole2.has_value());
  auto stream2 = BarCsvStream::open(path2, BarCsvFormat::Ohlcv, BarCsvStreamOptions{{}, 512, 10});
  ASSERT_TRUE(stream2.has_value());
  auto bars2 = drain(*stream2);
  ASSERT_FALSE(bars2.has_value());
  EXPECT_EQ(bars2.error().where(), path2.string() + ":90");
  EXPECT_EQ(bars2.error().message(), whole2.error().message());
}

TEST(BarCsvStream, AnErrorInTheFirstRowsOrAMissingFileComesOutOfOpen) {
  testkit::TempDir dir;
  const auto path = dir.write("early.csv", "timestamp,open,high,low,close\n1704067200000,10,9,11,10\n");
  auto stream = BarCsvStream::open(path, BarCsvFormat::Ohlcv);
  ASSERT_FALSE(stream.has_value());
  EXPECT_EQ(stream.error().where(), path.string() + ":2");
  EXPECT_FALSE(BarCsvStream::open(dir.path() / "missing.csv", BarCsvFormat::Ohlcv).has_value());
  // Nothing but blank lines: an empty stream, as the whole-file reader gives an empty series.
  const auto blank = dir.write("blank.csv", "\n\n");
  auto empty = BarCsvStream::open(blank, BarCsvFormat::Ohlcv);
  ASSERT_TRUE(empty.has_value()) << empty.error().to_string();
  auto batch = empty->next_batch();
  ASSERT_TRUE(batch.has_value());
  EXPECT_TRUE(batch->empty());
}

// read_bar_file: the whole file in the detected format. An OHLCV file's timestamps name the bar start unless
// the label says end; a Binance kline file names both ends itself, so the label does not move its bars.
TEST(ReadBarFile, DetectsTheFormatAndAppliesTheTimestampLabelToOhlcvFilesOnly) {
  testkit::TempDir dir;
  // 2024-01-01T00:05:00Z = 1704067500000 ms.
  const auto ohlcv = dir.write("x.csv", "timestamp,open,high,low,close,volume\n"
                                        "1704067500000,10,11,9,10.5,1\n1704067800000,10.5,12,10,11,2\n"
                                        "1704068100000,11,11.5,10.5,11.2,3\n");
  const core::UnixNanos t5(1'704'067'500'000LL * 1'000'000);
  const core::Duration five = std::chrono::minutes(5);
  auto start = read_bar_file(ohlcv);
  ASSERT_TRUE(start.has_value()) << start.error().to_string();
  ASSERT_EQ(start->bars.size(), 3u);
  EXPECT_EQ(start->bars[0].ts_event, t5);
  EXPECT_EQ(start->bars[0].ts_recv, t5 + five);
  OhlcvCsvReadOptions end;
  end.timestamp_label = BarTimestampLabel::IntervalEnd;
  auto ended = read_bar_file(ohlcv, end);
  ASSERT_TRUE(ended.has_value()) << ended.error().to_string();
  EXPECT_EQ(ended->bars[0].ts_event, t5 - five);  // the bar that closed at 00:05 opened at 00:00
  EXPECT_EQ(ended->bars[0].ts_recv, t5);
  EXPECT_EQ(ended->bars[2].close, model::Price::parse("11.2").value());

  // 12 numeric columns: Binance klines, open 00:00, close_time 00:04:59.999.
  const auto klines = dir.write("k.csv", "1704067200000,10,11,9,10.5,1,1704067499999,10,3,0.5,5,0\n"
                                         "1704067500000,10.5,12,10,11,2,1704067799999,21,4,1,10.5,0\n");
  for (const auto label : {BarTimestampLabel::IntervalStart, BarTimestampLabel::IntervalEnd}) {
    OhlcvCsvReadOptions o;
    o.timestamp_label = label;
    auto k = read_bar_file(klines, o);
    ASSERT_TRUE(k.has_value()) << k.error().to_string();
    ASSERT_EQ(k->bars.size(), 2u);
    EXPECT_EQ(k->bars[1].ts_event, t5);
    EXPECT_EQ(k->bars[1].ts_recv, t5 + five);
  }
  // The format can be forced: read as OHLCV, the kline file's 12 columns are no layout the reader knows.
  EXPECT_FALSE(read_bar_file(klines, {}, BarCsvFormat::Ohlcv).has_value());
  EXPECT_EQ(read_bar_file(dir.path() / "missing.csv").error().code(), core::ErrorCode::IoError);
}

TEST(ReadBarFile, TheLabelIsSpelledStartOrEnd) {
  EXPECT_EQ(parse_bar_timestamp_label("start").value(), BarTimestampLabel::IntervalStart);
  EXPECT_EQ(parse_bar_timestamp_label("END").value(), BarTimestampLabel::IntervalEnd);
  auto bad = parse_bar_timestamp_label("close");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_NE(bad.error().message().find("'close' is not a bar time"), std::string::npos) << bad.error().message();
  EXPECT_EQ(to_string(BarTimestampLabel::IntervalStart), "start");
  EXPECT_EQ(to_string(BarTimestampLabel::IntervalEnd), "end");
}

}  // namespace
}  // namespace ballast::data
