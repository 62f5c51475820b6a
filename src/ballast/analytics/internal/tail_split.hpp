#pragma once
// The split of an empirical tail into whole outcomes and a fraction, shared by the historical and
// Monte Carlo estimators so both read the same quantile definition (var.hpp, empirical_var).
// Private to the analytics module.

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ballast::analytics::internal {

struct TailSplit {
  double mass = 0.0;      // τ = (1 − c)·n outcomes' worth of probability
  std::size_t whole = 0;  // m = ⌊τ⌋: outcomes wholly in the tail; the VaR outcome is the (m+1)-th worst
  double fraction = 0.0;  // τ − m: the weight of the VaR outcome in ES
};

// n ≥ 1 and c ∈ (0, 1) are preconditions. The tolerance absorbs the rounding of c (0.99 is not a
// binary fraction) so that (1 − 0.99)·1000 counts as exactly 10 whole outcomes.
inline TailSplit split_tail(double confidence, std::size_t n) {
  TailSplit t;
  const double nd = static_cast<double>(n);
  t.mass = (1.0 - confidence) * nd;
  const double whole = std::floor(t.mass + 1e-12 * nd);
  t.whole = std::min(static_cast<std::size_t>(whole), n - 1);
  t.fraction = std::max(t.mass - static_cast<double>(t.whole), 0.0);
  return t;
}

}  // namespace ballast::analytics::internal
