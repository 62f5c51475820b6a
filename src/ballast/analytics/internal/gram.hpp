#pragma once
// Private to analytics: the Gram matrix scale·YᵀY of a column-major T×N matrix (each column, one
// instrument's T observations, contiguous), the kernel of the sample covariance.
//
// Why not Eigen's rankUpdate: the release build targets baseline x86-64 (SSE2, no FMA), where Eigen's
// symmetric product of 500 × 1,000 took 31–34 ms. This kernel picks its code path once per process:
// AVX2 + FMA when the CPU has them (4×2 register tiles of 256-bit FMA accumulators), otherwise SSE2.
// Each entry is a dot product summed in a fixed order for a given T and code path, so results are
// identical run to run on one machine; the two paths may differ in the last bits (FMA rounds once).

#include <cstddef>
#include <string_view>

namespace ballast::analytics::internal {

// out[i + j·n] = scale · Σ_t y[t + i·rows]·y[t + j·rows] for all i, j (the full symmetric matrix).
// `out` holds n×n doubles, column-major.
void gram_matrix(const double* y, std::ptrdiff_t rows, std::ptrdiff_t n, double scale, double* out);

// The same with the SSE2 path whatever the CPU (tests compare the two paths).
void gram_matrix_sse2(const double* y, std::ptrdiff_t rows, std::ptrdiff_t n, double scale, double* out);

// "avx2+fma" or "sse2": the path gram_matrix() uses on this CPU.
std::string_view gram_kernel_name() noexcept;

}  // namespace ballast::analytics::internal
