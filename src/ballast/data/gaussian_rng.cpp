#include "ballast/data/gaussian_rng.hpp"

#include <cmath>
#include <numbers>

namespace ballast::data {
namespace {
constexpr double kTwoPow53Inverse = 1.0 / 9007199254740992.0;  // 2^-53
}

double GaussianRng::uniform() noexcept {
  return static_cast<double>(engine_() >> 11) * kTwoPow53Inverse;
}

double GaussianRng::uniform_positive() noexcept {
  return static_cast<double>((engine_() >> 11) + 1) * kTwoPow53Inverse;
}

double GaussianRng::normal() noexcept {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double radius = std::sqrt(-2.0 * std::log(uniform_positive()));
  const double angle = 2.0 * std::numbers::pi * uniform();
  spare_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

std::uint32_t GaussianRng::poisson(double mean) noexcept {
  if (!(mean > 0.0)) return 0;
  const double u = uniform();
  double term = std::exp(-mean);
  double cumulative = term;
  std::uint32_t k = 0;
  while (u >= cumulative && k < 10'000) {
    ++k;
    term *= mean / k;
    cumulative += term;
    if (term == 0.0 && cumulative <= u) break;  // the tail underflowed: u was beyond double precision
  }
  return k;
}

}  // namespace ballast::data
