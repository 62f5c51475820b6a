#include "ballast/analytics/stress_reverse.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <utility>

namespace ballast::analytics {

namespace {

// Relative size below which a net exposure counts as zero: a hedge computed in floating point.
constexpr double kHedgedTolerance = 1e-12;

constexpr std::array<std::pair<ReverseStressOutcome, std::string_view>, 3> kOutcomeNames{{
    {ReverseStressOutcome::Found, "FOUND"},
    {ReverseStressOutcome::NoExposure, "NO_EXPOSURE"},
    {ReverseStressOutcome::BeyondTotalLoss, "BEYOND_TOTAL_LOSS"},
}};

core::Status check_budget(double loss_budget) {
  if (!std::isfinite(loss_budget) || loss_budget <= 0.0) {
    return core::Error(
        core::ErrorCode::InvalidArgument,
        fmt::format("loss budget {} must be finite and positive (a loss as a positive amount)", loss_budget),
        "loss_budget");
  }
  return core::ok();
}

// Solves s·net = −budget; `most_negative_weight` is the smallest direction weight with a non-zero
// exposure behind it (the one whose move s·d falls furthest when s > 0), `most_positive_weight` the
// largest (furthest fall when s < 0).
ReverseStress solve(double net, double gross, double budget, double most_negative_weight, double most_positive_weight) {
  ReverseStress out;
  out.net_exposure = net;
  out.gross_exposure = gross;
  if (gross == 0.0 || std::abs(net) <= kHedgedTolerance * gross) {
    out.outcome = ReverseStressOutcome::NoExposure;
    return out;
  }
  out.shock = -budget / net;
  const double worst_move = out.shock > 0.0 ? out.shock * most_negative_weight : out.shock * most_positive_weight;
  out.outcome = worst_move < -1.0 ? ReverseStressOutcome::BeyondTotalLoss : ReverseStressOutcome::Found;
  return out;
}

}  // namespace

std::string_view to_string(ReverseStressOutcome outcome) noexcept {
  for (const auto& [o, name] : kOutcomeNames) {
    if (o == outcome) return name;
  }
  return "NO_EXPOSURE";
}

bool parse(std::string_view text, ReverseStressOutcome& out) noexcept {
  for (const auto& [o, name] : kOutcomeNames) {
    if (name == text) {
      out = o;
      return true;
    }
  }
  return false;
}

core::Result<ReverseStress> reverse_stress(std::span<const StressPosition> positions, double loss_budget,
                                           std::span<const double> direction) {
  BALLAST_TRY(check_positions(positions));
  BALLAST_TRY(check_budget(loss_budget));
  if (!direction.empty() && direction.size() != positions.size()) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("direction has {} weights for {} positions; give one per position or none",
                                   direction.size(), positions.size()),
                       "direction");
  }
  for (std::size_t i = 0; i < direction.size(); ++i) {
    if (!std::isfinite(direction[i])) {
      return core::Error(core::ErrorCode::InvalidArgument, fmt::format("weight {} is not finite", direction[i]),
                         fmt::format("direction[{}]", i));
    }
  }
  double net = 0.0;
  double gross = 0.0;
  double lowest = 0.0;
  double highest = 0.0;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const double d = direction.empty() ? 1.0 : direction[i];
    const double term = positions[i].exposure() * d;
    net += term;
    gross += std::abs(term);
    // A position with no exposure can move any distance without mattering, but its price still
    // cannot go below zero; every position counts toward the feasibility of the move.
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
  }
  return solve(net, gross, loss_budget, lowest, highest);
}

core::Result<std::vector<InstrumentReverseStress>> reverse_stress_per_instrument(
    std::span<const StressPosition> positions, double loss_budget) {
  BALLAST_TRY(check_positions(positions));
  BALLAST_TRY(check_budget(loss_budget));
  std::vector<std::string> instruments;
  std::vector<double> net;
  std::vector<double> gross;
  for (const StressPosition& p : positions) {
    std::size_t j = 0;
    while (j < instruments.size() && instruments[j] != p.instrument) ++j;
    if (j == instruments.size()) {
      instruments.push_back(p.instrument);
      net.push_back(0.0);
      gross.push_back(0.0);
    }
    net[j] += p.exposure();
    gross[j] += std::abs(p.exposure());
  }
  std::vector<InstrumentReverseStress> out;
  out.reserve(instruments.size());
  for (std::size_t j = 0; j < instruments.size(); ++j) {
    // Only this instrument moves, with weight 1.
    out.push_back({instruments[j], solve(net[j], gross[j], loss_budget, 1.0, 1.0)});
  }
  return out;
}

}  // namespace ballast::analytics
