// Streaming calculators against the batch functions, for every indicator: feeding a series one
// point at a time must give the batch output, NaN for NaN, and the same values to a relative 1e-12
// (in practice bit for bit: both run the same operations in the same order). Series are
// 5,000-bar geometric random walks, long enough to cross several exact-rebuild points of the
// rolling sums (every 1024 updates). Also: long-run stability of the rolling sums.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "ballast/analytics/indicators.hpp"

namespace ballast::analytics {
namespace {

constexpr std::size_t kBars = 5000;

struct Series {
  std::vector<double> high, low, close, volume;
  std::vector<std::int64_t> session;
  std::vector<core::UnixNanos> ts;
};

// Geometric random walk from 100 with 1% daily moves, bars around it, volumes 1k–2k, 390-bar sessions.
Series random_walk(std::uint64_t seed, std::size_t n = kBars) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step(0.0, 0.01);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Series s;
  double price = 100.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double open = price;
    price *= std::exp(step(rng));
    const double hi = std::max(open, price) * (1.0 + 0.004 * unit(rng));
    const double lo = std::min(open, price) * (1.0 - 0.004 * unit(rng));
    s.high.push_back(hi);
    s.low.push_back(lo);
    s.close.push_back(price);
    s.volume.push_back(1000.0 + 1000.0 * unit(rng));
    s.session.push_back(static_cast<std::int64_t>(i / 390));
    s.ts.push_back(core::UnixNanos::from_seconds(1'700'000'000 + 60 * static_cast<std::int64_t>(i)));
  }
  return s;
}

// |a − b| <= 1e-12·max(|a|, |b|, scale). `scale` is the size of the quantity's typical values (for
// outputs that cross zero, such as MACD or a slope, a relative test at 0 would demand more digits
// than the inputs carry).
void expect_same(const std::vector<double>& batch, const std::vector<double>& stream, const std::string& what,
                 double scale = 0.0) {
  ASSERT_EQ(batch.size(), stream.size()) << what;
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < batch.size() && mismatches < 5; ++i) {
    const double a = batch[i], b = stream[i];
    if (std::isnan(a) || std::isnan(b)) {
      if (std::isnan(a) != std::isnan(b)) {
        ++mismatches;
        ADD_FAILURE() << what << "[" << i << "]: batch " << a << " vs streaming " << b;
      }
      continue;
    }
    const double tol = 1e-12 * std::max({std::abs(a), std::abs(b), scale});
    if (std::abs(a - b) > tol) {
      ++mismatches;
      ADD_FAILURE() << what << "[" << i << "]: batch " << a << " vs streaming " << b;
    }
  }
}

// Runs `update(i)` for every bar and collects what it returns.
std::vector<double> collect(std::size_t n, const std::function<double(std::size_t)>& update) {
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = update(i);
  return out;
}

class StreamingMatchesBatch : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  Series s = random_walk(GetParam());
  std::size_t n = s.close.size();
};

TEST_P(StreamingMatchesBatch, MovingAverages) {
  for (int p : {1, 5, 20, 200}) {
    auto sma_c = *SmaCalculator::create(p);
    expect_same(*sma(s.close, p), collect(n, [&](std::size_t i) { return sma_c.update(s.close[i]); }), "SMA");
    auto ema_c = *EmaCalculator::create(p);
    expect_same(*ema(s.close, p), collect(n, [&](std::size_t i) { return ema_c.update(s.close[i]); }), "EMA");
    auto wma_c = *WmaCalculator::create(p);
    expect_same(*wma(s.close, p), collect(n, [&](std::size_t i) { return wma_c.update(s.close[i]); }), "WMA");
    auto dema_c = *DemaCalculator::create(p);
    expect_same(*dema(s.close, p), collect(n, [&](std::size_t i) { return dema_c.update(s.close[i]); }), "DEMA");
    auto tema_c = *TemaCalculator::create(p);
    expect_same(*tema(s.close, p), collect(n, [&](std::size_t i) { return tema_c.update(s.close[i]); }), "TEMA");
  }
}

TEST_P(StreamingMatchesBatch, RsiRocAndMomentum) {
  for (int p : {2, 14, 50}) {
    auto rsi_c = *RsiCalculator::create(p);
    expect_same(*rsi(s.close, p), collect(n, [&](std::size_t i) { return rsi_c.update(s.close[i]); }), "RSI");
    auto roc_c = *RocCalculator::create(p);
    expect_same(*roc(s.close, p), collect(n, [&](std::size_t i) { return roc_c.update(s.close[i]); }), "ROC", 1.0);
    auto mom_c = *MomentumCalculator::create(p);
    expect_same(*momentum(s.close, p), collect(n, [&](std::size_t i) { return mom_c.update(s.close[i]); }), "momentum",
                1.0);
  }
}

TEST_P(StreamingMatchesBatch, Macd) {
  for (MacdParams params : {MacdParams{}, MacdParams{5, 35, 5}, MacdParams{1, 2, 1}}) {
    const auto batch = *macd(s.close, params);
    auto calc = *MacdCalculator::create(params);
    std::vector<double> line(n), signal(n), histogram(n);
    for (std::size_t i = 0; i < n; ++i) {
      const MacdPoint m = calc.update(s.close[i]);
      line[i] = m.macd;
      signal[i] = m.signal;
      histogram[i] = m.histogram;
    }
    expect_same(batch.macd, line, "MACD line", 1.0);
    expect_same(batch.signal, signal, "MACD signal", 1.0);
    expect_same(batch.histogram, histogram, "MACD histogram", 1.0);
  }
}

TEST_P(StreamingMatchesBatch, Stochastics) {
  const auto slow = *stochastic(s.high, s.low, s.close, {14, 3, 3});
  auto slow_c = *StochasticCalculator::create({14, 3, 3});
  std::vector<double> k(n), d(n);
  for (std::size_t i = 0; i < n; ++i) {
    const StochasticPoint pt = slow_c.update(s.high[i], s.low[i], s.close[i]);
    k[i] = pt.k;
    d[i] = pt.d;
  }
  expect_same(slow.k, k, "slow %K");
  expect_same(slow.d, d, "slow %D");

  const auto fast = *fast_stochastic(s.high, s.low, s.close, {5, 3});
  auto fast_c = *FastStochasticCalculator::create({5, 3});
  for (std::size_t i = 0; i < n; ++i) {
    const StochasticPoint pt = fast_c.update(s.high[i], s.low[i], s.close[i]);
    k[i] = pt.k;
    d[i] = pt.d;
  }
  expect_same(fast.k, k, "fast %K");
  expect_same(fast.d, d, "fast %D");
}

TEST_P(StreamingMatchesBatch, WilliamsRAndCci) {
  for (int p : {1, 14, 100}) {
    auto wr_c = *WilliamsRCalculator::create(p);
    expect_same(*williams_r(s.high, s.low, s.close, p),
                collect(n, [&](std::size_t i) { return wr_c.update(s.high[i], s.low[i], s.close[i]); }), "%R", 1.0);
    auto cci_c = *CciCalculator::create(p);
    expect_same(*cci(s.high, s.low, s.close, p),
                collect(n, [&](std::size_t i) { return cci_c.update(s.high[i], s.low[i], s.close[i]); }), "CCI", 1.0);
  }
}

TEST_P(StreamingMatchesBatch, BollingerAndRollingStdDev) {
  for (int p : {2, 20, 1500}) {
    const auto batch = *bollinger(s.close, {p, 2.0, 1.5});
    auto calc = *BollingerCalculator::create({p, 2.0, 1.5});
    std::vector<double> mid(n), up(n), lo(n);
    for (std::size_t i = 0; i < n; ++i) {
      const BandPoint b = calc.update(s.close[i]);
      mid[i] = b.middle;
      up[i] = b.upper;
      lo[i] = b.lower;
    }
    expect_same(batch.middle, mid, "Bollinger middle");
    expect_same(batch.upper, up, "Bollinger upper");
    expect_same(batch.lower, lo, "Bollinger lower");
    auto sd_c = *RollingStdDevCalculator::create(p);
    expect_same(*rolling_stddev(s.close, p), collect(n, [&](std::size_t i) { return sd_c.update(s.close[i]); }),
                "stddev");
  }
}

TEST_P(StreamingMatchesBatch, AtrNatrAndKeltner) {
  for (int p : {1, 14, 60}) {
    auto atr_c = *AtrCalculator::create(p);
    expect_same(*atr(s.high, s.low, s.close, p),
                collect(n, [&](std::size_t i) { return atr_c.update(s.high[i], s.low[i], s.close[i]); }), "ATR");
    auto natr_c = *NatrCalculator::create(p);
    expect_same(*natr(s.high, s.low, s.close, p),
                collect(n, [&](std::size_t i) { return natr_c.update(s.high[i], s.low[i], s.close[i]); }), "NATR");
  }
  for (KeltnerParams params : {KeltnerParams{}, KeltnerParams{5, 30, 1.5}}) {
    const auto batch = *keltner(s.high, s.low, s.close, params);
    auto calc = *KeltnerCalculator::create(params);
    std::vector<double> mid(n), up(n), lo(n);
    for (std::size_t i = 0; i < n; ++i) {
      const BandPoint b = calc.update(s.high[i], s.low[i], s.close[i]);
      mid[i] = b.middle;
      up[i] = b.upper;
      lo[i] = b.lower;
    }
    expect_same(batch.middle, mid, "Keltner middle");
    expect_same(batch.upper, up, "Keltner upper");
    expect_same(batch.lower, lo, "Keltner lower");
  }
}

TEST_P(StreamingMatchesBatch, Donchian) {
  for (int p : {1, 20, 333}) {
    const auto batch = *donchian(s.high, s.low, p);
    auto calc = *DonchianCalculator::create(p);
    std::vector<double> mid(n), up(n), lo(n);
    for (std::size_t i = 0; i < n; ++i) {
      const BandPoint b = calc.update(s.high[i], s.low[i]);
      mid[i] = b.middle;
      up[i] = b.upper;
      lo[i] = b.lower;
    }
    expect_same(batch.middle, mid, "Donchian middle");
    expect_same(batch.upper, up, "Donchian upper");
    expect_same(batch.lower, lo, "Donchian lower");
  }
}

TEST_P(StreamingMatchesBatch, AdxAndDirectionalIndicators) {
  for (int p : {1, 14, 40}) {
    const auto batch = *adx(s.high, s.low, s.close, p);
    auto calc = *AdxCalculator::create(p);
    std::vector<double> a(n), plus(n), minus(n);
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = calc.update(s.high[i], s.low[i], s.close[i]);
      plus[i] = calc.plus_di();
      minus[i] = calc.minus_di();
    }
    expect_same(batch.adx, a, "ADX");
    expect_same(batch.plus_di, plus, "+DI");
    expect_same(batch.minus_di, minus, "-DI");
  }
}

TEST_P(StreamingMatchesBatch, LinearRegressionSlope) {
  for (int p : {2, 14, 2000}) {
    auto calc = *LinRegSlopeCalculator::create(p);
    expect_same(*linreg_slope(s.close, p), collect(n, [&](std::size_t i) { return calc.update(s.close[i]); }), "slope",
                1e-2);
  }
}

TEST_P(StreamingMatchesBatch, ObvAndVwap) {
  auto obv_c = *ObvCalculator::create();
  expect_same(*obv(s.close, s.volume), collect(n, [&](std::size_t i) { return obv_c.update(s.close[i], s.volume[i]); }),
              "OBV", 1000.0);
  auto vwap_c = *VwapCalculator::create();
  expect_same(
      *vwap(s.high, s.low, s.close, s.volume, s.session),
      collect(n,
              [&](std::size_t i) { return vwap_c.update(s.high[i], s.low[i], s.close[i], s.volume[i], s.session[i]); }),
      "VWAP");
  auto day_c = *VwapCalculator::create();
  expect_same(*vwap_utc_day(s.high, s.low, s.close, s.volume, s.ts),
              collect(n,
                      [&](std::size_t i) {
                        return day_c.update(s.high[i], s.low[i], s.close[i], s.volume[i], utc_day_session(s.ts[i]));
                      }),
              "VWAP (UTC day)");
}

INSTANTIATE_TEST_SUITE_P(RandomWalks, StreamingMatchesBatch, ::testing::Values(1u, 20240229u, 987654321u));

TEST(StreamingCalculators, ReturnNanAndAreNotReadyUntilTheLookbackHasPassed) {
  const Series s = random_walk(7, 100);
  auto sma_c = *SmaCalculator::create(10);
  auto rsi_c = *RsiCalculator::create(10);
  auto atr_c = *AtrCalculator::create(10);
  auto macd_c = *MacdCalculator::create();
  for (std::size_t i = 0; i < s.close.size(); ++i) {
    const double a = sma_c.update(s.close[i]);
    const double r = rsi_c.update(s.close[i]);
    const double t = atr_c.update(s.high[i], s.low[i], s.close[i]);
    const MacdPoint m = macd_c.update(s.close[i]);
    EXPECT_EQ(std::isnan(a), i < 9) << i;
    EXPECT_EQ(sma_c.ready(), i >= 9) << i;
    EXPECT_EQ(std::isnan(r), i < 10) << i;
    EXPECT_EQ(rsi_c.ready(), i >= 10) << i;
    EXPECT_EQ(std::isnan(t), i < 10) << i;
    EXPECT_EQ(std::isnan(m.signal), i < 33) << i;
    EXPECT_EQ(macd_c.ready(), i >= 33) << i;
  }
}

// Long-run stability: 2 million updates of a walk at a level of 1e6 with steps of 1e-2, where a
// naive add-new/subtract-old running sum accumulates an error that grows like √n·ε·level. The
// calculators rebuild their sums from the window every 1024 updates, so at any point the result
// must match a fresh computation over the current window.
TEST(StreamingCalculators, RollingSumsDoNotDriftOverMillionsOfUpdates) {
  constexpr int kPeriod = 50;
  constexpr std::size_t kUpdates = 2'000'000;
  std::mt19937_64 rng(42);
  std::normal_distribution<double> step(0.0, 0.01);
  auto sma_c = *SmaCalculator::create(kPeriod);
  auto sd_c = *RollingStdDevCalculator::create(kPeriod);
  auto wma_c = *WmaCalculator::create(kPeriod);
  auto slope_c = *LinRegSlopeCalculator::create(kPeriod);
  std::vector<double> window;
  double x = 1e6;
  for (std::size_t i = 0; i < kUpdates; ++i) {
    x += step(rng);
    window.push_back(x);
    const double mean = sma_c.update(x);
    const double sd = sd_c.update(x);
    const double w = wma_c.update(x);
    const double slope = slope_c.update(x);
    if (i + 1 < kUpdates && (i + 1) % 250'000 != 0) continue;
    // Reference: long-double two-pass sums over the last kPeriod values.
    const std::vector<double> last(window.end() - kPeriod, window.end());
    long double sum = 0.0L, weighted = 0.0L;
    for (int j = 0; j < kPeriod; ++j) {
      sum += last[j];
      weighted += static_cast<long double>(j + 1) * last[j];
    }
    const long double m = sum / kPeriod;
    long double ss = 0.0L, sxy = 0.0L;
    for (int j = 0; j < kPeriod; ++j) {
      const long double d = last[j] - m;
      ss += d * d;
      sxy += (j - (kPeriod - 1) / 2.0L) * d;
    }
    const long double sxx = static_cast<long double>(kPeriod) * (kPeriod * kPeriod - 1) / 12.0L;
    EXPECT_NEAR(mean, static_cast<double>(m), 1e-12 * 1e6) << "after " << i + 1 << " updates";
    EXPECT_NEAR(w, static_cast<double>(weighted / (kPeriod * (kPeriod + 1) / 2.0L)), 1e-12 * 1e6) << i + 1;
    const double sd_ref = static_cast<double>(std::sqrt(ss / kPeriod));
    EXPECT_NEAR(sd, sd_ref, 1e-6 * sd_ref) << "after " << i + 1 << " updates";
    const double slope_ref = static_cast<double>(sxy / sxx);
    EXPECT_NEAR(slope, slope_ref, 1e-6 * std::max(std::abs(slope_ref), 1e-4)) << "after " << i + 1 << " updates";
    window.erase(window.begin(), window.end() - kPeriod);
  }
}

}  // namespace
}  // namespace ballast::analytics
