#pragma once
// Private to the data module: validating a correlation matrix and factoring it (Eigen stays in the .cpp).

#include <string_view>
#include <vector>

#include "ballast/core/result.hpp"

namespace ballast::data::internal {

// The lower Cholesky factor L (row-major n×n, L·Lᵀ = C) of a correlation matrix C. C must be n×n,
// symmetric, with a unit diagonal, entries in [−1, 1] and strictly positive definite (its smallest
// eigenvalue, reported in the error otherwise, must exceed 1e-10). `where` prefixes error locations.
core::Result<std::vector<double>> correlation_cholesky(const std::vector<std::vector<double>>& c, std::size_t n,
                                                       std::string_view where);

}  // namespace ballast::data::internal
