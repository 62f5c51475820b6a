// `ballast analyze metrics`: performance metrics of an equity curve, optionally against a benchmark.

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <iostream>
#include <span>

#include "analyze_commands.hpp"
#include "ballast/analytics/benchmark_stats.hpp"
#include "ballast/analytics/performance.hpp"
#include "ballast/analytics/returns.hpp"
#include "ballast/backtest/annualisation.hpp"
#include "ballast/core/time.hpp"
#include "ballast/data/interval_estimator.hpp"
#include "market_input.hpp"

namespace ballast::cli {
namespace {

struct Curve {
  std::vector<core::UnixNanos> timestamps;
  std::vector<double> values;
  core::Duration interval{0};
};

// An equity file is either "timestamp,equity" (two columns, header optional) or any bar file (closes).
core::Result<Curve> read_curve(const std::string& path, data::BarTimestampLabel bar_time) {
  std::ifstream in(path);
  if (!in) return core::Error(core::ErrorCode::IoError, "cannot open file", path);
  std::string line;
  std::getline(in, line);
  if (std::count(line.begin(), line.end(), ',') != 1) {
    auto bars = load_bars(path, bar_time);
    if (!bars) return bars.error();
    Curve c;
    c.interval = data::annualisation_interval(bars->series.bars);
    for (const auto& b : bars->series.bars) {
      c.timestamps.push_back(b.ts_event);
      c.values.push_back(b.close.as_double());
    }
    return c;
  }
  Curve c;
  std::size_t line_no = 1;
  const auto parse_line = [&](const std::string& l) -> core::Status {
    const auto comma = l.find(',');
    if (comma == std::string::npos) {
      return core::Error(core::ErrorCode::ParseError, "expected 2 columns: timestamp,equity", fmt::format("{}:{}", path, line_no));
    }
    auto ts = core::parse_timestamp(std::string_view(l).substr(0, comma));
    if (!ts) return core::Error(core::ErrorCode::ParseError, ts.error().message(), fmt::format("{}:{}", path, line_no));
    std::string_view v = std::string_view(l).substr(comma + 1);
    while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.remove_suffix(1);
    double x = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(x) || x <= 0) {
      return core::Error(core::ErrorCode::ParseError, fmt::format("equity '{}' is not a positive number", v),
                         fmt::format("{}:{}", path, line_no));
    }
    if (!c.timestamps.empty() && *ts <= c.timestamps.back()) {
      return core::Error(core::ErrorCode::ParseError, "timestamps must be strictly increasing", fmt::format("{}:{}", path, line_no));
    }
    c.timestamps.push_back(*ts);
    c.values.push_back(x);
    return core::ok();
  };
  const bool header = !line.empty() && std::isalpha(static_cast<unsigned char>(line[0])) != 0;
  if (!header) BALLAST_TRY(parse_line(line));
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    BALLAST_TRY(parse_line(line));
  }
  if (c.values.size() < 2) return core::Error(core::ErrorCode::InvalidArgument, "needs at least 2 rows", path);
  // The most common step (gaps do not count); calendar months and the like by their mean step.
  c.interval = data::annualisation_interval(std::span<const core::UnixNanos>(c.timestamps));
  return c;
}

Cell stat_cell(const analytics::Statistic& s, int digits = 4) {
  if (s.is_defined()) return Cell(s.value(), digits);
  return Cell(s.to_string());
}

struct MetricsOptions {
  std::string equity;
  std::string benchmark;
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  std::string calendar = "auto";
  double risk_free = 0.0;
  std::string format = "table";
};

int run_metrics(const MetricsOptions& o) {
  auto curve = read_curve(o.equity, o.bar_time);
  if (!curve) return report(curve.error());
  auto n = backtest::periods_per_year(std::span<const core::UnixNanos>(curve->timestamps), o.calendar);
  if (!n) return report(n.error().with_context(o.equity));
  analytics::PerformanceConfig config;
  config.periods_per_year = *n;
  config.risk_free_per_period = o.risk_free / *n;
  auto s = analytics::summarize_equity_curve(curve->timestamps, curve->values, config);
  if (!s) return report(s.error().with_context(o.equity));

  Table t;
  t.title = fmt::format("{}: performance ({} periods of {}, {:.1f} periods/year)", o.equity, s->periods,
                        core::format_duration(curve->interval), *n);
  t.columns = {"metric", "value"};
  t.add_row({"total_return_pct", Cell(s->total_return * 100, 2)});
  const auto pct = [](const analytics::Statistic& st) {
    return st.is_defined() ? Cell(st.value() * 100, 2) : Cell(st.to_string());
  };
  t.add_row({"cagr_pct", pct(s->cagr)});
  t.add_row({"annual_volatility_pct", pct(s->annual_volatility)});
  t.add_row({"sharpe", stat_cell(s->sharpe_ratio, 3)});
  t.add_row({"sortino", stat_cell(s->sortino_ratio, 3)});
  t.add_row({"calmar", stat_cell(s->calmar_ratio, 3)});
  t.add_row({"omega", stat_cell(s->omega_ratio, 3)});
  t.add_row({"max_drawdown_pct", Cell(s->max_drawdown.depth * 100, 2)});
  if (s->max_drawdown_dates) {
    const auto& d = *s->max_drawdown_dates;
    t.add_row({"max_drawdown_peak", core::format_iso8601(d.peak)});
    t.add_row({"max_drawdown_trough", core::format_iso8601(d.trough)});
    t.add_row({"max_drawdown_recovery", d.recovery ? core::format_iso8601(*d.recovery) : std::string("not recovered")});
    t.add_row({"max_drawdown_duration", core::format_duration(d.duration)});
  }
  t.add_row({"ulcer_index", Cell(s->ulcer_index, 4)});
  t.add_row({"tail_ratio", stat_cell(s->tail_ratio, 3)});
  t.add_row({"skewness", stat_cell(s->skewness, 3)});
  t.add_row({"excess_kurtosis", stat_cell(s->excess_kurtosis, 3)});
  t.add_row({"best_period_pct", Cell(s->best_period.value * 100, 3)});
  t.add_row({"worst_period_pct", Cell(s->worst_period.value * 100, 3)});
  std::vector<Table> tables{std::move(t)};

  if (!o.benchmark.empty()) {
    auto bench = read_curve(o.benchmark, o.bar_time);
    if (!bench) return report(bench.error());
    // Align on common timestamps.
    std::vector<double> a;
    std::vector<double> b;
    std::size_t j = 0;
    for (std::size_t i = 0; i < curve->timestamps.size(); ++i) {
      while (j < bench->timestamps.size() && bench->timestamps[j] < curve->timestamps[i]) ++j;
      if (j < bench->timestamps.size() && bench->timestamps[j] == curve->timestamps[i]) {
        a.push_back(curve->values[i]);
        b.push_back(bench->values[j]);
      }
    }
    auto ra = analytics::simple_returns(a);
    auto rb = analytics::simple_returns(b);
    if (!ra) return report(ra.error().with_context(o.equity));
    if (!rb) return report(rb.error().with_context(o.benchmark));
    if (ra->size() < 2) {
      return report(core::Error(core::ErrorCode::InvalidArgument, "equity and benchmark share fewer than 3 timestamps",
                                "--benchmark"));
    }
    analytics::BenchmarkConfig bc;
    bc.periods_per_year = *n;
    bc.risk_free_per_period = config.risk_free_per_period;
    auto cmp = analytics::compare_with_benchmark(*ra, *rb, bc);
    if (!cmp) return report(cmp.error());
    Table bt;
    bt.title = fmt::format("against {} ({} common periods)", o.benchmark, ra->size());
    bt.columns = {"metric", "value"};
    bt.add_row({"alpha_annual_pct", pct(cmp->alpha)});
    bt.add_row({"beta", stat_cell(cmp->beta, 4)});
    bt.add_row({"correlation", stat_cell(cmp->correlation, 4)});
    bt.add_row({"tracking_error_pct", pct(cmp->tracking_error)});
    bt.add_row({"information_ratio", stat_cell(cmp->information_ratio, 3)});
    bt.add_row({"up_capture", stat_cell(cmp->up_capture, -4)});
    bt.add_row({"down_capture", stat_cell(cmp->down_capture, -4)});
    tables.push_back(std::move(bt));
  }
  print(tables, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

}  // namespace

void register_analyze_metrics_command(CLI::App& analyze, Context& ctx) {
  auto o = std::make_shared<MetricsOptions>();
  auto* cmd = analyze.add_subcommand("metrics", "Performance metrics of an equity curve (Sharpe, Sortino, drawdown, …)");
  cmd->add_option("--equity", o->equity, "CSV of timestamp,equity — or any bar file (its closes are used)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--benchmark", o->benchmark, "Benchmark curve in the same forms: alpha, beta, capture …")
      ->check(CLI::ExistingFile);
  add_bar_time_option(cmd, o->bar_time);
  cmd->add_option("--calendar", o->calendar, kCalendarHelp)
      ->default_val("auto")
      ->check(CLI::IsMember({"auto", "crypto", "equity", "observed"}));
  cmd->add_option("--risk-free", o->risk_free, "Annual risk-free rate as a fraction, e.g. 0.04")->default_val(0.0);
  add_format_option(cmd, o->format);
  on_run(cmd, ctx, [o] { return run_metrics(*o); });
}

}  // namespace ballast::cli
