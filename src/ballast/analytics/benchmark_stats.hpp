#pragma once
// A strategy's returns against a benchmark's over the same periods (docs/analytics/metrics.md
// §Benchmark). Both are SIMPLE returns per period, aligned index by index; N = periods per year,
// rf = risk-free return per period. Conventions follow empyrical (≥ 0.5):
//
//   beta             Cov(r − rf, b − rf) / Var(b − rf)
//   alpha            (1 + mean((r − rf) − β·(b − rf)))^N − 1    annualised by compounding, as
//                    empyrical.alpha (empyrical < 0.5 used mean·N; the two agree to first order)
//   correlation      Pearson correlation of r and b
//   tracking error   stdev(r − b, n − 1)·√N                     annualised
//   information      mean(r − b) / stdev(r − b, n − 1)·√N        annualised; the per-period figure
//     ratio          mean(r − b) / stdev(r − b) is empyrical's excess_sharpe (and its old
//                    information_ratio), reported too
//   up capture       over the m periods with b > 0:  A(r) / A(b),  A(x) = (Π(1 + x))^(N/m) − 1
//   down capture     the same over the periods with b < 0
//   (A is empyrical's annual_return applied to the selected periods only, so each side is
//    annualised over its own m periods, exactly as empyrical.up_capture / down_capture.)
//
// Undefined results carry a reason: a constant benchmark has no beta (ZeroVariance); identical
// series have tracking error 0 and no information ratio (ZeroTrackingError); no benchmark period
// above zero leaves up capture undefined (NoQualifyingPeriods).

#include "ballast/analytics/statistic.hpp"
#include "ballast/core/result.hpp"

#include <span>

namespace ballast::analytics {

struct BenchmarkConfig {
  double periods_per_year = 252.0;
  double risk_free_per_period = 0.0;
};

struct BenchmarkComparison {
  Statistic alpha;
  Statistic beta;
  Statistic correlation;
  Statistic tracking_error;
  Statistic information_ratio;             // annualised
  Statistic information_ratio_per_period;  // empyrical excess_sharpe
  Statistic up_capture;
  Statistic down_capture;
};

// Errors when the series differ in length, are empty, hold a non-finite value (the message names
// the series and index), or hold a return at or below −100% (captures compound them).
core::Result<BenchmarkComparison> compare_with_benchmark(std::span<const double> returns,
                                                         std::span<const double> benchmark,
                                                         const BenchmarkConfig& config = {});

}  // namespace ballast::analytics
