#include "ballast/analytics/exposure.hpp"

#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <map>
#include <string_view>
#include <utility>

namespace ballast::analytics {

namespace {

void add(ExposureTotals& totals, double notional) {
  if (notional > 0.0) totals.long_notional += notional;
  if (notional < 0.0) totals.short_notional -= notional;
  totals.net += notional;
  totals.gross = totals.long_notional + totals.short_notional;
  ++totals.positions;
}

std::vector<ExposureGroup> to_groups(const std::map<std::string, ExposureTotals, std::less<>>& groups, double gross) {
  std::vector<ExposureGroup> out;
  out.reserve(groups.size());
  for (const auto& [key, totals] : groups) {
    out.push_back(ExposureGroup{key, totals, gross > 0.0 ? totals.gross / gross : 0.0});
  }
  return out;
}

ExposureTotals& group(std::map<std::string, ExposureTotals, std::less<>>& groups, std::string_view key) {
  auto it = groups.find(key);
  if (it == groups.end()) it = groups.emplace(std::string(key), ExposureTotals{}).first;
  return it->second;
}

}  // namespace

core::Result<ExposureReport> summarize_exposure(std::span<const PositionExposure> positions) {
  std::map<std::string, ExposureTotals, std::less<>> instruments;
  std::map<std::string, ExposureTotals, std::less<>> venues;
  std::map<std::string, ExposureTotals, std::less<>> currencies;
  ExposureReport report;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const PositionExposure& p = positions[i];
    if (!std::isfinite(p.notional)) {
      return core::Error(
          core::ErrorCode::InvalidArgument,
          fmt::format("positions[{}] ({}) has notional {}; it must be finite", i, p.instrument.to_string(), p.notional),
          fmt::format("positions[{}].notional", i));
    }
    add(report.total, p.notional);
    add(group(instruments, p.instrument.to_string()), p.notional);
    add(group(venues, p.venue.to_string()), p.notional);
    add(group(currencies, p.currency.code()), p.notional);
  }
  const double gross = report.total.gross;
  report.by_instrument = to_groups(instruments, gross);
  report.by_venue = to_groups(venues, gross);
  report.by_currency = to_groups(currencies, gross);

  double netted_gross = 0.0;
  for (const auto& [key, totals] : instruments) netted_gross += std::abs(totals.net);
  if (netted_gross > 0.0) {
    Concentration& c = report.concentration;
    for (const auto& [key, totals] : instruments) {
      const double w = std::abs(totals.net) / netted_gross;
      c.herfindahl += w * w;
      if (w > c.largest_weight) {
        c.largest_weight = w;
        c.largest_instrument = key;
      }
    }
    c.effective_positions = 1.0 / c.herfindahl;
  }
  return report;
}

core::Result<Eigen::VectorXd> dollar_exposures(std::span<const double> quantities, std::span<const double> prices) {
  if (quantities.size() != prices.size()) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("{} quantities but {} prices", quantities.size(), prices.size()), "prices");
  }
  BALLAST_TRY(require_finite(quantities, "quantities"));
  BALLAST_TRY(require_finite(prices, "prices"));
  Eigen::VectorXd out(static_cast<Eigen::Index>(quantities.size()));
  for (std::size_t i = 0; i < quantities.size(); ++i) {
    if (!(prices[i] > 0.0)) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("prices[{}] is {}; prices must be positive", i, prices[i]), "prices");
    }
    out[static_cast<Eigen::Index>(i)] = quantities[i] * prices[i];
  }
  return out;
}

}  // namespace ballast::analytics
