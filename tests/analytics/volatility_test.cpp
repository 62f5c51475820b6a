#include "ballast/analytics/volatility.hpp"

#include "analytics/simulated_paths.hpp"
#include "ballast/analytics/returns.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace ballast::analytics {
namespace {

constexpr double kTight = 1e-12;

std::vector<OhlcBar> flat_bars(std::size_t n, double price) {
  return std::vector<OhlcBar>(n, OhlcBar{price, price, price, price});
}

// ---- Closed forms ---------------------------------------------------------------------------------

TEST(Volatility, EveryEstimatorIsZeroOnAConstantPriceSeries) {
  const auto bars = flat_bars(30, 250.0);
  for (auto estimator :
       {VolatilityEstimator::CloseToClose, VolatilityEstimator::Ewma, VolatilityEstimator::Parkinson,
        VolatilityEstimator::GarmanKlass, VolatilityEstimator::RogersSatchell, VolatilityEstimator::YangZhang}) {
    auto sigma = estimate_volatility(bars, estimator, 365.0);
    ASSERT_TRUE(sigma) << to_string(estimator) << ": " << sigma.error().to_string();
    EXPECT_EQ(*sigma, 0.0) << to_string(estimator);
    auto rolling = rolling_volatility(bars, estimator, 10, 365.0);
    ASSERT_TRUE(rolling) << to_string(estimator) << ": " << rolling.error().to_string();
    for (double v : rolling->values) EXPECT_EQ(v, 0.0) << to_string(estimator);
  }
}

TEST(Volatility, CloseToCloseIgnoresAConstantDrift) {
  // Equal log returns have zero sample deviation: the mean is subtracted. Exactly zero, with no
  // rounding residue from the computed mean.
  const std::vector<double> r(50, 0.01);
  auto sigma = close_to_close_volatility(r, 252.0);
  ASSERT_TRUE(sigma);
  EXPECT_EQ(*sigma, 0.0);
  std::vector<double> flat_tail(40, 0.03);
  flat_tail.insert(flat_tail.begin(), {0.05, -0.02, 0.04});
  auto rolling = rolling_close_to_close_volatility(flat_tail, 10, 252.0);
  ASSERT_TRUE(rolling);
  EXPECT_GT(rolling->values.front(), 0.0);
  EXPECT_EQ(rolling->values.back(), 0.0);
}

TEST(Volatility, CloseToCloseOfAlternatingReturnsMatchesTheClosedForm) {
  // r = +x, −x, +x, −x (n = 4, mean 0): s² = Σ r² / (n − 1) = 4x²/3, so s = x·√(4/3).
  // x = 0.01 → s = 0.011547005383792516; annualised over 365 periods: s·√365.
  const std::vector<double> r{0.01, -0.01, 0.01, -0.01};
  auto per_period = close_to_close_volatility(r, 1.0);
  ASSERT_TRUE(per_period);
  EXPECT_NEAR(*per_period, 0.011547005383792516, kTight);
  auto annual = close_to_close_volatility(r, 365.0);
  ASSERT_TRUE(annual);
  EXPECT_NEAR(*annual, 0.011547005383792516 * std::sqrt(365.0), kTight);

  // n = 10: s = x·√(10/9) = 0.010540925533894598.
  std::vector<double> ten;
  for (int i = 0; i < 10; ++i) ten.push_back(i % 2 == 0 ? 0.01 : -0.01);
  EXPECT_NEAR(*close_to_close_volatility(ten, 1.0), 0.010540925533894598, kTight);
}

TEST(Volatility, AnnualisesWithTheCalendarsPeriodsPerYear) {
  const std::vector<double> r{0.01, -0.01, 0.01, -0.01};
  const double daily = *close_to_close_volatility(r, 1.0);
  const double crypto = *periods_per_year(core::Duration(core::kNanosPerDay), TradingCalendar::Crypto24x7);
  const double equity = *periods_per_year(core::Duration(core::kNanosPerDay), TradingCalendar::Equity252);
  EXPECT_NEAR(*close_to_close_volatility(r, crypto), daily * std::sqrt(365.0), kTight);
  EXPECT_NEAR(*close_to_close_volatility(r, equity), daily * std::sqrt(252.0), kTight);
}

TEST(PeriodsPerYear, EveryCalendarAndBarLength) {
  using core::kNanosPerDay;
  const auto days = [](double d) { return core::Duration(static_cast<std::int64_t>(d * kNanosPerDay)); };
  const auto crypto = [](core::Duration d) { return *periods_per_year(d, TradingCalendar::Crypto24x7); };
  const auto equity = [](core::Duration d) { return *periods_per_year(d, TradingCalendar::Equity252); };
  EXPECT_DOUBLE_EQ(crypto(core::Duration(60'000'000'000)), 525'600.0);  // 365 × 24 × 60 minutes
  EXPECT_DOUBLE_EQ(crypto(days(1)), 365.0);
  EXPECT_DOUBLE_EQ(crypto(days(7)), 365.0 / 7.0);
  // Equities: 6.5-hour sessions of 390 minutes, 252 a year.
  EXPECT_DOUBLE_EQ(equity(core::Duration(60'000'000'000)), 252.0 * 390.0);
  EXPECT_DOUBLE_EQ(equity(core::Duration(1'800'000'000'000)), 252.0 * 13.0);  // 30-minute bars
  EXPECT_DOUBLE_EQ(equity(days(1)), 252.0);
  EXPECT_DOUBLE_EQ(equity(days(2)), 126.0);
  // Weekly and monthly bars are calendar bars: 52.14 and (at 30.44 days) 11.99 a year, not 36 and 8.3.
  EXPECT_DOUBLE_EQ(equity(days(7)), 365.0 / 7.0);
  EXPECT_NEAR(equity(days(30.436875)), 11.99, 0.01);
  EXPECT_FALSE(periods_per_year(core::Duration(0), TradingCalendar::Crypto24x7));
  EXPECT_FALSE(periods_per_year(core::Duration(-1), TradingCalendar::Equity252));
}

TEST(Volatility, ParkinsonOnBarsWithAKnownLogRange) {
  // ln(H/L) = 0.02 on every bar, open = close: σ² = 0.02² / (4 ln 2) = 1.4426950408889634e-4,
  // σ = 0.02 / (2√ln 2) = 0.012011224087864498.
  const double h = 100.0 * std::exp(0.01);
  const double l = 100.0 * std::exp(-0.01);
  std::vector<OhlcBar> bars(5, OhlcBar{100.0, h, l, 100.0});
  EXPECT_NEAR(*parkinson_volatility(bars, 1.0), 0.012011224087864498, kTight);

  // Ranges 0.02 and 0.04: mean square 1e-3, σ² = 1e-3/(4 ln 2) = 3.606737602222409e-4, σ = 0.01899141280216511.
  std::vector<OhlcBar> mixed{{100.0, h, l, 100.0}, {100.0, 100.0 * std::exp(0.02), 100.0 * std::exp(-0.02), 100.0}};
  EXPECT_NEAR(*parkinson_volatility(mixed, 1.0), 0.01899141280216511, kTight);
}

TEST(Volatility, GarmanKlassAndRogersSatchellOnAHandBuiltBar) {
  // O = 100, H = 110, L = 95, C = 105.
  //   u = ln(H/L) = ln(110/95) = 0.14660347419187544,  u² = 0.02149257864512789
  //   c = ln(C/O) = ln(1.05)   = 0.04879016416943205,  c² = 0.0023804801196801307
  //   GK = ½u² − (2 ln 2 − 1)c² = 0.010746289322563945 − 0.386294361119891 × 0.0023804801196801307
  //      = 0.00982672327557351,  σ = 0.09912983040222308
  //   RS = ln(H/C)ln(H/O) + ln(L/C)ln(L/O)
  //      = 0.04652001563489291 × 0.09531017980432493 + (−0.10008345855698253)(−0.05129329438755058)
  //      = 0.00443383105466165 + 0.005133610303087523 = 0.009567441357749173,  σ = 0.09781329847085811
  const std::vector<OhlcBar> bar{{100.0, 110.0, 95.0, 105.0}};
  EXPECT_NEAR(*garman_klass_volatility(bar, 1.0), 0.09912983040222308, kTight);
  EXPECT_NEAR(*rogers_satchell_volatility(bar, 1.0), 0.09781329847085811, kTight);
  // Parkinson on the same bar: u²/(4 ln 2) = 0.007751809156810511, σ = 0.08804435902890378.
  EXPECT_NEAR(*parkinson_volatility(bar, 1.0), 0.08804435902890378, kTight);
}

TEST(Volatility, RogersSatchellIsZeroForATrendingBarWithoutWicks) {
  // O = L, C = H: ln(H/C) = 0 and ln(L/O) = 0, so RS = 0 however far the bar moved (drift-free).
  const std::vector<OhlcBar> bars{{100.0, 110.0, 100.0, 110.0}, {110.0, 121.0, 110.0, 121.0}};
  EXPECT_EQ(*rogers_satchell_volatility(bars, 1.0), 0.0);
  // Parkinson is not drift-free: it reads the whole move as range.
  EXPECT_GT(*parkinson_volatility(bars, 1.0), 0.05);
}

TEST(Volatility, YangZhangOnThreeHandBuiltBars) {
  // Bars (O, H, L, C): (100, 102, 99, 101), (102, 106, 101, 105), (104, 105, 100, 101): n = 2 periods.
  //   overnight  o1 = ln(102/101) = 0.00985229644301164,   o2 = ln(104/105) = −0.009569451016150672
  //   open-close c1 = ln(105/102) = 0.028987536873252187,  c2 = ln(101/104) = −0.029270382300113224
  //   RS terms   bar 1: 0.0007472735784792444,  bar 2: 0.0007619349545677951
  //   σ_o² = (o1 − o2)²/2 = 0.00018860213718373885
  //   σ_c² = (c1 − c2)²/2 = 0.0016969925732051886
  //   σ_rs² = mean RS = 0.0007546042665235197
  //   k = 0.34 / (1.34 + (2 + 1)/(2 − 1)) = 0.34 / 4.34 = 0.0783410138248848
  //   σ² = σ_o² + kσ_c² + (1 − k)σ_rs² = 0.0010170340590694169,  σ = 0.03189097143502243
  //   annualised over 252 sessions: 0.5062534769120041
  const std::vector<OhlcBar> bars{{100, 102, 99, 101}, {102, 106, 101, 105}, {104, 105, 100, 101}};
  EXPECT_NEAR(*yang_zhang_volatility(bars, 1.0), 0.03189097143502243, kTight);
  EXPECT_NEAR(*yang_zhang_volatility(bars, 252.0), 0.5062534769120041, kTight);
}

TEST(Volatility, EwmaFollowsTheRiskMetricsRecursionByHand) {
  // r = 0.01, −0.02, 0.015, 0.005; λ = 0.94; seed = first squared return.
  //   v0 = 0.01²                                  = 1.0e-4
  //   v1 = 0.94 × 1.0e-4    + 0.06 × 0.02²        = 0.94e-4 + 0.24e-4     = 1.18e-4
  //   v2 = 0.94 × 1.18e-4   + 0.06 × 0.015²       = 1.1092e-4 + 0.135e-4  = 1.2442e-4
  //   v3 = 0.94 × 1.2442e-4 + 0.06 × 0.005²       = 1.169548e-4 + 0.015e-4 = 1.184548e-4
  //   σ = √v3 = 0.010883694225767277
  const std::vector<double> r{0.01, -0.02, 0.015, 0.005};
  auto path = ewma_volatility_series(r, 1.0);
  ASSERT_TRUE(path);
  EXPECT_EQ(path->first_index, 0u);
  ASSERT_EQ(path->values.size(), 4u);
  EXPECT_NEAR(path->values[0], std::sqrt(1.0e-4), kTight);
  EXPECT_NEAR(path->values[1], std::sqrt(1.18e-4), kTight);
  EXPECT_NEAR(path->values[2], std::sqrt(1.2442e-4), kTight);
  EXPECT_NEAR(path->values[3], 0.010883694225767277, kTight);
  EXPECT_NEAR(*ewma_volatility(r, 1.0), 0.010883694225767277, kTight);

  // Seed with the mean of the first 2 squared returns: v1 = (1e-4 + 4e-4)/2 = 2.5e-4,
  //   v2 = 0.94 × 2.5e-4 + 0.06 × 2.25e-4 = 2.485e-4,  v3 = 0.94 × 2.485e-4 + 0.06 × 0.25e-4 = 2.3509e-4.
  auto seeded = ewma_volatility_series(r, 1.0, EwmaConfig{0.94, 2});
  ASSERT_TRUE(seeded);
  EXPECT_EQ(seeded->first_index, 1u);
  ASSERT_EQ(seeded->values.size(), 3u);
  EXPECT_NEAR(seeded->values[0], std::sqrt(2.5e-4), kTight);
  EXPECT_NEAR(seeded->values[2], std::sqrt(2.3509e-4), kTight);
}

// ---- Rolling series agree with the full-sample estimate of each window ---------------------------

TEST(Volatility, RollingSeriesEqualTheFullEstimateOfEachWindow) {
  test_paths::TestRng rng(7);
  const auto bars = test_paths::gbm_bars(rng, 400, 20, 0.1, 0.8, 365.0, 0.3);
  const std::size_t window = 25;
  struct Case {
    VolatilityEstimator estimator;
    std::size_t first_bar;  // bar index of the first complete window
    std::size_t bars_per_window;
  };
  for (const Case& c : {Case{VolatilityEstimator::CloseToClose, window, window + 1},
                        Case{VolatilityEstimator::Parkinson, window - 1, window},
                        Case{VolatilityEstimator::GarmanKlass, window - 1, window},
                        Case{VolatilityEstimator::RogersSatchell, window - 1, window},
                        Case{VolatilityEstimator::YangZhang, window, window + 1}}) {
    auto rolling = rolling_volatility(bars, c.estimator, window, 365.0);
    ASSERT_TRUE(rolling) << to_string(c.estimator) << ": " << rolling.error().to_string();
    EXPECT_EQ(rolling->first_index, c.first_bar) << to_string(c.estimator);
    ASSERT_EQ(rolling->values.size(), bars.size() - c.first_bar) << to_string(c.estimator);
    for (std::size_t k = 0; k < rolling->values.size(); ++k) {
      const std::size_t end = rolling->first_index + k;  // last bar of the window
      const std::span<const OhlcBar> slice(bars.data() + end + 1 - c.bars_per_window, c.bars_per_window);
      auto full = estimate_volatility(slice, c.estimator, 365.0);
      ASSERT_TRUE(full);
      EXPECT_NEAR(rolling->values[k], *full, 1e-12) << to_string(c.estimator) << " window ending at bar " << end;
    }
  }
}

TEST(Volatility, RollingEwmaFromBarsIsIndexedByBar) {
  const std::vector<OhlcBar> bars{{100, 100, 100, 100}, {101, 101, 101, 101}, {99, 101, 99, 99}};
  auto series = rolling_volatility(bars, VolatilityEstimator::Ewma, 0, 1.0);
  ASSERT_TRUE(series);
  EXPECT_EQ(series->first_index, 1u);  // the first return ends at bar 1
  ASSERT_EQ(series->values.size(), 2u);
  EXPECT_NEAR(series->values[0], std::abs(std::log(1.01)), kTight);
}

// ---- Monte Carlo: each estimator recovers a known σ ----------------------------------------------

TEST(Volatility, CloseToCloseAndEwmaRecoverTheSigmaOfASimulatedGbm) {
  // 20 000 daily returns, σ = 0.6 a year over 365 periods. Close-to-close relative standard error
  // ≈ 1/√(2n) = 0.5%; tolerance 2.5% (5 SE). The EWMA path's average variance is a weighted mean of
  // r² with weights summing to 1, so √(mean of the EWMA variances) estimates σ with a similar error.
  test_paths::TestRng rng(20240301);
  const double sigma = 0.6;
  const auto r = test_paths::gbm_log_returns(rng, 20000, 0.15, sigma, 365.0);
  EXPECT_NEAR(*close_to_close_volatility(r, 365.0) / sigma, 1.0, 0.025);
  auto path = ewma_volatility_series(r, 365.0);
  ASSERT_TRUE(path);
  double mean_variance = 0.0;
  for (double v : path->values) mean_variance += v * v;
  mean_variance /= static_cast<double>(path->values.size());
  EXPECT_NEAR(std::sqrt(mean_variance) / sigma, 1.0, 0.025);
}

TEST(Volatility, RangeEstimatorsRecoverTheSigmaOfASimulatedGbm) {
  // 1 500 bars of 1 000 sub-steps, σ = 0.8 a year over 365 periods, drift 0.3, no overnight gap.
  // Tolerance 6%: the discretely monitored range reads low by ≈ 2 × 0.5826/√1000 ≈ 3.7% of σ_bar
  // in range units (≈ 2.3% of σ for Parkinson), plus 3 standard errors (≈ 1% each for the range
  // estimators at 1 500 bars; ≈ 1.8% for close-to-close).
  test_paths::TestRng rng(42);
  const double sigma = 0.8;
  const auto bars = test_paths::gbm_bars(rng, 1500, 1000, 0.3, sigma, 365.0);
  for (auto estimator :
       {VolatilityEstimator::CloseToClose, VolatilityEstimator::Parkinson, VolatilityEstimator::GarmanKlass,
        VolatilityEstimator::RogersSatchell, VolatilityEstimator::YangZhang}) {
    auto estimate = estimate_volatility(bars, estimator, 365.0);
    ASSERT_TRUE(estimate);
    EXPECT_NEAR(*estimate / sigma, 1.0, 0.06) << to_string(estimator) << " estimated " << *estimate;
  }
}

TEST(Volatility, YangZhangSeesOvernightGapsThatRangeEstimatorsMiss) {
  // Intraday σ_d = 0.5 and an overnight gap σ_o = 0.4: the close-to-close variance is σ_d² + σ_o²
  // (total σ = √0.41 = 0.6403). Yang–Zhang and close-to-close recover the total; Parkinson, Garman–
  // Klass and Rogers–Satchell only see the intraday part. Same 6% tolerance as above.
  test_paths::TestRng rng(99);
  const double intraday = 0.5;
  const double overnight = 0.4;
  const double total = std::sqrt(intraday * intraday + overnight * overnight);
  const auto bars = test_paths::gbm_bars(rng, 1500, 1000, 0.0, intraday, 365.0, overnight);
  EXPECT_NEAR(*estimate_volatility(bars, VolatilityEstimator::YangZhang, 365.0) / total, 1.0, 0.06);
  EXPECT_NEAR(*estimate_volatility(bars, VolatilityEstimator::CloseToClose, 365.0) / total, 1.0, 0.06);
  for (auto estimator :
       {VolatilityEstimator::Parkinson, VolatilityEstimator::GarmanKlass, VolatilityEstimator::RogersSatchell}) {
    EXPECT_NEAR(*estimate_volatility(bars, estimator, 365.0) / intraday, 1.0, 0.06) << to_string(estimator);
  }
}

// ---- Edge cases --------------------------------------------------------------------------------------

TEST(Volatility, NonFiniteReturnIsAnErrorNamingItsIndex) {
  const std::vector<double> r{0.01, 0.02, std::numeric_limits<double>::quiet_NaN(), 0.0};
  auto sigma = close_to_close_volatility(r, 365.0);
  ASSERT_FALSE(sigma);
  EXPECT_EQ(sigma.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_NE(sigma.error().message().find("log_returns[2]"), std::string::npos) << sigma.error().to_string();

  const std::vector<double> inf{0.01, std::numeric_limits<double>::infinity()};
  auto ewma = ewma_volatility(inf, 1.0);
  ASSERT_FALSE(ewma);
  EXPECT_NE(ewma.error().message().find("log_returns[1]"), std::string::npos);
}

TEST(Volatility, NonFiniteOrInconsistentBarIsAnErrorNamingItsIndex) {
  std::vector<OhlcBar> bars = flat_bars(4, 100.0);
  bars[3].high = std::numeric_limits<double>::infinity();
  auto p = parkinson_volatility(bars, 1.0);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("bars[3]"), std::string::npos) << p.error().to_string();

  bars = flat_bars(4, 100.0);
  bars[1].low = 101.0;  // low above open and close
  auto gk = garman_klass_volatility(bars, 1.0);
  ASSERT_FALSE(gk);
  EXPECT_NE(gk.error().message().find("bars[1]"), std::string::npos) << gk.error().to_string();

  bars = flat_bars(4, 100.0);
  bars[2] = {0.0, 0.0, 0.0, 0.0};
  EXPECT_FALSE(rogers_satchell_volatility(bars, 1.0));
}

TEST(Volatility, TooFewObservationsAreErrors) {
  // One return has no sample deviation; Yang–Zhang needs two periods (three bars).
  EXPECT_FALSE(close_to_close_volatility(std::vector<double>{0.01}, 1.0));
  EXPECT_FALSE(close_to_close_volatility(std::vector<double>{}, 1.0));
  EXPECT_FALSE(ewma_volatility(std::vector<double>{}, 1.0));
  EXPECT_FALSE(yang_zhang_volatility(flat_bars(2, 100.0), 1.0));
  EXPECT_FALSE(parkinson_volatility(std::vector<OhlcBar>{}, 1.0));
  // A single bar is enough for the per-bar range estimators (a noisy but valid estimate).
  EXPECT_TRUE(parkinson_volatility(flat_bars(1, 100.0), 1.0));
  // A window longer than the data, or shorter than the estimator needs.
  EXPECT_FALSE(rolling_close_to_close_volatility(std::vector<double>{0.01, 0.02}, 3, 1.0));
  EXPECT_FALSE(rolling_close_to_close_volatility(std::vector<double>{0.01, 0.02}, 1, 1.0));
  EXPECT_FALSE(rolling_yang_zhang_volatility(flat_bars(3, 100.0), 3, 1.0));
}

TEST(Volatility, RejectsBadAnnualisationAndEwmaSettings) {
  const std::vector<double> r{0.01, -0.01, 0.02};
  EXPECT_FALSE(close_to_close_volatility(r, 0.0));
  EXPECT_FALSE(close_to_close_volatility(r, -252.0));
  EXPECT_FALSE(close_to_close_volatility(r, std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(ewma_volatility(r, 1.0, EwmaConfig{1.0, 1}));
  EXPECT_FALSE(ewma_volatility(r, 1.0, EwmaConfig{0.0, 1}));
  EXPECT_FALSE(ewma_volatility(r, 1.0, EwmaConfig{0.94, 0}));
  EXPECT_FALSE(ewma_volatility(r, 1.0, EwmaConfig{0.94, 4}));  // seed longer than the data
}

TEST(Volatility, ConvertsModelBars) {
  model::Bar bar;
  bar.open = model::Price::from_raw(10000, 2);
  bar.high = model::Price::from_raw(11000, 2);
  bar.low = model::Price::from_raw(9500, 2);
  bar.close = model::Price::from_raw(10500, 2);
  auto ohlc = to_ohlc(std::vector<model::Bar>{bar});
  ASSERT_TRUE(ohlc);
  EXPECT_DOUBLE_EQ((*ohlc)[0].high, 110.0);
  EXPECT_NEAR(*garman_klass_volatility(*ohlc, 1.0), 0.09912983040222308, kTight);
}

TEST(VolatilityEstimator, CodesRoundTrip) {
  for (auto e :
       {VolatilityEstimator::CloseToClose, VolatilityEstimator::Ewma, VolatilityEstimator::Parkinson,
        VolatilityEstimator::GarmanKlass, VolatilityEstimator::RogersSatchell, VolatilityEstimator::YangZhang}) {
    auto parsed = parse<VolatilityEstimator>(to_string(e));
    ASSERT_TRUE(parsed) << to_string(e);
    EXPECT_EQ(*parsed, e);
  }
  EXPECT_EQ(to_string(VolatilityEstimator::GarmanKlass), "GARMAN_KLASS");
  EXPECT_FALSE(parse<VolatilityEstimator>("garman_klass"));
}

}  // namespace
}  // namespace ballast::analytics
