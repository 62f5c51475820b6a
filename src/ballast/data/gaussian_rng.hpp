#pragma once
// GaussianRng: reproducible random numbers that are identical on every standard library.
//
// std::mt19937_64 is specified bit for bit by the C++ standard, but std::uniform_real_distribution and
// std::normal_distribution are not (libstdc++ and libc++ give different streams for one seed). So the
// engine is standard and the distributions are ours:
//   uniform()  = (x >> 11) · 2⁻⁵³, in [0, 1), 53 random bits;
//   normal()   = Box–Muller on two uniforms, both values of a pair used in turn;
//   poisson(λ) = inversion of the cumulative distribution (fine for the small λ of per-step jumps).
// Results also depend on the platform's std::log/std::cos/std::sqrt, which agree to the last bit on
// glibc x86-64 and aarch64 for these inputs but are not guaranteed to elsewhere.

#include <cstdint>
#include <random>

namespace ballast::data {

class GaussianRng {
 public:
  explicit GaussianRng(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1).
  double uniform() noexcept;
  // Uniform in (0, 1] (safe under a logarithm).
  double uniform_positive() noexcept;
  // Standard normal N(0, 1).
  double normal() noexcept;
  // Poisson with the given mean; 0 for a mean <= 0. Meant for means below ~700 (exp(−mean) must not
  // underflow) and bounded at 10'000.
  std::uint32_t poisson(double mean) noexcept;

  std::uint64_t next_u64() noexcept { return engine_(); }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace ballast::data
