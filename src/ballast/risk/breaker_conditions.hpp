#pragma once
// Measurement of each circuit-breaker condition (circuit_breaker_config.hpp defines the conditions and the
// units of their thresholds). A meter keeps the state one condition needs (a peak, a rolling window, a
// streak) and turns the latest inputs into a BreakerMeasurement: the value in the threshold's unit and
// whether the condition is met. Met means value >= threshold: a value exactly at the threshold trips.
//
// Exactness: ratios are computed as num / den rounded DOWN at kRatioScale (12) places, so for a threshold
// with at most 12 places "rounded ratio >= threshold" is the same as "exact ratio >= threshold" (the floor
// never crosses a value on the 10⁻¹² grid). The volatility multiple comes from doubles (a square root)
// and is converted to a decimal rounded down at kVolatilityRatioScale (8) places.
//
// Cost: every update is O(1) amortised and allocation-free once a window's storage has grown to its
// working size; rolling windows are fixed-capacity rings of time buckets (volatility) or deques that
// shed expired entries on every update (rapid move, reject rate).

#include "ballast/core/decimal.hpp"
#include "ballast/core/time.hpp"
#include "ballast/risk/circuit_breaker_config.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace ballast::risk {

inline constexpr int kRatioScale = 12;
inline constexpr int kVolatilityRatioScale = 8;

struct BreakerMeasurement {
  core::Decimal value{};
  bool met{false};
  friend bool operator==(const BreakerMeasurement&, const BreakerMeasurement&) = default;
};

// num / den (den > 0) rounded down at kRatioScale places (fewer only if that would overflow).
core::Decimal ratio_floor(const core::Decimal& num, const core::Decimal& den);
// value >= threshold.
BreakerMeasurement measured(const core::Decimal& value, const core::Decimal& threshold);
// An open interval of one input of a meter (the equity, an unrealised P&L) inside which the meter's update
// would keep its history (peak, best P&L) and find its condition met — or not met — as asked. Bounds are
// pulled in by a relative 10⁻⁹ of the quantities involved, far more than the error of doubles and of the
// ratios' floor at 12 places, so testing an input's approx_double() against them is certain.
struct SteadyBand {
  static constexpr double kSlack = 1e-9;  // the relative margin of every bound
  double lo{-std::numeric_limits<double>::infinity()};
  double hi{std::numeric_limits<double>::infinity()};
  bool contains(double v) const noexcept { return lo < v && v < hi; }
  void intersect(const SteadyBand& o) noexcept;
  static SteadyBand none() noexcept { return {0.0, 0.0}; }
};

// ACCOUNT_DRAWDOWN: (peak − equity) / peak, peak = the highest equity since the last reset.
// Not measurable while the peak is <= 0.
class AccountDrawdownMeter {
 public:
  void reset(const core::Decimal& equity) noexcept { peak_ = equity; started_ = true; }
  std::optional<BreakerMeasurement> update(const core::Decimal& equity, const core::Decimal& threshold);
  // Equities at which update(equity, threshold) keeps the peak and finds `met` (empty without a positive peak).
  SteadyBand steady_band(const core::Decimal& threshold, bool met) const noexcept;
  const core::Decimal& peak() const noexcept { return peak_; }

 private:
  core::Decimal peak_{};
  bool started_{false};
  // The last drawdown computed, for (peak, equity) — the monitor asks several times per market step.
  core::Decimal measured_peak_{};
  core::Decimal measured_equity_{};
  core::Decimal drawdown_{};
  bool has_measured_{false};
};

// POSITION_DRAWDOWN: (best unrealised P&L − unrealised P&L) / entry notional of the open position, entry
// notional = |quantity| × average entry × multiplier. The best P&L restarts at the current P&L when the
// position opens, flips or grows (a new average entry), and shrinks in proportion when it is reduced.
// A flat position measures 0 (not met).
class PositionDrawdownMeter {
 public:
  BreakerMeasurement update(const core::Decimal& quantity, const core::Decimal& avg_entry,
                            const core::Decimal& multiplier, const core::Decimal& unrealized_pnl,
                            const core::Decimal& threshold);
  // Unrealised P&Ls at which update(quantity, avg_entry, multiplier, P&L, threshold) keeps the best P&L and
  // the entry notional and finds `met` (empty when the position differs from the one last measured).
  SteadyBand steady_band(const core::Decimal& quantity, const core::Decimal& avg_entry,
                         const core::Decimal& multiplier, const core::Decimal& threshold, bool met) const noexcept;
  const core::Decimal& best_pnl() const noexcept { return best_; }

 private:
  core::Decimal quantity_{};
  core::Decimal avg_entry_{};
  core::Decimal best_{};
  core::Decimal multiplier_{};
  core::Decimal entry_notional_{};  // |quantity| × avg_entry × multiplier, kept while those three hold
};

// DAILY_LOSS: equity at the start of the UTC day − equity (0 when in profit), settlement currency.
// roll() must be called with the equity BEFORE the first change of a new day (the monitor does so on
// every clock advance), which makes the start-of-day equity the equity at 00:00 UTC.
class DailyLossMeter {
 public:
  void roll(core::UnixNanos now, const core::Decimal& equity);
  // Whether roll(now, …) would start a new day.
  bool rolls_at(core::UnixNanos now) const noexcept;
  BreakerMeasurement update(const core::Decimal& equity, const core::Decimal& threshold) const;
  // Equities at which update(equity, threshold) finds `met` (until the next roll).
  SteadyBand steady_band(const core::Decimal& threshold, bool met) const noexcept;
  const core::Decimal& day_start_equity() const noexcept { return day_start_; }

 private:
  std::optional<std::int64_t> day_{};
  core::Decimal day_start_{};
};

// LOSS_STREAK: consecutive closed trades with P&L < 0; a trade with P&L >= 0 ends the streak.
class LossStreakMeter {
 public:
  void on_trade(const core::Decimal& pnl) noexcept { streak_ = pnl.is_negative() ? streak_ + 1 : 0; }
  void reset() noexcept { streak_ = 0; }
  std::int64_t streak() const noexcept { return streak_; }
  BreakerMeasurement measure(const core::Decimal& threshold) const;

 private:
  std::int64_t streak_{0};
};

// REJECT_RATE: venue rejects / orders sent within the last `window` (both counted at their time); not
// measurable with fewer than `min_samples` orders sent in the window.
class RejectRateMeter {
 public:
  RejectRateMeter(core::Duration window, std::int64_t min_samples) : window_(window), min_samples_(min_samples) {}
  void on_sent(core::UnixNanos ts);
  void on_rejected(core::UnixNanos ts);
  std::optional<BreakerMeasurement> measure(core::UnixNanos now, const core::Decimal& threshold);
  std::size_t sent_in_window() const noexcept { return sent_.size(); }
  std::size_t rejected_in_window() const noexcept { return rejected_.size(); }

 private:
  void expire(core::UnixNanos now);

  core::Duration window_;
  std::int64_t min_samples_;
  std::deque<core::UnixNanos> sent_{};
  std::deque<core::UnixNanos> rejected_{};
};

// TRADING_HOURS: value 1 when `now` is outside every session (met), 0 inside. Monday = weekday 0.
std::int32_t utc_weekday(core::UnixNanos t) noexcept;         // 0 = Monday … 6 = Sunday
std::int32_t utc_minute_of_day(core::UnixNanos t) noexcept;   // 0 … 1439
bool in_session(const TradingSession& session, core::UnixNanos t) noexcept;
bool in_any_session(std::span<const TradingSession> sessions, core::UnixNanos t) noexcept;
BreakerMeasurement measure_trading_hours(std::span<const TradingSession> sessions, core::UnixNanos now) noexcept;

// Σ x² over a sliding time window, kept in a fixed ring of `buckets` time buckets of width window /
// buckets: O(1) amortised per add, no allocation after construction. The window is bucket-granular: an
// observation leaves it when its bucket does (at most one bucket width late).
class RollingSquareSum {
 public:
  RollingSquareSum(core::Duration window, std::size_t buckets);
  void add(core::UnixNanos ts, double x);
  // Drops the buckets that left the window at `now`.
  void advance(core::UnixNanos now);
  double sum() const noexcept { return sum_ > 0.0 ? sum_ : 0.0; }
  std::int64_t count() const noexcept { return count_; }
  core::Duration window() const noexcept { return core::Duration(width_ * static_cast<std::int64_t>(ring_.size())); }

 private:
  struct Bucket {
    double sum{0.0};
    std::int64_t count{0};
  };
  std::int64_t width_;
  std::vector<Bucket> ring_;
  std::optional<std::int64_t> head_{};  // bucket number of the newest bucket
  double sum_{0.0};
  std::int64_t count_{0};
};

// VOLATILITY_SPIKE: realised volatility of log mark returns over `window` divided by the same over
// `baseline_window` (which includes the short window). Realised volatility per unit time,
// sqrt(Σ r² / T) with T = min(window, time since the first mark), so the multiple does not depend on how
// often marks arrive. Not measurable until both windows hold `min_samples` returns or while the baseline
// has no variance.
class VolatilitySpikeMeter {
 public:
  static constexpr std::size_t kShortBuckets = 60;
  static constexpr std::size_t kBaselineBuckets = 288;

  VolatilitySpikeMeter(core::Duration window, core::Duration baseline_window, std::int64_t min_samples);
  void on_price(core::UnixNanos ts, double price);
  std::optional<BreakerMeasurement> measure(core::UnixNanos now, const core::Decimal& threshold);
  // The multiple as a double (tests, diagnostics); nullopt when not measurable.
  std::optional<double> multiple(core::UnixNanos now);

 private:
  RollingSquareSum short_;
  RollingSquareSum baseline_;
  std::int64_t min_samples_;
  std::optional<core::UnixNanos> first_ts_{};
  double last_price_{0.0};
};

// RAPID_MOVE: |price − price at the window start| / price at the window start, where the window start
// price is the last price seen at or before now − window (or the oldest price kept when none is that
// old yet). Prices older than that are dropped as they expire: O(1) amortised.
class RapidMoveMeter {
 public:
  explicit RapidMoveMeter(core::Duration window) : window_(window) {}
  void on_price(core::UnixNanos ts, const core::Decimal& price);
  std::optional<BreakerMeasurement> measure(const core::Decimal& threshold) const;
  std::size_t kept() const noexcept { return prices_.size(); }

 private:
  struct Point {
    core::UnixNanos ts;
    core::Decimal price;
  };
  core::Duration window_;
  std::deque<Point> prices_{};
};

}  // namespace ballast::risk
