// CCI numerics against an independent two-pass reference. The fast CCI keeps the window mean as a
// running sum of deviations from a reference (ShiftedWindowSum) and takes Σ|x − mean| in a pairwise
// SSE2 order; the reference here re-sums every window from scratch in long double (mean = Σ tp / p,
// MD = Σ |tp − mean| / p, CCI = (tp − mean) / (0.015 · MD)), from the same double typical prices
// (H + L + C)/3, so the comparison isolates the window arithmetic. (The fast form runs on 3·TP =
// H + L + C, which CCI's scale invariance allows; the reference's TP carries the rounding of the
// division by 3, half an ulp of the level, which the bound's 4u term below covers.)
//
// Error bound: the mean is a double near the price level, so it carries about an ulp of the level
// (u); CCI = (tp − mean)/(0.015·MD) moves by u/(0.015·MD) per unit of mean error, and MD by at most
// u. Every point must satisfy |ours − ref| <= 4·u/(0.015·MD) + |ref|·(4·u/MD + 64ε) — a bound set by
// the conditioning of CCI itself (no summation order does better than one rounding of the mean),
// checked on real data (../shared/data, skipped when absent) and on an adversarial series (level 1e6,
// noise 1e-3: a 1e9 level-to-noise ratio). The worst error relative to this bound and the worst
// relative error at well-conditioned points (bound <= 1e-9 relative) are recorded as test
// properties (--gtest_output=json shows them).

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

struct Hlc {
  std::vector<double> high, low, close;
};

struct Worst {
  double bound_ratio = 0.0;   // max |ours − ref| / bound
  double relative = 0.0;      // max |ours − ref| / max(|ref|, 1) where CCI is well conditioned
};

// Checks cci() and CciCalculator against the long-double reference at every defined index.
Worst check_against_reference(const Hlc& s, int period, const std::string& what) {
  const auto p = static_cast<std::size_t>(period);
  const std::size_t n = s.close.size();
  std::vector<double> tp(n);
  for (std::size_t i = 0; i < n; ++i) tp[i] = (s.high[i] + s.low[i] + s.close[i]) / 3.0;
  const auto batch = cci(s.high, s.low, s.close, period);
  EXPECT_TRUE(batch.has_value()) << what;
  if (!batch) return {};
  auto calc = *CciCalculator::create(period);
  Worst worst;
  std::size_t failures = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double streamed = calc.update(s.high[i], s.low[i], s.close[i]);
    if (i + 1 < p) continue;
    EXPECT_EQ(streamed, (*batch)[i]) << what << " streaming differs from batch at " << i;
    long double sum = 0.0L, level = 0.0L;
    for (std::size_t j = i + 1 - p; j <= i; ++j) {
      sum += tp[j];
      level = std::max(level, std::abs(static_cast<long double>(tp[j])));
    }
    const long double mean = sum / static_cast<long double>(p);
    long double abs_sum = 0.0L;
    for (std::size_t j = i + 1 - p; j <= i; ++j) abs_sum += std::abs(tp[j] - mean);
    const long double md = abs_sum / static_cast<long double>(p);
    const double ours = (*batch)[i];
    if (md == 0.0L) {
      if (ours != 0.0 && failures++ < 5) ADD_FAILURE() << what << "[" << i << "]: flat window gave " << ours;
      continue;
    }
    const double ref = static_cast<double>((tp[i] - mean) / (0.015L * md));
    const double u = static_cast<double>(level) * std::numeric_limits<double>::epsilon();
    const double mdd = static_cast<double>(md);
    const double bound = 4.0 * u / (0.015 * mdd) +
                         std::abs(ref) * (4.0 * u / mdd + 64.0 * std::numeric_limits<double>::epsilon());
    const double err = std::abs(ours - ref);
    worst.bound_ratio = std::max(worst.bound_ratio, err / bound);
    // Near-flat windows (MD within a few thousand ulps of the level) make CCI itself ill-conditioned:
    // there the bound, not a relative error, is the meaningful measure.
    if (bound <= 1e-9 * std::max(std::abs(ref), 1.0)) {
      worst.relative = std::max(worst.relative, err / std::max(std::abs(ref), 1.0));
    }
    if (err > bound && failures++ < 5) {
      ADD_FAILURE() << what << "[" << i << "]: " << ours << " vs reference " << ref << " (bound " << bound << ")";
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

Hlc read_bars(const std::filesystem::path& file) {
  auto series = data::read_ohlcv_csv(file);
  EXPECT_TRUE(series.has_value()) << (series ? "" : series.error().to_string());
  Hlc s;
  if (!series) return s;
  const BarColumns c = to_columns(series->bars);
  s.high = c.high;
  s.low = c.low;
  s.close = c.close;
  return s;
}

constexpr int kPeriods[] = {1, 2, 14, 20, 32, 33, 100};

TEST(CciAccuracy, MatchesATwoPassLongDoubleReferenceOnRealMarketData) {
  BALLAST_REQUIRE_SHARED_DATA(dir);
  for (const char* file : {"futures-2006-minute.csv", "eurusd-2017-2018-hourly.csv", "nvda-1999-2014-daily.csv"}) {
    const Hlc s = read_bars(dir / file);
    ASSERT_FALSE(s.close.empty()) << file;
    Worst all;
    for (int p : kPeriods) {
      const Worst w = check_against_reference(s, p, std::string(file) + " CCI(" + std::to_string(p) + ")");
      all.bound_ratio = std::max(all.bound_ratio, w.bound_ratio);
      all.relative = std::max(all.relative, w.relative);
    }
    record(file, all);
    EXPECT_LE(all.bound_ratio, 1.0) << file;
  }
}

TEST(CciAccuracy, HoldsItsBoundOnALargeLevelWithTinyNoise) {
  // Level 1e6, closes within ±1e-3 of it, highs and lows within 1e-3 of the close: the mean
  // deviation is ~1e-3, a billionth of the level, where E[x]-style shortcuts lose every digit.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> noise(-1e-3, 1e-3);
  std::uniform_real_distribution<double> wick(0.0, 1e-3);
  Hlc s;
  for (int i = 0; i < 5000; ++i) {
    const double c = 1e6 + noise(rng);
    s.close.push_back(c);
    s.high.push_back(c + wick(rng));
    s.low.push_back(c - wick(rng));
  }
  Worst all;
  for (int p : kPeriods) {
    const Worst w = check_against_reference(s, p, "adversarial CCI(" + std::to_string(p) + ")");
    all.bound_ratio = std::max(all.bound_ratio, w.bound_ratio);
    all.relative = std::max(all.relative, w.relative);
  }
  record("adversarial", all);
  EXPECT_LE(all.bound_ratio, 1.0);
}

TEST(CciAccuracy, IsExactlyZeroOnAFlatStretchAfterTheMarketMoved) {
  // 300 bars of a random walk, then 200 identical bars at a price with a full 53-bit mantissa. The
  // running mean entered the flat stretch with a history, yet a window inside it must give exactly
  // 0 (MD = 0), not a rounding residue divided by a rounding residue.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> step(0.0, 0.01);
  Hlc s;
  double price = 1234.5678;
  for (int i = 0; i < 300; ++i) {
    price *= std::exp(step(rng));
    s.close.push_back(price);
    s.high.push_back(price * 1.002);
    s.low.push_back(price * 0.998);
  }
  const double flat = 1234.5678 / 3.0 * 2.9;
  for (int i = 0; i < 200; ++i) {
    s.close.push_back(flat);
    s.high.push_back(flat);
    s.low.push_back(flat);
  }
  for (int p : {2, 14, 20, 40, 100}) {
    const auto y = *cci(s.high, s.low, s.close, p);
    auto calc = *CciCalculator::create(p);
    for (std::size_t i = 0; i < y.size(); ++i) {
      const double streamed = calc.update(s.high[i], s.low[i], s.close[i]);
      if (i >= 300 + static_cast<std::size_t>(p) - 1) {
        EXPECT_EQ(y[i], 0.0) << "CCI(" << p << ") at " << i;
        EXPECT_EQ(streamed, 0.0) << "CCI(" << p << ") streaming at " << i;
      }
    }
  }
}

}  // namespace
}  // namespace ballast::analytics
