// Bollinger Bands and the rolling standard deviation against an independent two-pass reference. The
// fast form keeps Σd and Σd² of deviations d = x − ref from a reference re-centred on the window mean
// every recentre_interval(p) = max(p, 64) updates; the reference here re-sums every window from
// scratch in long double (mean = Σx/p, M2 = Σ(x − mean)², σ = √(M2/p)) from the same doubles, so the
// comparison isolates the window arithmetic.
//
// Error bound. Let R be the range (max − min) of the last recentre_interval(p) + p values: every d the
// fast form touches since its last rebuild is at most R in size, Σd² at most p·R², and each of the at
// most K = recentre_interval(p) + p roundings of the running sums and of the rebuild adds at most
// ε·p·R² to M2 (ε = 2^-52). So |ΔM2| <= K·ε·p·R², hence |Δσ| <= K·ε·R²/σ (from σ² = M2/p) and, when σ
// is tiny, |Δσ| <= √(K·ε)·R. The bound tested is
//     σ:      |ours − ref| <= min(K·ε·R²/σ_ref, √(K·ε)·R) + 4ε·σ_ref
//     middle: |ours − ref| <= 4ε·level + K·ε·R
// (level the largest |x| in the window; the middle band is ref + Σd/p and carries an ulp of the level
// whatever the summation). These are what the conditioning of a sliding variance allows; a TA-Lib-style
// E[x²] − E[x]² on raw prices would exceed them by the factor level²/R² (1e18 on the adversarial
// series). Checked on real data (../shared/data, skipped when absent) and on an adversarial series
// (level 1e6, noise 1e-3). The worst error as a fraction of the bound and the worst relative error of
// σ where σ is well conditioned (σ bound <= 1e-9·σ) are recorded as test properties
// (--gtest_output=json shows them) and asserted below 1 and 1e-9.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "ballast/analytics/indicators.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "testkit/shared_data.hpp"

namespace ballast::analytics {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

struct Worst {
  double bound_ratio = 0.0;  // max |ours − ref| / bound over σ and the middle band
  double relative = 0.0;     // max |σ − σ_ref| / σ_ref where σ is well conditioned
  void merge(const Worst& w) {
    bound_ratio = std::max(bound_ratio, w.bound_ratio);
    relative = std::max(relative, w.relative);
  }
};

// Checks bollinger(), rolling_stddev() and both calculators at every defined index.
Worst check_against_reference(const std::vector<double>& x, int period, const std::string& what) {
  const auto p = static_cast<std::size_t>(period);
  const std::size_t n = x.size();
  const BollingerParams params{period, 2.0, 1.5};
  const auto bands = bollinger(x, params);
  const auto sd = rolling_stddev(x, period);
  EXPECT_TRUE(bands.has_value() && sd.has_value()) << what;
  if (!bands || !sd) return {};
  auto band_calc = *BollingerCalculator::create(params);
  auto sd_calc = *RollingStdDevCalculator::create(period);
  const std::size_t span = std::max<std::size_t>(p, 64) + p;
  const auto k = static_cast<double>(span);
  Worst worst;
  std::size_t failures = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const BandPoint streamed = band_calc.update(x[i]);
    const double streamed_sd = sd_calc.update(x[i]);
    if (i + 1 < p) continue;
    EXPECT_EQ(streamed.middle, bands->middle[i]) << what << " streaming middle differs from batch at " << i;
    EXPECT_EQ(streamed.upper, bands->upper[i]) << what << " streaming upper differs from batch at " << i;
    EXPECT_EQ(streamed.lower, bands->lower[i]) << what << " streaming lower differs from batch at " << i;
    EXPECT_EQ(streamed_sd, (*sd)[i]) << what << " streaming σ differs from batch at " << i;
    long double sum = 0.0L, level = 0.0L;
    for (std::size_t j = i + 1 - p; j <= i; ++j) {
      sum += x[j];
      level = std::max(level, std::abs(static_cast<long double>(x[j])));
    }
    const long double mean = sum / static_cast<long double>(p);
    long double m2 = 0.0L;
    for (std::size_t j = i + 1 - p; j <= i; ++j) m2 += (x[j] - mean) * (x[j] - mean);
    const auto sd_ref = static_cast<double>(std::sqrt(m2 / static_cast<long double>(p)));
    const std::size_t from = i + 1 >= span ? i + 1 - span : 0;
    const auto [lo, hi] = std::minmax_element(x.begin() + static_cast<std::ptrdiff_t>(from),
                                              x.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    const double range = *hi - *lo;
    const double sd_bound = std::min(sd_ref > 0.0 ? k * kEps * range * range / sd_ref : HUGE_VAL,
                                     std::sqrt(k * kEps) * range) +
                            4.0 * kEps * sd_ref;
    const double mid_bound = 4.0 * kEps * static_cast<double>(level) + k * kEps * range;
    const double sd_err = std::abs((*sd)[i] - sd_ref);
    const double mid_err = std::abs(bands->middle[i] - static_cast<double>(mean));
    // The bands are middle ± multiple·σ: the multiples are applied to the σ just checked.
    EXPECT_EQ(bands->upper[i], bands->middle[i] + 2.0 * (*sd)[i]) << what << " at " << i;
    EXPECT_EQ(bands->lower[i], bands->middle[i] - 1.5 * (*sd)[i]) << what << " at " << i;
    if (sd_bound > 0.0) worst.bound_ratio = std::max(worst.bound_ratio, sd_err / sd_bound);
    worst.bound_ratio = std::max(worst.bound_ratio, mid_err / mid_bound);
    if (sd_ref > 0.0 && sd_bound <= 1e-9 * sd_ref) worst.relative = std::max(worst.relative, sd_err / sd_ref);
    if ((sd_err > sd_bound || mid_err > mid_bound) && failures++ < 5) {
      ADD_FAILURE() << what << "[" << i << "]: σ " << (*sd)[i] << " vs " << sd_ref << " (bound " << sd_bound
                    << "), middle " << bands->middle[i] << " vs " << static_cast<double>(mean) << " (bound "
                    << mid_bound << ")";
    }
  }
  return worst;
}

void record(const std::string& name, const Worst& w) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3g", w.bound_ratio);
  ::testing::Test::RecordProperty(name + "_worst_bound_ratio", text);
  std::snprintf(text, sizeof text, "%.3g", w.relative);
  ::testing::Test::RecordProperty(name + "_worst_relative_error", text);
}

// Periods around the re-centring interval (64) and the SSE2/AVX vector widths (tails of 1–3 points).
constexpr int kPeriods[] = {1, 2, 5, 20, 63, 64, 65, 100};

TEST(BollingerAccuracy, MatchesATwoPassLongDoubleReferenceOnRealMarketData) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  for (const char* file : {"futures-2006-minute.csv", "eurusd-2017-2018-hourly.csv", "nvda-1999-2014-daily.csv"}) {
    auto series = data::read_ohlcv_csv(dir / file);
    ASSERT_TRUE(series.has_value()) << file << ": " << series.error().to_string();
    const std::vector<double> close = to_columns(series->bars).close;
    ASSERT_FALSE(close.empty()) << file;
    Worst all;
    for (int p : kPeriods) all.merge(check_against_reference(close, p, std::string(file) + " period " + std::to_string(p)));
    record(file, all);
    EXPECT_LE(all.bound_ratio, 1.0) << file;
    EXPECT_LE(all.relative, 1e-9) << file;
  }
}

TEST(BollingerAccuracy, HoldsItsBoundOnALargeLevelWithTinyNoise) {
  // Level 1e6, noise ±1e-3: σ is a billionth of the level, where E[x²] − E[x]² on raw prices loses
  // every digit (ε·level² = 2e-4 against σ² ≈ 3e-7).
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> noise(-1e-3, 1e-3);
  std::vector<double> x;
  for (int i = 0; i < 5000; ++i) x.push_back(1e6 + noise(rng));
  Worst all;
  for (int p : kPeriods) all.merge(check_against_reference(x, p, "adversarial period " + std::to_string(p)));
  record("adversarial", all);
  EXPECT_LE(all.bound_ratio, 1.0);
  EXPECT_LE(all.relative, 1e-9);
}

TEST(BollingerAccuracy, HoldsItsBoundOnATrendWithAJumpAndAFlatStretch) {
  // A steady trend (the window mean runs away from the reference between re-centrings), a jump of
  // 1000 σ, then a flat stretch: the cases where a sliding sum of squares cancels the most.
  std::mt19937_64 rng(13);
  std::normal_distribution<double> noise(0.0, 0.05);
  std::vector<double> x;
  for (int i = 0; i < 1500; ++i) x.push_back(5000.0 + 0.37 * i + noise(rng));
  for (int i = 0; i < 500; ++i) x.push_back(6000.0 + noise(rng));
  const double flat = 6000.0 / 7.0;  // a full 53-bit mantissa
  for (int i = 0; i < 500; ++i) x.push_back(flat);
  Worst all;
  for (int p : kPeriods) all.merge(check_against_reference(x, p, "trend/jump/flat period " + std::to_string(p)));
  record("trend_jump_flat", all);
  EXPECT_LE(all.bound_ratio, 1.0);
}

TEST(BollingerAccuracy, WidthIsWithinUlpsOfZeroOnAFlatStretchOnceTheReferenceIsRecentred) {
  // After a moving market, the sliding sums of a flat window still carry the rounding of the values
  // that left it (up to √(K·ε)·R, see the bound above). The first rebuild whose window is entirely
  // flat (at most recentre_interval(p) updates after the window became flat) sums p equal deviations
  // d = flat − ref of a few ulps: M2 = Σd² − (Σd)²/p is then of the order ε·p·d², so σ is far below an
  // ulp of the level, and the middle band is ref + d, within an ulp of the flat price.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> step(0.0, 0.01);
  std::vector<double> x;
  double price = 1234.5678;
  for (int i = 0; i < 300; ++i) {
    price *= std::exp(step(rng));
    x.push_back(price);
  }
  const double flat = 1234.5678 / 3.0 * 2.9;
  for (int i = 0; i < 600; ++i) x.push_back(flat);
  const double ulp = std::nextafter(flat, 2.0 * flat) - flat;
  for (int p : {2, 20, 40, 100}) {
    const auto b = *bollinger(x, {p, 2.0, 2.0});
    const auto sd = *rolling_stddev(x, p);
    const std::size_t flat_window = 300 + static_cast<std::size_t>(p) - 1;
    const std::size_t settled = flat_window + std::max<std::size_t>(static_cast<std::size_t>(p), 64);
    for (std::size_t i = settled; i < x.size(); ++i) {
      EXPECT_LE(sd[i], ulp) << "period " << p << " at " << i;
      EXPECT_LE(b.upper[i] - b.lower[i], 4.0 * ulp) << "period " << p << " at " << i;
      EXPECT_NEAR(b.middle[i], flat, ulp) << "period " << p << " at " << i;
    }
  }
}

}  // namespace
}  // namespace ballast::analytics
