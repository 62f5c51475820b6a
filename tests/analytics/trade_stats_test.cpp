#include "ballast/analytics/trade_stats.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <vector>

namespace ballast::analytics {
namespace {

using core::UnixNanos;
using std::chrono::hours;

const UnixNanos kDay0 = UnixNanos::from_seconds(1'704'067'200);  // 2024-01-01T00:00:00Z

UnixNanos at(int h) {
  return kDay0 + hours(h);
}

// Seven trades, times in hours from 2024-01-01 00:00 (listed in entry order; T7 overlaps T6):
//   trade  entry  exit   pnl    fees   net     holding
//   T1       0     12    100     2     98      12 h   win
//   T2      24     48    −50     2    −52      24 h   loss
//   T3      60     72     30     1     29      12 h   win
//   T4      72     78     40     1     39       6 h   win
//   T5      96    120      1     1      0      24 h   breakeven
//   T6     120    132    −20     0    −20      12 h   loss
//   T7     126    144    −10   0.5    −10.5    18 h   loss
const std::vector<ClosedTrade> kTrades{
    {at(0), at(12), 100.0, 2.0},    {at(24), at(48), -50.0, 2.0}, {at(60), at(72), 30.0, 1.0},
    {at(72), at(78), 40.0, 1.0},    {at(96), at(120), 1.0, 1.0},  {at(120), at(132), -20.0, 0.0},
    {at(126), at(144), -10.0, 0.5},
};

TEST(TradeStats, CountsAndRatiosByHand) {
  auto s = trade_statistics(kTrades);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->count, 7u);
  EXPECT_EQ(s->wins, 3u);
  EXPECT_EQ(s->losses, 3u);
  EXPECT_EQ(s->breakeven, 1u);
  // Gross profit 98 + 29 + 39 = 166; gross loss −52 − 20 − 10.5 = −82.5; net 83.5; fees 7.5.
  EXPECT_DOUBLE_EQ(s->gross_profit, 166.0);
  EXPECT_DOUBLE_EQ(s->gross_loss, -82.5);
  EXPECT_DOUBLE_EQ(s->net_pnl, 83.5);
  EXPECT_DOUBLE_EQ(s->total_fees, 7.5);
  EXPECT_NEAR(s->win_rate.value(), 3.0 / 7.0, 1e-15);
  EXPECT_NEAR(s->profit_factor.value(), 166.0 / 82.5, 1e-15);  // 2.0121…
  EXPECT_NEAR(s->average_win.value(), 166.0 / 3.0, 1e-12);     // 55.33…
  EXPECT_NEAR(s->average_loss.value(), -27.5, 1e-12);          // −82.5 / 3
  EXPECT_NEAR(s->payoff_ratio.value(), (166.0 / 3.0) / 27.5, 1e-12);
  // Expectancy = 83.5 / 7 = 11.928571…  = (3/7)(55.33…) + (3/7)(−27.5)
  EXPECT_NEAR(s->expectancy.value(), 83.5 / 7.0, 1e-12);
  EXPECT_NEAR(s->expectancy.value(),
              s->win_rate.value() * s->average_win.value() + (3.0 / 7.0) * s->average_loss.value(), 1e-12);
  EXPECT_DOUBLE_EQ(s->largest_win.value(), 98.0);
  EXPECT_DOUBLE_EQ(s->largest_loss.value(), -52.0);
}

TEST(TradeStats, StreaksFollowExitOrderAndBreakevenBreaksThem) {
  // Exit order: T1 W, T2 L, T3 W, T4 W, T5 B, T6 L, T7 L → longest win run 2 (T3, T4), loss run 2 (T6, T7).
  auto s = trade_statistics(kTrades);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->max_consecutive_wins, 2u);
  EXPECT_EQ(s->max_consecutive_losses, 2u);
  // Reversing the input order does not change exit-ordered streaks.
  std::vector<ClosedTrade> reversed(kTrades.rbegin(), kTrades.rend());
  auto r = trade_statistics(reversed);
  EXPECT_EQ(r->max_consecutive_wins, 2u);
  EXPECT_EQ(r->max_consecutive_losses, 2u);
  // Without the breakeven T5, T6 and T7 would still be 2; make T5 a loss and the loss run becomes 3.
  std::vector<ClosedTrade> t = kTrades;
  t[4].pnl = -5.0;
  EXPECT_EQ(trade_statistics(t)->max_consecutive_losses, 3u);
}

TEST(TradeStats, HoldingTimeAndExposureByHand) {
  auto s = trade_statistics(kTrades);
  ASSERT_TRUE(s);
  // Holding: 12 + 24 + 12 + 6 + 24 + 12 + 18 = 108 h over 7 trades = 15.428571… h = 55 542 857 142 857 ns.
  ASSERT_TRUE(s->average_holding_time);
  EXPECT_EQ(s->average_holding_time->count(), 55'542'857'142'857);
  // Union of open intervals: [0,12] ∪ [24,48] ∪ [60,78] ∪ [96,144] = 12 + 24 + 18 + 48 = 102 h.
  // Default period = first entry .. last exit = 144 h → exposure 102/144 = 0.708333…
  EXPECT_NEAR(s->exposure.value(), 102.0 / 144.0, 1e-15);
  // Over an explicit 10-day backtest: 102/240 = 0.425.
  auto ten_days = trade_statistics(kTrades, TimeRange{at(0), at(240)});
  ASSERT_TRUE(ten_days);
  EXPECT_NEAR(ten_days->exposure.value(), 0.425, 1e-15);
  // A period that cuts trades off counts only the overlap: [30, 70] holds [30,48] and [60,70] = 28 h of 40.
  auto clipped = trade_statistics(kTrades, TimeRange{at(30), at(70)});
  EXPECT_NEAR(clipped->exposure.value(), 28.0 / 40.0, 1e-15);
}

TEST(TradeStats, OneSidedRecordsLeaveRatiosUndefined) {
  const std::vector<ClosedTrade> winners{{at(0), at(1), 10.0, 0.0}, {at(2), at(3), 5.0, 0.0}};
  auto w = trade_statistics(winners);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->win_rate.value(), 1.0);
  EXPECT_EQ(w->profit_factor.reason(), UndefinedReason::NoLosses);
  EXPECT_EQ(w->payoff_ratio.reason(), UndefinedReason::NoLosses);
  EXPECT_EQ(w->largest_loss.reason(), UndefinedReason::NoLosses);
  EXPECT_EQ(w->max_consecutive_wins, 2u);

  const std::vector<ClosedTrade> losers{{at(0), at(1), -10.0, 0.0}};
  auto l = trade_statistics(losers);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->win_rate.value(), 0.0);
  EXPECT_EQ(l->profit_factor.value(), 0.0);
  EXPECT_EQ(l->average_win.reason(), UndefinedReason::NoWins);
  EXPECT_EQ(l->payoff_ratio.reason(), UndefinedReason::NoWins);
  EXPECT_EQ(l->exposure.value(), 1.0);
}

TEST(TradeStats, NoTradesIsAValidEmptyRecord) {
  auto s = trade_statistics(std::vector<ClosedTrade>{});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->count, 0u);
  EXPECT_EQ(s->win_rate.reason(), UndefinedReason::TooFewObservations);
  EXPECT_EQ(s->expectancy.reason(), UndefinedReason::TooFewObservations);
  EXPECT_FALSE(s->average_holding_time);
}

TEST(TradeStats, AnInstantaneousTradeHasNoExposurePeriod) {
  auto s = trade_statistics(std::vector<ClosedTrade>{{at(5), at(5), 1.0, 0.0}});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->exposure.reason(), UndefinedReason::ZeroElapsedTime);
  EXPECT_EQ(s->average_holding_time->count(), 0);
}

TEST(TradeStats, InvalidTradesAreErrorsNamingTheTrade) {
  std::vector<ClosedTrade> t = kTrades;
  t[3].pnl = std::numeric_limits<double>::quiet_NaN();
  auto nan = trade_statistics(t);
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("trades[3]"), std::string::npos) << nan.error().to_string();
  t = kTrades;
  t[5].exit_time = at(100);  // before its entry at 120 h
  auto backwards = trade_statistics(t);
  ASSERT_FALSE(backwards);
  EXPECT_NE(backwards.error().message().find("trades[5]"), std::string::npos);
  EXPECT_FALSE(trade_statistics(kTrades, TimeRange{at(10), at(5)}));
}

}  // namespace
}  // namespace ballast::analytics
