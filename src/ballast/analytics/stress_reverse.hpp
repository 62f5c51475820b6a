#pragma once
// Reverse stress testing: instead of "what does this move cost?", "what move costs this much?".
//
// For the linear portfolio of stress_position.hpp, moving position i by s·d_i (a shock s along a
// direction d; d = 1 everywhere is the same % move on every position) gives P&L(s) = s·Σ_i e_i·d_i.
// Setting P&L(s) = −B for a loss budget B > 0 gives the closed form
//   s* = −B / E_d,   E_d = Σ_i e_i·d_i  (the net exposure along d).
// A long book (E_d > 0) reaches the budget with a fall (s* < 0), a short book with a rise. Outcomes:
//  - NoExposure: |E_d| ≤ 1e-12·Σ_i |e_i·d_i| (or every term is zero): the book is hedged along d and
//    no shock of any size exhausts the budget.
//  - BeyondTotalLoss: s* exists but some position would move by s*·d_i < −100%, a price below zero;
//    the budget exceeds what a linear move can lose (e.g. a 10,000 long with a 20,000 budget). s* is
//    still reported.
//  - Found otherwise.
// The per-instrument variant asks, for each instrument alone (positions in the same instrument
// summed, in order of first appearance), which single move of it exhausts the budget while every
// other price stays put: s_j = −B / E_j with the same outcomes.
//
// Moves are fractions (−0.25 = −25%); the budget is a positive loss in the portfolio currency.

#include "ballast/analytics/stress_position.hpp"
#include "ballast/core/result.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::analytics {

enum class ReverseStressOutcome {
  Found,            // "FOUND"
  NoExposure,       // "NO_EXPOSURE"
  BeyondTotalLoss,  // "BEYOND_TOTAL_LOSS"
};

std::string_view to_string(ReverseStressOutcome outcome) noexcept;
bool parse(std::string_view text, ReverseStressOutcome& out) noexcept;

struct ReverseStress {
  ReverseStressOutcome outcome = ReverseStressOutcome::NoExposure;
  double shock = 0.0;           // s*; 0 when NoExposure
  double net_exposure = 0.0;    // E_d = Σ e_i·d_i
  double gross_exposure = 0.0;  // Σ |e_i·d_i|
};

// Uniform shock (direction empty) or along `direction` (one finite weight per position; the move of
// position i is s·d_i). Errors: invalid positions, a budget that is not finite and positive, a
// direction of the wrong size or with a non-finite entry.
core::Result<ReverseStress> reverse_stress(std::span<const StressPosition> positions, double loss_budget,
                                           std::span<const double> direction = {});

struct InstrumentReverseStress {
  std::string instrument;
  ReverseStress result;
};

// The single-instrument move that alone exhausts the budget, per instrument.
core::Result<std::vector<InstrumentReverseStress>> reverse_stress_per_instrument(
    std::span<const StressPosition> positions, double loss_budget);

}  // namespace ballast::analytics
