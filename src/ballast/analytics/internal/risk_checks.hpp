#pragma once
// Input checks shared by the risk statistics (covariance, VaR, decomposition, construction). Each
// returns an INVALID_ARGUMENT error naming the offending element, e.g. "returns(12, 3) is nan".
// Private to the analytics module.

#include "ballast/core/result.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <string_view>

namespace ballast::analytics::internal {

core::Status require_finite_matrix(const Eigen::Ref<const Eigen::MatrixXd>& m, std::string_view what);
core::Status require_finite_vector(const Eigen::Ref<const Eigen::VectorXd>& v, std::string_view what);
// Square, finite, symmetric (to 1e-10 relative to the largest diagonal) with a non-negative diagonal.
core::Status require_covariance(const Eigen::Ref<const Eigen::MatrixXd>& cov, std::string_view what = "covariance");
// The vector has `size` entries.
core::Status require_size(const Eigen::Ref<const Eigen::VectorXd>& v, Eigen::Index size, std::string_view what,
                          std::string_view against);
// Confidence level in the open interval (0, 1).
core::Status require_confidence(double confidence);

}  // namespace ballast::analytics::internal
