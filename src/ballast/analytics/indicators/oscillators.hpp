#pragma once
// Oscillators: RSI, MACD, stochastic (slow and fast), Williams %R, CCI, rate of change, momentum.
// RSI, stochastic and Williams %R are bounded (RSI and %K/%D in [0, 100], %R in [−100, 0]); MACD and
// momentum are in the units of the input (price differences); ROC is in percent; CCI is unitless.
//
// Batch/streaming/error conventions are those of moving_averages.hpp. Seeds and lookbacks follow
// TA-Lib (unstable period 0):
//   RSI(p)         lookback p. Wilder: the first average gain and loss are simple averages of the
//                  first p changes; then avg_t = avg_{t−1}·(p−1)/p + x_t/p. RSI = 100·G/(G+L).
//   MACD(f, s, g)  lookback (s−1)+(g−1) for all three outputs (33 for 12/26/9), as TA-Lib aligns
//                  them. Slow EMA seeded with the SMA of the first s values; the fast EMA is seeded
//                  at the same bar, index s−1, with the SMA of the f values ending there (not at
//                  index f−1), as TA-Lib does. Signal = EMA(g) of the MACD line seeded with the SMA
//                  of its first g values; histogram = MACD − signal. Requires fast < slow.
//   Stochastic     slow: raw %K over fastk bars, %K = SMA(raw %K, slowk), %D = SMA(%K, slowd);
//                  lookback (fastk−1)+(slowk−1)+(slowd−1), both outputs aligned there (TA-Lib STOCH
//                  with SMA smoothing). fast: %K = raw %K, %D = SMA(raw %K, fastd); lookback
//                  (fastk−1)+(fastd−1) (TA-Lib STOCHF). Raw %K = 100·(C − LL)/(HH − LL) over the
//                  last fastk bars including the current one.
//   Williams %R(p) lookback p−1; −100·(HH − C)/(HH − LL).
//   CCI(p)         lookback p−1; typical price TP = (H+L+C)/3; (TP − SMA(TP))/(0.015·mean |TP − SMA|).
//   ROC(p)         lookback p; 100·(x_t/x_{t−p} − 1). Momentum(p): lookback p; x_t − x_{t−p}.
//
// Deviations from TA-Lib (why: a flat market is not an extreme, and a sub-1e-8 price is not zero):
//  - A window without movement gives the neutral midpoint: RSI 50 when G + L = 0, raw %K 50 and
//    Williams %R −50 when HH = LL. TA-Lib writes 0 (RSI, %K, %R), i.e. "oversold" or "overbought".
//  - Zero tests are exact; TA-Lib treats |v| < 1e-8 as zero, which breaks on low-priced assets.
//  - MACD with fast >= slow is an error; TA-Lib silently swaps the periods.
//  - ROC with a zero base value is an error naming its index; TA-Lib writes 0.
//
// Streaming cost: every update is O(1) (amortised O(1) for the rolling highs and lows), except CCI,
// whose mean absolute deviation is taken around the current mean and so has no O(1) recurrence:
// its update is O(period) over a contiguous window (TA-Lib is O(period) per bar as well): one SSE2
// pass over the period − 1 older values with the newest held in a register, after an O(1) update of
// the window mean; for periods up to 32 the pass is unrolled and sums as a balanced tree (depth
// ⌈log2(p/2)⌉ additions after the mean rather than ~p/8 + 4), since an update's cost is its latency.
//
// CCI numerics: both forms work on 3·TP = H + L + C (CCI is invariant to scaling TP, and the sum
// saves the update a division and a rounding); the window mean is a running sum of deviations from a reference (ShiftedWindowSum:
// exact while prices stay within a factor of two of the reference, rebuilt every p updates), and Σ|x − mean| a fixed pairwise-vector order (for periods up to 32 a balanced tree of
// two-lane sums, else four two-lane accumulators over the older values, then the newest). cci() and CciCalculator run the same schedule and operations, so they
// agree bit for bit; both differ from TA-Lib's serial sums only by rounding (the reference tests hold
// to 1e-10).

#include "ballast/analytics/indicators/indicator_support.hpp"
#include "ballast/analytics/indicators/moving_averages.hpp"
#include "ballast/core/result.hpp"

#include <span>
#include <vector>

namespace ballast::analytics {

// ---- RSI ---------------------------------------------------------------------------------------

core::Result<std::vector<double>> rsi(std::span<const double> values, int period);
core::Status rsi_into(std::span<const double> values, int period, std::span<double> out);

class RsiCalculator {
 public:
  static core::Result<RsiCalculator> create(int period);
  double update(double x);
  bool ready() const noexcept { return count_ > period_; }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_; }

 private:
  explicit RsiCalculator(int period);

  int period_;
  double keep_;        // (p−1)/p
  double half_share_;  // 1/(2p): the smoothing share of a doubled gain or loss
  int count_ = 0;
  double previous_ = 0.0;
  double avg_gain_ = 0.0;  // running sums of doubled gains during the seed, averages after
  double avg_loss_ = 0.0;
  double value_ = indicator_detail::kNaN;
};

// ---- MACD --------------------------------------------------------------------------------------

struct MacdParams {
  int fast_period = 12;
  int slow_period = 26;
  int signal_period = 9;
};

struct MacdSeries {
  std::vector<double> macd;       // fast EMA − slow EMA
  std::vector<double> signal;     // EMA of macd
  std::vector<double> histogram;  // macd − signal
};

struct MacdPoint {
  double macd = indicator_detail::kNaN;
  double signal = indicator_detail::kNaN;
  double histogram = indicator_detail::kNaN;
};

core::Status validate(const MacdParams& params);
// (slow−1) + (signal−1); requires valid params.
int macd_lookback(const MacdParams& params) noexcept;

core::Result<MacdSeries> macd(std::span<const double> values, const MacdParams& params = {});
core::Status macd_into(std::span<const double> values, const MacdParams& params, std::span<double> macd_out,
                       std::span<double> signal_out, std::span<double> histogram_out);

class MacdCalculator {
 public:
  static core::Result<MacdCalculator> create(const MacdParams& params = {});
  MacdPoint update(double x);
  bool ready() const noexcept { return count_ > lookback_; }
  MacdPoint value() const noexcept { return value_; }
  const MacdParams& params() const noexcept { return params_; }
  int lookback() const noexcept { return lookback_; }

 private:
  explicit MacdCalculator(const MacdParams& params);

  MacdParams params_;
  int lookback_;
  indicator_detail::EmaWeights fast_weights_;
  indicator_detail::EmaWeights slow_weights_;
  indicator_detail::EmaWeights signal_weights_;
  int count_ = 0;
  double fast_ = 0.0;  // seed sums until index slow−1, EMAs after
  double slow_ = 0.0;
  double signal_ = 0.0;
  MacdPoint value_;
};

// ---- stochastic --------------------------------------------------------------------------------

struct StochasticParams {  // slow stochastic (TA-Lib STOCH with SMA smoothing)
  int fastk_period = 5;
  int slowk_period = 3;
  int slowd_period = 3;
};

struct FastStochasticParams {  // fast stochastic (TA-Lib STOCHF with SMA smoothing)
  int fastk_period = 5;
  int fastd_period = 3;
};

struct StochasticSeries {
  std::vector<double> k;
  std::vector<double> d;
};

struct StochasticPoint {
  double k = indicator_detail::kNaN;
  double d = indicator_detail::kNaN;
};

core::Status validate(const StochasticParams& params);
core::Status validate(const FastStochasticParams& params);
int stochastic_lookback(const StochasticParams& params) noexcept;
int stochastic_lookback(const FastStochasticParams& params) noexcept;

core::Result<StochasticSeries> stochastic(std::span<const double> high, std::span<const double> low,
                                          std::span<const double> close, const StochasticParams& params = {});
core::Status stochastic_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                             const StochasticParams& params, std::span<double> k_out, std::span<double> d_out);

core::Result<StochasticSeries> fast_stochastic(std::span<const double> high, std::span<const double> low,
                                               std::span<const double> close, const FastStochasticParams& params = {});
core::Status fast_stochastic_into(std::span<const double> high, std::span<const double> low,
                                  std::span<const double> close, const FastStochasticParams& params,
                                  std::span<double> k_out, std::span<double> d_out);

// Slow stochastic.
class StochasticCalculator {
 public:
  static core::Result<StochasticCalculator> create(const StochasticParams& params = {});
  StochasticPoint update(double high, double low, double close);
  bool ready() const noexcept { return slowd_.full(); }
  StochasticPoint value() const noexcept { return value_; }
  int lookback() const noexcept { return stochastic_lookback(params_); }

 private:
  explicit StochasticCalculator(const StochasticParams& params);
  // The updates before %D is first defined.
  StochasticPoint warm_up(double hh, double ll, double close);

  StochasticParams params_;
  indicator_detail::RollingExtremum<true> highest_;
  indicator_detail::RollingExtremum<false> lowest_;
  indicator_detail::SlidingMean slowk_;  // %K = SMA(raw %K), as sma_kernel in the batch form
  indicator_detail::SlidingMean slowd_;  // %D = SMA(%K)
  int count_ = 0;
  bool ready_ = false;  // slowd_ full
  StochasticPoint value_;
};

class FastStochasticCalculator {
 public:
  static core::Result<FastStochasticCalculator> create(const FastStochasticParams& params = {});
  StochasticPoint update(double high, double low, double close);
  bool ready() const noexcept { return fastd_.full(); }
  StochasticPoint value() const noexcept { return value_; }
  int lookback() const noexcept { return stochastic_lookback(params_); }

 private:
  explicit FastStochasticCalculator(const FastStochasticParams& params);

  FastStochasticParams params_;
  indicator_detail::RollingExtremum<true> highest_;
  indicator_detail::RollingExtremum<false> lowest_;
  indicator_detail::SlidingMean fastd_;  // %D = SMA(raw %K)
  int count_ = 0;
  StochasticPoint value_;
};

// ---- Williams %R -------------------------------------------------------------------------------

core::Result<std::vector<double>> williams_r(std::span<const double> high, std::span<const double> low,
                                             std::span<const double> close, int period);
core::Status williams_r_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                             int period, std::span<double> out);

class WilliamsRCalculator {
 public:
  static core::Result<WilliamsRCalculator> create(int period);
  double update(double high, double low, double close);
  bool ready() const noexcept { return count_ >= period_; }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_ - 1; }

 private:
  explicit WilliamsRCalculator(int period);

  int period_;
  indicator_detail::RollingExtremum<true> highest_;
  indicator_detail::RollingExtremum<false> lowest_;
  int count_ = 0;
  double value_ = indicator_detail::kNaN;
};

// ---- CCI ---------------------------------------------------------------------------------------

namespace indicator_detail {
// The CCI of one window: its period − 1 oldest typical prices (as 3·TP = H + L + C, see above), their
// count, the newest, the window mean and p.
using CciKernel = double (*)(const double* older, std::size_t older_count, double typical, double mean,
                             double period_d);
}  // namespace indicator_detail

core::Result<std::vector<double>> cci(std::span<const double> high, std::span<const double> low,
                                      std::span<const double> close, int period);
core::Status cci_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                      int period, std::span<double> out);

class CciCalculator {
 public:
  static core::Result<CciCalculator> create(int period);
  // O(period): see the header comment.
  double update(double high, double low, double close);
  bool ready() const noexcept { return count_ >= period_; }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_ - 1; }

 private:
  explicit CciCalculator(int period);

  int period_;
  double period_d_;    // p
  double inv_period_;  // 1/p
  indicator_detail::CciKernel kernel_;
  indicator_detail::WindowBuffer typical_;
  indicator_detail::ShiftedWindowSum sum_;
  std::size_t recompute_every_;
  std::size_t since_rebuild_ = 0;
  int count_ = 0;
  double value_ = indicator_detail::kNaN;
};

// ---- ROC and momentum --------------------------------------------------------------------------

core::Result<std::vector<double>> roc(std::span<const double> values, int period);
core::Status roc_into(std::span<const double> values, int period, std::span<double> out);

core::Result<std::vector<double>> momentum(std::span<const double> values, int period);
core::Status momentum_into(std::span<const double> values, int period, std::span<double> out);

class RocCalculator {
 public:
  static core::Result<RocCalculator> create(int period);
  // Throws core::InvariantError when the value `period` bars back is 0 (the batch form's error).
  double update(double x);
  bool ready() const noexcept { return count_ > period_; }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_; }

 private:
  explicit RocCalculator(int period) : period_(period), window_(period) {}

  int period_;
  indicator_detail::WindowBuffer window_;
  int count_ = 0;
  double value_ = indicator_detail::kNaN;
};

class MomentumCalculator {
 public:
  static core::Result<MomentumCalculator> create(int period);
  double update(double x);
  bool ready() const noexcept { return count_ > period_; }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_; }

 private:
  explicit MomentumCalculator(int period) : period_(period), window_(period) {}

  int period_;
  indicator_detail::WindowBuffer window_;
  int count_ = 0;
  double value_ = indicator_detail::kNaN;
};

}  // namespace ballast::analytics
