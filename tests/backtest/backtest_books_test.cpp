// run_backtest replays L2 books through the kernel and the simulated venue: a market order walks the
// replayed levels, a resting limit fills when the book quotes through it, the position is marked at the
// mid, strategies see each book, and books, trades and bars merge in time by the documented tie rule.
// Every expected number is worked out by hand in the comments (instrument: model::test::linear_perp —
// tick 0.1, taker fee 4 bp, maker fee 2 bp).

#include "ballast/backtest/backtest_engine.hpp"

#include "ballast/data/book_csv.hpp"
#include "model/test_support.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ballast::backtest {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;

constexpr std::int64_t kSecond = 1'000'000'000;

data::BookEventSeries books_of(const model::Instrument& instrument, const std::string& csv) {
  data::BookCsvReadOptions o;
  o.instrument_id = instrument.id();
  o.epoch_unit = core::EpochUnit::Seconds;
  return data::parse_book_csv(csv, "book.csv", o).value();
}

// What a strategy saw of one book.
struct SeenBook {
  core::UnixNanos now;
  std::optional<model::Price> best_bid;
  std::optional<model::Price> best_ask;
  std::size_t bid_levels{0};
  std::size_t ask_levels{0};
  model::Quantity best_bid_size;
};

// What a BookTrader saw; it outlives the run (the kernel owns and destroys the strategy).
struct Seen {
  std::vector<SeenBook> books;
  std::vector<std::string> calls;  // "book@1", "trade@2", "bar@2": callback and clock second
};

// Sends `intent` (if any) on the first book it sees and records every book and callback.
class BookTrader final : public strategy::Strategy {
 public:
  BookTrader(std::optional<strategy::OrderIntent> intent, Seen* seen)
      : parameters_("book_trader", {}), intent_(std::move(intent)), seen_(seen) {}
  std::string_view name() const noexcept override { return "book_trader"; }
  const strategy::StrategyParameters& parameters() const noexcept override { return parameters_; }
  void on_book(strategy::StrategyContext& context, const model::OrderBook& book) override {
    SeenBook s;
    s.now = context.now();
    s.best_bid = book.best_bid_price();
    s.best_ask = book.best_ask_price();
    s.bid_levels = book.level_count(OrderSide::Buy);
    s.ask_levels = book.level_count(OrderSide::Sell);
    if (const auto b = book.best_bid()) s.best_bid_size = b->size;
    seen_->books.push_back(s);
    seen_->calls.push_back(fmt::format("book@{}", context.now().value / kSecond));
    if (intent_ && !sent_) {
      sent_ = true;
      ASSERT_TRUE(context.submit(*intent_));
    }
  }
  void on_trade(strategy::StrategyContext& context, const model::TradeTick&) override {
    seen_->calls.push_back(fmt::format("trade@{}", context.now().value / kSecond));
  }
  void on_bar(strategy::StrategyContext& context, const core::InstrumentId&, const model::Bar&) override {
    seen_->calls.push_back(fmt::format("bar@{}", context.now().value / kSecond));
  }

 private:
  strategy::StrategyParameters parameters_;
  std::optional<strategy::OrderIntent> intent_;
  Seen* seen_;
  bool sent_{false};
};

// The config of one BookTrader recording into `seen`.
BacktestConfig book_config(std::optional<strategy::OrderIntent> intent, Seen& seen) {
  BacktestConfig c;
  c.starting_balance = dec("100000");
  c.risk.circuit_breakers.clear();
  c.strategies.push_back([intent, &seen]() -> core::Result<std::unique_ptr<strategy::Strategy>> {
    return std::unique_ptr<strategy::Strategy>(std::make_unique<BookTrader>(intent, &seen));
  });
  return c;
}

strategy::OrderIntent market_buy(const model::Instrument& instrument, std::string_view quantity) {
  strategy::OrderIntent i;
  i.instrument_id = instrument.id();
  i.side = OrderSide::Buy;
  i.quantity = qty(quantity);
  return i;
}

// t = 1 s: bids 49,990 × 1, 49,980 × 2; asks 50,010 × 0.3, 50,020 × 0.5, 50,030 × 1 (mid 50,000).
// t = 2 s: the best bid grows to 1.5 (mid still 50,000).
// t = 3 s: the three asks are gone, a new ask 50,070 × 1 and a new best bid 50,050 × 1 (mid 50,060).
const char* const kWalkBook =
    "timestamp,kind,side,price,size\n"
    "1,SNAPSHOT,BID,49990.0,1\n"
    "1,SNAPSHOT,BID,49980.0,2\n"
    "1,SNAPSHOT,ASK,50010.0,0.3\n"
    "1,SNAPSHOT,ASK,50020.0,0.5\n"
    "1,SNAPSHOT,ASK,50030.0,1\n"
    "2,UPDATE,BID,49990.0,1.5\n"
    "3,UPDATE,ASK,50010.0,0\n"
    "3,UPDATE,ASK,50020.0,0\n"
    "3,UPDATE,ASK,50030.0,0\n"
    "3,UPDATE,ASK,50070.0,1\n"
    "3,UPDATE,BID,50050.0,1\n";

TEST(BacktestBooks, AMarketBuyWalksTwoReplayedLevelsAndTheMidMarksThePosition) {
  const auto instrument = model::test::linear_perp();
  const auto books = books_of(instrument, kWalkBook);
  Seen seen;
  const InstrumentData data[] = {{&instrument, {}, {}, nullptr, &books}};
  const auto out = run_backtest(book_config(market_buy(instrument, "0.5"), seen), data).value();

  EXPECT_EQ(out.books, 3u);
  EXPECT_EQ(out.trades, 0u);
  EXPECT_EQ(out.bars, 0u);
  // Sent on the book at 1 s, filled on the book at 2 s: 0.3 at 50,010 and 0.2 at 50,020 (VWAP
  // (15,003 + 10,004) / 0.5 = 50,014), taker fees 15,003 × 0.0004 = 6.0012 and 10,004 × 0.0004 = 4.0016.
  ASSERT_EQ(out.fills.size(), 2u);
  EXPECT_EQ(out.fills[0].side, OrderSide::Buy);
  EXPECT_EQ(out.fills[0].last_px, px("50010.0"));
  EXPECT_EQ(out.fills[0].last_qty, qty("0.3"));
  EXPECT_EQ(out.fills[0].liquidity_side, model::LiquiditySide::Taker);
  EXPECT_EQ(out.fills[0].commission, usdt("6.0012"));
  EXPECT_EQ(out.fills[1].last_px, px("50020.0"));
  EXPECT_EQ(out.fills[1].last_qty, qty("0.2"));
  EXPECT_EQ(out.fills[1].commission, usdt("4.0016"));
  EXPECT_EQ(out.fills[0].ts_event, core::UnixNanos(2 * kSecond));
  const double vwap = (out.fills[0].last_px.as_double() * 0.3 + out.fills[1].last_px.as_double() * 0.2) / 0.5;
  EXPECT_NEAR(vwap, 50014.0, 1e-9);

  // Equity per time step: 100,000 before any position; at 2 s marked at mid 50,000:
  // 0.5 × (50,000 − 50,014) − 10.0028 = −17.0028; at 3 s at mid 50,060: 0.5 × 46 − 10.0028 = 12.9972.
  ASSERT_EQ(out.run.equity.size(), 3u);
  EXPECT_NEAR(out.run.equity[0].equity, 100000.0, 1e-9);
  EXPECT_NEAR(out.run.equity[1].equity, 100000.0 - 7.0 - 10.0028, 1e-6);
  EXPECT_NEAR(out.run.equity[2].equity, 100000.0 + 23.0 - 10.0028, 1e-6);
  EXPECT_EQ(out.run.equity[2].ts, core::UnixNanos(3 * kSecond));
  // The price series is the mid; buy and hold from the first mid: 100,000 × 50,060 / 50,000 = 100,120.
  ASSERT_EQ(out.run.prices.size(), 3u);
  EXPECT_DOUBLE_EQ(out.run.prices[0].close, 50000.0);
  EXPECT_DOUBLE_EQ(out.run.prices[2].close, 50060.0);
  EXPECT_NEAR(benchmark_curve(out.run).back().equity, 100120.0, 1e-6);

  // The strategy saw each book as replayed.
  const auto& b = seen.books;
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].now, core::UnixNanos(kSecond));
  EXPECT_EQ(b[0].best_bid, px("49990.0"));
  EXPECT_EQ(b[0].best_ask, px("50010.0"));
  EXPECT_EQ(b[0].bid_levels, 2u);
  EXPECT_EQ(b[0].ask_levels, 3u);
  EXPECT_EQ(b[1].best_bid_size, qty("1.5"));
  EXPECT_EQ(b[2].best_bid, px("50050.0"));
  EXPECT_EQ(b[2].best_ask, px("50070.0"));
  EXPECT_EQ(b[2].bid_levels, 3u);
  EXPECT_EQ(b[2].ask_levels, 1u);
}

TEST(BacktestBooks, ARestingLimitFillsWhenTheBookQuotesThroughIt) {
  const auto instrument = model::test::linear_perp();
  // t = 1 s: bid 49,990 × 1, ask 50,010 × 1. t = 2 s: the ask shrinks (no cross). t = 3 s: the bid leaves,
  // a bid at 49,970 and an ask at 49,984 — at or through our 49,985 buy limit.
  const auto books = books_of(instrument,
                              "1,SNAPSHOT,BID,49990.0,1\n"
                              "1,SNAPSHOT,ASK,50010.0,1\n"
                              "2,UPDATE,ASK,50010.0,0.4\n"
                              "3,UPDATE,BID,49990.0,0\n"
                              "3,UPDATE,BID,49970.0,1\n"
                              "3,UPDATE,ASK,50010.0,0\n"
                              "3,UPDATE,ASK,49984.0,1\n");
  strategy::OrderIntent limit = market_buy(instrument, "0.2");
  limit.type = model::OrderType::Limit;
  limit.price = px("49985.0");
  Seen seen;
  const InstrumentData data[] = {{&instrument, {}, {}, nullptr, &books}};
  const auto out = run_backtest(book_config(limit, seen), data).value();

  // Rests from 2 s (not marketable against the 50,010 ask), fills in full at its limit at 3 s as maker:
  // fee 0.2 × 49,985 × 0.0002 = 9,997 × 0.0002 = 1.9994.
  ASSERT_EQ(out.fills.size(), 1u);
  EXPECT_EQ(out.fills[0].last_px, px("49985.0"));
  EXPECT_EQ(out.fills[0].last_qty, qty("0.2"));
  EXPECT_EQ(out.fills[0].liquidity_side, model::LiquiditySide::Maker);
  EXPECT_EQ(out.fills[0].ts_event, core::UnixNanos(3 * kSecond));
  EXPECT_EQ(out.fills[0].commission, usdt("1.9994"));
  // Marked at the mid (49,970 + 49,984) / 2 = 49,977: 0.2 × (49,977 − 49,985) = −1.6; equity
  // 100,000 − 1.6 − 1.9994.
  EXPECT_NEAR(out.run.equity.back().equity, 100000.0 - 1.6 - 1.9994, 1e-6);
}

TEST(BacktestBooks, WithTradesARestingLimitFillsWhenTradesAtItsPriceExhaustTheSizeAhead) {
  const auto instrument = model::test::linear_perp();
  // Our buy limit 0.2 at 49,990 (the best bid, 1 BTC resting there) is sent at 1 s and joins the back of
  // the queue at the 2 s book: 1 ahead. Sells at 49,990: 0.5 at 3 s (0.5 still ahead, no fill), 0.6 at
  // 4 s (0.5 ahead, then 0.1 reaches us: a maker fill of 0.1, fee 0.1 × 49,990 × 0.0002 = 0.9998).
  const auto books = books_of(instrument,
                              "1,SNAPSHOT,BID,49990.0,1\n"
                              "1,SNAPSHOT,ASK,50010.0,1\n"
                              "2,UPDATE,ASK,50010.0,0.9\n");
  std::vector<model::TradeTick> trades;
  for (const auto& [seconds, size] : {std::pair{3, "0.5"}, std::pair{4, "0.6"}}) {
    model::TradeTick t;
    t.instrument_id = instrument.id();
    t.price = px("49990.0");
    t.size = qty(size);
    t.aggressor = model::AggressorSide::Seller;
    t.trade_id = core::TradeId(fmt::format("T{}", seconds));
    t.ts_event = t.ts_recv = core::UnixNanos(seconds * kSecond);
    trades.push_back(t);
  }
  strategy::OrderIntent limit = market_buy(instrument, "0.2");
  limit.type = model::OrderType::Limit;
  limit.price = px("49990.0");
  const InstrumentData data[] = {{&instrument, {}, trades, nullptr, &books}};
  Seen seen;
  const auto out = run_backtest(book_config(limit, seen), data).value();
  ASSERT_EQ(out.fills.size(), 1u);
  EXPECT_EQ(out.fills[0].last_px, px("49990.0"));
  EXPECT_EQ(out.fills[0].last_qty, qty("0.1"));
  EXPECT_EQ(out.fills[0].liquidity_side, model::LiquiditySide::Maker);
  EXPECT_EQ(out.fills[0].ts_event, core::UnixNanos(4 * kSecond));
  EXPECT_EQ(out.fills[0].commission, usdt("0.9998"));
}

TEST(BacktestBooks, TwoRunsOfTheSameBooksAreIdentical) {
  const auto instrument = model::test::linear_perp();
  const auto books = books_of(instrument, kWalkBook);
  const InstrumentData data[] = {{&instrument, {}, {}, nullptr, &books}};
  Seen seen_a, seen_b;
  const auto a = run_backtest(book_config(market_buy(instrument, "1"), seen_a), data).value();
  const auto b = run_backtest(book_config(market_buy(instrument, "1"), seen_b), data).value();
  ASSERT_EQ(a.fills.size(), b.fills.size());
  ASSERT_EQ(a.fills.size(), 3u);  // 0.3 at 50,010, 0.5 at 50,020, 0.2 at 50,030
  for (std::size_t i = 0; i < a.fills.size(); ++i) {
    EXPECT_EQ(a.fills[i].last_px, b.fills[i].last_px);
    EXPECT_EQ(a.fills[i].last_qty, b.fills[i].last_qty);
    EXPECT_EQ(a.fills[i].ts_event, b.fills[i].ts_event);
    EXPECT_EQ(a.fills[i].commission, b.fills[i].commission);
    EXPECT_EQ(a.fills[i].trade_id, b.fills[i].trade_id);
  }
  ASSERT_EQ(a.run.equity.size(), b.run.equity.size());
  for (std::size_t i = 0; i < a.run.equity.size(); ++i) {
    EXPECT_EQ(a.run.equity[i].ts, b.run.equity[i].ts);
    EXPECT_EQ(a.run.equity[i].equity, b.run.equity[i].equity);  // bit for bit
  }
}

TEST(BacktestBooks, BooksTradesAndBarsMergeByTimeTradesBeforeBooksAtEqualTimes) {
  const auto instrument = model::test::linear_perp();
  // A bar [1 s, 2 s); a book snapshot at 1 s and an update at 2 s; a trade at 2 s.
  // Order: the book at 1 s (before the bar's end), the bar (complete at 2 s: bars first at equal times),
  // the trade at 2 s, then the book at 2 s (a trade before a book at the same time).
  const std::vector<model::Bar> bars = {{core::UnixNanos(kSecond), core::UnixNanos(2 * kSecond), px("50000"),
                                         px("50010"), px("49990"), px("50005"), qty("10")}};
  model::TradeTick trade;
  trade.instrument_id = instrument.id();
  trade.price = px("50005.0");
  trade.size = qty("0.1");
  trade.trade_id = core::TradeId("T1");
  trade.ts_event = trade.ts_recv = core::UnixNanos(2 * kSecond);
  const std::vector<model::TradeTick> trades = {trade};
  const auto books = books_of(instrument,
                              "1,SNAPSHOT,BID,49990.0,1\n"
                              "1,SNAPSHOT,ASK,50010.0,1\n"
                              "2,UPDATE,BID,50000.0,1\n");
  Seen seen;
  const InstrumentData data[] = {{&instrument, bars, trades, nullptr, &books}};
  const auto out = run_backtest(book_config(std::nullopt, seen), data).value();
  EXPECT_EQ(seen.calls, (std::vector<std::string>{"book@1", "bar@2", "trade@2", "book@2"}));
  EXPECT_EQ(out.bars, 1u);
  EXPECT_EQ(out.trades, 1u);
  EXPECT_EQ(out.books, 2u);
  // One equity sample per time step: 1 s and 2 s.
  ASSERT_EQ(out.run.equity.size(), 2u);
  EXPECT_EQ(out.run.equity[1].ts, core::UnixNanos(2 * kSecond));
}

TEST(BacktestBooks, BooksOfSeveralInstrumentsMergeInTime) {
  const auto first = model::test::linear_perp();
  model::InstrumentSpec spec = model::test::linear_perp_spec();
  spec.id = core::InstrumentId::parse("ETHUSDT-PERP.BINANCE").value();
  const auto second = model::Instrument::create(spec).value();
  const auto a = books_of(first, "1,SNAPSHOT,BID,100.0,1\n3,UPDATE,BID,100.0,2\n");
  const auto b = books_of(second, "2,SNAPSHOT,ASK,200.0,1\n3,UPDATE,ASK,200.0,2\n");
  Seen seen;
  const InstrumentData data[] = {{&first, {}, {}, nullptr, &a}, {&second, {}, {}, nullptr, &b}};
  const auto out = run_backtest(book_config(std::nullopt, seen), data).value();
  // Times 1, 2, 3, 3 (at 3 s the first instrument first).
  EXPECT_EQ(seen.calls, (std::vector<std::string>{"book@1", "book@2", "book@3", "book@3"}));
  EXPECT_EQ(out.books, 4u);
  EXPECT_EQ(out.run.equity.size(), 3u);
}

TEST(BacktestBooks, RejectsBooksOfAnotherInstrumentAndNamesTheLineOfABadEvent) {
  const auto instrument = model::test::linear_perp();
  Seen seen;
  model::InstrumentSpec spec = model::test::linear_perp_spec();
  spec.id = core::InstrumentId::parse("ETHUSDT-PERP.BINANCE").value();
  const auto other = model::Instrument::create(spec).value();
  const auto foreign = books_of(other, "1,SNAPSHOT,BID,100.0,1\n");
  const InstrumentData wrong[] = {{&instrument, {}, {}, nullptr, &foreign}};
  const auto a = run_backtest(book_config(std::nullopt, seen), wrong);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().where(), "books");
  EXPECT_NE(a.error().message().find("ETHUSDT-PERP.BINANCE"), std::string::npos) << a.error().message();

  // 50,000.05 is off the 0.1 tick: the replay stops at that event and names book.csv:3.
  const auto off_tick = books_of(instrument,
                                 "1,SNAPSHOT,BID,49990.0,1\n"
                                 "1,SNAPSHOT,ASK,50010.0,1\n"
                                 "2,UPDATE,ASK,50000.05,1\n");
  const InstrumentData bad[] = {{&instrument, {}, {}, nullptr, &off_tick}};
  const auto b = run_backtest(book_config(std::nullopt, seen), bad);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().where(), "book.csv:3");
  EXPECT_NE(b.error().message().find("book update of BTCUSDT-PERP.BINANCE"), std::string::npos) << b.error().message();

  // A series that starts with an update (built by hand: the reader refuses one).
  data::BookEventSeries update_first = books_of(instrument, "1,SNAPSHOT,BID,49990.0,1\n");
  update_first.events[0].kind = data::BookEventKind::Update;
  const InstrumentData first_update[] = {{&instrument, {}, {}, nullptr, &update_first}};
  const auto c = run_backtest(book_config(std::nullopt, seen), first_update);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("must start with a snapshot"), std::string::npos) << c.error().message();
}

}  // namespace
}  // namespace ballast::backtest
