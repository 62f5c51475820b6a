#pragma once
// Exposure of a book of positions: gross, net, long and short notional, by instrument, venue and
// currency, and how concentrated the book is.
//
// Conventions
//  - A position's notional is SIGNED (long > 0, short < 0) and already in one reporting currency
//    (conversion is the caller's: analytics holds no FX rates). `currency` is the instrument's
//    own denomination, kept for grouping the book by currency risk.
//  - long = Σ max(n, 0), short = Σ max(−n, 0) reported as a POSITIVE magnitude, gross = long +
//    short, net = long − short. Totals treat every entry as a position (two entries in one
//    instrument add to gross separately); pass one entry per instrument for a netted book.
//  - Concentration nets by instrument first: weight_i = |net_i| / Σ_j |net_j|; the largest weight
//    and the Herfindahl–Hirschman index H = Σ w_i² ∈ [1/k, 1] for k instruments with exposure;
//    1/H is the effective number of positions. An empty or flat book has weight 0 and H = 0.
//  - dollar_exposures(): exposure e_i = signed quantity × price, the input of var.hpp (fold any
//    contract multiplier into the quantity).

#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/currency.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace ballast::analytics {

struct PositionExposure {
  core::InstrumentId instrument;
  core::VenueId venue;
  model::Currency currency;
  double notional = 0.0;  // signed, reporting currency
};

struct ExposureTotals {
  double gross = 0.0;
  double net = 0.0;
  double long_notional = 0.0;
  double short_notional = 0.0;  // magnitude, ≥ 0
  std::size_t positions = 0;    // entries counted
};

struct ExposureGroup {
  std::string key;  // instrument id, venue id or currency code
  ExposureTotals totals;
  double share_of_gross = 0.0;  // totals.gross / book gross (0 for a flat book)
};

struct Concentration {
  double largest_weight = 0.0;
  std::string largest_instrument;  // empty for a flat book
  double herfindahl = 0.0;
  double effective_positions = 0.0;  // 1 / herfindahl, 0 for a flat book
};

struct ExposureReport {
  ExposureTotals total;
  std::vector<ExposureGroup> by_instrument;  // each list sorted by key
  std::vector<ExposureGroup> by_venue;
  std::vector<ExposureGroup> by_currency;
  Concentration concentration;
};

// Errors when a notional is not finite (naming its index and instrument).
core::Result<ExposureReport> summarize_exposure(std::span<const PositionExposure> positions);

// e_i = quantities[i] × prices[i]. Spans of equal length, finite; prices must be positive.
core::Result<Eigen::VectorXd> dollar_exposures(std::span<const double> quantities, std::span<const double> prices);

}  // namespace ballast::analytics
