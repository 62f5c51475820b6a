// `ballast backtest`, `ballast optimize` and `ballast execute` (docs/cli.md).

#include "backtest_commands.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "ballast/analytics/returns.hpp"
#include "ballast/backtest/backtest_engine.hpp"
#include "ballast/backtest/backtest_report.hpp"
#include "ballast/backtest/execution_simulation.hpp"
#include "ballast/backtest/optimizer.hpp"
#include "ballast/data/bar_csv_stream.hpp"
#include "ballast/data/interval_estimator.hpp"
#include "ballast/execution/participation_algorithms.hpp"
#include "ballast/execution/schedule_algorithms.hpp"
#include "ballast/risk/fixed_notional_sizer.hpp"
#include "ballast/strategy/technical_strategies.hpp"
#include "backtest_market.hpp"
#include "market_input.hpp"

namespace ballast::cli {

namespace {

core::Error usage(std::string message, std::string where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

std::vector<backtest::InstrumentData> data_of(const Market& m) {
  std::vector<backtest::InstrumentData> out;
  for (std::size_t i = 0; i < m.series.size(); ++i) out.push_back({m.instruments[i].get(), m.series[i].series.bars});
  return out;
}

// The bars of a window of the first instrument's bar indexes; the other instruments' bars by time: those
// that start in [start of bar warm_up, start of bar end) of the first (to their last when the window ends
// at the first's last).
std::vector<backtest::InstrumentData> data_of(const Market& m, const backtest::BarWindow& w) {
  const auto& first = m.series.front().series.bars;
  const std::size_t from = std::min(w.warm_up, first.size());
  const std::size_t to = std::min(w.end, first.size());
  std::vector<backtest::InstrumentData> out;
  for (std::size_t i = 0; i < m.series.size(); ++i) {
    const auto& bars = m.series[i].series.bars;
    std::size_t b = from;
    std::size_t e = to;
    if (i > 0) {
      const auto start_before = [](const model::Bar& bar, core::UnixNanos t) { return bar.ts_event < t; };
      b = from < first.size()
              ? static_cast<std::size_t>(std::lower_bound(bars.begin(), bars.end(), first[from].ts_event, start_before) -
                                         bars.begin())
              : bars.size();
      e = to < first.size()
              ? static_cast<std::size_t>(std::lower_bound(bars.begin(), bars.end(), first[to].ts_event, start_before) -
                                         bars.begin())
              : bars.size();
    }
    out.push_back({m.instruments[i].get(), std::span<const model::Bar>(bars).subspan(b, std::max(b, e) - b)});
  }
  return out;
}

// A configured backtest of one strategy (by name and "k=v" parameters) on every instrument of the market.
core::Result<backtest::BacktestConfig> backtest_config(const Market& m, const std::string& strategy_name,
                                                       const std::vector<std::string>& params, double cash,
                                                       double notional, double slippage_bps) {
  backtest::BacktestConfig c;
  c.label = strategy_name;
  for (const auto& p : params) c.label += " " + p;
  auto balance = core::Decimal::from_double(cash, 2);
  if (!balance || !balance->is_positive()) return usage("--cash must be > 0", "--cash");
  c.starting_balance = *balance;
  c.settlement_currency = m.instruments.front()->settlement_currency();
  c.risk = m.risk;
  c.periods_per_year = m.periods_per_year;
  // Validate the strategy once up front so a bad name or parameter is reported before anything runs.
  auto probe = strategy::create_strategy(strategy_name, m.instruments.front()->id(), params);
  if (!probe) return probe.error();
  for (const auto& instrument : m.instruments) {
    c.strategies.push_back([strategy_name, params, id = instrument->id()]()
                               -> core::Result<std::unique_ptr<strategy::Strategy>> {
      auto s = strategy::create_strategy(strategy_name, id, params);
      if (!s) return s.error();
      return std::unique_ptr<strategy::Strategy>(std::move(*s));
    });
  }
  auto amount = core::Decimal::from_double(notional, 2);
  if (!amount || !amount->is_positive()) return usage("--notional must be > 0", "--notional");
  const model::Money size(*amount, c.settlement_currency);
  c.sizer = [size] {
    return std::make_unique<risk::FixedNotionalSizer>(risk::FixedNotionalSizer::create({size}).value());
  };
  if (slippage_bps > 0.0) {
    auto bps = core::Decimal::from_double(slippage_bps, 4);
    if (!bps) return bps.error();
    c.slippage = [b = *bps] { return std::make_unique<sim::FixedBpsSlippage>(sim::FixedBpsSlippage::create(b).value()); };
  }
  return c;
}

core::Status write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return core::Error(core::ErrorCode::IoError, fmt::format("cannot write {}", path), path);
  return core::ok();
}

Cell stat_cell(const analytics::Statistic& s) {
  return s.is_defined() ? Cell(s.value(), 4) : Cell(std::string("undefined (") + std::string(analytics::to_string(s.reason())) + ")");
}

// The default breakers act on every backtest without --risk; when they tripped, say so (on stderr, which keeps a
// CSV or JSON table on stdout clean): on daily stocks position-drawdown-5 closes most positions early, and an
// optimisation's ranking then owes part of its figures to them. `over`: "" for a backtest, else what was
// summed ("runs", "out-of-sample runs").
void note_default_breakers(std::int64_t trips, std::string_view over) {
  if (trips <= 0) return;
  std::cerr << fmt::format(
      "ballast: note: the default circuit breakers tripped {} time{}{} (position-drawdown-5 closes a position that "
      "falls 5 % of its entry value below its best, account-drawdown-10 cancels orders at a 10 % drawdown); "
      "choose your own with --risk FILE (docs/risk/breakers.md){}\n",
      trips, trips == 1 ? "" : "s", over.empty() ? std::string() : fmt::format(" over all {}", over),
      over.empty() ? "" : ", or rank only runs without a trip with --constraint breaker_trips<=0");
}

// ---- backtest --------------------------------------------------------------------------------------------

struct BacktestOptions {
  MarketOptions market;
  std::string strategy{"sma_cross"};
  std::vector<std::string> params;
  std::vector<std::string> compare;
  double cash{100000};
  double notional{0};
  double slippage_bps{0};
  std::string trade_from;
  std::string report;
  std::string json;
  std::string format{"table"};
};

int run_backtest_command(const BacktestOptions& o) {
  auto format = parse_output_format(o.format);
  if (!format) return report(format.error());
  // The bars are streamed: each run reads the files afresh, a chunk at a time (docs/cli.md). Trades and books
  // are read once, whole, and replayed by every run.
  auto opened = open_backtest_market(o.market);
  if (!opened) return report(opened.error());
  const BacktestMarket& inputs = *opened;
  const Market* market = &inputs.market;
  if (!inputs.has_bars) {
    std::cerr << "ballast: note: the built-in strategies trade on bars; without --data they place no orders "
                 "(the run replays the ticks and books through the kernel and the venue)\n";
  }
  const double notional = o.notional > 0 ? o.notional : o.cash * 0.1;
  std::optional<core::UnixNanos> trade_from;
  if (!o.trade_from.empty()) {
    auto t = core::parse_timestamp(o.trade_from);
    if (!t) return report(usage(fmt::format("--trade-from '{}' is not a time ({})", o.trade_from, t.error().message()),
                                "--trade-from"));
    trade_from = *t;
  }
  // The runs: --compare "name k=v …" entries, or the single --strategy/--param run.
  std::vector<std::pair<std::string, std::vector<std::string>>> runs;
  if (o.compare.empty()) {
    runs.emplace_back(o.strategy, o.params);
  } else {
    for (const auto& text : o.compare) {
      std::vector<std::string> words;
      std::string word;
      for (char ch : text + " ") {
        if (ch == ' ') {
          if (!word.empty()) words.push_back(word);
          word.clear();
        } else {
          word += ch;
        }
      }
      if (words.empty()) return report(usage("--compare needs a strategy name", "--compare"));
      runs.emplace_back(words.front(), std::vector<std::string>(words.begin() + 1, words.end()));
    }
  }
  backtest::ReportInput input;
  std::int64_t default_breaker_trips = 0;  // over every run, shown when no --risk file chose the breakers
  input.title = fmt::format("Backtest — {}", market->instruments.front()->id().to_string());
  Table summary;
  summary.title = "Backtest";
  summary.columns = {"run", "total_return", "cagr", "sharpe", "max_drawdown", "trades", "win_rate", "fees",
                     "denied", "breaker_trips"};
  for (const auto& [name, params] : runs) {
    auto config = backtest_config(*market, name, params, o.cash, notional, o.slippage_bps);
    if (!config) return report(config.error());
    config->trade_from = trade_from;
    std::vector<std::unique_ptr<StreamedBars>> sources;
    std::vector<backtest::InstrumentData> data;
    for (std::size_t i = 0; i < inputs.inputs.size(); ++i) {
      const BacktestInputs& in = inputs.inputs[i];
      backtest::InstrumentData d;
      d.instrument = market->instruments[i].get();
      if (!in.bars_path.empty()) {
        auto source = open_streamed(in.bars_path, o.market.bar_time);
        if (!source) return report(source.error());
        sources.push_back(std::move(*source));
        d.bar_source = sources.back().get();
      }
      d.trades = in.trades;
      if (!in.books.events.empty()) d.books = &in.books;
      data.push_back(d);
    }
    auto out = backtest::run_backtest(*config, data);
    if (!out) return report(out.error());
    if (!inputs.has_bars) {
      if (auto s = annualise_from_samples(out->run, o.market.calendar); !s) return report(s.error());
    }
    auto metrics = backtest::compute_metrics(out->run);
    if (!metrics) return report(metrics.error());
    summary.add_row({out->run.label, Cell(metrics->performance.total_return, 4), stat_cell(metrics->performance.cagr),
                     stat_cell(metrics->performance.sharpe_ratio), Cell(metrics->performance.max_drawdown.depth, 4),
                     metrics->trades.count, stat_cell(metrics->trades.win_rate), Cell(metrics->trades.total_fees, 2),
                     out->denied_orders, out->breaker_trips});
    default_breaker_trips += out->breaker_trips;
    input.runs.push_back(std::move(out->run));
  }
  if (!o.report.empty()) {
    auto html = backtest::render_html_report(input);
    if (!html) return report(html.error());
    if (auto s = write_file(o.report, *html); !s) return report(s.error());
  }
  if (!o.json.empty()) {
    auto json = backtest::render_json_report(input);
    if (!json) return report(json.error());
    if (auto s = write_file(o.json, *json); !s) return report(s.error());
  }
  print(summary, *format, std::cout);
  if (o.market.risk_file.empty()) note_default_breakers(default_breaker_trips, "");
  return kExitOk;
}

// ---- optimize --------------------------------------------------------------------------------------------

// "[#####.....]  45%  450/1000  ETA 0:12" on stderr, redrawn in place; only on a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  void update(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double fraction = static_cast<double>(done) / static_cast<double>(total);
    const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : 0.0;
    const int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::fprintf(stderr, "\r[%s%s] %3.0f%%  %zu/%zu  ETA %d:%02d ", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), 100.0 * fraction, done, total,
                 static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
  std::mutex mutex_;
};

struct OptimizeOptions {
  MarketOptions market;
  std::string strategy{"sma_cross"};
  std::vector<std::string> fixed;
  std::vector<std::string> grid;
  std::size_t random{0};
  std::uint64_t seed{1};
  std::string objective{"sharpe"};
  std::vector<std::string> constraints;
  int jobs{0};
  std::string walk_forward;
  std::size_t folds{5};
  std::size_t top{10};
  double cash{100000};
  double notional{0};
  double slippage_bps{0};
  std::string csv;
  std::string json;
  std::string report;
  std::string format{"table"};
};

int run_optimize_command(const OptimizeOptions& o) {
  auto format = parse_output_format(o.format);
  if (!format) return report(format.error());
  auto market = load_market(o.market);
  if (!market) return report(market.error());
  std::vector<backtest::ParameterRange> ranges;
  for (const auto& g : o.grid) {
    auto r = backtest::parse_parameter_range(g);
    if (!r) return report(r.error());
    ranges.push_back(std::move(*r));
  }
  if (ranges.empty()) return report(usage("give at least one --grid name=start:stop:step", "--grid"));
  auto candidates = o.random > 0 ? backtest::random_search_space(ranges, o.random, o.seed)
                                 : backtest::grid_search_space(ranges);
  if (!candidates) return report(candidates.error());
  backtest::OptimisationOptions options;
  auto objective = backtest::parse_objective(o.objective);
  if (!objective) return report(objective.error());
  options.objective = *objective;
  for (const auto& c : o.constraints) {
    auto parsed = backtest::parse_constraint(c);
    if (!parsed) return report(parsed.error());
    options.constraints.push_back(*parsed);
  }
  options.jobs = o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ProgressBar progress(isatty(STDERR_FILENO) != 0);
  options.progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
  const double notional = o.notional > 0 ? o.notional : o.cash * 0.1;

  // Check the strategy and parameter names once, with the first candidate.
  const auto params_of = [&](const backtest::ParameterSet& set) {
    std::vector<std::string> params = o.fixed;
    for (const auto& [name, value] : set) params.push_back(fmt::format("{}={:g}", name, value));
    return params;
  };
  if (auto probe = backtest_config(*market, o.strategy, params_of(candidates->front()), o.cash, notional, o.slippage_bps);
      !probe) {
    return report(probe.error());
  }
  const auto& first_bars = market->series.front().series.bars;
  const backtest::WindowEvaluator window = [&](const backtest::ParameterSet& set, const backtest::BarWindow& w)
      -> core::Result<backtest::EvaluationRun> {
    auto config = backtest_config(*market, o.strategy, params_of(set), o.cash, notional, o.slippage_bps);
    if (!config) return config.error();
    if (w.warm_up < w.begin && w.begin < first_bars.size()) config->trade_from = first_bars[w.begin].ts_event;
    // The whole data: every instrument whole, as a single backtest would run.
    const bool whole = w.warm_up == 0 && w.end >= first_bars.size();
    const auto data = whole ? data_of(*market) : data_of(*market, w);
    auto out = backtest::run_backtest(*config, data);
    if (!out) return out.error();
    // Ranking needs the run's own figures only (backtest_report.hpp, MetricsOptions).
    auto metrics = backtest::compute_metrics(out->run, {.benchmark = false, .monthly = false});
    if (!metrics) return metrics.error();
    return backtest::EvaluationRun{std::move(*metrics), std::move(out->run.equity),
                                   backtest::RiskActivity{out->denied_orders, out->breaker_trips}};
  };
  if (!o.walk_forward.empty()) {
    auto windows = backtest::walk_forward_windows(o.walk_forward, first_bars.size(), o.folds);
    if (!windows) return report(windows.error());
    auto result = backtest::walk_forward(first_bars.size(), *candidates, window, *windows, options);
    if (!result) return report(result.error());
    std::vector<core::UnixNanos> starts;
    starts.reserve(first_bars.size());
    for (const auto& b : first_bars) starts.push_back(b.ts_event);
    // Window bounds as dates when every bar starts at midnight (daily and longer bars), else to the minute.
    const bool daily = std::all_of(starts.begin(), starts.end(),
                                   [](core::UnixNanos t) { return t.value % core::kNanosPerDay == 0; });
    const auto day = [&](std::size_t i) {
      const std::string iso = core::format_iso8601(starts[i]);
      return daily ? iso.substr(0, 10) : iso.substr(0, 10) + " " + iso.substr(11, 5);
    };
    Table t;
    t.title = fmt::format("Walk-forward ({} in-sample / {} out-of-sample bars; out of sample warmed on the in-sample), "
                          "efficiency {}",
                          windows->in_sample, windows->out_of_sample,
                          result->efficiency ? fmt::format("{:.3f}", *result->efficiency) : std::string("undefined"));
    // The out-of-sample return has its own column unless it is the objective's (as in the optimisation table).
    const bool return_column = options.objective != backtest::Objective::TotalReturn;
    t.columns = {"fold", "in_sample", "out_of_sample", "best", std::string("is_") + o.objective,
                 std::string("oos_") + o.objective};
    if (return_column) t.columns.push_back("oos_return");
    for (const char* c : {"oos_trades", "oos_denied", "oos_breaker_trips"}) t.columns.push_back(c);
    std::int64_t trips = 0;
    for (std::size_t i = 0; i < result->folds.size(); ++i) {
      const auto& f = result->folds[i];
      const auto opt = [](std::optional<double> v) { return v ? Cell(*v, 4) : Cell("undefined"); };
      std::vector<Cell> row = {i + 1, fmt::format("{} – {}", day(f.in_begin), day(f.in_end - 1)),
                               fmt::format("{} – {}", day(f.out_begin), day(f.out_end - 1)),
                               backtest::describe(f.best), opt(f.in_sample_objective), opt(f.out_of_sample_objective)};
      if (return_column) row.push_back(f.out_of_sample ? Cell(f.out_of_sample->performance.total_return, 4) : Cell(""));
      for (Cell c : {f.out_of_sample ? Cell(f.out_of_sample->trades.count) : Cell(""),
                     f.out_of_sample_risk ? Cell(f.out_of_sample_risk->denied_orders) : Cell(""),
                     f.out_of_sample_risk ? Cell(f.out_of_sample_risk->breaker_trips) : Cell("")}) {
        row.push_back(std::move(c));
      }
      t.add_row(std::move(row));
      if (f.out_of_sample_risk) trips += f.out_of_sample_risk->breaker_trips;
    }
    print(t, *format, std::cout);
    if (o.market.risk_file.empty()) note_default_breakers(trips, "out-of-sample runs");
    if (!o.csv.empty()) {
      if (auto s = write_file(o.csv, backtest::walk_forward_to_csv(*result, options.objective, starts)); !s) {
        return report(s.error());
      }
    }
    if (!o.json.empty()) {
      if (auto s = write_file(o.json, backtest::walk_forward_to_json(*result, *windows, options.objective, starts)); !s) {
        return report(s.error());
      }
    }
    if (!o.report.empty()) {
      if (result->stitched_equity.size() < 2) {
        return report(core::Error(core::ErrorCode::InvalidArgument,
                                  "the stitched out-of-sample equity has fewer than 2 samples: no report written",
                                  "--report"));
      }
      backtest::ReportInput input;
      input.title = "Walk-forward out-of-sample equity";
      backtest::BacktestRun run;
      run.label = "walk-forward (stitched out-of-sample)";
      run.instrument_id = market->instruments.front()->id();
      run.initial_equity = result->stitched_equity.front().equity;
      run.periods_per_year = market->periods_per_year;
      run.equity = result->stitched_equity;
      input.runs.push_back(std::move(run));
      auto html = backtest::render_html_report(input);
      if (!html) return report(html.error());
      if (auto s = write_file(o.report, *html); !s) return report(s.error());
    }
    return kExitOk;
  }
  const backtest::Evaluator evaluate = [&](const backtest::ParameterSet& set) {
    return window(set, backtest::BarWindow{0, 0, first_bars.size()});
  };
  auto ranked = backtest::optimise(*candidates, evaluate, options);
  if (!ranked) return report(ranked.error());
  if (!o.csv.empty()) {
    if (auto s = write_file(o.csv, backtest::evaluations_to_csv(*ranked, options.objective)); !s) return report(s.error());
  }
  if (!o.json.empty()) {
    if (auto s = write_file(o.json, backtest::evaluations_to_json(*ranked, options.objective)); !s) return report(s.error());
  }
  if (!o.report.empty()) {
    backtest::ReportInput input;
    input.title = fmt::format("Optimisation of {} — {}", o.strategy, market->instruments.front()->id().to_string());
    // The best run in full, and the heatmap of the first two ranges (best value over the others).
    auto best_config = backtest_config(*market, o.strategy, params_of(ranked->front().parameters), o.cash, notional,
                                       o.slippage_bps);
    if (!best_config) return report(best_config.error());
    const auto data = data_of(*market);
    auto best = backtest::run_backtest(*best_config, data);
    if (!best) return report(best.error());
    input.runs.push_back(std::move(best->run));
    if (ranges.size() >= 2) {
      backtest::ParameterHeatmap h;
      h.x_name = ranges[0].name;
      h.y_name = ranges[1].name;
      h.objective = o.objective;
      h.x_values = ranges[0].values;
      h.y_values = ranges[1].values;
      h.values.assign(h.x_values.size() * h.y_values.size(), std::nullopt);
      for (const auto& e : *ranked) {
        if (!e.objective || !e.feasible) continue;
        const auto xi = std::find(h.x_values.begin(), h.x_values.end(), e.parameters[0].second) - h.x_values.begin();
        const auto yi = std::find(h.y_values.begin(), h.y_values.end(), e.parameters[1].second) - h.y_values.begin();
        auto& cell = h.values[static_cast<std::size_t>(yi) * h.x_values.size() + static_cast<std::size_t>(xi)];
        if (!cell || *e.objective > *cell) cell = *e.objective;
      }
      input.heatmap = std::move(h);
    }
    auto html = backtest::render_html_report(input);
    if (!html) return report(html.error());
    if (auto s = write_file(o.report, *html); !s) return report(s.error());
  }
  Table t;
  t.title = fmt::format("Top {} of {} by {}", std::min(o.top, ranked->size()), ranked->size(), o.objective);
  // The objective's own column, unless it is one the table always has (as in the CSV).
  const bool own_column =
      options.objective != backtest::Objective::TotalReturn && options.objective != backtest::Objective::MaxDrawdown;
  t.columns = {"rank", "parameters"};
  if (own_column) t.columns.push_back(o.objective);
  for (const char* c : {"total_return", "max_drawdown", "trades", "denied", "breaker_trips", "feasible"}) {
    t.columns.push_back(c);
  }
  for (std::size_t i = 0; i < std::min(o.top, ranked->size()); ++i) {
    const auto& e = (*ranked)[i];
    std::vector<Cell> row = {i + 1, backtest::describe(e.parameters)};
    if (own_column) row.push_back(e.objective ? Cell(*e.objective, 4) : Cell("undefined"));
    for (Cell c : {e.metrics ? Cell(e.metrics->performance.total_return, 4) : Cell(""),
                   e.metrics ? Cell(e.metrics->performance.max_drawdown.depth, 4) : Cell(""),
                   e.metrics ? Cell(e.metrics->trades.count) : Cell(""), e.risk ? Cell(e.risk->denied_orders) : Cell(""),
                   e.risk ? Cell(e.risk->breaker_trips) : Cell(""),
                   Cell(e.feasible ? "yes" : (e.error.empty() ? "no: " + e.failed_constraint : "error: " + e.error))}) {
      row.push_back(std::move(c));
    }
    t.add_row(std::move(row));
  }
  print(t, *format, std::cout);
  if (o.market.risk_file.empty()) {
    std::int64_t trips = 0;
    for (const auto& e : *ranked) trips += e.risk ? e.risk->breaker_trips : 0;
    note_default_breakers(trips, "runs");
  }
  return kExitOk;
}

// ---- execute ---------------------------------------------------------------------------------------------

struct ExecuteOptions {
  MarketOptions market;
  std::string algo{"twap"};
  std::string side{"buy"};
  std::string quantity;
  std::string start;
  std::string duration{"1h"};
  int slices{12};
  double rate{0.1};
  std::string display;
  std::string limit;
  std::string max_deviation_bps;
  std::string pricing{"aggressive"};
  double impact{0.7};
  double participation{0.25};
  bool study{false};
  std::string format{"table"};
};

core::Result<backtest::AlgorithmFactory> factory_for(const ExecuteOptions& o, const std::string& algo,
                                                     const model::Instrument& instrument) {
  using Made = core::Result<std::unique_ptr<execution::ExecutionAlgorithm>>;
  const auto wrap = [](auto made) -> Made {
    if (!made) return made.error();
    return std::unique_ptr<execution::ExecutionAlgorithm>(std::move(*made));
  };
  if (algo == "immediate") return backtest::AlgorithmFactory{};
  if (algo == "twap") {
    return backtest::AlgorithmFactory([&, slices = o.slices](const execution::ParentOrder& p) -> Made {
      execution::TwapConfig c;
      c.slices = slices;
      return wrap(execution::TwapAlgorithm::create(p, instrument, c));
    });
  }
  if (algo == "vwap") {
    return backtest::AlgorithmFactory([&, slices = o.slices](const execution::ParentOrder& p) -> Made {
      execution::VwapConfig c;
      c.slices = slices;
      return wrap(execution::VwapAlgorithm::create(p, instrument, c));
    });
  }
  if (algo == "pov") {
    return backtest::AlgorithmFactory([&, rate = o.rate](const execution::ParentOrder& p) -> Made {
      execution::PovConfig c;
      c.rate = rate;
      return wrap(execution::PovAlgorithm::create(p, instrument, c));
    });
  }
  if (algo == "iceberg") {
    auto display = model::Quantity::parse(o.display);
    if (!display) return usage("--algo iceberg needs --display QUANTITY", "--display");
    // An iceberg rests at its limit: without one there is no price to show the slices at.
    if (o.limit.empty()) return usage("--algo iceberg needs --limit PRICE (the price its slices rest at)", "--limit");
    return backtest::AlgorithmFactory([&, d = *display](const execution::ParentOrder& p) -> Made {
      execution::IcebergConfig c;
      c.display_quantity = d;
      return wrap(execution::IcebergAlgorithm::create(p, instrument, c));
    });
  }
  return usage(fmt::format("unknown algorithm '{}'; known: immediate, twap, vwap, pov, iceberg", algo), "--algo");
}

int run_execute_command(const ExecuteOptions& o) {
  auto format = parse_output_format(o.format);
  if (!format) return report(format.error());
  auto market = load_market(o.market);
  if (!market) return report(market.error());
  const model::Instrument& instrument = *market->instruments.front();
  const auto& bars = market->series.front().series.bars;
  auto duration = core::parse_duration(o.duration);
  if (!duration) return report(duration.error());
  core::UnixNanos start = bars[bars.size() / 2].ts_event;
  if (!o.start.empty()) {
    auto t = core::parse_timestamp(o.start);
    if (!t) return report(t.error());
    start = *t;
  }
  auto stats = backtest::daily_volatility_and_volume(bars);
  if (!stats) return report(stats.error());

  backtest::ExecutionSimulationConfig config;
  config.parent.id = core::ClientOrderId("PARENT");
  config.parent.account_id = core::AccountId("EXEC");
  config.parent.instrument_id = instrument.id();
  config.parent.side = o.side == "sell" ? model::OrderSide::Sell : model::OrderSide::Buy;
  config.parent.start = start;
  config.parent.end = start + *duration;
  config.parent.pricing = o.pricing == "passive" ? execution::ChildPricing::Passive : execution::ChildPricing::Aggressive;
  config.parent.aggressive_slippage_bps = core::Decimal::from_int(50);
  if (!o.limit.empty()) {
    auto limit = model::Price::parse(o.limit);
    if (!limit) return report(limit.error());
    config.parent.limit_price = *limit;
  }
  if (!o.max_deviation_bps.empty()) {
    auto dev = core::Decimal::parse(o.max_deviation_bps);
    if (!dev) return report(dev.error());
    config.parent.max_deviation_bps = *dev;
  }
  config.impact_coefficient = o.impact;
  auto share = core::Decimal::from_double(o.participation, 6);
  if (!share) return report(share.error());
  config.max_volume_participation = *share;
  config.risk = market->risk;
  config.risk.circuit_breakers.clear();
  config.starting_balance = core::Decimal::from_int(1'000'000'000);
  config.daily_volatility_and_volume = *stats;  // measured once above, the same for every run on these bars

  const auto opt = [](std::optional<double> v) { return v ? Cell(*v, 3) : Cell(""); };
  if (!o.study) {
    auto q = model::Quantity::parse(o.quantity);
    if (!q || q->is_zero()) return report(usage("--qty QUANTITY (> 0) is required unless --study", "--qty"));
    config.parent.quantity = *q;
    if (o.algo == "immediate") config.max_volume_participation.reset();
    auto factory = factory_for(o, o.algo, instrument);
    if (!factory) return report(factory.error());
    auto r = backtest::simulate_execution(config, instrument, bars, *factory);
    if (!r) return report(r.error());
    const auto& qq = r->quality;
    Table t;
    t.title = fmt::format("Execution on {} (σ daily {:.2f}%, ADV {:.6g}, impact Y {:g}; bps of the arrival price, "
                          "positive = cost)",
                          instrument.id().to_string(), 100.0 * stats->first, stats->second, o.impact);
    t.columns = {"algorithm", "adv_share", "filled", "fill_rate", "avg_price", "arrival_slippage_bps", "fees_bps",
                 "total_cost_bps", "opportunity_bps", "shortfall_bps", "vwap_deviation_bps", "impact_forecast_bps",
                 "children"};
    t.add_row({r->algorithm, Cell(q->as_double() / stats->second, 4), Cell(qq.filled, 6), Cell(qq.fill_rate, 4),
               qq.average_price ? Cell(*qq.average_price, -8) : Cell(""), opt(qq.arrival_slippage_bps),
               opt(qq.fees_bps), opt(qq.total_cost_bps), opt(qq.opportunity_cost_bps), opt(qq.shortfall_bps),
               opt(qq.vwap_deviation_bps), opt(qq.impact_estimate_bps), qq.child_orders});
    print(t, *format, std::cout);
    return kExitOk;
  }

  // The study: each size and algorithm from many start times across the data; the mean cost and its
  // standard error (the price drift over the horizon is noise that averages out; the impact does not).
  const core::Duration bar = data::annualisation_interval(bars);
  Table t;
  t.title = fmt::format("Execution cost study on {} (σ daily {:.2f}%, ADV {:.6g}, impact Y {:g}, {} start times; "
                        "cost = arrival slippage + fees over the filled part; shortfall = the whole parent, the "
                        "unfilled part at the last price; bps, positive = cost)",
                        instrument.id().to_string(), 100.0 * stats->first, stats->second, o.impact, 40);
  t.columns = {"adv_share", "algorithm", "horizon", "mean_cost_bps", "stderr_bps", "mean_fill_rate",
               "mean_shortfall_bps", "shortfall_stderr_bps", "impact_forecast_bps", "children"};
  for (double s : {0.005, 0.01, 0.02, 0.05, 0.1, 0.2}) {
    // Long enough to trade the size at a third of the 10 % POV rate (slack for quiet hours and the
    // participation cap), in whole minutes; never shorter than --duration.
    const double days = 3.0 * s / 0.1;
    const auto needed = std::chrono::duration_cast<core::Duration>(
        std::chrono::minutes(static_cast<std::int64_t>(std::ceil(days * 1440.0))));
    const core::Duration horizon = std::max(*duration, needed);
    const std::size_t horizon_bars = static_cast<std::size_t>(static_cast<double>(horizon.count()) / bar.count());
    if (horizon_bars + 20 >= bars.size()) continue;
    for (const std::string algo : {"immediate", "twap", "vwap", "pov"}) {
      auto cfg = config;
      auto q = model::Quantity::from_double(s * stats->second, 6, core::RoundingMode::Down);
      if (!q) return report(q.error());
      cfg.parent.quantity = *q;
      cfg.parent.pricing = execution::ChildPricing::Aggressive;
      if (algo == "immediate") cfg.max_volume_participation.reset();
      ExecuteOptions per = o;
      per.slices = static_cast<int>(std::clamp<double>(static_cast<double>(horizon_bars) / 5.0, 12.0, 400.0));
      per.rate = 0.1;
      auto factory = factory_for(per, algo, instrument);
      if (!factory) return report(factory.error());
      double sum = 0.0, sum2 = 0.0, fill = 0.0, impact = 0.0, children = 0.0, short_sum = 0.0, short_sum2 = 0.0;
      int n = 0;
      const std::size_t starts = 40;
      for (std::size_t k = 0; k < starts; ++k) {
        const std::size_t at = 10 + k * (bars.size() - horizon_bars - 20) / starts;
        cfg.parent.start = bars[at].ts_event;
        cfg.parent.end = cfg.parent.start + horizon;
        auto r = backtest::simulate_execution(cfg, instrument, bars, *factory);
        if (!r) return report(r.error());
        if (!r->quality.total_cost_bps) continue;
        const double c = *r->quality.total_cost_bps;
        sum += c, sum2 += c * c, ++n;
        const double sf = r->quality.shortfall_bps.value_or(c);
        short_sum += sf, short_sum2 += sf * sf;
        fill += r->quality.fill_rate;
        impact += r->quality.impact_estimate_bps.value_or(0.0);
        children += r->quality.child_orders;
      }
      if (n < 2) continue;
      const auto mean_and_stderr = [n](double total, double total2) {
        const double mean = total / n;
        const double sd = std::sqrt(std::max(0.0, (total2 - n * mean * mean) / (n - 1)));
        return std::pair{mean, sd / std::sqrt(n)};
      };
      const auto [mean, se] = mean_and_stderr(sum, sum2);
      const auto [short_mean, short_se] = mean_and_stderr(short_sum, short_sum2);
      t.add_row({Cell(s, 4), algo, core::format_duration(horizon), Cell(mean, 3), Cell(se, 3), Cell(fill / n, 4),
                 Cell(short_mean, 3), Cell(short_se, 3), Cell(impact / n, 3), Cell(children / n, 1)});
    }
  }
  print(t, *format, std::cout);
  return kExitOk;
}

}  // namespace

void register_backtest_commands(CLI::App& app, Context& ctx) {
  auto bt = std::make_shared<BacktestOptions>();
  auto* b = app.add_subcommand("backtest", "Backtest a strategy on bars, trade ticks or L2 books through the real risk engine");
  add_market_options(b, bt->market, /*backtest=*/true);
  b->add_option("--trades", bt->market.trades, "Trade-tick CSV file(s), PATH or INSTRUMENT=PATH (docs/data.md)");
  b->add_option("--books", bt->market.books,
                "L2 order-book CSV file(s), PATH or INSTRUMENT=PATH: Ballast or Tardis incremental_book_L2 (docs/data.md)");
  b->add_option("--trade-format", bt->market.trade_format, "Layout of --trades: ballast, binance-trades, binance-agg-trades")
      ->default_val("ballast");
  b->add_option("--strategy", bt->strategy, "Built-in strategy: sma_cross, ema_cross, macd_cross, rsi_reversion, "
                                            "bollinger_breakout, bollinger_reversion, donchian_breakout")
      ->default_val("sma_cross");
  b->add_option("--param", bt->params, "Strategy parameter name=value (repeatable)");
  b->add_option("--compare", bt->compare, "Several runs side by side: \"strategy k=v …\" (repeatable)");
  b->add_option("--cash", bt->cash, "Starting balance in the settlement currency")->default_val(100000);
  b->add_option("--notional", bt->notional, "Notional of each entry (default: 10% of --cash)");
  b->add_option("--slippage-bps", bt->slippage_bps, "Slippage of taker fills in bps")->default_val(0);
  b->add_option("--trade-from", bt->trade_from,
                "Trade from this time (ISO 8601 or date); earlier data only warms the strategies' indicators");
  b->add_option("--report", bt->report, "Write the HTML report here");
  b->add_option("--json", bt->json, "Write the JSON report here");
  add_format_option(b, bt->format);
  on_run(b, ctx, [bt] { return run_backtest_command(*bt); });

  auto op = std::make_shared<OptimizeOptions>();
  auto* o = app.add_subcommand("optimize", "Grid/random search or walk-forward over strategy parameters");
  add_market_options(o, op->market);
  o->add_option("--strategy", op->strategy, "Built-in strategy")->default_val("sma_cross");
  o->add_option("--param", op->fixed, "Fixed parameter name=value (repeatable)");
  o->add_option("--grid", op->grid, "Range name=start:stop:step, name=a,b,c or name=v (repeatable)")->required();
  o->add_option("--random", op->random, "Random search: this many combinations instead of the full grid");
  o->add_option("--seed", op->seed, "Random search seed")->default_val(1);
  o->add_option("--objective", op->objective, "sharpe, sortino, calmar, total_return, cagr, profit_factor, win_rate, "
                                              "expectancy, max_drawdown")
      ->default_val("sharpe");
  o->add_option("--constraint", op->constraints, "metric<=value or metric>=value, e.g. max_drawdown<=0.2 (repeatable)");
  o->add_option("--jobs", op->jobs, "Worker threads (0 = all cores)")->default_val(0);
  o->add_option("--walk-forward", op->walk_forward, "Walk-forward IN:OUT window ratio, e.g. 6:1");
  o->add_option("--folds", op->folds, "Walk-forward out-of-sample windows")->default_val(5);
  o->add_option("--top", op->top, "Rows to print")->default_val(10);
  o->add_option("--cash", op->cash, "Starting balance")->default_val(100000);
  o->add_option("--notional", op->notional, "Notional of each entry (default: 10% of --cash)");
  o->add_option("--slippage-bps", op->slippage_bps, "Slippage of taker fills in bps")->default_val(0);
  o->add_option("--csv", op->csv, "Write every result, ranked, as CSV");
  o->add_option("--json", op->json, "Write every result, ranked, as JSON");
  o->add_option("--report", op->report, "HTML report of the best run with the parameter heatmap");
  add_format_option(o, op->format);
  on_run(o, ctx, [op] { return run_optimize_command(*op); });

  auto ex = std::make_shared<ExecuteOptions>();
  auto* e = app.add_subcommand("execute", "Run an execution algorithm on the simulated venue and report its cost");
  add_market_options(e, ex->market);
  e->add_option("--algo", ex->algo, "immediate, twap, vwap, pov or iceberg")->default_val("twap");
  e->add_option("--side", ex->side, "buy or sell")->default_val("buy")->check(CLI::IsMember({"buy", "sell"}));
  e->add_option("--qty", ex->quantity, "Parent quantity");
  e->add_option("--start", ex->start, "Start time (default: the middle of the data)");
  e->add_option("--duration", ex->duration, "Horizon, e.g. 1h, 4h, 1d")->default_val("1h");
  e->add_option("--slices", ex->slices, "TWAP/VWAP slices")->default_val(12);
  e->add_option("--rate", ex->rate, "POV participation rate")->default_val(0.1);
  e->add_option("--display", ex->display, "Iceberg display quantity");
  e->add_option("--limit", ex->limit, "Parent limit price");
  e->add_option("--max-deviation-bps", ex->max_deviation_bps, "Protection: max distance from the arrival price");
  e->add_option("--pricing", ex->pricing, "Child orders: passive or aggressive")
      ->default_val("aggressive")
      ->check(CLI::IsMember({"passive", "aggressive"}));
  e->add_option("--impact", ex->impact, "Square-root impact coefficient Y")->default_val(0.7);
  e->add_option("--participation", ex->participation, "Share of each bar's volume available")->default_val(0.25);
  e->add_flag("--study", ex->study, "Compare immediate, TWAP, VWAP and POV at 0.5%–20% of daily volume");
  add_format_option(e, ex->format);
  on_run(e, ctx, [ex] { return run_execute_command(*ex); });
}

}  // namespace ballast::cli
