#include "ballast/analytics/internal/gram.hpp"

#include <immintrin.h>

#include <algorithm>

namespace ballast::analytics::internal {

namespace {

using Index = std::ptrdiff_t;

// Four lanes summed pairwise: (l0 + l2) + (l1 + l3).
__attribute__((target("avx2,fma"))) double hsum(__m256d v) {
  const __m128d lo = _mm256_castpd256_pd128(v);
  const __m128d hi = _mm256_extractf128_pd(v, 1);
  const __m128d pair = _mm_add_pd(lo, hi);
  return _mm_cvtsd_f64(_mm_add_sd(pair, _mm_unpackhi_pd(pair, pair)));
}

double hsum(__m128d v) { return _mm_cvtsd_f64(_mm_add_sd(v, _mm_unpackhi_pd(v, v))); }

// out[r][c] = Σ_t a_r[t]·b_c[t] for four columns a and two columns b.
__attribute__((target("avx2,fma"))) void tile_avx2(const double* const a[4], const double* const b[2], Index rows,
                                                  double out[4][2]) {
  __m256d c00 = _mm256_setzero_pd(), c01 = _mm256_setzero_pd();
  __m256d c10 = _mm256_setzero_pd(), c11 = _mm256_setzero_pd();
  __m256d c20 = _mm256_setzero_pd(), c21 = _mm256_setzero_pd();
  __m256d c30 = _mm256_setzero_pd(), c31 = _mm256_setzero_pd();
  Index t = 0;
  for (; t + 4 <= rows; t += 4) {
    const __m256d b0 = _mm256_loadu_pd(b[0] + t);
    const __m256d b1 = _mm256_loadu_pd(b[1] + t);
    const __m256d a0 = _mm256_loadu_pd(a[0] + t);
    c00 = _mm256_fmadd_pd(a0, b0, c00);
    c01 = _mm256_fmadd_pd(a0, b1, c01);
    const __m256d a1 = _mm256_loadu_pd(a[1] + t);
    c10 = _mm256_fmadd_pd(a1, b0, c10);
    c11 = _mm256_fmadd_pd(a1, b1, c11);
    const __m256d a2 = _mm256_loadu_pd(a[2] + t);
    c20 = _mm256_fmadd_pd(a2, b0, c20);
    c21 = _mm256_fmadd_pd(a2, b1, c21);
    const __m256d a3 = _mm256_loadu_pd(a[3] + t);
    c30 = _mm256_fmadd_pd(a3, b0, c30);
    c31 = _mm256_fmadd_pd(a3, b1, c31);
  }
  out[0][0] = hsum(c00), out[0][1] = hsum(c01);
  out[1][0] = hsum(c10), out[1][1] = hsum(c11);
  out[2][0] = hsum(c20), out[2][1] = hsum(c21);
  out[3][0] = hsum(c30), out[3][1] = hsum(c31);
  for (; t < rows; ++t) {
    for (int r = 0; r < 4; ++r) {
      out[r][0] += a[r][t] * b[0][t];
      out[r][1] += a[r][t] * b[1][t];
    }
  }
}

void tile_sse2(const double* const a[4], const double* const b[2], Index rows, double out[4][2]) {
  __m128d c00 = _mm_setzero_pd(), c01 = _mm_setzero_pd();
  __m128d c10 = _mm_setzero_pd(), c11 = _mm_setzero_pd();
  __m128d c20 = _mm_setzero_pd(), c21 = _mm_setzero_pd();
  __m128d c30 = _mm_setzero_pd(), c31 = _mm_setzero_pd();
  Index t = 0;
  for (; t + 2 <= rows; t += 2) {
    const __m128d b0 = _mm_loadu_pd(b[0] + t);
    const __m128d b1 = _mm_loadu_pd(b[1] + t);
    const __m128d a0 = _mm_loadu_pd(a[0] + t);
    c00 = _mm_add_pd(c00, _mm_mul_pd(a0, b0));
    c01 = _mm_add_pd(c01, _mm_mul_pd(a0, b1));
    const __m128d a1 = _mm_loadu_pd(a[1] + t);
    c10 = _mm_add_pd(c10, _mm_mul_pd(a1, b0));
    c11 = _mm_add_pd(c11, _mm_mul_pd(a1, b1));
    const __m128d a2 = _mm_loadu_pd(a[2] + t);
    c20 = _mm_add_pd(c20, _mm_mul_pd(a2, b0));
    c21 = _mm_add_pd(c21, _mm_mul_pd(a2, b1));
    const __m128d a3 = _mm_loadu_pd(a[3] + t);
    c30 = _mm_add_pd(c30, _mm_mul_pd(a3, b0));
    c31 = _mm_add_pd(c31, _mm_mul_pd(a3, b1));
  }
  out[0][0] = hsum(c00), out[0][1] = hsum(c01);
  out[1][0] = hsum(c10), out[1][1] = hsum(c11);
  out[2][0] = hsum(c20), out[2][1] = hsum(c21);
  out[3][0] = hsum(c30), out[3][1] = hsum(c31);
  for (; t < rows; ++t) {
    for (int r = 0; r < 4; ++r) {
      out[r][0] += a[r][t] * b[0][t];
      out[r][1] += a[r][t] * b[1][t];
    }
  }
}

// One pair, for the ragged edge of the tiling (four interleaved partial sums).
double dot(const double* a, const double* b, Index rows) {
  double s[4] = {0.0, 0.0, 0.0, 0.0};
  Index t = 0;
  for (; t + 4 <= rows; t += 4) {
    for (int k = 0; k < 4; ++k) s[k] += a[t + k] * b[t + k];
  }
  for (; t < rows; ++t) s[0] += a[t] * b[t];
  return (s[0] + s[2]) + (s[1] + s[3]);
}

using TileKernel = void (*)(const double* const[4], const double* const[2], Index, double[4][2]);

bool has_avx2_fma() noexcept {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

TileKernel select_kernel() noexcept { return has_avx2_fma() ? &tile_avx2 : &tile_sse2; }

}  // namespace

std::string_view gram_kernel_name() noexcept { return has_avx2_fma() ? "avx2+fma" : "sse2"; }

namespace {

void gram_with(TileKernel kernel, const double* y, Index rows, Index n, double scale, double* out) {
  const auto col = [&](Index i) { return y + i * rows; };
  const auto at = [&](Index i, Index j) -> double& { return out[i + j * n]; };

  // Column blocks sized so that two of them stay in a 512 KiB L2 cache while every pair of their
  // columns is multiplied (without blocking the kernel streams each column from L3 once per column
  // pair and is bound by that traffic). A multiple of 4, at least 4.
  const Index bytes_per_column = rows * static_cast<Index>(sizeof(double));
  const Index block = std::max<Index>(4, (192 * 1024 / std::max<Index>(bytes_per_column, 1)) / 4 * 4);

  // Lower triangle (i >= j): for each pair of blocks, two columns j at a time against four columns i.
  for (Index jb = 0; jb < n; jb += block) {
    const Index jb_end = std::min(n, jb + block);
    for (Index ib = jb; ib < n; ib += block) {
      const Index ib_end = std::min(n, ib + block);
      for (Index j0 = jb; j0 < jb_end; j0 += 2) {
        const Index i_first = std::max(ib, j0);
        if (j0 + 2 > jb_end) {  // an odd last column
          for (Index i = i_first; i < ib_end; ++i) at(i, j0) = scale * dot(col(i), col(j0), rows);
          continue;
        }
        const double* const b[2] = {col(j0), col(j0 + 1)};
        Index i0 = i_first;
        for (; i0 + 4 <= ib_end; i0 += 4) {
          const double* const a[4] = {col(i0), col(i0 + 1), col(i0 + 2), col(i0 + 3)};
          double tile[4][2];
          kernel(a, b, rows, tile);
          for (int r = 0; r < 4; ++r) {
            at(i0 + r, j0) = scale * tile[r][0];
            at(i0 + r, j0 + 1) = scale * tile[r][1];
          }
        }
        for (Index i = i0; i < ib_end; ++i) {
          at(i, j0) = scale * dot(col(i), b[0], rows);
          at(i, j0 + 1) = scale * dot(col(i), b[1], rows);
        }
      }
    }
  }
  // The first tile of each column pair also wrote (j0, j0 + 1) above the diagonal; the mirror below
  // overwrites it with the lower entry (j0 + 1, j0), so the result is exactly symmetric.
  for (Index j = 0; j < n; ++j) {
    for (Index i = j + 1; i < n; ++i) at(j, i) = at(i, j);
  }
}

}  // namespace

void gram_matrix(const double* y, Index rows, Index n, double scale, double* out) {
  static const TileKernel kernel = select_kernel();
  gram_with(kernel, y, rows, n, scale, out);
}

void gram_matrix_sse2(const double* y, Index rows, Index n, double scale, double* out) {
  gram_with(&tile_sse2, y, rows, n, scale, out);
}

}  // namespace ballast::analytics::internal
