#include "ballast/backtest/backtest_report.hpp"

#include "ballast/analytics/drawdown.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

namespace ballast::backtest {

namespace {

constexpr std::int64_t kDay = 86'400'000'000'000;
constexpr const char* kPalette[] = {"#4e9af1", "#f1a94e", "#5cc98a", "#d66ad6", "#e35d5d", "#c9c95c", "#5cc9c9"};

core::CivilDate date_of(core::UnixNanos t) { return core::civil_from_days(core::floor_div(t.value, kDay)); }

std::string date_text(core::UnixNanos t) { return core::format_iso8601(t).substr(0, 10); }

std::string pct(double v, int places = 2) { return fmt::format("{:.{}f}%", 100.0 * v, places); }

std::string stat_text(const analytics::Statistic& s, bool percent = false) {
  if (!s.is_defined()) return fmt::format("— ({})", analytics::to_string(s.reason()));
  return percent ? pct(s.value()) : fmt::format("{:.3f}", s.value());
}

// ---- SVG -------------------------------------------------------------------------------------------

struct Series {
  std::string label;
  std::string color;
  std::vector<std::pair<double, double>> points;  // x = ns since epoch, y
  bool area{false};
};

// At most `limit` points: each bucket keeps its first, lowest and highest sample, in time order.
std::vector<std::pair<double, double>> thin(const std::vector<std::pair<double, double>>& pts, std::size_t limit) {
  if (pts.size() <= limit) return pts;
  const std::size_t buckets = limit / 3;
  std::vector<std::pair<double, double>> out;
  out.reserve(buckets * 3 + 1);
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t lo = b * pts.size() / buckets;
    const std::size_t hi = (b + 1) * pts.size() / buckets;
    if (lo >= hi) continue;
    std::size_t mn = lo, mx = lo;
    for (std::size_t i = lo; i < hi; ++i) {
      if (pts[i].second < pts[mn].second) mn = i;
      if (pts[i].second > pts[mx].second) mx = i;
    }
    std::vector<std::size_t> keep = {lo, mn, mx};
    std::sort(keep.begin(), keep.end());
    keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
    for (std::size_t i : keep) out.push_back(pts[i]);
  }
  out.push_back(pts.back());
  return out;
}

struct Frame {
  double x0, x1, y0, y1;
  double width = 960, height = 260, left = 70, right = 20, top = 20, bottom = 30;
  double step = 0;  // between gridlines; the frame's y0 and y1 are multiples of it
  double sx(double x) const { return left + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * (width - left - right); }
  double sy(double y) const { return top + (y1 > y0 ? (y1 - y) / (y1 - y0) : 0.5) * (height - top - bottom); }
};

}  // namespace

// The step of 3 to 6 gridlines over `span`: 1, 2, 2.5 or 5 × 10^k.
double nice_step(double span) {
  if (!(span > 0.0) || !std::isfinite(span)) return 1.0;
  const double raw = span / 5.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 2.5, 5.0}) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10.0 * magnitude;
}

namespace {

// Digits after the point that show a multiple of `step` exactly (2.5 → 1, 0.25 → 2, 2000 → 0).
int decimals_for(double step) {
  for (int d = 0; d <= 10; ++d) {
    const double scaled = step * std::pow(10.0, d);
    if (std::abs(scaled - std::round(scaled)) < 1e-9 * std::max(1.0, scaled)) return d;
  }
  return 10;
}

// Gridlines at the multiples of a nice step inside the frame (the frame is widened to whole steps first).
std::string axes(const Frame& f, const std::string& y_format) {
  std::string s;
  const double step = f.step > 0 ? f.step : nice_step(f.y1 - f.y0);
  const int places = y_format == "pct" ? std::max(0, decimals_for(step * 100.0)) : decimals_for(step);
  for (double y = std::ceil(f.y0 / step - 1e-9) * step; y <= f.y1 + step * 1e-9; y += step) {
    const double py = f.sy(y);
    s += fmt::format("<line x1='{:.1f}' y1='{:.1f}' x2='{:.1f}' y2='{:.1f}' class='grid'/>", f.left, py,
                     f.width - f.right, py);
    const double shown = std::abs(y) < step * 1e-9 ? 0.0 : y;  // no "-0"
    const std::string label = y_format == "pct" ? pct(shown, places) : fmt::format("{:.{}f}", shown, places);
    s += fmt::format("<text x='{:.1f}' y='{:.1f}' class='ylab'>{}</text>", f.left - 6, py + 4, label);
  }
  for (int i = 0; i <= 4; ++i) {
    const double x = f.x0 + (f.x1 - f.x0) * i / 4.0;
    // The last date ends at the plot's right edge (centred, it ran past the chart).
    s += fmt::format("<text x='{:.1f}' y='{:.1f}' class='xlab{}'>{}</text>", f.sx(x), f.height - 8, i == 4 ? " end" : "",
                     date_text(core::UnixNanos(static_cast<std::int64_t>(x))));
  }
  return s;
}

std::string line_chart(const std::vector<Series>& series, const std::string& y_format,
                       const std::vector<TradeMarker>& markers = {}) {
  Frame f{std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
          std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()};
  for (const auto& s : series) {
    for (const auto& [x, y] : s.points) {
      f.x0 = std::min(f.x0, x), f.x1 = std::max(f.x1, x);
      f.y0 = std::min(f.y0, y), f.y1 = std::max(f.y1, y);
    }
  }
  if (f.x0 > f.x1) return "<p class='muted'>no data</p>";
  if (series.size() == 1 && series[0].area) f.y1 = std::max(f.y1, 0.0);
  if (f.y1 == f.y0) f.y0 -= std::max(1e-9, std::abs(f.y0) * 0.01), f.y1 += std::max(1e-9, std::abs(f.y1) * 0.01);
  // Out to whole gridline steps: the lowest and highest gridlines frame the data.
  f.step = nice_step(f.y1 - f.y0);
  f.y0 = std::floor(f.y0 / f.step + 1e-9) * f.step;
  f.y1 = std::ceil(f.y1 / f.step - 1e-9) * f.step;
  std::string svg = fmt::format("<svg viewBox='0 0 {} {}' class='chart' role='img'>", f.width, f.height);
  svg += axes(f, y_format);
  for (const auto& s : series) {
    const auto pts = thin(s.points, 1500);
    std::string path;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      path += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "M" : " L", f.sx(pts[i].first), f.sy(pts[i].second));
    }
    if (s.area && !pts.empty()) {
      const std::string closed = path + fmt::format(" L{:.1f},{:.1f} L{:.1f},{:.1f} Z", f.sx(pts.back().first),
                                                    f.sy(0.0), f.sx(pts.front().first), f.sy(0.0));
      svg += fmt::format("<path d='{}' fill='{}' fill-opacity='0.35' stroke='none'/>", closed, s.color);
    }
    svg += fmt::format("<path d='{}' fill='none' stroke='{}' stroke-width='1.4'/>", path, s.color);
  }
  for (const auto& m : markers) {
    const double x = f.sx(static_cast<double>(m.ts.value));
    const double y = f.sy(m.price);
    const bool up = m.side == model::OrderSide::Buy;
    const std::string color = m.entry ? (up ? "#5cc98a" : "#e35d5d") : "#d0d0d0";
    svg += up ? fmt::format("<path d='M{:.1f},{:.1f} l5,9 l-10,0 Z' fill='{}'><title>{} {} @ {:.6g}</title></path>", x,
                            y, color, m.entry ? "entry" : "exit", "BUY", m.price)
              : fmt::format("<path d='M{:.1f},{:.1f} l5,-9 l-10,0 Z' fill='{}'><title>{} {} @ {:.6g}</title></path>", x,
                            y, color, m.entry ? "entry" : "exit", "SELL", m.price);
  }
  svg += "</svg>";
  std::string legend = "<div class='legend'>";
  for (const auto& s : series) {
    legend += fmt::format("<span><i style='background:{}'></i>{}</span>", s.color, html_escape(s.label));
  }
  return svg + legend + "</div>";
}

std::string heat_color(double v, double scale) {
  const double t = scale > 0.0 ? std::clamp(v / scale, -1.0, 1.0) : 0.0;
  const int a = static_cast<int>(std::lround(std::abs(t) * 200.0)) + 30;
  return t >= 0.0 ? fmt::format("rgba(60,180,110,{:.2f})", a / 255.0) : fmt::format("rgba(220,80,80,{:.2f})", a / 255.0);
}

std::string monthly_table(const std::vector<MonthlyReturn>& months) {
  if (months.empty()) return "<p class='muted'>no complete months</p>";
  std::map<int, std::array<std::optional<double>, 12>> rows;
  double scale = 0.0;
  for (const auto& m : months) {
    rows[m.year][static_cast<std::size_t>(m.month - 1)] = m.value;
    scale = std::max(scale, std::abs(m.value));
  }
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string s = "<table class='heat'><tr><th></th>";
  for (const char* m : kMonths) s += fmt::format("<th>{}</th>", m);
  s += "<th>Year</th></tr>";
  for (const auto& [year, values] : rows) {
    s += fmt::format("<tr><th>{}</th>", year);
    double compounded = 1.0;
    for (const auto& v : values) {
      if (v) {
        compounded *= 1.0 + *v;
        s += fmt::format("<td style='background:{}'>{}</td>", heat_color(*v, scale), pct(*v, 1));
      } else {
        s += "<td></td>";
      }
    }
    s += fmt::format("<td><b>{}</b></td></tr>", pct(compounded - 1.0, 1));
  }
  return s + "</table>";
}

std::string parameter_heatmap(const ParameterHeatmap& h) {
  double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
  for (const auto& v : h.values) {
    if (v) lo = std::min(lo, *v), hi = std::max(hi, *v);
  }
  std::string s = fmt::format("<p>{} by {} (rows) and {} (columns)</p><table class='heat'><tr><th>{} \\ {}</th>",
                              html_escape(h.objective), html_escape(h.y_name), html_escape(h.x_name),
                              html_escape(h.y_name), html_escape(h.x_name));
  for (double x : h.x_values) s += fmt::format("<th>{:g}</th>", x);
  s += "</tr>";
  for (std::size_t yi = 0; yi < h.y_values.size(); ++yi) {
    s += fmt::format("<tr><th>{:g}</th>", h.y_values[yi]);
    for (std::size_t xi = 0; xi < h.x_values.size(); ++xi) {
      const std::size_t k = yi * h.x_values.size() + xi;
      const auto& v = k < h.values.size() ? h.values[k] : std::optional<double>{};
      if (!v) {
        s += "<td class='muted'>—</td>";
        continue;
      }
      const double mid = (lo + hi) / 2.0;
      s += fmt::format("<td style='background:{}'>{:.3g}</td>", heat_color(*v - mid, (hi - lo) / 2.0), *v);
    }
    s += "</tr>";
  }
  return s + "</table>";
}

// ---- metrics ---------------------------------------------------------------------------------------

using Row = std::pair<std::string, std::vector<std::string>>;

std::vector<Row> metric_rows(const std::vector<RunMetrics>& metrics, const std::vector<BacktestRun>& runs) {
  std::vector<Row> rows;
  const auto add = [&](std::string label, auto&& cell) {
    Row r{std::move(label), {}};
    for (std::size_t i = 0; i < metrics.size(); ++i) r.second.push_back(cell(metrics[i], runs[i]));
    rows.push_back(std::move(r));
  };
  using M = const RunMetrics&;
  using B = const BacktestRun&;
  add("Start", [](M, B b) { return date_text(b.equity.front().ts); });
  add("End", [](M, B b) { return date_text(b.equity.back().ts); });
  add("Initial equity", [](M, B b) { return fmt::format("{:.2f}", b.initial_equity); });
  add("Final equity", [](M, B b) { return fmt::format("{:.2f}", b.equity.back().equity); });
  add("Total return", [](M m, B) { return pct(m.performance.total_return); });
  add("Benchmark return (buy and hold)",
      [](M m, B) { return m.benchmark ? pct(m.benchmark->total_return) : std::string("—"); });
  add("CAGR", [](M m, B) { return stat_text(m.performance.cagr, true); });
  add("Annual volatility", [](M m, B) { return stat_text(m.performance.annual_volatility, true); });
  add("Sharpe", [](M m, B) { return stat_text(m.performance.sharpe_ratio); });
  add("Sortino", [](M m, B) { return stat_text(m.performance.sortino_ratio); });
  add("Calmar", [](M m, B) { return stat_text(m.performance.calmar_ratio); });
  add("Omega", [](M m, B) { return stat_text(m.performance.omega_ratio); });
  add("Max drawdown", [](M m, B) { return pct(m.performance.max_drawdown.depth); });
  add("Max drawdown peak → trough", [](M m, B) {
    return m.performance.max_drawdown_dates ? date_text(m.performance.max_drawdown_dates->peak) + " → " +
                                                  date_text(m.performance.max_drawdown_dates->trough)
                                            : std::string("—");
  });
  add("Max drawdown recovered", [](M m, B) {
    if (!m.performance.max_drawdown_dates) return std::string("—");
    const auto& r = m.performance.max_drawdown_dates->recovery;
    return r ? date_text(*r) : std::string("not recovered");
  });
  add("Ulcer index", [](M m, B) { return fmt::format("{:.4f}", m.performance.ulcer_index); });
  add("Tail ratio", [](M m, B) { return stat_text(m.performance.tail_ratio); });
  add("Skew", [](M m, B) { return stat_text(m.performance.skewness); });
  add("Excess kurtosis", [](M m, B) { return stat_text(m.performance.excess_kurtosis); });
  add("Best period", [](M m, B) { return pct(m.performance.best_period.value); });
  add("Worst period", [](M m, B) { return pct(m.performance.worst_period.value); });
  add("Trades", [](M m, B) { return std::to_string(m.trades.count); });
  add("Win rate", [](M m, B) { return stat_text(m.trades.win_rate, true); });
  add("Profit factor", [](M m, B) { return stat_text(m.trades.profit_factor); });
  add("Average win", [](M m, B) { return stat_text(m.trades.average_win); });
  add("Average loss", [](M m, B) { return stat_text(m.trades.average_loss); });
  add("Payoff ratio", [](M m, B) { return stat_text(m.trades.payoff_ratio); });
  add("Expectancy", [](M m, B) { return stat_text(m.trades.expectancy); });
  add("Largest win", [](M m, B) { return stat_text(m.trades.largest_win); });
  add("Largest loss", [](M m, B) { return stat_text(m.trades.largest_loss); });
  add("Max consecutive wins", [](M m, B) { return std::to_string(m.trades.max_consecutive_wins); });
  add("Max consecutive losses", [](M m, B) { return std::to_string(m.trades.max_consecutive_losses); });
  add("Average holding time", [](M m, B) {
    if (!m.trades.average_holding_time) return std::string("—");
    // As the dashboard shows it: an average is rarely a whole number of any unit (it printed 2873353846153846ns).
    const double seconds = std::chrono::duration<double>(*m.trades.average_holding_time).count();
    if (seconds < 120.0) return fmt::format("{:.0f} s", seconds);
    if (seconds < 7200.0) return fmt::format("{:.1f} min", seconds / 60.0);
    if (seconds < 172800.0) return fmt::format("{:.1f} h", seconds / 3600.0);
    return fmt::format("{:.1f} d", seconds / 86400.0);
  });
  add("Exposure time", [](M m, B) { return stat_text(m.trades.exposure, true); });
  add("Fees", [](M m, B) { return fmt::format("{:.2f}", m.trades.total_fees); });
  return rows;
}

const char* kStyle = R"(
body{background:#14161a;color:#d8dbe0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px}
h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #2a2e35;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}td,th{padding:4px 10px;border-bottom:1px solid #262a31;text-align:right}
th:first-child,td:first-child{text-align:left}.muted{color:#7d848f}
.chart{width:100%;max-width:1000px;background:#181b20}.grid{stroke:#2a2e35;stroke-width:1}
.ylab{fill:#8b929c;font-size:11px;text-anchor:end}.xlab{fill:#8b929c;font-size:11px;text-anchor:middle}.xlab.end{text-anchor:end}
.legend span{margin-right:16px;font-size:12px}.legend i{display:inline-block;width:12px;height:3px;margin-right:6px;vertical-align:middle}
.heat td{min-width:52px;text-align:center}
)";

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<MonthlyReturn> monthly_returns(std::span<const EquitySample> equity) {
  std::vector<MonthlyReturn> out;
  if (equity.size() < 2) return out;
  double base = equity.front().equity;
  core::CivilDate current = date_of(equity.front().ts);
  double last = equity.front().equity;
  for (std::size_t i = 1; i < equity.size(); ++i) {
    const core::CivilDate d = date_of(equity[i].ts);
    if (d.year != current.year || d.month != current.month) {
      out.push_back({static_cast<int>(current.year), static_cast<int>(current.month), last / base - 1.0});
      base = last;
      current = d;
    }
    last = equity[i].equity;
  }
  out.push_back({static_cast<int>(current.year), static_cast<int>(current.month), last / base - 1.0});
  return out;
}

std::vector<EquitySample> benchmark_curve(const BacktestRun& run) {
  if (!run.benchmark.empty() || !(run.benchmark_base > 0.0)) return run.benchmark;
  std::vector<EquitySample> out;
  out.reserve(run.prices.size());
  for (const auto& p : run.prices) out.push_back({p.ts, run.initial_equity * p.close / run.benchmark_base});
  return out;
}

core::Result<RunMetrics> compute_metrics(const BacktestRun& run, const MetricsOptions& options) {
  if (run.equity.size() < 2) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("run '{}' has {} equity sample(s); a report needs at least 2", run.label,
                                   run.equity.size()),
                       "equity");
  }
  std::vector<core::UnixNanos> ts;
  std::vector<double> eq;
  ts.reserve(run.equity.size());
  eq.reserve(run.equity.size());
  for (const auto& s : run.equity) ts.push_back(s.ts), eq.push_back(s.equity);
  analytics::PerformanceConfig config;
  config.periods_per_year = run.periods_per_year;
  RunMetrics m;
  auto perf = analytics::summarize_equity_curve(ts, eq, config);
  if (!perf) return perf.error().with_context(fmt::format("run '{}'", run.label));
  m.performance = std::move(*perf);
  const core::UnixNanos first_ts = ts.front(), last_ts = ts.back();
  ts = {};  // freed before the benchmark's copies (a long run holds millions of samples)
  eq = {};
  if (options.benchmark) {
    // The benchmark curve straight into the columns (benchmark_curve() without its copy).
    std::vector<core::UnixNanos> bts;
    std::vector<double> beq;
    if (!run.benchmark.empty()) {
      for (const auto& s : run.benchmark) bts.push_back(s.ts), beq.push_back(s.equity);
    } else if (run.benchmark_base > 0.0) {
      bts.reserve(run.prices.size());
      beq.reserve(run.prices.size());
      for (const auto& p : run.prices) bts.push_back(p.ts), beq.push_back(run.initial_equity * p.close / run.benchmark_base);
    }
    if (bts.size() >= 2) {
      auto bench = analytics::summarize_equity_curve(bts, beq, config);
      if (bench) m.benchmark = std::move(*bench);
    }
  }
  std::vector<analytics::ClosedTrade> closed;
  for (const auto& t : run.trades) closed.push_back({t.entry_time, t.exit_time, t.pnl, t.fees});
  auto stats = analytics::trade_statistics(closed, analytics::TimeRange{first_ts, last_ts});
  if (!stats) return stats.error().with_context(fmt::format("run '{}'", run.label));
  m.trades = std::move(*stats);
  if (options.monthly) m.monthly = monthly_returns(run.equity);
  return m;
}

core::Result<std::string> render_html_report(const ReportInput& input) {
  if (input.runs.empty()) return core::Error(core::ErrorCode::InvalidArgument, "a report needs at least one run", "runs");
  std::vector<RunMetrics> metrics;
  for (const auto& run : input.runs) {
    auto m = compute_metrics(run);
    if (!m) return m.error();
    metrics.push_back(std::move(*m));
  }
  std::string h = "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>" + html_escape(input.title) +
                  "</title><style>" + kStyle + "</style></head><body>";
  h += "<h1>" + html_escape(input.title) + "</h1>";
  h += fmt::format("<p class='muted'>{} · {} → {} · generated by Ballast</p>",
                   html_escape(input.runs.front().instrument_id.to_string()), date_text(input.runs.front().equity.front().ts),
                   date_text(input.runs.front().equity.back().ts));

  std::vector<Series> equity;
  for (std::size_t i = 0; i < input.runs.size(); ++i) {
    Series s{input.runs[i].label, kPalette[i % std::size(kPalette)], {}, false};
    for (const auto& p : input.runs[i].equity) s.points.emplace_back(static_cast<double>(p.ts.value), p.equity);
    equity.push_back(std::move(s));
  }
  if (const auto benchmark = benchmark_curve(input.runs.front()); !benchmark.empty()) {
    Series b{"buy and hold", "#8b929c", {}, false};
    for (const auto& p : benchmark) b.points.emplace_back(static_cast<double>(p.ts.value), p.equity);
    equity.push_back(std::move(b));
  }
  h += "<h2>Equity</h2>" + line_chart(equity, "num");
  // When buy and hold (the whole balance in the instrument) spans so much more than the runs that they are
  // flat lines at its foot (under a fifth of the chart's height), the runs again on their own scale.
  if (equity.size() > input.runs.size()) {
    const auto range = [](const std::vector<Series>& list, std::size_t n) {
      double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
      for (std::size_t i = 0; i < n; ++i) {
        for (const auto& p : list[i].points) lo = std::min(lo, p.second), hi = std::max(hi, p.second);
      }
      return hi - lo;
    };
    const double runs = range(equity, input.runs.size());
    const double all = range(equity, equity.size());
    if (all > 0.0 && runs < 0.2 * all) {
      equity.pop_back();
      h += "<h3>Equity of the runs alone</h3>" + line_chart(equity, "num");
    }
  }

  h += "<h2>Drawdown</h2>";
  for (std::size_t i = 0; i < input.runs.size(); ++i) {
    std::vector<double> eq;
    for (const auto& p : input.runs[i].equity) eq.push_back(p.equity);
    const auto dd = analytics::drawdown_series(eq);
    if (!dd) continue;
    Series s{input.runs[i].label, kPalette[i % std::size(kPalette)], {}, true};
    for (std::size_t k = 0; k < dd->size(); ++k) {
      s.points.emplace_back(static_cast<double>(input.runs[i].equity[k].ts.value), (*dd)[k]);
    }
    h += line_chart({s}, "pct");
  }

  if (!input.runs.front().prices.empty()) {
    Series p{input.runs.front().instrument_id.to_string(), "#c9ccd1", {}, false};
    for (const auto& s : input.runs.front().prices) p.points.emplace_back(static_cast<double>(s.ts.value), s.close);
    h += "<h2>Price and trades (" + html_escape(input.runs.front().label) + ")</h2>" +
         line_chart({p}, "num", input.runs.front().markers);
  }

  h += "<h2>Metrics</h2><table><tr><th></th>";
  for (const auto& r : input.runs) h += "<th>" + html_escape(r.label) + "</th>";
  h += "</tr>";
  for (const auto& [label, cells] : metric_rows(metrics, input.runs)) {
    h += "<tr><td>" + html_escape(label) + "</td>";
    for (const auto& c : cells) h += "<td>" + html_escape(c) + "</td>";
    h += "</tr>";
  }
  h += "</table>";
  for (const auto& r : input.runs) {
    if (r.notes.empty()) continue;
    h += "<p class='muted'>" + html_escape(r.label) + ": ";
    for (const auto& [k, v] : r.notes) h += html_escape(k) + " " + html_escape(v) + "; ";
    h += "</p>";
  }

  h += "<h2>Monthly returns</h2>";
  for (std::size_t i = 0; i < input.runs.size(); ++i) {
    if (input.runs.size() > 1) h += "<p>" + html_escape(input.runs[i].label) + "</p>";
    h += monthly_table(metrics[i].monthly);
  }

  if (input.heatmap) h += "<h2>Parameter heatmap</h2>" + parameter_heatmap(*input.heatmap);

  h += "<h2>Trades</h2>";
  for (const auto& r : input.runs) {
    if (input.runs.size() > 1) h += "<p>" + html_escape(r.label) + "</p>";
    if (r.trades.empty()) {
      h += "<p class='muted'>no closed trades</p>";
      continue;
    }
    h += "<table><tr><th>#</th><th>direction</th><th>entry</th><th>exit</th><th>quantity</th><th>entry price</th>"
         "<th>exit price</th><th>P&amp;L</th><th>fees</th><th>net</th></tr>";
    for (std::size_t k = 0; k < r.trades.size(); ++k) {
      const auto& t = r.trades[k];
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.6g}</td><td>{:.6g}</td><td>{:.6g}</td>"
                       "<td>{:.2f}</td><td>{:.2f}</td><td>{:.2f}</td></tr>",
                       k + 1, model::to_string(t.direction), core::format_iso8601(t.entry_time),
                       core::format_iso8601(t.exit_time), t.quantity, t.entry_price, t.exit_price, t.pnl, t.fees,
                       t.pnl - t.fees);
    }
    h += "</table>";
  }
  h += "</body></html>\n";
  return h;
}

core::Result<std::string> render_json_report(const ReportInput& input) {
  if (input.runs.empty()) return core::Error(core::ErrorCode::InvalidArgument, "a report needs at least one run", "runs");
  nlohmann::json out;
  out["title"] = input.title;
  out["runs"] = nlohmann::json::array();
  const auto opt = [](const analytics::Statistic& s) -> nlohmann::json {
    return s.is_defined() ? nlohmann::json(s.value()) : nlohmann::json(nullptr);
  };
  for (const auto& run : input.runs) {
    auto m = compute_metrics(run);
    if (!m) return m.error();
    nlohmann::json r;
    r["label"] = run.label;
    r["instrument"] = run.instrument_id.to_string();
    r["initial_equity"] = run.initial_equity;
    r["metrics"] = {{"total_return", m->performance.total_return},
                    {"cagr", opt(m->performance.cagr)},
                    {"annual_volatility", opt(m->performance.annual_volatility)},
                    {"sharpe", opt(m->performance.sharpe_ratio)},
                    {"sortino", opt(m->performance.sortino_ratio)},
                    {"calmar", opt(m->performance.calmar_ratio)},
                    {"omega", opt(m->performance.omega_ratio)},
                    {"max_drawdown", m->performance.max_drawdown.depth},
                    {"ulcer_index", m->performance.ulcer_index},
                    {"trades", m->trades.count},
                    {"win_rate", opt(m->trades.win_rate)},
                    {"profit_factor", opt(m->trades.profit_factor)},
                    {"expectancy", opt(m->trades.expectancy)},
                    {"exposure", opt(m->trades.exposure)},
                    {"fees", m->trades.total_fees}};
    if (m->benchmark) r["metrics"]["benchmark_total_return"] = m->benchmark->total_return;
    nlohmann::json eq = nlohmann::json::array();
    for (const auto& s : run.equity) eq.push_back({core::format_iso8601(s.ts), s.equity});
    r["equity"] = std::move(eq);
    nlohmann::json monthly = nlohmann::json::array();
    for (const auto& mr : m->monthly) monthly.push_back({{"year", mr.year}, {"month", mr.month}, {"return", mr.value}});
    r["monthly_returns"] = std::move(monthly);
    nlohmann::json trades = nlohmann::json::array();
    for (const auto& t : run.trades) {
      trades.push_back({{"direction", model::to_string(t.direction)},
                        {"entry_time", core::format_iso8601(t.entry_time)},
                        {"exit_time", core::format_iso8601(t.exit_time)},
                        {"quantity", t.quantity},
                        {"entry_price", t.entry_price},
                        {"exit_price", t.exit_price},
                        {"pnl", t.pnl},
                        {"fees", t.fees}});
    }
    r["trades"] = std::move(trades);
    out["runs"].push_back(std::move(r));
  }
  if (input.heatmap) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& v : input.heatmap->values) values.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
    out["heatmap"] = {{"x", input.heatmap->x_name},
                      {"y", input.heatmap->y_name},
                      {"objective", input.heatmap->objective},
                      {"x_values", input.heatmap->x_values},
                      {"y_values", input.heatmap->y_values},
                      {"values", std::move(values)}};
  }
  return out.dump(2);
}

}  // namespace ballast::backtest
