#include "ballast/analytics/var_decomposition.hpp"

#include "ballast/analytics/distributions.hpp"
#include "ballast/analytics/internal/risk_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace ballast::analytics {

namespace {

core::Status require_portfolio(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                               const Eigen::Ref<const Eigen::VectorXd>& exposures,
                               const Eigen::Ref<const Eigen::VectorXd>& mean_returns, const VarSpec& spec) {
  BALLAST_TRY(validate(spec));
  BALLAST_TRY(internal::require_covariance(covariance));
  BALLAST_TRY(internal::require_size(exposures, covariance.rows(), "exposures", "the covariance"));
  BALLAST_TRY(internal::require_size(mean_returns, covariance.rows(), "mean_returns", "the covariance"));
  BALLAST_TRY(internal::require_finite_vector(exposures, "exposures"));
  return internal::require_finite_vector(mean_returns, "mean_returns");
}

void require_index(std::size_t index, std::size_t size) {
  BALLAST_REQUIRE(index < size, fmt::format("instrument index {} out of range for {} instruments", index, size));
}

}  // namespace

core::Result<VarDecomposition> decompose_parametric_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                        const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                        const VarSpec& spec) {
  return decompose_parametric_var(covariance, exposures, Eigen::VectorXd::Zero(exposures.size()), spec);
}

core::Result<VarDecomposition> decompose_parametric_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                        const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                        const Eigen::Ref<const Eigen::VectorXd>& mean_returns,
                                                        const VarSpec& spec) {
  BALLAST_TRY(require_portfolio(covariance, exposures, mean_returns, spec));
  const Eigen::VectorXd sigma_e = covariance * exposures;
  const double variance = exposures.dot(sigma_e);
  if (!(variance > 0.0)) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("portfolio variance is {}; marginal VaR is undefined at zero volatility", variance),
                       "exposures");
  }
  const double h = static_cast<double>(spec.horizon);
  const double sigma = std::sqrt(variance);
  const double z_sqrt_h = normal_quantile(spec.confidence) * std::sqrt(h);
  VarDecomposition out;
  out.volatility = sigma * std::sqrt(h);
  out.var = z_sqrt_h * sigma - h * exposures.dot(mean_returns);
  out.marginal = (z_sqrt_h / sigma) * sigma_e - h * mean_returns;
  out.component = exposures.cwiseProduct(out.marginal);
  return out;
}

core::Result<IncrementalVarCalculator> IncrementalVarCalculator::create(Eigen::MatrixXd covariance,
                                                                        Eigen::VectorXd exposures,
                                                                        const VarSpec& spec) {
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(exposures.size());
  return create(std::move(covariance), std::move(exposures), std::move(mean), spec);
}

core::Result<IncrementalVarCalculator> IncrementalVarCalculator::create(Eigen::MatrixXd covariance,
                                                                        Eigen::VectorXd exposures,
                                                                        Eigen::VectorXd mean_returns,
                                                                        const VarSpec& spec) {
  BALLAST_TRY(require_portfolio(covariance, exposures, mean_returns, spec));
  IncrementalVarCalculator calc;
  calc.covariance_ = std::move(covariance);
  calc.exposures_ = std::move(exposures);
  calc.mean_ = std::move(mean_returns);
  calc.spec_ = spec;
  calc.horizon_ = static_cast<double>(spec.horizon);
  calc.z_sqrt_h_ = normal_quantile(spec.confidence) * std::sqrt(calc.horizon_);
  calc.refresh();
  return calc;
}

double IncrementalVarCalculator::var_from(double variance, double mean_pnl) const noexcept {
  return z_sqrt_h_ * std::sqrt(std::max(variance, 0.0)) - horizon_ * mean_pnl;
}

void IncrementalVarCalculator::refresh() {
  sigma_e_.noalias() = covariance_ * exposures_;
  variance_ = exposures_.dot(sigma_e_);
  mean_pnl_ = exposures_.dot(mean_);
  var_ = var_from(variance_, mean_pnl_);
}

double IncrementalVarCalculator::var_after(std::size_t index, double delta) const {
  require_index(index, size());
  BALLAST_REQUIRE(std::isfinite(delta), "incremental VaR needs a finite exposure change");
  const auto i = static_cast<Eigen::Index>(index);
  const double variance = variance_ + delta * (2.0 * sigma_e_[i] + delta * covariance_(i, i));
  return var_from(variance, mean_pnl_ + delta * mean_[i]);
}

double IncrementalVarCalculator::incremental_var(std::size_t index, double delta) const {
  return var_after(index, delta) - var_;
}

double IncrementalVarCalculator::var_after(std::span<const ExposureChange> changes) const {
  // (e + d)ᵀΣ(e + d) = eᵀΣe + 2dᵀ(Σe) + dᵀΣd with d sparse over the legs.
  for (const ExposureChange& leg : changes) {
    require_index(leg.index, size());
    BALLAST_REQUIRE(std::isfinite(leg.delta), "incremental VaR needs finite exposure changes");
  }
  double variance = variance_;
  double mean_pnl = mean_pnl_;
  for (std::size_t a = 0; a < changes.size(); ++a) {
    const auto i = static_cast<Eigen::Index>(changes[a].index);
    const double da = changes[a].delta;
    variance += 2.0 * da * sigma_e_[i] + da * da * covariance_(i, i);
    mean_pnl += da * mean_[i];
    for (std::size_t b = a + 1; b < changes.size(); ++b) {
      variance += 2.0 * da * changes[b].delta * covariance_(i, static_cast<Eigen::Index>(changes[b].index));
    }
  }
  return var_from(variance, mean_pnl);
}

double IncrementalVarCalculator::marginal_var(std::size_t index) const {
  require_index(index, size());
  BALLAST_REQUIRE(variance_ > 0.0, "marginal VaR is undefined at zero portfolio volatility");
  const auto i = static_cast<Eigen::Index>(index);
  return z_sqrt_h_ * sigma_e_[i] / std::sqrt(variance_) - horizon_ * mean_[i];
}

void IncrementalVarCalculator::apply(std::size_t index, double delta) {
  require_index(index, size());
  BALLAST_REQUIRE(std::isfinite(delta), "apply needs a finite exposure change");
  const auto i = static_cast<Eigen::Index>(index);
  exposures_[i] += delta;
  sigma_e_.noalias() += delta * covariance_.col(i);
  variance_ = exposures_.dot(sigma_e_);
  mean_pnl_ = exposures_.dot(mean_);
  var_ = var_from(variance_, mean_pnl_);
}

}  // namespace ballast::analytics
