#include "ballast/analytics/internal/risk_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace ballast::analytics::internal {

namespace {
core::Error invalid(std::string message, std::string_view where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::string(where));
}
}  // namespace

core::Status require_finite_matrix(const Eigen::Ref<const Eigen::MatrixXd>& m, std::string_view what) {
  if (m.allFinite()) return core::ok();
  // Report the first bad element in row-major (time) order: the earliest observation is what a
  // user looks for in a data file.
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      if (!std::isfinite(m(r, c))) {
        return invalid(fmt::format("{}({}, {}) is {}; inputs must be finite", what, r, c, m(r, c)), what);
      }
    }
  }
  return core::ok();
}

core::Status require_finite_vector(const Eigen::Ref<const Eigen::VectorXd>& v, std::string_view what) {
  if (v.allFinite()) return core::ok();
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) return invalid(fmt::format("{}[{}] is {}; inputs must be finite", what, i, v[i]), what);
  }
  return core::ok();
}

core::Status require_covariance(const Eigen::Ref<const Eigen::MatrixXd>& cov, std::string_view what) {
  if (cov.rows() != cov.cols()) {
    return invalid(fmt::format("{} must be square, got {}x{}", what, cov.rows(), cov.cols()), what);
  }
  if (cov.rows() == 0) return invalid(fmt::format("{} is empty", what), what);
  BALLAST_TRY(require_finite_matrix(cov, what));
  const double scale = std::max(cov.diagonal().maxCoeff(), 0.0);
  for (Eigen::Index i = 0; i < cov.rows(); ++i) {
    if (cov(i, i) < 0.0) {
      return invalid(fmt::format("{}({}, {}) is {}; a variance cannot be negative", what, i, i, cov(i, i)), what);
    }
    for (Eigen::Index j = i + 1; j < cov.cols(); ++j) {
      if (std::abs(cov(i, j) - cov(j, i)) > 1e-10 * scale) {
        return invalid(
            fmt::format("{} is not symmetric: ({}, {}) = {} but ({}, {}) = {}", what, i, j, cov(i, j), j, i, cov(j, i)),
            what);
      }
    }
  }
  return core::ok();
}

core::Status require_size(const Eigen::Ref<const Eigen::VectorXd>& v, Eigen::Index size, std::string_view what,
                          std::string_view against) {
  if (v.size() == size) return core::ok();
  return invalid(fmt::format("{} has {} entries but {} has {}", what, v.size(), against, size), what);
}

core::Status require_confidence(double confidence) {
  if (confidence > 0.0 && confidence < 1.0) return core::ok();
  return invalid(fmt::format("confidence must be in (0, 1), got {}", confidence), "confidence");
}

}  // namespace ballast::analytics::internal
