#include "ballast/analytics/var_backtest.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ballast::analytics {
namespace {

std::vector<bool> hits_at(std::size_t n, std::initializer_list<std::size_t> days) {
  std::vector<bool> hits(n, false);
  for (std::size_t d : days) hits[d] = true;
  return hits;
}

TEST(KupiecTest, MatchesAHandComputationFor250DaysAnd8Exceptions) {
  // p = 0.01, n = 250, x = 8:
  // LR = −2[242·ln 0.99 + 8·ln 0.01] + 2[242·ln(242/250) + 8·ln(8/250)]
  //    = −2[−2.432181 − 36.841361] + 2[−7.870612 − 27.536155] = 7.7335507245 (bc -l).
  // p-value = P(χ²₁ > 7.7336) = erfc(√(7.7336/2)) = 0.0054204. Basel's traffic light also puts
  // 8 exceptions in 250 days in the yellow zone (Basel Committee, "Supervisory framework for the use
  // of backtesting", 1996, Table 2).
  auto lr = kupiec_pof_statistic(250, 8, 0.99);
  ASSERT_TRUE(lr);
  EXPECT_NEAR(*lr, 7.7335507244945340, 1e-10);
  const std::vector<bool> hits = hits_at(250, {10, 40, 70, 100, 130, 160, 190, 220});
  auto bt = backtest_var(hits, 0.99);
  ASSERT_TRUE(bt);
  EXPECT_EQ(bt->exceptions, 8u);
  EXPECT_NEAR(bt->lr_pof, 7.7335507244945340, 1e-10);
  EXPECT_NEAR(bt->p_value_pof, 0.005420405194127794, 1e-12);
}

TEST(KupiecTest, ZeroExceptionsStillCarryEvidence) {
  // x = 0: LR = −2·250·ln 0.99 = 5.025167926750726.
  auto lr = kupiec_pof_statistic(250, 0, 0.99);
  ASSERT_TRUE(lr);
  EXPECT_NEAR(*lr, 5.025167926750726, 1e-11);
  auto exact = kupiec_pof_statistic(100, 1, 0.99);  // observed rate equals the expected one
  ASSERT_TRUE(exact);
  EXPECT_NEAR(*exact, 0.0, 1e-12);
  EXPECT_FALSE(kupiec_pof_statistic(10, 11, 0.99));
}

TEST(ChristoffersenTest, MatchesAHandComputationOnAClusteredSequence) {
  // 20 days, exceptions on days 2, 3, 9, 10, 11 (0-based), tested at 95%.
  // Transitions over 19 pairs: n01 = 2 (1→2, 8→9), n11 = 3 (2→3, 9→10, 10→11), n10 = 2 (3→4, 11→12),
  // n00 = 12. π01 = 2/14, π11 = 3/5, π = 5/19.
  // LR_ind = −2[14·ln(14/19) + 5·ln(5/19)] + 2[12·ln(12/14) + 2·ln(2/14) + 2·ln(2/5) + 3·ln(3/5)]
  //        = 3.687323272588476 (bc -l)
  // LR_pof = −2[15·ln 0.95 + 5·ln 0.05] + 2[15·ln 0.75 + 5·ln 0.25] = 9.002715782414092
  // LR_cc = 12.690039055002568, p = exp(−LR_cc/2) = 0.0017554684624704.
  const std::vector<bool> hits = hits_at(20, {2, 3, 9, 10, 11});
  auto bt = backtest_var(hits, 0.95);
  ASSERT_TRUE(bt) << bt.error().to_string();
  EXPECT_EQ(bt->n00, 12u);
  EXPECT_EQ(bt->n01, 2u);
  EXPECT_EQ(bt->n10, 2u);
  EXPECT_EQ(bt->n11, 3u);
  EXPECT_NEAR(bt->lr_ind, 3.687323272588476, 1e-11);
  EXPECT_NEAR(bt->lr_pof, 9.002715782414092, 1e-11);
  EXPECT_NEAR(bt->lr_cc, 12.690039055002568, 1e-11);
  EXPECT_NEAR(bt->p_value_cc, 0.0017554684624704, 1e-14);
  EXPECT_NEAR(bt->p_value_ind, std::erfc(std::sqrt(3.687323272588476 / 2.0)), 1e-14);
  EXPECT_DOUBLE_EQ(bt->observed_rate, 0.25);
  EXPECT_NEAR(bt->expected_rate, 0.05, 1e-15);
}

TEST(ChristoffersenTest, NoExceptionsMeansNoEvidenceOfClustering) {
  auto bt = backtest_var(std::vector<bool>(250, false), 0.99);
  ASSERT_TRUE(bt);
  EXPECT_EQ(bt->lr_ind, 0.0);
  EXPECT_EQ(bt->p_value_ind, 1.0);
  EXPECT_NEAR(bt->lr_cc, 5.025167926750726, 1e-11);
}

TEST(VarBacktest, CountsOnlyLossesBeyondTheForecast) {
  // Losses 100 (= VaR, not an exception), 101 (exception), a gain, 50.
  const std::vector<double> pnl = {-100.0, -101.0, 30.0, -50.0};
  const std::vector<double> var = {100.0, 100.0, 100.0, 100.0};
  auto hits = var_exceptions(pnl, var);
  ASSERT_TRUE(hits);
  EXPECT_EQ(*hits, (std::vector<bool>{false, true, false, false}));
  auto bt = backtest_var(pnl, var, 0.99);
  ASSERT_TRUE(bt);
  EXPECT_EQ(bt->exceptions, 1u);
  EXPECT_FALSE(backtest_var(pnl, std::vector<double>{1.0}, 0.99));
  EXPECT_FALSE(backtest_var(std::vector<bool>{true}, 0.99));
}

}  // namespace
}  // namespace ballast::analytics
