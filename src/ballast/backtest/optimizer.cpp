#include "ballast/backtest/optimizer.hpp"

#include "ballast/analytics/random_stream.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/time.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <set>

namespace ballast::backtest {

namespace {

core::Error invalid(std::string message, std::string where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

core::Result<core::Decimal> number(std::string_view text, std::string_view context) {
  auto d = core::Decimal::parse(trim(text));
  if (!d) return invalid(fmt::format("'{}' in '{}' is not a number", text, context), std::string(context));
  return *d;
}

constexpr std::pair<Objective, std::string_view> kObjectives[] = {
    {Objective::Sharpe, "sharpe"},           {Objective::Sortino, "sortino"},
    {Objective::Calmar, "calmar"},           {Objective::TotalReturn, "total_return"},
    {Objective::Cagr, "cagr"},               {Objective::ProfitFactor, "profit_factor"},
    {Objective::WinRate, "win_rate"},        {Objective::Expectancy, "expectancy"},
    {Objective::MaxDrawdown, "max_drawdown"},
};

}  // namespace

core::Result<ParameterRange> parse_parameter_range(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return invalid(fmt::format("parameter range '{}' must be name=start:stop:step, name=value or name=a,b,c", text),
                   "range");
  }
  ParameterRange range;
  range.name = std::string(trim(text.substr(0, eq)));
  const std::string_view spec = text.substr(eq + 1);
  if (spec.find(':') != std::string_view::npos) {
    const auto c1 = spec.find(':');
    const auto c2 = spec.find(':', c1 + 1);
    if (c2 == std::string_view::npos) return invalid(fmt::format("'{}' needs start:stop:step", text), range.name);
    auto start_r = number(spec.substr(0, c1), text);
    if (!start_r) return start_r.error();
    const core::Decimal start = *start_r;
    auto stop_r = number(spec.substr(c1 + 1, c2 - c1 - 1), text);
    if (!stop_r) return stop_r.error();
    const core::Decimal stop = *stop_r;
    auto step_r = number(spec.substr(c2 + 1), text);
    if (!step_r) return step_r.error();
    const core::Decimal step = *step_r;
    if (!step.is_positive()) return invalid(fmt::format("step in '{}' must be > 0", text), range.name);
    if (stop < start) return invalid(fmt::format("stop is below start in '{}'", text), range.name);
    for (core::Decimal v = start; v <= stop; v += step) {
      range.values.push_back(v.to_double());
      if (range.values.size() > 100'000) return invalid(fmt::format("'{}' has over 100000 values", text), range.name);
    }
  } else {
    std::string_view rest = spec;
    while (true) {
      const auto comma = rest.find(',');
      auto v_r = number(rest.substr(0, comma), text);
      if (!v_r) return v_r.error();
      const core::Decimal v = *v_r;
      range.values.push_back(v.to_double());
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  }
  if (range.values.empty()) return invalid(fmt::format("'{}' gives no values", text), range.name);
  return range;
}

core::Result<std::vector<ParameterSet>> grid_search_space(std::span<const ParameterRange> ranges, std::size_t limit) {
  std::size_t total = 1;
  for (const auto& r : ranges) {
    if (r.values.empty()) return invalid(fmt::format("range {} has no values", r.name), r.name);
    if (total > limit / r.values.size()) {
      return invalid(fmt::format("the grid has more than {} combinations; narrow the ranges or use random search", limit),
                     "grid");
    }
    total *= r.values.size();
  }
  std::vector<ParameterSet> out;
  out.reserve(total);
  for (std::size_t index = 0; index < total; ++index) {
    ParameterSet set(ranges.size());
    std::size_t rest = index;
    for (std::size_t k = ranges.size(); k-- > 0;) {
      set[k] = {ranges[k].name, ranges[k].values[rest % ranges[k].values.size()]};
      rest /= ranges[k].values.size();
    }
    out.push_back(std::move(set));
  }
  return out;
}

core::Result<std::vector<ParameterSet>> random_search_space(std::span<const ParameterRange> ranges, std::size_t count,
                                                            std::uint64_t seed) {
  double size = 1.0;
  for (const auto& r : ranges) {
    if (r.values.empty()) return invalid(fmt::format("range {} has no values", r.name), r.name);
    size *= static_cast<double>(r.values.size());
  }
  if (size <= static_cast<double>(count)) return grid_search_space(ranges, count);
  analytics::RandomStream random(seed);
  std::set<std::vector<std::size_t>> seen;
  std::vector<ParameterSet> out;
  while (out.size() < count) {
    std::vector<std::size_t> pick;
    for (const auto& r : ranges) {
      pick.push_back(std::min(r.values.size() - 1,
                              static_cast<std::size_t>(random.uniform() * static_cast<double>(r.values.size()))));
    }
    if (!seen.insert(pick).second) continue;
    ParameterSet set;
    for (std::size_t k = 0; k < ranges.size(); ++k) set.emplace_back(ranges[k].name, ranges[k].values[pick[k]]);
    out.push_back(std::move(set));
  }
  return out;
}

std::string describe(const ParameterSet& parameters) {
  std::string s;
  for (const auto& [name, value] : parameters) s += fmt::format("{}{}={:g}", s.empty() ? "" : " ", name, value);
  return s;
}

std::string_view to_string(Objective objective) noexcept {
  for (const auto& [o, name] : kObjectives) {
    if (o == objective) return name;
  }
  return "unknown";
}

core::Result<Objective> parse_objective(std::string_view name) {
  for (const auto& [o, n] : kObjectives) {
    if (n == name) return o;
  }
  std::string known;
  for (const auto& [o, n] : kObjectives) known += (known.empty() ? "" : ", ") + std::string(n);
  return core::Error(core::ErrorCode::NotFound, fmt::format("unknown objective '{}'; known: {}", name, known),
                     "objective");
}

std::optional<double> objective_value(Objective objective, const RunMetrics& m) {
  switch (objective) {
    case Objective::Sharpe: return m.performance.sharpe_ratio.as_optional();
    case Objective::Sortino: return m.performance.sortino_ratio.as_optional();
    case Objective::Calmar: return m.performance.calmar_ratio.as_optional();
    case Objective::TotalReturn: return m.performance.total_return;
    case Objective::Cagr: return m.performance.cagr.as_optional();
    case Objective::ProfitFactor: return m.trades.profit_factor.as_optional();
    case Objective::WinRate: return m.trades.win_rate.as_optional();
    case Objective::Expectancy: return m.trades.expectancy.as_optional();
    case Objective::MaxDrawdown: return m.performance.max_drawdown.depth;
  }
  return std::nullopt;
}

std::optional<double> metric_value(std::string_view metric, const RunMetrics& m, const RiskActivity& risk) {
  if (metric == "max_drawdown") return -m.performance.max_drawdown.depth;
  if (metric == "trades") return static_cast<double>(m.trades.count);
  if (metric == "breaker_trips") return static_cast<double>(risk.breaker_trips);
  if (metric == "denied_orders") return static_cast<double>(risk.denied_orders);
  if (metric == "annual_volatility") return m.performance.annual_volatility.as_optional();
  const auto objective = parse_objective(metric);
  if (!objective) return std::nullopt;
  return objective_value(*objective, m);
}

core::Result<Constraint> parse_constraint(std::string_view text) {
  Constraint c;
  std::size_t op = text.find("<=");
  c.at_most = true;
  if (op == std::string_view::npos) {
    op = text.find(">=");
    c.at_most = false;
  }
  if (op == std::string_view::npos || op == 0) {
    return invalid(fmt::format("constraint '{}' must be metric<=value or metric>=value", text), "constraint");
  }
  c.metric = std::string(trim(text.substr(0, op)));
  const std::string_view value = trim(text.substr(op + 2));
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), c.value);
  if (ec != std::errc() || ptr != value.data() + value.size() || value.empty()) {
    return invalid(fmt::format("'{}' in constraint '{}' is not a number", value, text), "constraint");
  }
  if (c.metric != "max_drawdown" && c.metric != "trades" && c.metric != "annual_volatility" &&
      c.metric != "breaker_trips" && c.metric != "denied_orders" && !parse_objective(c.metric)) {
    std::string known = "max_drawdown, trades, annual_volatility, breaker_trips, denied_orders";
    for (const auto& [o, n] : kObjectives) {
      if (o != Objective::MaxDrawdown) known += ", " + std::string(n);
    }
    return invalid(fmt::format("unknown metric '{}' in constraint '{}'; known: {}", c.metric, text, known), "constraint");
  }
  return c;
}

core::Result<std::vector<Evaluation>> optimise(std::span<const ParameterSet> candidates, const Evaluator& evaluate,
                                               const OptimisationOptions& options) {
  if (options.jobs < 1) return invalid(fmt::format("jobs must be >= 1, got {}", options.jobs), "jobs");
  if (candidates.empty()) return invalid("nothing to optimise: no parameter combinations", "candidates");
  std::vector<Evaluation> results(candidates.size());
  std::atomic<std::size_t> done{0};
  const auto one = [&](std::size_t i) {
    Evaluation& e = results[i];
    e.parameters = candidates[i];
    auto run = evaluate(candidates[i]);
    if (!run) {
      e.error = run.error().message();
    } else {
      e.objective = objective_value(options.objective, run->metrics);
      e.feasible = true;
      for (const auto& c : options.constraints) {
        const auto v = metric_value(c.metric, run->metrics, run->risk);
        const bool ok = v && (c.at_most ? *v <= c.value : *v >= c.value);
        if (!ok) {
          e.feasible = false;
          e.failed_constraint = fmt::format("{}{}{:g}", c.metric, c.at_most ? "<=" : ">=", c.value);
          break;
        }
      }
      e.metrics = std::move(run->metrics);
      e.risk = run->risk;
    }
    const std::size_t n = ++done;
    if (options.progress) options.progress(n, candidates.size());
  };
  tbb::task_arena arena(options.jobs);
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, candidates.size(), 1), [&](const auto& range) {
      for (std::size_t i = range.begin(); i != range.end(); ++i) one(i);
    });
  });
  const auto rank = [](const Evaluation& e) {
    if (!e.error.empty()) return 3;
    if (!e.feasible) return 2;
    return e.objective ? 0 : 1;
  };
  std::stable_sort(results.begin(), results.end(), [&](const Evaluation& a, const Evaluation& b) {
    const int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    if (ra == 0) return *a.objective > *b.objective;
    return false;
  });
  return results;
}

std::string evaluations_to_csv(std::span<const Evaluation> ranked, Objective objective) {
  std::string out = "rank";
  if (!ranked.empty()) {
    for (const auto& [name, v] : ranked.front().parameters) out += "," + name;
  }
  // The objective's own column, unless it is one of the columns every file has (a name twice breaks readers).
  const bool own_column = objective != Objective::TotalReturn && objective != Objective::MaxDrawdown;
  if (own_column) out += fmt::format(",{}", to_string(objective));
  out += ",total_return,max_drawdown,trades,denied_orders,breaker_trips,feasible,note\n";
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto& e = ranked[i];
    out += std::to_string(i + 1);
    for (const auto& [name, v] : e.parameters) out += fmt::format(",{:g}", v);
    const auto opt = [](std::optional<double> v) { return v ? fmt::format("{:.6g}", *v) : std::string(); };
    if (own_column) out += "," + opt(e.objective);
    if (e.metrics && e.risk) {
      out += fmt::format(",{:.6g},{:.6g},{},{},{}", e.metrics->performance.total_return,
                         e.metrics->performance.max_drawdown.depth, e.metrics->trades.count, e.risk->denied_orders,
                         e.risk->breaker_trips);
    } else {
      out += ",,,,,";
    }
    std::string note = !e.error.empty() ? e.error : e.failed_constraint;
    std::replace(note.begin(), note.end(), ',', ';');
    std::replace(note.begin(), note.end(), '\n', ' ');
    out += fmt::format(",{},{}\n", e.feasible ? "true" : "false", note);
  }
  return out;
}

std::string evaluations_to_json(std::span<const Evaluation> ranked, Objective objective) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto& e = ranked[i];
    nlohmann::json p = nlohmann::json::object();
    for (const auto& [name, v] : e.parameters) p[name] = v;
    nlohmann::json row = {{"rank", i + 1}, {"parameters", p}, {"feasible", e.feasible}};
    row[std::string(to_string(objective))] = e.objective ? nlohmann::json(*e.objective) : nlohmann::json(nullptr);
    if (e.metrics) {
      row["total_return"] = e.metrics->performance.total_return;
      row["max_drawdown"] = e.metrics->performance.max_drawdown.depth;
      row["trades"] = e.metrics->trades.count;
    }
    if (e.risk) {
      row["denied_orders"] = e.risk->denied_orders;
      row["breaker_trips"] = e.risk->breaker_trips;
    }
    if (!e.failed_constraint.empty()) row["failed_constraint"] = e.failed_constraint;
    if (!e.error.empty()) row["error"] = e.error;
    out.push_back(std::move(row));
  }
  return out.dump(2);
}

core::Result<WalkForwardOptions> walk_forward_windows(std::string_view ratio, std::size_t bars, std::size_t folds) {
  const auto colon = ratio.find(':');
  std::size_t in = 0, out = 0;
  const auto parse = [](std::string_view s, std::size_t& v) {
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && ptr == s.data() + s.size() && v > 0;
  };
  if (colon == std::string_view::npos || !parse(ratio.substr(0, colon), in) || !parse(ratio.substr(colon + 1), out)) {
    return invalid(fmt::format("walk-forward ratio '{}' must be IN:OUT with positive whole numbers, e.g. 6:1", ratio),
                   "walk_forward");
  }
  if (folds < 1) return invalid("walk-forward needs at least one fold", "folds");
  // in·k + folds·out·k bars must fit: k = bars / (in + folds·out).
  const std::size_t unit = bars / (in + folds * out);
  if (unit == 0) {
    return invalid(fmt::format("{} bars are too few for {} folds at {}", bars, folds, ratio), "walk_forward");
  }
  return WalkForwardOptions{in * unit, out * unit};
}

core::Result<WalkForwardResult> walk_forward(std::size_t bars, std::span<const ParameterSet> candidates,
                                             const WindowEvaluator& evaluate, const WalkForwardOptions& windows,
                                             const OptimisationOptions& options) {
  if (windows.in_sample == 0 || windows.out_of_sample == 0) {
    return invalid("walk-forward windows must be positive", "walk_forward");
  }
  if (windows.in_sample + windows.out_of_sample > bars) {
    return invalid(fmt::format("{} + {} bars of windows exceed the {} bars of data", windows.in_sample,
                               windows.out_of_sample, bars),
                   "walk_forward");
  }
  WalkForwardResult result;
  double in_sum = 0.0, out_sum = 0.0;
  std::size_t defined = 0;
  for (std::size_t start = 0; start + windows.in_sample + windows.out_of_sample <= bars;
       start += windows.out_of_sample) {
    WalkForwardFold fold;
    fold.in_begin = start;
    fold.in_end = start + windows.in_sample;
    fold.out_begin = fold.in_end;
    fold.out_end = fold.out_begin + windows.out_of_sample;
    const Evaluator in_sample = [&](const ParameterSet& p) {
      return evaluate(p, BarWindow{fold.in_begin, fold.in_begin, fold.in_end});
    };
    auto ranked = optimise(candidates, in_sample, options);
    if (!ranked) return ranked.error();
    const Evaluation& best = ranked->front();
    if (!best.error.empty()) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("walk-forward fold at bars {}–{}: every evaluation failed ({})", fold.in_begin,
                                     fold.in_end, best.error),
                         "walk_forward");
    }
    fold.best = best.parameters;
    fold.in_sample_objective = best.objective;
    // Out of sample the strategy starts with its indicators warmed on the in-sample bars (as a desk that
    // switches parameters at out_begin would); a cold start would spend the first `slow` bars of every
    // out-of-sample window warming up, flat.
    auto oos = evaluate(best.parameters, BarWindow{fold.in_begin, fold.out_begin, fold.out_end});
    if (!oos) return oos.error().with_context(fmt::format("walk-forward out-of-sample {}–{}", fold.out_begin, fold.out_end));
    fold.out_of_sample_objective = objective_value(options.objective, oos->metrics);
    // Chain: scale this fold's curve so it starts where the stitched curve ends.
    if (!oos->equity.empty() && oos->equity.front().equity > 0.0) {
      const double scale = result.stitched_equity.empty() ? 1.0
                                                          : result.stitched_equity.back().equity / oos->equity.front().equity;
      for (std::size_t k = result.stitched_equity.empty() ? 0 : 1; k < oos->equity.size(); ++k) {
        result.stitched_equity.push_back({oos->equity[k].ts, oos->equity[k].equity * scale});
      }
    }
    if (fold.in_sample_objective && fold.out_of_sample_objective) {
      in_sum += *fold.in_sample_objective;
      out_sum += *fold.out_of_sample_objective;
      ++defined;
    }
    fold.out_of_sample = std::move(oos->metrics);
    fold.out_of_sample_risk = oos->risk;
    result.folds.push_back(std::move(fold));
  }
  if (defined > 0 && in_sum != 0.0) {
    result.efficiency = (out_sum / static_cast<double>(defined)) / (in_sum / static_cast<double>(defined));
  }
  return result;
}

namespace {

// The start of the first and of the last bar of [begin, end), or empty strings without bar starts.
std::pair<std::string, std::string> window_dates(std::span<const core::UnixNanos> starts, std::size_t begin,
                                                 std::size_t end) {
  if (end == 0 || end > starts.size() || begin >= end) return {};
  return {core::format_iso8601(starts[begin]), core::format_iso8601(starts[end - 1])};
}

}  // namespace

std::string walk_forward_to_csv(const WalkForwardResult& result, Objective objective,
                                std::span<const core::UnixNanos> bar_starts) {
  std::string out = "fold,in_begin,in_end,out_begin,out_end,in_first,in_last,out_first,out_last";
  if (!result.folds.empty()) {
    for (const auto& [name, v] : result.folds.front().best) out += "," + name;
  }
  out += fmt::format(
      ",in_sample_{0},out_of_sample_{0},oos_total_return,oos_max_drawdown,oos_trades,oos_denied_orders,"
      "oos_breaker_trips\n",
      to_string(objective));
  const auto opt = [](std::optional<double> v) { return v ? fmt::format("{:.6g}", *v) : std::string(); };
  for (std::size_t i = 0; i < result.folds.size(); ++i) {
    const auto& f = result.folds[i];
    const auto [in_first, in_last] = window_dates(bar_starts, f.in_begin, f.in_end);
    const auto [out_first, out_last] = window_dates(bar_starts, f.out_begin, f.out_end);
    out += fmt::format("{},{},{},{},{},{},{},{},{}", i + 1, f.in_begin, f.in_end, f.out_begin, f.out_end, in_first,
                       in_last, out_first, out_last);
    for (const auto& [name, v] : f.best) out += fmt::format(",{:g}", v);
    out += fmt::format(",{},{}", opt(f.in_sample_objective), opt(f.out_of_sample_objective));
    if (f.out_of_sample && f.out_of_sample_risk) {
      out += fmt::format(",{:.6g},{:.6g},{},{},{}\n", f.out_of_sample->performance.total_return,
                         f.out_of_sample->performance.max_drawdown.depth, f.out_of_sample->trades.count,
                         f.out_of_sample_risk->denied_orders, f.out_of_sample_risk->breaker_trips);
    } else {
      out += ",,,,,\n";
    }
  }
  return out;
}

std::string walk_forward_to_json(const WalkForwardResult& result, const WalkForwardOptions& windows,
                                 Objective objective, std::span<const core::UnixNanos> bar_starts) {
  const auto opt = [](std::optional<double> v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json folds = nlohmann::json::array();
  for (std::size_t i = 0; i < result.folds.size(); ++i) {
    const auto& f = result.folds[i];
    nlohmann::json best = nlohmann::json::object();
    for (const auto& [name, v] : f.best) best[name] = v;
    nlohmann::json row = {{"fold", i + 1},
                          {"in_sample", {{"begin", f.in_begin}, {"end", f.in_end}}},
                          {"out_of_sample", {{"begin", f.out_begin}, {"end", f.out_end}}},
                          {"best", best},
                          {"in_sample_objective", opt(f.in_sample_objective)},
                          {"out_of_sample_objective", opt(f.out_of_sample_objective)}};
    if (const auto [first, last] = window_dates(bar_starts, f.in_begin, f.in_end); !first.empty()) {
      row["in_sample"]["first_bar"] = first;
      row["in_sample"]["last_bar"] = last;
    }
    if (const auto [first, last] = window_dates(bar_starts, f.out_begin, f.out_end); !first.empty()) {
      row["out_of_sample"]["first_bar"] = first;
      row["out_of_sample"]["last_bar"] = last;
    }
    if (f.out_of_sample) {
      row["out_of_sample"]["total_return"] = f.out_of_sample->performance.total_return;
      row["out_of_sample"]["max_drawdown"] = f.out_of_sample->performance.max_drawdown.depth;
      row["out_of_sample"]["trades"] = f.out_of_sample->trades.count;
    }
    if (f.out_of_sample_risk) {
      row["out_of_sample"]["denied_orders"] = f.out_of_sample_risk->denied_orders;
      row["out_of_sample"]["breaker_trips"] = f.out_of_sample_risk->breaker_trips;
    }
    folds.push_back(std::move(row));
  }
  nlohmann::json equity = nlohmann::json::array();
  for (const auto& e : result.stitched_equity) {
    equity.push_back({{"ts", core::format_iso8601(e.ts)}, {"equity", e.equity}});
  }
  const nlohmann::json out = {{"objective", to_string(objective)},
                              {"in_sample_bars", windows.in_sample},
                              {"out_of_sample_bars", windows.out_of_sample},
                              {"efficiency", opt(result.efficiency)},
                              {"folds", std::move(folds)},
                              {"stitched_equity", std::move(equity)}};
  return out.dump(2);
}

}  // namespace ballast::backtest
