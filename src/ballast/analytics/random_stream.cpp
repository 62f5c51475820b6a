#include "ballast/analytics/random_stream.hpp"

#include "ballast/core/require.hpp"

#include <cmath>
#include <numbers>
#include <string>

namespace ballast::analytics {

namespace {

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// SplitMix64 output function: a bijective 64-bit mixer.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
  return (x << k) | (x >> (64 - k));
}

// Ziggurat for the unnormalised density f(x) = exp(−x²/2), x ≥ 0, in 256 layers of equal area v.
// Layer 0 is the base strip [0, r] × [0, f(r)] plus the tail beyond r, treated as a rectangle of
// width v / f(r); layer i ≥ 1 is [0, x_i] × [f(x_i), f(x_{i+1})] with x_1 = r and x_256 = 0.
// r is the value for which the top layer closes exactly at f = 1 (Marsaglia & Tsang 2000).
struct Ziggurat {
  static constexpr int kLayers = 256;
  static constexpr double kR = 3.6541528853610088;
  std::array<double, kLayers + 1> x{};
  std::array<double, kLayers + 1> f{};

  Ziggurat() {
    const double fr = std::exp(-0.5 * kR * kR);
    const double v = kR * fr + std::sqrt(std::numbers::pi / 2.0) * std::erfc(kR / std::numbers::sqrt2);
    x[0] = v / fr;
    x[1] = kR;
    for (int i = 1; i < kLayers - 1; ++i)
      x[i + 1] = std::sqrt(-2.0 * std::log(std::exp(-0.5 * x[i] * x[i]) + v / x[i]));
    x[kLayers] = 0.0;
    for (int i = 0; i <= kLayers; ++i) f[i] = std::exp(-0.5 * x[i] * x[i]);
  }
};

const Ziggurat& ziggurat() {
  static const Ziggurat table;
  return table;
}

}  // namespace

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t stream) noexcept {
  // Distinct (seed, stream) pairs give distinct SplitMix64 starting points; SplitMix64 then fills
  // the xoshiro state (never all zero: its outputs are a bijection of a counter).
  std::uint64_t sm = mix64(seed) ^ mix64(stream * kGolden + 0xD1B54A32D192ED03ULL);
  for (auto& word : state_) {
    sm += kGolden;
    word = mix64(sm);
  }
}

std::uint64_t RandomStream::next_bits() noexcept {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double RandomStream::uniform() noexcept {
  return static_cast<double>(next_bits() >> 11) * 0x1.0p-53;
}

double RandomStream::uniform_positive() noexcept {
  return (static_cast<double>(next_bits() >> 11) + 0.5) * 0x1.0p-53;
}

double RandomStream::normal() noexcept {
  const Ziggurat& z = ziggurat();
  for (;;) {
    const std::uint64_t bits = next_bits();
    const int layer = static_cast<int>(bits & 0xFF);
    const bool negative = (bits & 0x100) != 0;
    // The remaining 53 high bits give the horizontal position within the layer.
    const double u = static_cast<double>(bits >> 11) * 0x1.0p-53;
    const double x = u * z.x[layer];
    if (x < z.x[layer + 1]) return negative ? -x : x;  // wholly under the curve
    if (layer == 0) {
      // Tail beyond r: Marsaglia's exact method.
      double a = 0.0;
      double b = 0.0;
      do {
        a = -std::log(uniform_positive()) / Ziggurat::kR;
        b = -std::log(uniform_positive());
      } while (b + b < a * a);
      const double t = Ziggurat::kR + a;
      return negative ? -t : t;
    }
    // Wedge between the rectangle and the curve.
    const double y = z.f[layer] + uniform() * (z.f[layer + 1] - z.f[layer]);
    if (y < std::exp(-0.5 * x * x)) return negative ? -x : x;
  }
}

double RandomStream::gamma(double shape) {
  BALLAST_REQUIRE(shape > 0.0 && std::isfinite(shape), "gamma shape must be positive, got " + std::to_string(shape));
  if (shape < 1.0) {
    const double g = gamma(shape + 1.0);
    return g * std::pow(uniform_positive(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double x = normal();
    double v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = uniform_positive();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double RandomStream::chi_square(double dof) {
  BALLAST_REQUIRE(dof > 0.0 && std::isfinite(dof), "chi-square dof must be positive, got " + std::to_string(dof));
  return 2.0 * gamma(0.5 * dof);
}

double RandomStream::student_t(double dof) {
  const double z = normal();
  return z / std::sqrt(chi_square(dof) / dof);
}

}  // namespace ballast::analytics
