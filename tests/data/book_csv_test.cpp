// L2 book CSV: the Ballast layout (timestamp,kind,side,price,size) and Tardis' incremental_book_L2, the
// grouping of rows into events, and every error with its source:line. Expected values are read off the
// hand-written files in each test.

#include "ballast/data/book_csv.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ballast::data {
namespace {

using model::OrderSide;

const core::InstrumentId kId = core::InstrumentId::parse("BTCUSDT.SIM").value();

BookCsvReadOptions options(BookCsvFormat format = BookCsvFormat::Auto) {
  BookCsvReadOptions o;
  o.instrument_id = kId;
  o.format = format;
  return o;
}

model::Price px(std::string_view text) {
  return model::Price::parse(text).value();
}
model::Quantity qty(std::string_view text) {
  return model::Quantity::parse(text).value();
}

TEST(BookCsv, GroupsRowsWithTheSameKindAndTimeIntoOneEvent) {
  const std::string text =
      "timestamp,kind,side,price,size\n"
      "1704067200000,SNAPSHOT,BID,100.0,2\n"  // line 2: snapshot at t0 (4 rows)
      "1704067200000,snapshot,bid,99.5,3\n"
      "1704067200000,SNAPSHOT,ASK,100.5,1.5\n"
      "1704067200000,SNAPSHOT,sell,101.0,4\n"
      "1704067200000,UPDATE,ASK,100.5,0\n"  // line 6: update at t0 (same time, other kind: a new event)
      "\n"
      "1704067201000,update,BUY,100.0,2.5\n"  // line 8: update at t0 + 1 s (2 rows)
      "1704067201000,UPDATE,ASK,100.6,1\n"
      "1704067202000,UPDATE,BID,99.5,0\n";  // line 10
  const auto series = parse_book_csv(text, "book.csv", options()).value();
  EXPECT_EQ(series.instrument_id, kId);
  EXPECT_EQ(series.source, "book.csv");
  ASSERT_EQ(series.events.size(), 4u);
  ASSERT_EQ(series.levels.size(), 8u);

  const core::UnixNanos t0 = core::UnixNanos::from_seconds(1704067200);
  const auto& snapshot = series.events[0];
  EXPECT_EQ(snapshot.kind, BookEventKind::Snapshot);
  EXPECT_EQ(snapshot.ts_event, t0);
  EXPECT_EQ(snapshot.ts_recv, t0);
  EXPECT_EQ(snapshot.count, 4u);
  EXPECT_EQ(snapshot.line, 2u);
  const auto levels = series.levels_of(snapshot);
  EXPECT_EQ(levels[1].side, OrderSide::Buy);
  EXPECT_EQ(levels[1].price, px("99.5"));
  EXPECT_EQ(levels[1].size, qty("3"));
  EXPECT_EQ(levels[3].side, OrderSide::Sell);  // "sell" is the ask side
  EXPECT_EQ(levels[3].price, px("101.0"));

  EXPECT_EQ(series.events[1].kind, BookEventKind::Update);
  EXPECT_EQ(series.events[1].ts_event, t0);
  EXPECT_EQ(series.events[1].count, 1u);
  EXPECT_EQ(series.events[1].line, 6u);
  EXPECT_TRUE(series.levels_of(series.events[1])[0].size.is_zero());

  EXPECT_EQ(series.events[2].ts_event, t0 + core::Duration(1'000'000'000));
  EXPECT_EQ(series.events[2].count, 2u);
  EXPECT_EQ(series.events[2].line, 8u);
  EXPECT_EQ(series.levels_of(series.events[2])[0].side, OrderSide::Buy);
  EXPECT_EQ(series.levels_of(series.events[2])[1].price, px("100.6"));
  EXPECT_EQ(series.events[3].first, 7u);  // rows 0–3, 4, 5–6, 7
  EXPECT_EQ(series.events[3].line, 10u);
}

TEST(BookCsv, ReadsTheBallastLayoutWithoutAHeaderAndWithIsoTimes) {
  const std::string text =
      "2024-01-01T00:00:00Z,SNAPSHOT,BID,100,1\n"
      "2024-01-01T00:00:00.250Z,UPDATE,ASK,101,2\n";
  const auto series = parse_book_csv(text, "b.csv", options(BookCsvFormat::Ballast)).value();
  ASSERT_EQ(series.events.size(), 2u);
  EXPECT_EQ(series.events[0].line, 1u);
  EXPECT_EQ(series.events[1].ts_event, core::UnixNanos::from_seconds(1704067200) + core::Duration(250'000'000));
}

TEST(BookCsv, ReadsTardisIncrementalBookL2) {
  // Times in µs: 1704067200000000 = 2024-01-01T00:00:00Z; local_timestamp 1.5 ms later.
  const std::string text =
      "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n"
      "binance-futures,BTCUSDT,1704067200000000,1704067200001500,true,bid,42000.1,1.25\n"
      "binance-futures,BTCUSDT,1704067200000000,1704067200001500,true,ask,42000.2,0.5\n"
      "binance-futures,BTCUSDT,1704067200100000,1704067200101000,false,ask,42000.2,0\n"
      "binance-futures,BTCUSDT,1704067200100000,1704067200101000,false,ask,42000.5,3\n"
      "binance-futures,BTCUSDT,1704067200200000,1704067200201000,true,bid,41999.0,2\n";
  const auto series = parse_book_csv(text, "tardis.csv", options()).value();
  ASSERT_EQ(series.events.size(), 3u);
  const core::UnixNanos t0 = core::UnixNanos::from_seconds(1704067200);
  EXPECT_EQ(series.events[0].kind, BookEventKind::Snapshot);
  EXPECT_EQ(series.events[0].count, 2u);
  EXPECT_EQ(series.events[0].ts_event, t0);
  EXPECT_EQ(series.events[0].ts_recv, t0 + core::Duration(1'500'000));
  EXPECT_EQ(series.events[1].kind, BookEventKind::Update);
  EXPECT_EQ(series.events[1].count, 2u);
  EXPECT_EQ(series.events[1].ts_event, t0 + core::Duration(100'000'000));
  EXPECT_EQ(series.events[1].line, 4u);
  EXPECT_EQ(series.levels_of(series.events[1])[1].price, px("42000.5"));
  EXPECT_EQ(series.levels_of(series.events[1])[1].size, qty("3"));
  EXPECT_EQ(series.events[2].kind, BookEventKind::Snapshot);  // a later snapshot resets the book
  EXPECT_EQ(series.events[2].line, 6u);

  // Without the header line the 8 columns still say Tardis.
  const std::string headless = text.substr(text.find('\n') + 1);
  const auto again = parse_book_csv(headless, "t.csv", options()).value();
  ASSERT_EQ(again.events.size(), 3u);
  EXPECT_EQ(again.events[0].line, 1u);
}

struct BadFile {
  std::string text;
  BookCsvFormat format;
  std::string where;
  core::ErrorCode code;
  std::string message_part;
};

TEST(BookCsv, EveryErrorNamesItsLineAndField) {
  const std::string ok2 = "1704067200000,SNAPSHOT,BID,100,1\n";
  const std::vector<BadFile> cases = {
      {"1704067200000,SNAPSHOT,BID,100\n", BookCsvFormat::Auto, "b.csv:1", core::ErrorCode::ParseError,
       "expected 5 columns (timestamp,kind,side,price,size) or 8 (Tardis incremental_book_L2), got 4"},
      {ok2 + "1704067200000,UPDATE,BID,100\n", BookCsvFormat::Auto, "b.csv:2", core::ErrorCode::ParseError,
       "expected 5 columns, got 4"},
      {ok2 + "1704067200000,UPDATE,BID,1o0,1\n", BookCsvFormat::Auto, "b.csv:2", core::ErrorCode::ParseError,
       "column 4 (price): invalid number '1o0'"},
      {ok2 + "1704067200000,UPDATE,BID,100,x\n", BookCsvFormat::Auto, "b.csv:2", core::ErrorCode::ParseError,
       "column 5 (size): invalid number 'x'"},
      {ok2 + "1704067200000,UPDATE,BID,100,-1\n", BookCsvFormat::Auto, "b.csv:2", core::ErrorCode::InvalidArgument,
       "column 5 (size): size -1 is negative"},
      {ok2 + "2024-13-01,UPDATE,BID,100,1\n", BookCsvFormat::Auto, "b.csv:2", core::ErrorCode::ParseError,
       "column 1 (timestamp): "},
      {ok2 + "1704067100000,UPDATE,BID,100,1\n", BookCsvFormat::Auto, "b.csv:2", core::ErrorCode::InvalidArgument,
       "timestamp 2023-12-31T23:58:20Z is before 2024-01-01T00:00:00Z on line 1"},
      {ok2 + "1704067200000,UPDATE,MID,100,1\n", BookCsvFormat::Auto, "b.csv:2", core::ErrorCode::ParseError,
       "column 3 (side): unknown side 'MID' (expected BID, ASK, BUY or SELL)"},
      {ok2 + "1704067200000,DELTA,BID,100,1\n", BookCsvFormat::Auto, "b.csv:2", core::ErrorCode::ParseError,
       "column 2 (kind): unknown kind 'DELTA' (expected SNAPSHOT or UPDATE)"},
      {"timestamp,kind,side,price,size\n1704067200000,UPDATE,BID,100,1\n", BookCsvFormat::Auto, "b.csv:2",
       core::ErrorCode::InvalidArgument, "an update before any snapshot"},
      {"x,BTC,1704067200000000,1704067200000000,true,bid,1,1\nx,ETH,1704067200000000,1704067200000000,true,bid,2,1\n",
       BookCsvFormat::Tardis, "b.csv:2", core::ErrorCode::InvalidArgument,
       "column 2 (symbol): 'ETH' differs from 'BTC' on line 1: a file holds one instrument"},
      {"x,BTC,1704067200000000,1704067200000000,maybe,bid,1,1\n", BookCsvFormat::Tardis, "b.csv:1",
       core::ErrorCode::ParseError, "column 5 (is_snapshot): unknown kind 'maybe' (expected true or false)"},
      {"x,BTC,1704067200000000,soon,true,bid,1,1\n", BookCsvFormat::Tardis, "b.csv:1", core::ErrorCode::ParseError,
       "column 4 (local_timestamp): "},
      {ok2, BookCsvFormat::Tardis, "b.csv:1", core::ErrorCode::ParseError, "expected 8 columns, got 5"},
  };
  for (const auto& c : cases) {
    const auto r = parse_book_csv(c.text, "b.csv", options(c.format));
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().where(), c.where) << c.text;
    EXPECT_EQ(r.error().code(), c.code) << c.text;
    EXPECT_NE(r.error().message().find(c.message_part), std::string::npos) << c.text << " → " << r.error().message();
  }
}

TEST(BookCsv, ReadsAFileAndReportsAMissingOne) {
  const auto missing = read_book_csv("/nonexistent/book.csv", options());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), core::ErrorCode::IoError);
}

}  // namespace
}  // namespace ballast::data
