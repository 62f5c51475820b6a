// `ballast analyze regime|profile`: market regime, trend, hidden-Markov states, support/resistance
// and the volume profile of a bar file.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "analyze_market.hpp"
#include "ballast/analytics/regime.hpp"
#include "ballast/analytics/returns.hpp"
#include "ballast/analytics/support_resistance.hpp"
#include "ballast/analytics/trend.hpp"
#include "ballast/analytics/volume_profile.hpp"
#include "market_input.hpp"

namespace ballast::cli {
namespace {

struct RegimeOptions {
  std::string input;
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  int hmm_states = 2;
  std::size_t levels = 6;
  std::string format = "table";
};

int run_regime(const RegimeOptions& o) {
  auto s = load_bars(o.input, o.bar_time);
  if (!s) return report(s.error());
  const auto& bars = s->series.bars;
  std::vector<Table> tables;

  auto point = analytics::latest_regime(bars);
  if (!point) return report(point.error().with_context(o.input));
  Table r;
  r.title = fmt::format("{}: regime of the last bar ({}; rules in docs/analytics/market.md)", o.input,
                        core::format_iso8601(bars[point->index].ts_event));
  r.columns = {"field", "value"};
  r.add_row({"regime", std::string(analytics::to_string(point->regime))});
  r.add_row({"trend_direction", std::string(analytics::to_string(point->trend.direction))});
  r.add_row({"trend_strength", std::string(analytics::to_string(point->trend.strength))});
  r.add_row({"adx", Cell(point->trend.adx, 2)});
  r.add_row({"plus_di", Cell(point->trend.plus_di, 2)});
  r.add_row({"minus_di", Cell(point->trend.minus_di, 2)});
  r.add_row({"log_slope_per_bar", Cell(point->trend.regression.slope, 6)});
  r.add_row({"slope_t_stat", Cell(point->trend.regression.t_stat, 2)});
  r.add_row({"volatility_per_bar", Cell(point->volatility, 6)});
  r.add_row({"median_volatility_per_bar", Cell(point->median_volatility, 6)});
  r.add_row({"volatility_level", std::string(analytics::to_string(point->level.level))});
  r.add_row({"volatility_percentile", Cell(point->level.percentile, 1)});
  tables.push_back(std::move(r));

  std::vector<double> closes;
  closes.reserve(bars.size());
  for (const auto& b : bars) closes.push_back(b.close.as_double());
  auto returns = analytics::log_returns(closes);
  if (!returns) return report(returns.error().with_context(o.input));
  analytics::GaussianHmmConfig hc;
  hc.states = o.hmm_states;
  auto fit = analytics::fit_gaussian_hmm(*returns, hc);
  Table h;
  if (fit) {
    const std::size_t last = returns->size() - 1;
    h.title = fmt::format("Gaussian HMM on log returns: {} states ordered by variance, log-likelihood {:.2f}, {} EM iterations{}",
                          o.hmm_states, fit->log_likelihood, fit->iterations, fit->converged ? "" : " (not converged)");
    h.columns = {"state", "mean_per_bar", "stdev_per_bar", "stay_probability", "share_of_time", "p_now"};
    for (int k = 0; k < fit->model.states(); ++k) {
      const auto ku = static_cast<std::size_t>(k);
      const auto share = static_cast<double>(std::count(fit->viterbi.begin(), fit->viterbi.end(), k)) /
                         static_cast<double>(fit->viterbi.size());
      h.add_row({k, Cell(fit->model.means[ku], 6), Cell(std::sqrt(fit->model.variances[ku]), 6),
                 Cell(fit->model.transition[ku][ku], 4), Cell(share, 3), Cell(fit->posterior(last, k), 3)});
    }
  } else {
    h.title = "Gaussian HMM";
    h.columns = {"error"};
    h.add_row({fit.error().message()});
  }
  tables.push_back(std::move(h));

  auto sr = analytics::support_resistance(bars);
  if (!sr) return report(sr.error().with_context(o.input));
  Table l;
  l.title = fmt::format(
      "support and resistance (swing pivots; tolerance 0.5 ATR = {:.4f} at the last close {:.4f}, {:.2f} % of the "
      "price at every level)",
      sr->tolerance, sr->reference_price, 100.0 * sr->tolerance / sr->reference_price);
  l.columns = {"kind", "price", "lower", "upper", "touches", "last_touch", "strength"};
  for (std::size_t i = 0; i < sr->levels.size() && i < o.levels; ++i) {
    const auto& lv = sr->levels[i];
    l.add_row({std::string(analytics::to_string(lv.kind)), Cell(lv.price, 4), Cell(lv.lower, 4), Cell(lv.upper, 4),
               lv.touches, core::format_iso8601(bars[lv.last_touch_index].ts_event), Cell(lv.strength, 3)});
  }
  tables.push_back(std::move(l));
  print(tables, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

struct ProfileOptions {
  std::string input;
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  std::string bin_size;
  std::vector<std::size_t> lookbacks;
  double value_area = 0.70;
  bool show_bins = false;
  std::string format = "table";
};

// A round bin size (1, 2 or 5 × 10^k) giving about 100 bins over the price range.
core::Result<model::Price> default_bin_size(const std::vector<model::Bar>& bars) {
  double lo = bars.front().low.as_double();
  double hi = bars.front().high.as_double();
  int precision = 0;
  for (const auto& b : bars) {
    lo = std::min(lo, b.low.as_double());
    hi = std::max(hi, b.high.as_double());
    precision = std::max(precision, b.close.precision());
  }
  const double raw = std::max((hi - lo) / 100.0, std::pow(10.0, -precision));
  const double base = std::pow(10.0, std::floor(std::log10(raw)));
  const double nice = raw <= base ? base : raw <= 2 * base ? 2 * base : raw <= 5 * base ? 5 * base : 10 * base;
  const int digits = std::clamp(static_cast<int>(-std::floor(std::log10(nice))), 0, 12);
  return model::Price::from_double(nice, digits);
}

int run_profile(const ProfileOptions& o) {
  auto s = load_bars(o.input, o.bar_time);
  if (!s) return report(s.error());
  const auto& bars = s->series.bars;
  if (bars.empty()) return report(core::Error(core::ErrorCode::InvalidArgument, "no bars", o.input));
  analytics::VolumeProfileConfig config;
  config.value_area_fraction = o.value_area;
  if (o.bin_size.empty()) {
    auto b = default_bin_size(bars);
    if (!b) return report(b.error().with_context("--bin-size"));
    config.bin_size = *b;
  } else {
    auto b = model::Price::parse(o.bin_size);
    if (!b) return report(b.error().with_context("--bin-size"));
    config.bin_size = *b;
  }
  std::vector<std::size_t> lookbacks = o.lookbacks;
  if (lookbacks.empty()) lookbacks.push_back(bars.size());
  auto profiles = analytics::volume_profiles(bars, lookbacks, config);
  if (!profiles) return report(profiles.error().with_context(o.input));
  std::vector<Table> tables;
  Table t;
  t.title = fmt::format("{}: volume profile (bin size {}, value area {:.0f}%)", o.input, config.bin_size.to_string(),
                        o.value_area * 100);
  t.columns = {"lookback_bars", "from", "poc", "value_area_low", "value_area_high", "value_area_volume_pct",
               "high_volume_nodes", "low_volume_nodes"};
  const auto nodes = [](const std::vector<analytics::VolumeNode>& v) {
    std::string out;
    for (const auto& n : v) out += (out.empty() ? "" : " ") + fmt::format("{:.6g}", n.price);
    return out.empty() ? std::string("-") : out;
  };
  for (const auto& lp : *profiles) {
    const auto& p = lp.profile;
    t.add_row({lp.lookback, core::format_iso8601(bars[bars.size() - lp.lookback].ts_event), Cell(p.poc_price, 4),
               Cell(p.value_area_low, 4), Cell(p.value_area_high, 4),
               Cell(p.total_volume > 0 ? p.value_area_volume / p.total_volume * 100 : 0.0, 1), nodes(p.high_volume_nodes),
               nodes(p.low_volume_nodes)});
  }
  tables.push_back(std::move(t));
  if (o.show_bins) {
    const auto& p = profiles->front().profile;
    Table b;
    b.title = fmt::format("bins of the {}-bar profile", profiles->front().lookback);
    b.columns = {"lower", "upper", "volume", "smoothed", "marker"};
    for (std::size_t i = 0; i < p.bins.size(); ++i) {
      std::string marker = i == p.poc_bin ? "POC" : (i >= p.value_area_low_bin && i <= p.value_area_high_bin) ? "VA" : "";
      b.add_row({Cell(p.bins[i].lower, 4), Cell(p.bins[i].upper, 4), Cell(p.bins[i].volume, 3), Cell(p.smoothed[i], 3), marker});
    }
    tables.push_back(std::move(b));
  }
  print(tables, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

}  // namespace

void register_analyze_structure_commands(CLI::App& analyze, Context& ctx) {
  auto r = std::make_shared<RegimeOptions>();
  auto* rc = analyze.add_subcommand("regime", "Market regime (trend × volatility rules), HMM states, support/resistance");
  rc->add_option("--input,--data", r->input, "Bar CSV file")->required()->check(CLI::ExistingFile);
  add_bar_time_option(rc, r->bar_time);
  rc->add_option("--hmm-states", r->hmm_states, "Hidden Markov model states: 2 or 3")->default_val(2)->check(CLI::IsMember({2, 3}));
  rc->add_option("--levels", r->levels, "How many support/resistance levels to show")->default_val(6);
  add_format_option(rc, r->format);
  on_run(rc, ctx, [r] { return run_regime(*r); });

  auto p = std::make_shared<ProfileOptions>();
  auto* pc = analyze.add_subcommand("profile", "Volume profile: point of control, value area, high/low-volume nodes");
  pc->add_option("--input,--data", p->input, "Bar CSV file")->required()->check(CLI::ExistingFile);
  add_bar_time_option(pc, p->bar_time);
  pc->add_option("--bin-size", p->bin_size, "Price bin size (default: a round size giving ~100 bins)");
  pc->add_option("--lookback", p->lookbacks, "Profile the last N bars; repeat for several timeframes (default: all)");
  pc->add_option("--value-area", p->value_area, "Value-area share of volume")->default_val(0.70)->check(CLI::Range(0.01, 1.0));
  pc->add_flag("--bins", p->show_bins, "Also print every bin of the first profile");
  add_format_option(pc, p->format);
  on_run(pc, ctx, [p] { return run_profile(*p); });
}

}  // namespace ballast::cli
