#pragma once
// Distribution functions the risk statistics need: the standard normal density, CDF and quantile,
// and the chi-square survival function for 1 and 2 degrees of freedom (VaR backtests).
//
// Accuracy: normal_cdf uses std::erfc, so it keeps relative accuracy deep in the lower tail.
// normal_quantile starts from Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4) and refines with three
// Halley steps on erfc, which leaves it within a few ulps of the exact quantile for p in [1e-300, 1).

namespace ballast::analytics {

// φ(x) = exp(−x²/2) / √(2π).
double normal_pdf(double x) noexcept;
// Φ(x) = P(Z ≤ x) = erfc(−x/√2) / 2.
double normal_cdf(double x) noexcept;
// Φ⁻¹(p) for p in (0, 1); e.g. normal_quantile(0.99) = 2.3263478740408408.
double normal_quantile(double p);

// P(X ≤ x) and P(X > x) for X ~ χ²(dof), dof ∈ {1, 2}. Closed forms: χ²(1) is Z², so
// P(X ≤ x) = erf(√(x/2)); χ²(2) is exponential with mean 2, so P(X ≤ x) = 1 − exp(−x/2).
// x ≤ 0 gives CDF 0. Other dof are a precondition failure.
double chi_square_cdf(double x, int dof);
double chi_square_survival(double x, int dof);

}  // namespace ballast::analytics
