#pragma once
// Value at Risk (VaR) and Expected Shortfall (ES) of linear positions: historical (optionally
// age-weighted), parametric normal and Cornish–Fisher. Monte Carlo is in monte_carlo_var.hpp and the
// component / marginal / incremental split in var_decomposition.hpp; docs/analytics/var.md has the
// derivations and citations.
//
// Conventions
//  - VaR and ES are POSITIVE LOSSES over the horizon at confidence c (0.99 = 99%): a 99% 1-day VaR
//    of 12,000 means a loss above 12,000 on about 1% of days. ES is the mean loss in the worst
//    (1 − c) fraction of outcomes, so ES ≥ VaR. A quantile that is a gain gives a negative VaR; it
//    is reported, not clamped. Units follow the input: currency for P&L or dollar exposures, a
//    fraction when plain returns are passed.
//  - P&L of linear positions: the exposure of a position is signed quantity × price (shorts
//    negative; fold any contract multiplier into the quantity), and the one-period P&L is
//    P&L_t = Σ_i e_i·r_ti = R·e with SIMPLE returns r. This is exact for static holdings of
//    delta-one instruments over one period and a first-order (delta) approximation otherwise.
//  - Horizon h is a whole number of periods of the input data (days for daily returns).
//    Parametric methods scale the one-period distribution assuming i.i.d. periods: mean × h and
//    standard deviation × √h (the square-root-of-time rule). Historical methods choose by
//    HistoricalHorizon.
//  - Inputs must be finite; a NaN or infinity is an error naming its index.

#include "ballast/core/result.hpp"

#include <Eigen/Core>

#include <span>
#include <vector>

namespace ballast::analytics {

struct VarSpec {
  double confidence = 0.99;  // c in (0, 1)
  int horizon = 1;           // periods, ≥ 1
};

// Checks confidence ∈ (0, 1) and horizon ≥ 1.
core::Status validate(const VarSpec& spec);

struct RiskEstimate {
  double var = 0.0;                 // positive loss
  double expected_shortfall = 0.0;  // positive loss, ≥ var
};

// How a historical estimate reaches an h-period horizon from one-period P&L.
enum class HistoricalHorizon {
  // Every h-period window: n − h + 1 sums of consecutive P&L. Uses all the data, but neighbouring
  // windows share h − 1 periods, so the sample is autocorrelated and worth fewer independent draws
  // than its length suggests.
  Overlapping,
  // Disjoint h-period blocks ending at the most recent observation: ⌊n/h⌋ independent sums; the
  // oldest n mod h periods are dropped.
  NonOverlapping,
  // One-period VaR and ES × √h: assumes i.i.d. zero-mean P&L (the Basel shortcut).
  SquareRootOfTime,
};

// One-period P&L of a single position: exposure × r_t for each return. Errors on non-finite input.
core::Result<std::vector<double>> position_pnl(std::span<const double> returns, double exposure);
// One-period portfolio P&L R·e for a T×N return matrix R (rows = periods) and N exposures.
core::Result<Eigen::VectorXd> portfolio_pnl(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                            const Eigen::Ref<const Eigen::VectorXd>& exposures);

// VaR and ES of the empirical distribution of `pnl`, at confidence c, horizon 1 (the values ARE the
// outcomes). Quantile definition: with n outcomes and tail mass τ = (1 − c)·n, m = ⌊τ⌋ (to within
// rounding), VaR is the (m + 1)-th worst loss — the lower c-quantile of the empirical loss
// distribution, inf{x : F_n(x) ≥ c} (Hyndman & Fan type 1). ES averages the worst τ outcomes, the
// (m + 1)-th weighted by τ − m (Acerbi & Tasche, "On the coherence of expected shortfall", J. Banking
// & Finance 26(7), 2002): ES = (Σ_{i≤m} L_(i) + (τ − m)·VaR) / τ. E.g. n = 1,000, c = 99%: VaR is
// the 11th worst loss and ES the mean of the 10 worst. Reorders `pnl` (nth_element, O(n)).
core::Result<RiskEstimate> empirical_var(std::span<double> pnl, double confidence);

// Historical VaR/ES of a one-period P&L series (oldest first).
core::Result<RiskEstimate> historical_var(std::span<const double> pnl, const VarSpec& spec,
                                          HistoricalHorizon horizon_method = HistoricalHorizon::Overlapping);

// Historical VaR/ES with exponential age weights (Boudoukh, Richardson & Whitelaw, "The Best of Both
// Worlds", Risk 11(5), 1998): the outcome of age a (0 = most recent, counted in windows after
// horizon aggregation) has probability λ^a (1 − λ) / (1 − λ^n); λ = 1 gives equal weights and the
// same result as historical_var. Outcomes are ranked from the worst; VaR is the first loss at which
// the cumulative probability exceeds 1 − c (the weighted lower quantile, no interpolation) and ES
// averages the worst 1 − c of probability mass, the VaR outcome taking the remainder.
core::Result<RiskEstimate> historical_var_age_weighted(
    std::span<const double> pnl, double lambda, const VarSpec& spec,
    HistoricalHorizon horizon_method = HistoricalHorizon::Overlapping);

// Historical VaR/ES of linear positions: P&L = R·e, then as historical_var.
core::Result<RiskEstimate> historical_portfolio_var(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                    const VarSpec& spec,
                                                    HistoricalHorizon horizon_method = HistoricalHorizon::Overlapping);

// Normal P&L with one-period mean μ and standard deviation σ ≥ 0: with z = Φ⁻¹(c),
// VaR = z·σ·√h − μ·h and ES = σ·√h·φ(z)/(1 − c) − μ·h.
// For one position of value V and return volatility σ_r: σ = |V|·σ_r, μ = V·μ_r.
core::Result<RiskEstimate> parametric_normal_var(double mean, double stdev, const VarSpec& spec);

// Normal portfolio: σ_p = √(eᵀΣe) from the one-period return covariance Σ, zero mean.
core::Result<RiskEstimate> parametric_portfolio_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                    const VarSpec& spec);
// As above with one-period mean returns μ: portfolio mean e·μ.
core::Result<RiskEstimate> parametric_portfolio_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                    const Eigen::Ref<const Eigen::VectorXd>& mean_returns,
                                                    const VarSpec& spec);

// Moments of one-period P&L: mean, standard deviation (divides by n − 1), skewness
// g1 = m3/m2^(3/2) and excess kurtosis g2 = m4/m2² − 3 (population central moments m_k, divisor n).
struct PnlMoments {
  double mean = 0.0;
  double stdev = 0.0;
  double skewness = 0.0;
  double excess_kurtosis = 0.0;
};

// Needs at least 2 observations. Constant P&L has no defined shape: skewness and kurtosis are 0.
core::Result<PnlMoments> sample_moments(std::span<const double> pnl);

// Cornish–Fisher (modified) VaR: the normal quantile corrected for skewness S and excess kurtosis K
// (Cornish & Fisher 1938; Zangari, RiskMetrics Monitor Q1 1996). For LOSSES, whose skewness is −S:
//   g(z) = z − (z² − 1)·S/6 + (z³ − 3z)·K/24 − (2z³ − 5z)·S²/36,   VaR = σ√h·g(z_c) − μh,
// with the h-period cumulants of i.i.d. periods: S_h = S/√h, K_h = K/h. ES is the exact tail average
// of this quantile function, ES = (1/(1 − c))∫_c^1 VaR_u du, which is closed form because g is a cubic
// in z and ∫_z^∞ x^k φ(x)dx is known for k ≤ 3:
//   ES = σ√h·φ(z)/(1 − c)·[1 − z·S/6 + (z² − 1)·K/24 − (2z² − 1)·S²/36] − μh.
// S = K = 0 gives the normal VaR and ES exactly. The expansion is only a distribution when g is
// increasing; an OUT_OF_RANGE error is returned when g′ ≤ 0 anywhere on [z_c, z_c + 3] (the region
// holding all but ~1e-5 of the tail mass; see Maillard, "A User's Guide to the Cornish Fisher
// Expansion", SSRN 1997178, 2012, for the full domain).
core::Result<RiskEstimate> cornish_fisher_var(const PnlMoments& moments, const VarSpec& spec);

}  // namespace ballast::analytics
