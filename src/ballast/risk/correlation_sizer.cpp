#include "ballast/risk/correlation_sizer.hpp"

#include "ballast/risk/internal/decimal_product.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace ballast::risk {
namespace {

using core::Error;
using core::ErrorCode;

core::Status validate(const CorrelationSizerConfig& c) {
  const std::size_t n = c.covariance.size();
  if (n == 0) return Error(ErrorCode::InvalidArgument, "covariance matrix is empty", "covariance");
  if (c.exposures.size() != n) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} exposures for a {}×{} covariance matrix", c.exposures.size(), n, n), "exposures");
  }
  if (c.index >= n) {
    return Error(ErrorCode::OutOfRange, fmt::format("index {} is outside the {} instruments", c.index, n), "index");
  }
  for (std::size_t r = 0; r < n; ++r) {
    if (c.covariance[r].size() != n) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("covariance row {} has {} entries, expected {}", r, c.covariance[r].size(), n),
                   fmt::format("covariance[{}]", r));
    }
    if (!std::isfinite(c.exposures[r])) {
      return Error(ErrorCode::InvalidArgument, "exposure is not finite", fmt::format("exposures[{}]", r));
    }
  }
  for (std::size_t r = 0; r < n; ++r) {
    if (c.covariance[r][r] < 0.0) {
      return Error(ErrorCode::InvalidArgument, fmt::format("variance {} is negative", c.covariance[r][r]),
                   fmt::format("covariance[{}][{}]", r, r));
    }
    for (std::size_t k = 0; k < n; ++k) {
      const double a = c.covariance[r][k];
      const double b = c.covariance[k][r];
      if (!std::isfinite(a)) {
        return Error(ErrorCode::InvalidArgument, "covariance is not finite", fmt::format("covariance[{}][{}]", r, k));
      }
      if (std::abs(a - b) > 1e-12 * std::max({std::abs(a), std::abs(b), 1e-300})) {
        return Error(ErrorCode::InvalidArgument,
                     fmt::format("covariance is not symmetric: [{}][{}] = {} but [{}][{}] = {}", r, k, a, k, r, b),
                     fmt::format("covariance[{}][{}]", r, k));
      }
    }
  }
  if (!(c.covariance[c.index][c.index] > 0.0)) {
    return Error(ErrorCode::InvalidArgument, "the traded instrument's variance must be positive",
                 fmt::format("covariance[{}][{}]", c.index, c.index));
  }
  return core::ok();
}

}  // namespace

double correlation_scale(const CorrelationSizerConfig& config, model::OrderSide side) {
  const std::size_t n = config.covariance.size();
  const std::size_t i = config.index;
  double sigma_w_i = 0.0;  // (Σw)_i
  double variance = 0.0;   // wᵀΣw
  for (std::size_t r = 0; r < n; ++r) {
    double row = 0.0;
    for (std::size_t k = 0; k < n; ++k) row += config.covariance[r][k] * config.exposures[k];
    if (r == i) sigma_w_i = row;
    variance += config.exposures[r] * row;
  }
  if (!(variance > 0.0)) return 1.0;  // empty (or riskless) book: nothing to be correlated with
  const double rho = sigma_w_i / (std::sqrt(config.covariance[i][i]) * std::sqrt(variance));
  const double s = side == model::OrderSide::Buy ? 1.0 : -1.0;
  return std::clamp(1.0 - s * rho, 0.0, 1.0);
}

core::Result<CorrelationSizer> CorrelationSizer::create(std::unique_ptr<PositionSizer> base,
                                                        CorrelationSizerConfig config) {
  if (!base) return Error(ErrorCode::InvalidArgument, "correlation sizing needs a base sizer", "base");
  BALLAST_TRY(validate(config));
  return CorrelationSizer(std::move(base), std::move(config));
}

core::Result<SizingResult> CorrelationSizer::size(const SizingContext& context) const {
  auto base = base_->size(context);
  if (!base) return base.error();
  std::vector<SizingReason> reasons;
  for (SizingReason r : base->reasons) {
    if (!is_limit_reason(r)) reasons.push_back(r);
  }
  const double scale = correlation_scale(config_, context.side);
  auto factor = fraction_from_double(scale, kCorrelationScaleScale, "correlation_scale");
  if (!factor) return factor.error();
  core::Decimal target = base->target_quantity;
  if (scale < 1.0) {
    reasons.push_back(SizingReason::ScaledForCorrelation);
    auto scaled = internal::product(target, *factor);
    if (!scaled) return scaled.error();
    auto truncated = scaled->rescaled(std::min(scaled->scale(), target_scale(*context.instrument)),
                                      core::RoundingMode::TowardZero);
    if (!truncated) return truncated.error();
    target = *truncated;
  }
  return finish_sizing(context, target, std::move(reasons));
}

}  // namespace ballast::risk
