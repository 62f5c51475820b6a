// `ballast analyze stress`: built-in and user scenarios, worst historical windows and reverse stress.

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iostream>

#include "analyze_commands.hpp"
#include "ballast/analytics/stress_history.hpp"
#include "ballast/analytics/stress_library.hpp"
#include "ballast/analytics/stress_report.hpp"
#include "ballast/analytics/stress_reverse.hpp"
#include "ballast/analytics/stress_scenario_file.hpp"
#include "market_input.hpp"

namespace ballast::cli {
namespace {

struct StressOptions {
  std::string positions;
  std::vector<std::string> scenario_files;
  bool no_builtin = false;
  std::vector<std::string> inputs;
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  std::string window = "1d";
  std::size_t count = 3;
  double equity = 0.0;
  double loss_budget = 0.0;
  std::string format = "table";
};

// Asset class when positions.json gives none: BTC/ETH are majors, other crypto-looking symbols alts.
std::string default_asset_class(const std::string& instrument) {
  const std::string_view s = analytics::instrument_symbol(instrument);
  if (s.starts_with("BTC") || s.starts_with("ETH")) return std::string(analytics::kAssetClassCryptoMajor);
  if (s.ends_with("USDT") || s.ends_with("USDC") || s.ends_with("USD") || s.ends_with("PERP")) {
    return std::string(analytics::kAssetClassCryptoAlt);
  }
  return std::string(analytics::kAssetClassEquity);
}

int run_stress(const StressOptions& o) {
  auto inputs = read_positions_file(o.positions);
  if (!inputs) return report(inputs.error());
  std::vector<LoadedSeries> series;
  if (!o.inputs.empty()) {
    auto s = load_bars(o.inputs, o.bar_time);
    if (!s) return report(s.error());
    series = std::move(*s);
  }
  std::vector<analytics::StressPosition> positions;
  for (std::size_t i = 0; i < inputs->size(); ++i) {
    const auto& p = (*inputs)[i];
    analytics::StressPosition sp;
    sp.instrument = p.instrument;
    sp.asset_class = p.asset_class.empty() ? default_asset_class(p.instrument) : p.asset_class;
    sp.quantity = p.quantity;
    sp.multiplier = p.multiplier;
    if (p.price) {
      sp.price = *p.price;
    } else {
      for (const auto& s : series) {
        if (name_matches(s.name, p.instrument) && !s.series.bars.empty()) sp.price = s.series.bars.back().close.as_double();
      }
      if (!(sp.price > 0)) {
        return report(core::Error(core::ErrorCode::InvalidArgument,
                                  "no price: give \"price\" or an --input file named after the instrument",
                                  fmt::format("{}: positions[{}].price", o.positions, i)));
      }
    }
    positions.push_back(sp);
  }

  std::vector<analytics::StressScenario> scenarios;
  if (!o.no_builtin) scenarios = analytics::builtin_stress_scenarios();
  for (const auto& file : o.scenario_files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return report(core::Error(core::ErrorCode::IoError, "cannot open file", file));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto fmt_kind = analytics::scenario_format_from_name(file);
    if (!fmt_kind) return report(fmt_kind.error().with_context(file));
    auto loaded = analytics::load_scenarios(text, *fmt_kind, file);
    if (!loaded) return report(loaded.error());
    scenarios.insert(scenarios.end(), loaded->begin(), loaded->end());
  }

  std::vector<Table> tables;
  if (!series.empty()) {
    auto data = align_closes(series, 3);
    if (!data) return report(data.error());
    auto window = core::parse_duration(o.window);
    if (!window) return report(window.error().with_context("--window"));
    if (data->interval.count() <= 0 || window->count() % data->interval.count() != 0) {
      return report(core::Error(core::ErrorCode::InvalidArgument, "window must be a whole number of bars", "--window"));
    }
    std::vector<analytics::PriceSeries> ps;
    std::vector<analytics::StressPosition> matched;
    for (const auto& p : positions) {
      for (std::size_t c = 0; c < data->names.size(); ++c) {
        if (!name_matches(data->names[c], p.instrument)) continue;
        analytics::PriceSeries s;
        s.instrument = p.instrument;
        for (Eigen::Index r = 0; r < data->closes.rows(); ++r) {
          s.prices.push_back(data->closes(r, static_cast<Eigen::Index>(c)));
        }
        ps.push_back(std::move(s));
        matched.push_back(p);
      }
    }
    analytics::WorstWindowSpec spec;
    spec.window_bars = static_cast<std::size_t>(window->count() / data->interval.count());
    spec.count = o.count;
    auto worst = analytics::worst_historical_windows(matched, ps, spec, data->timestamps);
    if (!worst) return report(worst.error());
    for (const auto& w : *worst) scenarios.push_back(w.scenario);
  }
  if (scenarios.empty()) {
    return report(core::Error(core::ErrorCode::InvalidArgument, "no scenarios: drop --no-builtin or add --scenarios/--input",
                              "--scenarios"));
  }

  auto rep = analytics::run_stress_test(positions, scenarios, o.equity > 0 ? std::optional<double>(o.equity) : std::nullopt);
  if (!rep) return report(rep.error());
  Table heat;
  heat.title = "stress P&L by scenario and instrument (negative = loss)";
  heat.columns = {"scenario"};
  for (const auto& i : rep->instruments) heat.columns.push_back(i);
  heat.columns.push_back("total");
  if (rep->equity) heat.columns.push_back("total_pct_equity");
  for (std::size_t s = 0; s < rep->scenarios.size(); ++s) {
    const auto si = static_cast<Eigen::Index>(s);
    std::vector<Cell> row{rep->scenarios[s]};
    for (Eigen::Index p = 0; p < rep->pnl.cols(); ++p) row.emplace_back(rep->pnl(si, p), 2);
    row.emplace_back(rep->totals[si], 2);
    if (rep->equity) row.emplace_back(rep->total_fraction_of_equity[si] * 100, 2);
    heat.add_row(std::move(row));
  }
  tables.push_back(std::move(heat));
  Table worst;
  worst.title = "worst scenario";
  worst.columns = {"scenario", "total_pnl"};
  worst.add_row({rep->scenarios[static_cast<std::size_t>(rep->worst_scenario)], Cell(rep->worst_total(), 2)});
  tables.push_back(std::move(worst));

  if (o.loss_budget > 0) {
    Table rev;
    rev.title = fmt::format("reverse stress: the move that loses {:.2f}", o.loss_budget);
    rev.columns = {"shock_on", "outcome", "move_pct", "net_exposure"};
    auto uniform = analytics::reverse_stress(positions, o.loss_budget);
    if (!uniform) return report(uniform.error());
    rev.add_row({"all positions (uniform)", std::string(analytics::to_string(uniform->outcome)),
                 Cell(uniform->shock * 100, 2), Cell(uniform->net_exposure, 2)});
    auto per = analytics::reverse_stress_per_instrument(positions, o.loss_budget);
    if (!per) return report(per.error());
    for (const auto& r : *per) {
      rev.add_row({r.instrument, std::string(analytics::to_string(r.result.outcome)), Cell(r.result.shock * 100, 2),
                   Cell(r.result.net_exposure, 2)});
    }
    tables.push_back(std::move(rev));
  }
  print(tables, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

}  // namespace

void register_analyze_stress_command(CLI::App& analyze, Context& ctx) {
  auto o = std::make_shared<StressOptions>();
  auto* cmd = analyze.add_subcommand("stress", "Stress scenarios (built-in, from TOML/JSON files, worst historical windows) "
                                               "and reverse stress");
  cmd->add_option("--positions", o->positions, "Positions JSON (see `analyze var --help`)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--scenarios", o->scenario_files, "Scenario files (.toml or .json; docs/analytics/stress.md)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--no-builtin", o->no_builtin, "Leave out the built-in scenario library");
  cmd->add_option("--input,--data", o->inputs, "Bar CSV files: add the worst historical windows as scenarios")->check(CLI::ExistingFile);
  add_bar_time_option(cmd, o->bar_time);
  cmd->add_option("--window", o->window, "Length of a historical window, e.g. 1d, 7d")->default_val("1d");
  cmd->add_option("--count", o->count, "How many worst historical windows")->default_val(3)->check(CLI::Range(1, 100));
  cmd->add_option("--equity", o->equity, "Account equity, to show losses as % of equity")->check(CLI::PositiveNumber);
  cmd->add_option("--loss-budget", o->loss_budget, "Reverse stress: the loss to exhaust (positive)")->check(CLI::PositiveNumber);
  add_format_option(cmd, o->format);
  on_run(cmd, ctx, [o] { return run_stress(*o); });
}

}  // namespace ballast::cli
