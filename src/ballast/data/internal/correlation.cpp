#include "ballast/data/internal/correlation.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>

#include <cmath>

namespace ballast::data::internal {

core::Result<std::vector<double>> correlation_cholesky(const std::vector<std::vector<double>>& c, std::size_t n,
                                                       std::string_view where) {
  const auto bad = [&](std::string message, std::string at) {
    return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(at));
  };
  if (c.size() != n)
    return bad(fmt::format("correlation matrix has {} rows for {} instruments", c.size(), n), std::string(where));
  const auto idx = [](std::size_t i) { return static_cast<Eigen::Index>(i); };
  Eigen::MatrixXd m(idx(n), idx(n));
  for (std::size_t i = 0; i < n; ++i) {
    if (c[i].size() != n) {
      return bad(fmt::format("row {} has {} entries, expected {}", i, c[i].size(), n), fmt::format("{}[{}]", where, i));
    }
    for (std::size_t j = 0; j < n; ++j) {
      const double v = c[i][j];
      const auto at = fmt::format("{}[{}][{}]", where, i, j);
      if (!std::isfinite(v) || v < -1.0 || v > 1.0) return bad(fmt::format("correlation {} is outside [-1, 1]", v), at);
      if (i == j && std::fabs(v - 1.0) > 1e-12) return bad(fmt::format("diagonal entry is {}, must be 1", v), at);
      m(idx(i), idx(j)) = v;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (std::fabs(c[i][j] - c[j][i]) > 1e-12) {
        return bad(
            fmt::format("matrix is not symmetric: [{}][{}] = {} but [{}][{}] = {}", i, j, c[i][j], j, i, c[j][i]),
            fmt::format("{}[{}][{}]", where, i, j));
      }
    }
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(m, Eigen::EigenvaluesOnly);
  const double smallest = eigen.eigenvalues().minCoeff();
  const Eigen::LLT<Eigen::MatrixXd> llt(m);
  if (smallest <= 1e-10 || llt.info() != Eigen::Success) {
    return bad(fmt::format("correlation matrix is not positive definite (smallest eigenvalue {:.6g}); the correlations "
                           "are mutually inconsistent",
                           smallest),
               std::string(where));
  }
  const Eigen::MatrixXd l = llt.matrixL();
  std::vector<double> out(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j <= i; ++j) out[i * n + j] = l(idx(i), idx(j));
  }
  return out;
}

}  // namespace ballast::data::internal
