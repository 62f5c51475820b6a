#include "ballast/analytics/stress_history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace ballast::analytics {

namespace {

std::vector<StressIssue> validate_series(std::span<const PriceSeries> series) {
  std::vector<StressIssue> issues;
  if (series.empty()) {
    issues.push_back({"series", "no price series"});
    return issues;
  }
  std::map<std::string_view, std::size_t, std::less<>> seen;
  const std::size_t bars = series.front().prices.size();
  for (std::size_t j = 0; j < series.size(); ++j) {
    const PriceSeries& s = series[j];
    const std::string path = fmt::format("series[{}]", j);
    if (s.instrument.empty()) issues.push_back({path + ".instrument", "instrument is empty"});
    if (auto [it, inserted] = seen.emplace(s.instrument, j); !inserted && !s.instrument.empty()) {
      issues.push_back({path + ".instrument",
                        fmt::format("duplicate instrument \"{}\" (also series[{}])", s.instrument, it->second)});
    }
    if (s.prices.size() != bars) {
      issues.push_back(
          {path + ".prices",
           fmt::format("{} prices but series[0] has {}; series must be aligned bar for bar", s.prices.size(), bars)});
    }
    for (std::size_t t = 0; t < s.prices.size(); ++t) {
      if (!std::isfinite(s.prices[t]) || s.prices[t] <= 0.0) {
        issues.push_back(
            {fmt::format("{}.prices[{}]", path, t), fmt::format("price {} must be finite and positive", s.prices[t])});
      }
    }
  }
  return issues;
}

std::string window_name(std::size_t rank, const HistoricalStressWindow& w, std::size_t bars) {
  if (w.start_time && w.end_time) {
    return fmt::format("historical-{}: {}-bar window {} to {}", rank, bars, core::format_iso8601(*w.start_time),
                       core::format_iso8601(*w.end_time));
  }
  return fmt::format("historical-{}: {}-bar window, bars {} to {}", rank, bars, w.start_index, w.end_index);
}

}  // namespace

core::Result<std::vector<HistoricalStressWindow>> worst_historical_windows(
    std::span<const StressPosition> positions, std::span<const PriceSeries> series, const WorstWindowSpec& spec,
    std::span<const core::UnixNanos> timestamps) {
  BALLAST_TRY(check_positions(positions));
  std::vector<StressIssue> issues = validate_series(series);
  const std::size_t bars = series.empty() ? 0 : series.front().prices.size();
  if (spec.window_bars == 0) issues.push_back({"window_bars", "window must be at least 1 bar"});
  if (spec.count == 0) issues.push_back({"count", "count must be at least 1"});
  if (!series.empty() && spec.window_bars >= bars) {
    issues.push_back({"window_bars", fmt::format("a {}-bar window needs at least {} prices, the series have {}",
                                                 spec.window_bars, spec.window_bars + 1, bars)});
  }
  if (!timestamps.empty() && timestamps.size() != bars) {
    issues.push_back(
        {"timestamps", fmt::format("{} timestamps for {} bars; give one per bar or none", timestamps.size(), bars)});
  }
  // Position i takes its moves from series column_of[i].
  std::vector<std::size_t> column_of(positions.size());
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const auto it = std::find_if(series.begin(), series.end(),
                                 [&](const PriceSeries& s) { return s.instrument == positions[i].instrument; });
    if (it == series.end()) {
      issues.push_back({fmt::format("positions[{}].instrument", i),
                        fmt::format("no price series for \"{}\"", positions[i].instrument)});
    } else {
      column_of[i] = static_cast<std::size_t>(it - series.begin());
    }
  }
  if (!issues.empty()) return issues_to_error(issues, core::ErrorCode::InvalidArgument, "");

  // Exposure per series: positions in the same instrument add up.
  std::vector<double> exposure(series.size(), 0.0);
  for (std::size_t i = 0; i < positions.size(); ++i) exposure[column_of[i]] += positions[i].exposure();

  const std::size_t n = spec.window_bars;
  const std::size_t windows = bars - n;
  std::vector<double> pnl(windows, 0.0);
  for (std::size_t t = 0; t < windows; ++t) {
    for (std::size_t j = 0; j < series.size(); ++j) {
      if (exposure[j] == 0.0) continue;
      pnl[t] += exposure[j] * (series[j].prices[t + n] / series[j].prices[t] - 1.0);
    }
  }

  std::vector<std::size_t> order(windows);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pnl[a] < pnl[b]; });

  std::vector<HistoricalStressWindow> out;
  for (std::size_t t : order) {
    if (out.size() == spec.count) break;
    const bool overlaps = std::any_of(out.begin(), out.end(), [&](const HistoricalStressWindow& w) {
      const std::size_t gap = t > w.start_index ? t - w.start_index : w.start_index - t;
      return gap < n;
    });
    if (overlaps) continue;
    HistoricalStressWindow w;
    w.start_index = t;
    w.end_index = t + n;
    if (!timestamps.empty()) {
      w.start_time = timestamps[t];
      w.end_time = timestamps[t + n];
    }
    w.portfolio_pnl = pnl[t];
    for (const PriceSeries& s : series) {
      const double move = s.prices[t + n] / s.prices[t] - 1.0;
      w.moves.push_back(move);
      w.scenario.instrument_shocks.insert_or_assign(s.instrument, move);
    }
    w.scenario.name = window_name(out.size() + 1, w, n);
    w.scenario.note = fmt::format("Moves of the worst non-overlapping {}-bar windows of the portfolio P&L, rank {}.", n,
                                  out.size() + 1);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace ballast::analytics
