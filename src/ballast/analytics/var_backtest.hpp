#pragma once
// VaR backtesting: does a VaR model's exception count and clustering match its confidence?
//
// An exception (a "hit") is a period whose realised loss EXCEEDS that period's VaR forecast:
// −P&L_t > VaR_t (a loss exactly equal to VaR is not an exception). With coverage p = 1 − c,
// n periods and x exceptions:
//  - Kupiec proportion of failures (Kupiec, "Techniques for Verifying the Accuracy of Risk
//    Measurement Models", J. Derivatives 3(2), 1995):
//      LR_pof = −2·ln[(1 − p)^(n−x) p^x] + 2·ln[(1 − x/n)^(n−x) (x/n)^x]  ~ χ²(1)
//  - Christoffersen independence (Christoffersen, "Evaluating Interval Forecasts", Int. Economic
//    Review 39(4), 1998): with n_ij the number of days in state j following a day in state i
//    (0 = no exception, 1 = exception), π01 = n01/(n00 + n01), π11 = n11/(n10 + n11),
//    π = (n01 + n11)/(n00 + n01 + n10 + n11):
//      LR_ind = −2·ln[(1 − π)^(n00+n10) π^(n01+n11)] + 2·ln[(1 − π01)^n00 π01^n01 (1 − π11)^n10 π11^n11]
//      ~ χ²(1)
//  - Conditional coverage: LR_cc = LR_pof + LR_ind ~ χ²(2).
// 0·ln 0 is taken as 0 throughout (the likelihood of an event that never happens with probability 0
// is 1). p-values are P(χ² > LR) under the null that the model is right; small p-values reject it.

#include "ballast/core/result.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace ballast::analytics {

struct VarBacktest {
  std::size_t observations = 0;  // n
  std::size_t exceptions = 0;    // x
  double expected_rate = 0.0;    // p = 1 − c
  double observed_rate = 0.0;    // x / n
  double lr_pof = 0.0;           // Kupiec, χ²(1)
  double p_value_pof = 1.0;
  // Transition counts between consecutive periods (n − 1 pairs in all).
  std::size_t n00 = 0;
  std::size_t n01 = 0;
  std::size_t n10 = 0;
  std::size_t n11 = 0;
  double lr_ind = 0.0;  // Christoffersen independence, χ²(1)
  double p_value_ind = 1.0;
  double lr_cc = 0.0;  // conditional coverage, χ²(2)
  double p_value_cc = 1.0;
};

// Exception indicators: hits[t] = −pnl[t] > var[t]. Spans must have equal length and be finite.
core::Result<std::vector<bool>> var_exceptions(std::span<const double> pnl, std::span<const double> var);

// Kupiec's LR_pof for x exceptions in n periods at confidence c (x ≤ n, n ≥ 1).
core::Result<double> kupiec_pof_statistic(std::size_t observations, std::size_t exceptions, double confidence);

// All three tests from an exception sequence (oldest first); needs n ≥ 2.
core::Result<VarBacktest> backtest_var(const std::vector<bool>& hits, double confidence);
// As above from realised P&L and the VaR forecast for each period.
core::Result<VarBacktest> backtest_var(std::span<const double> pnl, std::span<const double> var, double confidence);

}  // namespace ballast::analytics
