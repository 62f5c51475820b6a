#pragma once
// RandomStream: a seeded, portable pseudo-random source for Monte Carlo risk.
//
// Why our own: std::normal_distribution (and the other std distributions) are specified only in
// their output law, not their algorithm, so libstdc++, libc++ and MSVC give different numbers for
// the same seed; a risk figure must reproduce across builds. Here every step is ours:
//  - bits: xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
//    ACM TOMS 47(4), 2021), seeded through SplitMix64 (Steele, Lea & Flood, OOPSLA 2014);
//  - uniforms: the top 53 bits scaled by 2⁻⁵³;
//  - normals: the 256-layer ziggurat of Marsaglia & Tsang ("The Ziggurat Method for Generating
//    Random Variables", J. Statistical Software 5(8), 2000), with their exact tail method;
//  - gamma / chi-square: Marsaglia & Tsang ("A Simple Method for Generating Gamma Variables",
//    ACM TOMS 26(3), 2000); shape < 1 through the boost Gamma(a) = Gamma(a+1)·U^(1/a);
//  - Student-t: Z / √(χ²_ν / ν).
// The sequence is a pure function of (seed, stream) and IEEE double arithmetic; the only library
// calls are exp, log and sqrt (sqrt is exactly rounded by IEEE 754; glibc's exp and log are
// correctly rounded in all but vanishingly rare cases), so results agree across standard libraries.
//
// Streams: RandomStream(seed, k) for k = 0, 1, 2, … are statistically independent sequences. Monte
// Carlo gives each scenario its own stream, so a scenario's draws do not depend on how the scenario
// range is split across threads.

#include <array>
#include <cstdint>

namespace ballast::analytics {

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed, std::uint64_t stream = 0) noexcept;

  // 64 uniformly distributed bits (xoshiro256**).
  std::uint64_t next_bits() noexcept;
  // Uniform on [0, 1) with 53 random bits.
  double uniform() noexcept;
  // Uniform on (0, 1): never 0, so safe to take a logarithm of.
  double uniform_positive() noexcept;
  // Standard normal N(0, 1).
  double normal() noexcept;
  // Gamma(shape, scale 1); shape > 0 (precondition).
  double gamma(double shape);
  // Chi-square with dof > 0 degrees of freedom: 2·Gamma(dof/2).
  double chi_square(double dof);
  // Standard Student-t with dof > 0 degrees of freedom (variance dof/(dof−2) when dof > 2).
  double student_t(double dof);

 private:
  std::array<std::uint64_t, 4> state_{};
};

}  // namespace ballast::analytics
