#include "ballast/analytics/internal/gram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace {

using ballast::analytics::internal::gram_matrix;
using ballast::analytics::internal::gram_matrix_sse2;

// Deterministic values in [-1, 1) from a 64-bit LCG (Knuth's MMIX constants).
std::vector<double> matrix(std::ptrdiff_t rows, std::ptrdiff_t cols, std::uint64_t seed) {
  std::vector<double> y(static_cast<std::size_t>(rows * cols));
  std::uint64_t s = seed;
  for (double& v : y) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    v = static_cast<double>(s >> 11) / 9007199254740992.0 * 2.0 - 1.0;
  }
  return y;
}

// The definition, one pair at a time in long double: the independent reference.
long double reference(const std::vector<double>& y, std::ptrdiff_t rows, std::ptrdiff_t i, std::ptrdiff_t j) {
  long double s = 0.0L;
  for (std::ptrdiff_t t = 0; t < rows; ++t) {
    s += static_cast<long double>(y[static_cast<std::size_t>(t + i * rows)]) * y[static_cast<std::size_t>(t + j * rows)];
  }
  return s;
}

void expect_matches_definition(std::ptrdiff_t rows, std::ptrdiff_t n, bool sse2) {
  const auto y = matrix(rows, n, static_cast<std::uint64_t>(rows * 131 + n));
  std::vector<double> out(static_cast<std::size_t>(n * n), -99.0);
  const double scale = 0.5;
  if (sse2) {
    gram_matrix_sse2(y.data(), rows, n, scale, out.data());
  } else {
    gram_matrix(y.data(), rows, n, scale, out.data());
  }
  for (std::ptrdiff_t j = 0; j < n; ++j) {
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      const double got = out[static_cast<std::size_t>(i + j * n)];
      const double want = static_cast<double>(scale * reference(y, rows, i, j));
      // Sums of `rows` products of magnitude <= 1: absolute error bound ~ rows·ε.
      EXPECT_NEAR(got, want, 1e-15 * static_cast<double>(rows) + 1e-15)
          << "rows=" << rows << " n=" << n << " (" << i << "," << j << ") sse2=" << sse2;
      EXPECT_EQ(got, out[static_cast<std::size_t>(j + i * n)]) << "not symmetric at (" << i << "," << j << ")";
    }
  }
}

TEST(GramMatrix, MatchesTheDefinitionForRaggedShapesOnTheSelectedPath) {
  for (std::ptrdiff_t rows : {1, 2, 3, 4, 5, 7, 8, 33, 1000}) {
    for (std::ptrdiff_t n : {1, 2, 3, 4, 5, 6, 7, 9, 13}) expect_matches_definition(rows, n, false);
  }
}

TEST(GramMatrix, MatchesTheDefinitionForRaggedShapesOnTheSse2Path) {
  for (std::ptrdiff_t rows : {1, 2, 3, 5, 8, 1000}) {
    for (std::ptrdiff_t n : {1, 2, 3, 5, 6, 9}) expect_matches_definition(rows, n, true);
  }
}

TEST(GramMatrix, MatchesTheDefinitionAcrossSeveralCacheBlocks) {
  // 1,000 rows → blocks of 24 columns: 61 columns give three blocks, the last ragged and odd.
  expect_matches_definition(1000, 61, false);
  // 6,000 rows → the minimum block of 4 columns.
  expect_matches_definition(6000, 11, false);
  expect_matches_definition(6000, 11, true);
}

TEST(GramMatrix, HandWorkedTwoByTwo) {
  // Columns a = (1, 2, 3), b = (4, 5, 6): a·a = 14, a·b = 32, b·b = 77.
  const double y[] = {1, 2, 3, 4, 5, 6};
  double out[4];
  gram_matrix(y, 3, 2, 1.0, out);
  EXPECT_EQ(out[0], 14.0);
  EXPECT_EQ(out[1], 32.0);
  EXPECT_EQ(out[2], 32.0);
  EXPECT_EQ(out[3], 77.0);
}

}  // namespace
