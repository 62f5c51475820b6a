// Performance attribution by average cost and the equity grid: every expected value is worked by hand in
// the comment next to it (no value is taken from the code's own output).

#include "ballast/server/performance_report.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ballast::server {
namespace {

using core::Decimal;
using core::UnixNanos;

Decimal dec(const char* text) { return Decimal::parse(text).value(); }

UnixNanos day(std::int64_t d, std::int64_t seconds = 0) {
  return UnixNanos(d * core::kNanosPerDay + seconds * core::kNanosPerSecond);
}

struct FillBuilder {
  std::vector<AttributedFill> fills;
  FillBuilder& add(UnixNanos ts, const char* strategy, const char* instrument, model::OrderSide side, const char* qty,
                   const char* price, const char* fee = "0", const char* fee_currency = "USDT") {
    AttributedFill f;
    f.trade_id = "T" + std::to_string(fills.size() + 1);
    f.ts = ts;
    f.client_order_id = "O" + std::to_string(fills.size() + 1);
    f.strategy_id = strategy;
    f.instrument_id = instrument;
    f.side = side;
    f.quantity = dec(qty);
    f.price = dec(price);
    f.fee = dec(fee);
    f.fee_currency = fee_currency;
    fills.push_back(f);
    return *this;
  }
};

constexpr auto kBuy = model::OrderSide::Buy;
constexpr auto kSell = model::OrderSide::Sell;

PerformanceInput input_of(std::vector<AttributedFill> fills, PerformanceGrouping by = PerformanceGrouping::Strategy) {
  PerformanceInput in;
  in.fills = std::move(fills);
  in.currency = "USDT";
  in.by = by;
  in.to = day(100);
  return in;
}

const PerformanceGroup& group(const PerformanceReport& r, const std::string& key) {
  for (const auto& g : r.groups) {
    if (g.key == key) return g;
  }
  ADD_FAILURE() << "no group " << key;
  static const PerformanceGroup kNone{};
  return kNone;
}

TEST(PerformanceReport, RealisesAgainstTheAverageCostAndAFlipRealisesOnlyTheClosedPart) {
  FillBuilder b;
  b.add(day(1), "S", "BTCUSDT.PAPER", kBuy, "2", "100")
      .add(day(2), "S", "BTCUSDT.PAPER", kBuy, "2", "110")    // 4 @ avg 105 (cost 420)
      .add(day(3), "S", "BTCUSDT.PAPER", kSell, "3", "120")   // 3 × (120 − 105) = +45; 1 left, cost 105
      .add(day(4), "S", "BTCUSDT.PAPER", kSell, "3", "90");   // closes 1: 90 − 105 = −15; opens short 2 @ 90
  auto in = input_of(b.fills);
  in.instruments["BTCUSDT.PAPER"].mark = dec("95");
  const auto r = attribute_performance(in);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->groups.size(), 1u);
  const PerformanceMetrics& m = r->groups[0].metrics;
  EXPECT_EQ(m.realized_pnl, dec("30"));  // 45 − 15
  EXPECT_EQ(m.fills, 4u);
  EXPECT_EQ(m.traded_notional, dec("1050"));  // 200 + 220 + 360 + 270
  ASSERT_EQ(m.positions.size(), 1u);
  EXPECT_EQ(m.positions[0].quantity, dec("-2"));
  EXPECT_EQ(m.positions[0].avg_entry_price, dec("90"));
  ASSERT_TRUE(m.unrealized_pnl.has_value());
  EXPECT_EQ(*m.unrealized_pnl, dec("-10"));  // short 2 from 90 marked at 95: 180 − 190
  ASSERT_TRUE(m.total_pnl.has_value());
  EXPECT_EQ(*m.total_pnl, dec("20"));  // 30 − 0 fees − 10
  // One round trip (flat → 4 long → flip): +45 − 15 = +30, a win; the short opened by the flip is still open.
  EXPECT_EQ(m.round_trips, 1u);
  EXPECT_EQ(m.wins, 1u);
  ASSERT_TRUE(m.largest_win.has_value());
  EXPECT_EQ(*m.largest_win, dec("30"));
  EXPECT_FALSE(m.profit_factor.has_value());  // no loss
  ASSERT_TRUE(m.win_rate.has_value());
  EXPECT_DOUBLE_EQ(*m.win_rate, 1.0);
}

TEST(PerformanceReport, OrdersFillsByTimeWhateverTheirInputOrder) {
  // The store returns fills newest first: the same four fills as above, reversed, realise the same 45 − 15.
  FillBuilder b;
  b.add(day(4), "S", "X.PAPER", kSell, "3", "90")
      .add(day(3), "S", "X.PAPER", kSell, "3", "120")
      .add(day(2), "S", "X.PAPER", kBuy, "2", "110")
      .add(day(1), "S", "X.PAPER", kBuy, "2", "100");
  const auto r = attribute_performance(input_of(b.fills));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->groups.at(0).metrics.realized_pnl, dec("30"));
  ASSERT_EQ(r->groups.at(0).metrics.positions.size(), 1u);
  EXPECT_EQ(r->groups.at(0).metrics.positions[0].quantity, dec("-2"));
  ASSERT_TRUE(r->from.has_value());
  EXPECT_EQ(*r->from, day(1));  // all history starts at the first fill
}

TEST(PerformanceReport, MarksAShortPositionAgainstItsAverageEntry) {
  FillBuilder b;
  b.add(day(1), "S", "X.PAPER", kSell, "1", "50").add(day(2), "S", "X.PAPER", kSell, "3", "54");  // 4 short @ 53
  auto in = input_of(b.fills);
  in.instruments["X.PAPER"].mark = dec("51.5");
  const auto r = attribute_performance(in);
  ASSERT_TRUE(r) << r.error().to_string();
  const PerformanceMetrics& m = r->groups.at(0).metrics;
  ASSERT_EQ(m.positions.size(), 1u);
  EXPECT_EQ(m.positions[0].avg_entry_price, dec("53"));  // (50 + 162) / 4
  EXPECT_EQ(m.positions[0].unrealized_pnl.value(), dec("6"));  // 212 − 4 × 51.5
  EXPECT_EQ(m.round_trips, 0u);
  EXPECT_FALSE(m.win_rate.has_value());
}

TEST(PerformanceReport, SubtractsFeesAndSplitsAFlippingFillsFeeBetweenItsTwoRoundTrips) {
  FillBuilder b;
  b.add(day(1), "S", "X.PAPER", kBuy, "2", "100", "1")
      .add(day(2), "S", "X.PAPER", kBuy, "2", "110", "1")
      .add(day(3), "S", "X.PAPER", kSell, "3", "120", "1")
      .add(day(4), "S", "X.PAPER", kSell, "3", "90", "3")   // fee 3: 1 closes (1/3 → 1), 2 opens (→ 2)
      .add(day(5), "S", "X.PAPER", kBuy, "2", "80", "1");   // closes the short 2 @ 90: +20
  const auto r = attribute_performance(input_of(b.fills));
  ASSERT_TRUE(r) << r.error().to_string();
  const PerformanceMetrics& m = r->groups.at(0).metrics;
  EXPECT_EQ(m.realized_pnl, dec("50"));  // 45 − 15 + 20
  EXPECT_EQ(m.fees, dec("7"));           // 1 + 1 + 1 + 3 + 1
  EXPECT_EQ(m.net_pnl, dec("43"));
  // Trip 1: 30 − (1 + 1 + 1 + 1) = 26; trip 2: 20 − (2 + 1) = 17.
  EXPECT_EQ(m.round_trips, 2u);
  EXPECT_EQ(m.wins, 2u);
  EXPECT_EQ(m.gross_profit, dec("43"));
  ASSERT_TRUE(m.largest_win && m.average_win);
  EXPECT_EQ(*m.largest_win, dec("26"));
  EXPECT_EQ(*m.average_win, dec("21.5"));  // 43 / 2
  EXPECT_TRUE(m.positions.empty());
  ASSERT_TRUE(m.unrealized_pnl && m.total_pnl);
  EXPECT_EQ(*m.unrealized_pnl, dec("0"));
  EXPECT_EQ(*m.total_pnl, dec("43"));
}

TEST(PerformanceReport, KeepsTwoStrategiesOnOneSymbolApartButNetsThemBySymbol) {
  FillBuilder b;
  b.add(day(1), "A", "X.PAPER", kBuy, "1", "100")
      .add(day(2), "B", "X.PAPER", kSell, "1", "110")
      .add(day(3), "A", "X.PAPER", kSell, "1", "120")
      .add(day(4), "B", "X.PAPER", kBuy, "1", "105");
  const auto by_strategy = attribute_performance(input_of(b.fills, PerformanceGrouping::Strategy));
  ASSERT_TRUE(by_strategy) << by_strategy.error().to_string();
  ASSERT_EQ(by_strategy->groups.size(), 2u);
  EXPECT_EQ(group(*by_strategy, "A").metrics.realized_pnl, dec("20"));  // long 100 → 120
  EXPECT_EQ(group(*by_strategy, "B").metrics.realized_pnl, dec("5"));   // short 110 → 105
  EXPECT_EQ(group(*by_strategy, "A").metrics.round_trips, 1u);
  EXPECT_EQ(group(*by_strategy, "B").metrics.round_trips, 1u);
  EXPECT_EQ(by_strategy->total.realized_pnl, dec("25"));

  // Netted on the symbol: long 1 @100 closed at 110 (+10), then short 1 @120 closed at 105 (+15).
  const auto by_symbol = attribute_performance(input_of(b.fills, PerformanceGrouping::Symbol));
  ASSERT_TRUE(by_symbol) << by_symbol.error().to_string();
  ASSERT_EQ(by_symbol->groups.size(), 1u);
  const PerformanceMetrics& m = group(*by_symbol, "X.PAPER").metrics;
  EXPECT_EQ(m.realized_pnl, dec("25"));
  EXPECT_EQ(m.round_trips, 2u);
  ASSERT_TRUE(m.largest_win.has_value());
  EXPECT_EQ(*m.largest_win, dec("15"));
}

TEST(PerformanceReport, AWindowExcludesEarlierFillsButKeepsTheirCostBasis) {
  FillBuilder b;
  b.add(day(1), "S", "X.PAPER", kBuy, "2", "100", "2")
      .add(day(10), "S", "X.PAPER", kSell, "1", "130", "1")   // +30 against the cost from day 1
      .add(day(11), "S", "X.PAPER", kSell, "1", "90", "1");   // −10; the trip closes: 30 − 10 − (2 + 1 + 1) = 16
  auto in = input_of(b.fills);
  in.from = day(5);
  const auto r = attribute_performance(in);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(r->covers_all_history);
  const PerformanceMetrics& m = r->groups.at(0).metrics;
  EXPECT_EQ(m.realized_pnl, dec("20"));
  EXPECT_EQ(m.fees, dec("2"));  // the day-1 fee is outside the window
  EXPECT_EQ(m.net_pnl, dec("18"));
  EXPECT_EQ(m.fills, 2u);
  EXPECT_EQ(m.traded_notional, dec("220"));  // 130 + 90
  EXPECT_EQ(m.round_trips, 1u);
  ASSERT_TRUE(m.largest_win.has_value());
  EXPECT_EQ(*m.largest_win, dec("16"));
  EXPECT_FALSE(m.total_pnl.has_value());  // unrealised is not a change over a window
  ASSERT_TRUE(r->from.has_value());
  EXPECT_EQ(*r->from, day(5));

  // A window after the last fill: the group is listed with nothing in it.
  in.from = day(20);
  const auto later = attribute_performance(in);
  ASSERT_TRUE(later) << later.error().to_string();
  EXPECT_EQ(later->groups.at(0).metrics.fills, 0u);
  EXPECT_EQ(later->groups.at(0).metrics.realized_pnl, dec("0"));
}

TEST(PerformanceReport, IgnoresFillsAtOrAfterTheWindowEnd) {
  FillBuilder b;
  b.add(day(1), "S", "X.PAPER", kBuy, "1", "100").add(day(2), "S", "X.PAPER", kSell, "1", "150");
  auto in = input_of(b.fills);
  in.to = day(2);
  const auto r = attribute_performance(in);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->groups.at(0).metrics.fills, 1u);
  EXPECT_EQ(r->groups.at(0).metrics.realized_pnl, dec("0"));
  ASSERT_EQ(r->groups.at(0).metrics.positions.size(), 1u);
  EXPECT_EQ(r->groups.at(0).metrics.positions[0].quantity, dec("1"));
  // No mark for the open position: unrealised (and so the total) is unknown rather than zero.
  EXPECT_FALSE(r->groups.at(0).metrics.unrealized_pnl.has_value());
  EXPECT_FALSE(r->total.unrealized_pnl.has_value());
  EXPECT_FALSE(r->total.total_pnl.has_value());
}

TEST(PerformanceReport, CountsFeesInOtherCurrenciesAsZeroAndListsThem) {
  FillBuilder b;
  b.add(day(1), "S", "X.PAPER", kBuy, "1", "100", "0.001", "BNB")
      .add(day(2), "S", "X.PAPER", kSell, "1", "110", "0.002", "BNB")
      .add(day(3), "T", "X.PAPER", kBuy, "1", "100", "0.5", "USDT");
  const auto r = attribute_performance(input_of(b.fills));
  ASSERT_TRUE(r) << r.error().to_string();
  const PerformanceMetrics& s = group(*r, "S").metrics;
  EXPECT_EQ(s.fees, dec("0"));
  EXPECT_EQ(s.net_pnl, dec("10"));
  ASSERT_EQ(s.fees_uncounted.size(), 1u);
  EXPECT_EQ(s.fees_uncounted[0].currency, "BNB");
  EXPECT_EQ(s.fees_uncounted[0].amount, dec("0.003"));
  EXPECT_EQ(s.fees_uncounted[0].fills, 2u);
  EXPECT_EQ(r->total.fees, dec("0.5"));
  ASSERT_EQ(r->total.fees_uncounted.size(), 1u);
  EXPECT_EQ(r->total.fees_uncounted[0].amount, dec("0.003"));
}

TEST(PerformanceReport, ProfitFactorWinRateAndAveragesFromHandCountedRoundTrips) {
  FillBuilder b;
  b.add(day(1), "S", "X.PAPER", kBuy, "1", "100").add(day(2), "S", "X.PAPER", kSell, "1", "130")   // +30
      .add(day(3), "S", "X.PAPER", kSell, "2", "50").add(day(4), "S", "X.PAPER", kBuy, "2", "55")   // short: −10
      .add(day(5), "S", "X.PAPER", kBuy, "1", "10").add(day(6), "S", "X.PAPER", kSell, "1", "15")   // +5
      .add(day(7), "S", "X.PAPER", kBuy, "1", "10").add(day(8), "S", "X.PAPER", kSell, "1", "10");  // 0
  const auto r = attribute_performance(input_of(b.fills));
  ASSERT_TRUE(r) << r.error().to_string();
  const PerformanceMetrics& m = r->groups.at(0).metrics;
  EXPECT_EQ(m.round_trips, 4u);
  EXPECT_EQ(m.wins, 2u);
  EXPECT_EQ(m.losses, 1u);
  EXPECT_EQ(m.breakeven, 1u);
  EXPECT_EQ(m.gross_profit, dec("35"));
  EXPECT_EQ(m.gross_loss, dec("-10"));
  ASSERT_TRUE(m.profit_factor && m.win_rate && m.average_win && m.average_loss && m.largest_loss);
  EXPECT_DOUBLE_EQ(*m.profit_factor, 3.5);  // 35 / 10
  EXPECT_DOUBLE_EQ(*m.win_rate, 0.5);       // 2 / 4
  EXPECT_EQ(*m.average_win, dec("17.5"));
  EXPECT_EQ(*m.average_loss, dec("-10"));
  EXPECT_EQ(*m.largest_loss, dec("-10"));
}

TEST(PerformanceReport, ReleasesARepeatingAverageCostProRataAndExactlyOnTheFinalClose) {
  FillBuilder b;
  b.add(day(1), "S", "X.PAPER", kBuy, "1", "10")
      .add(day(2), "S", "X.PAPER", kBuy, "2", "11")    // 3 for 32: avg 10.666…
      .add(day(3), "S", "X.PAPER", kSell, "1", "12")   // releases 32/3 = 10.66666667 (8 dp): +1.33333333
      .add(day(4), "S", "X.PAPER", kSell, "2", "12");  // releases the rest 21.33333333: +2.66666667
  const auto r = attribute_performance(input_of(b.fills));
  ASSERT_TRUE(r) << r.error().to_string();
  // Over the whole round trip: 3 × 12 − 32 = 4, exactly.
  EXPECT_EQ(r->groups.at(0).metrics.realized_pnl, dec("4"));
  auto in = input_of(b.fills);
  in.from = day(3);
  in.to = day(4);
  const auto first_close = attribute_performance(in);
  ASSERT_TRUE(first_close) << first_close.error().to_string();
  EXPECT_EQ(first_close->groups.at(0).metrics.realized_pnl, dec("1.33333333"));
  ASSERT_EQ(first_close->groups.at(0).metrics.positions.size(), 1u);
  // 21.33333333 / 2 = 10.666666665, a tie at 8 places rounded half-even to 10.66666666.
  EXPECT_EQ(first_close->groups.at(0).metrics.positions[0].avg_entry_price, dec("10.66666666"));
}

TEST(PerformanceReport, AppliesTheContractMultiplier) {
  FillBuilder b;
  b.add(day(1), "S", "ES.PAPER", kBuy, "3", "10").add(day(2), "S", "ES.PAPER", kSell, "3", "12");
  auto in = input_of(b.fills);
  in.instruments["ES.PAPER"].multiplier = dec("100");
  const auto r = attribute_performance(in);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->groups.at(0).metrics.realized_pnl, dec("600"));      // 3 × (12 − 10) × 100
  EXPECT_EQ(r->groups.at(0).metrics.traded_notional, dec("6600"));  // 3000 + 3600
}

TEST(PerformanceReport, TotalsEqualTheSumOfTheGroups) {
  FillBuilder b;
  b.add(day(1), "A", "X.PAPER", kBuy, "1", "100", "0.1").add(day(2), "A", "X.PAPER", kSell, "1", "90", "0.1")  // −10
      .add(day(1), "B", "Y.PAPER", kSell, "2", "20", "0.2").add(day(3), "B", "Y.PAPER", kBuy, "2", "15", "0.2")  // +10
      .add(day(4), "C", "X.PAPER", kBuy, "1", "100", "0.3");  // open, marked at 104: +4
  auto in = input_of(b.fills);
  in.instruments["X.PAPER"].mark = dec("104");
  const auto r = attribute_performance(in);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->groups.size(), 3u);
  Decimal realized, fees, notional, unrealized;
  std::size_t fills = 0, trips = 0, wins = 0, losses = 0;
  for (const auto& g : r->groups) {
    realized += g.metrics.realized_pnl;
    fees += g.metrics.fees;
    notional += g.metrics.traded_notional;
    unrealized += g.metrics.unrealized_pnl.value();
    fills += g.metrics.fills;
    trips += g.metrics.round_trips;
    wins += g.metrics.wins;
    losses += g.metrics.losses;
  }
  const PerformanceMetrics& t = r->total;
  EXPECT_EQ(t.realized_pnl, realized);
  EXPECT_EQ(t.fees, fees);
  EXPECT_EQ(t.traded_notional, notional);
  EXPECT_EQ(t.unrealized_pnl.value(), unrealized);
  EXPECT_EQ(t.fills, fills);
  EXPECT_EQ(t.round_trips, trips);
  EXPECT_EQ(t.wins, wins);
  EXPECT_EQ(t.losses, losses);
  // And the hand-worked values: realised −10 + 10 = 0; fees 0.2 + 0.4 + 0.3 = 0.9; unrealised 4.
  EXPECT_EQ(t.realized_pnl, dec("0"));
  EXPECT_EQ(t.fees, dec("0.9"));
  EXPECT_EQ(t.net_pnl, dec("-0.9"));
  EXPECT_EQ(t.total_pnl.value(), dec("3.1"));
  EXPECT_EQ(t.traded_notional, dec("360"));  // 100 + 90 + 40 + 30 + 100
  ASSERT_TRUE(t.profit_factor.has_value());
  EXPECT_DOUBLE_EQ(*t.profit_factor, 9.6 / 10.2);  // A: −10 − 0.2 = −10.2; B: +10 − 0.4 = 9.6
  EXPECT_TRUE(t.positions.empty());
}

TEST(PerformanceReport, RejectsAFillWithoutAPositiveQuantityNamingItsTradeId) {
  FillBuilder b;
  b.add(day(1), "S", "X.PAPER", kBuy, "0", "100");
  const auto r = attribute_performance(input_of(b.fills));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("T1"), std::string::npos) << r.error().message();
}

TEST(PerformanceReport, ParsesGroupingAndTimeframeAndNamesTheFieldOnError) {
  EXPECT_EQ(parse_grouping("symbol").value(), PerformanceGrouping::Symbol);
  EXPECT_EQ(parse_timeframe("week").value(), PerformanceTimeframe::Week);
  const auto bad = parse_grouping("foo");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "by");
  const auto bad_tf = parse_timeframe("year");
  ASSERT_FALSE(bad_tf);
  EXPECT_EQ(bad_tf.error().where(), "timeframe");
  for (const auto t : {PerformanceTimeframe::Day, PerformanceTimeframe::Week, PerformanceTimeframe::Month,
                       PerformanceTimeframe::All}) {
    EXPECT_EQ(parse_timeframe(to_string(t)).value(), t);
  }
  EXPECT_EQ(timeframe_length(PerformanceTimeframe::Week).value(), core::Duration(7LL * 86'400 * 1'000'000'000));
  EXPECT_FALSE(timeframe_length(PerformanceTimeframe::All).has_value());
}

TEST(EquityGrid, KeepsTheLastSnapshotOfEachIntervalAndCountsEmptyBuckets) {
  // 10 s grid: buckets [0,10), [10,20), [20,30), [30,40), [40,50) s.
  const std::vector<EquityPoint> points{{day(0, 1), dec("100")},  {day(0, 4), dec("101")}, {day(0, 12), dec("99")},
                                        {day(0, 41), dec("103")}, {day(0, 45), dec("104")}};
  const auto g = equity_grid(points, std::chrono::seconds(10));
  ASSERT_TRUE(g) << g.error().to_string();
  EXPECT_EQ(g->interval, core::Duration(std::chrono::seconds(10)));
  EXPECT_EQ(g->snapshots, 5u);
  EXPECT_EQ(g->empty_buckets, 2u);  // [20,30) and [30,40)
  ASSERT_EQ(g->equity.size(), 3u);
  EXPECT_EQ(g->equity, (std::vector<double>{101.0, 99.0, 104.0}));
  EXPECT_EQ(g->ts, (std::vector<UnixNanos>{day(0, 4), day(0, 12), day(0, 45)}));
}

TEST(EquityGrid, IsDailyWhenTheHistorySpansTwoDays) {
  const std::vector<EquityPoint> points{{day(3, 100), dec("100")},  {day(3, 80'000), dec("102")},
                                        {day(4, 10), dec("90")},    {day(5, 100), dec("95")},
                                        {day(5, 200), dec("96")}};
  const auto g = equity_grid(points, std::chrono::seconds(10));
  ASSERT_TRUE(g) << g.error().to_string();
  EXPECT_EQ(g->interval, core::Duration(core::kNanosPerDay));
  EXPECT_EQ(g->equity, (std::vector<double>{102.0, 90.0, 96.0}));
  EXPECT_EQ(g->empty_buckets, 0u);
}

TEST(EquityGrid, RejectsPointsOutOfTimeOrder) {
  const std::vector<EquityPoint> points{{day(0, 20), dec("100")}, {day(0, 10), dec("101")}};
  const auto g = equity_grid(points, std::chrono::seconds(10));
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().message().find("point 1"), std::string::npos) << g.error().message();
}

}  // namespace
}  // namespace ballast::server
