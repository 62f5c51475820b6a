// `ballast analyze indicators|regime|profile`: technical indicators and market structure on a bar file.

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>

#include "analyze_commands.hpp"
#include "analyze_market.hpp"
#include "ballast/analytics/indicators.hpp"
#include "market_input.hpp"

namespace ballast::cli {
namespace {

using Columns = std::vector<std::pair<std::string, std::vector<double>>>;
using IndicatorFn = std::function<core::Result<Columns>(const analytics::BarColumns&, const std::vector<double>&)>;

struct IndicatorDef {
  std::string usage;  // "rsi:PERIOD"
  std::vector<double> defaults;
  IndicatorFn run;
};

int as_int(double v) { return static_cast<int>(v); }

template <class F>
IndicatorFn single(std::string name, F f) {
  return [name, f](const analytics::BarColumns& b, const std::vector<double>& p) -> core::Result<Columns> {
    auto r = f(b, p);
    if (!r) return r.error();
    return Columns{{name, std::move(*r)}};
  };
}

core::Result<Columns> bands(const std::string& name, core::Result<analytics::BandSeries> r) {
  if (!r) return r.error();
  return Columns{{name + "_middle", std::move(r->middle)}, {name + "_upper", std::move(r->upper)}, {name + "_lower", std::move(r->lower)}};
}

const std::map<std::string, IndicatorDef>& registry() {
  using B = analytics::BarColumns;
  using P = std::vector<double>;
  static const std::map<std::string, IndicatorDef> defs = {
      {"sma", {"sma:PERIOD", {20}, single("sma", [](const B& b, const P& p) { return analytics::sma(b.close, as_int(p[0])); })}},
      {"ema", {"ema:PERIOD", {20}, single("ema", [](const B& b, const P& p) { return analytics::ema(b.close, as_int(p[0])); })}},
      {"wma", {"wma:PERIOD", {20}, single("wma", [](const B& b, const P& p) { return analytics::wma(b.close, as_int(p[0])); })}},
      {"dema", {"dema:PERIOD", {20}, single("dema", [](const B& b, const P& p) { return analytics::dema(b.close, as_int(p[0])); })}},
      {"tema", {"tema:PERIOD", {20}, single("tema", [](const B& b, const P& p) { return analytics::tema(b.close, as_int(p[0])); })}},
      {"rsi", {"rsi:PERIOD", {14}, single("rsi", [](const B& b, const P& p) { return analytics::rsi(b.close, as_int(p[0])); })}},
      {"roc", {"roc:PERIOD", {10}, single("roc", [](const B& b, const P& p) { return analytics::roc(b.close, as_int(p[0])); })}},
      {"mom", {"mom:PERIOD", {10}, single("mom", [](const B& b, const P& p) { return analytics::momentum(b.close, as_int(p[0])); })}},
      {"stddev", {"stddev:PERIOD", {20}, single("stddev", [](const B& b, const P& p) { return analytics::rolling_stddev(b.close, as_int(p[0])); })}},
      {"slope", {"slope:PERIOD", {20}, single("slope", [](const B& b, const P& p) { return analytics::linreg_slope(b.close, as_int(p[0])); })}},
      {"atr", {"atr:PERIOD", {14}, single("atr", [](const B& b, const P& p) { return analytics::atr(b.high, b.low, b.close, as_int(p[0])); })}},
      {"natr", {"natr:PERIOD", {14}, single("natr", [](const B& b, const P& p) { return analytics::natr(b.high, b.low, b.close, as_int(p[0])); })}},
      {"willr", {"willr:PERIOD", {14}, single("willr", [](const B& b, const P& p) { return analytics::williams_r(b.high, b.low, b.close, as_int(p[0])); })}},
      {"cci", {"cci:PERIOD", {20}, single("cci", [](const B& b, const P& p) { return analytics::cci(b.high, b.low, b.close, as_int(p[0])); })}},
      {"obv", {"obv", {}, single("obv", [](const B& b, const P&) { return analytics::obv(b.close, b.volume); })}},
      {"vwap", {"vwap (session = UTC day)", {}, single("vwap", [](const B& b, const P&) {
         return analytics::vwap_utc_day(b.high, b.low, b.close, b.volume, b.ts_event); })}},
      {"macd", {"macd:FAST,SLOW,SIGNAL", {12, 26, 9}, [](const B& b, const P& p) -> core::Result<Columns> {
         auto r = analytics::macd(b.close, analytics::MacdParams{as_int(p[0]), as_int(p[1]), as_int(p[2])});
         if (!r) return r.error();
         return Columns{{"macd", std::move(r->macd)}, {"macd_signal", std::move(r->signal)}, {"macd_hist", std::move(r->histogram)}};
       }}},
      {"bbands", {"bbands:PERIOD,K", {20, 2}, [](const B& b, const P& p) {
         return bands("bb", analytics::bollinger(b.close, analytics::BollingerParams{as_int(p[0]), p[1], p[1]})); }}},
      {"donchian", {"donchian:PERIOD", {20}, [](const B& b, const P& p) {
         return bands("donchian", analytics::donchian(b.high, b.low, as_int(p[0]))); }}},
      {"keltner", {"keltner:EMA,ATR,K", {20, 10, 2}, [](const B& b, const P& p) {
         return bands("keltner", analytics::keltner(b.high, b.low, b.close, analytics::KeltnerParams{as_int(p[0]), as_int(p[1]), p[2]})); }}},
      {"stoch", {"stoch:FASTK,SLOWK,SLOWD", {5, 3, 3}, [](const B& b, const P& p) -> core::Result<Columns> {
         auto r = analytics::stochastic(b.high, b.low, b.close, analytics::StochasticParams{as_int(p[0]), as_int(p[1]), as_int(p[2])});
         if (!r) return r.error();
         return Columns{{"stoch_k", std::move(r->k)}, {"stoch_d", std::move(r->d)}};
       }}},
      {"adx", {"adx:PERIOD", {14}, [](const B& b, const P& p) -> core::Result<Columns> {
         auto r = analytics::adx(b.high, b.low, b.close, as_int(p[0]));
         if (!r) return r.error();
         return Columns{{"adx", std::move(r->adx)}, {"plus_di", std::move(r->plus_di)}, {"minus_di", std::move(r->minus_di)}};
       }}},
  };
  return defs;
}

std::string known_indicators() {
  std::string s;
  for (const auto& [name, def] : registry()) s += (s.empty() ? "" : ", ") + def.usage;
  return s;
}

// "rsi:14" / "macd:12,26,9" / "obv" → definition and parameters (defaults fill what is left out).
core::Result<std::pair<const IndicatorDef*, std::vector<double>>> parse_spec(const std::string& spec) {
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  const auto it = registry().find(name);
  if (it == registry().end()) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("unknown indicator '{}'; known: {}", name, known_indicators()), "--indicator");
  }
  std::vector<double> params = it->second.defaults;
  if (colon != std::string::npos) {
    std::string_view rest = std::string_view(spec).substr(colon + 1);
    std::size_t i = 0;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto item = rest.substr(0, comma);
      double v = 0;
      auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
      if (ec != std::errc() || ptr != item.data() + item.size() || !std::isfinite(v)) {
        return core::Error(core::ErrorCode::InvalidArgument,
                           fmt::format("'{}': parameter '{}' is not a number (usage {})", spec, item, it->second.usage),
                           "--indicator");
      }
      if (i >= params.size()) {
        return core::Error(core::ErrorCode::InvalidArgument,
                           fmt::format("'{}': too many parameters (usage {})", spec, it->second.usage), "--indicator");
      }
      params[i++] = v;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return std::make_pair(&it->second, params);
}

struct IndicatorOptions {
  std::string input;
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  std::vector<std::string> indicators;
  std::size_t tail = 20;
  std::string format = "table";
};

int run_indicators(const IndicatorOptions& o) {
  auto s = load_bars(o.input, o.bar_time);
  if (!s) return report(s.error());
  const auto cols = analytics::to_columns(s->series.bars);
  Table t;
  t.title = fmt::format("{}: {} bars", o.input, s->series.bars.size());
  t.columns = {"time", "close"};
  Columns all;
  for (const auto& spec : o.indicators) {
    auto parsed = parse_spec(spec);
    if (!parsed) return report(parsed.error());
    auto out = parsed->first->run(cols, parsed->second);
    if (!out) return report(out.error().with_context(fmt::format("--indicator {}", spec)));
    for (auto& c : *out) {
      t.columns.push_back(c.first);
      all.push_back(std::move(c));
    }
  }
  const std::size_t n = cols.close.size();
  const std::size_t first = o.tail == 0 || o.tail >= n ? 0 : n - o.tail;
  for (std::size_t i = first; i < n; ++i) {
    std::vector<Cell> row{core::format_iso8601(cols.ts_event[i]), Cell(cols.close[i], 4)};
    for (const auto& c : all) row.emplace_back(c.second[i], 4);
    t.add_row(std::move(row));
  }
  print(t, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

}  // namespace

void register_analyze_market_commands(CLI::App& analyze, Context& ctx) {
  auto o = std::make_shared<IndicatorOptions>();
  auto* cmd = analyze.add_subcommand("indicators", "Technical indicators (TA-Lib conventions; docs/analytics/indicators.md)");
  cmd->add_option("--input,--data", o->input, "Bar CSV file")->required()->check(CLI::ExistingFile);
  add_bar_time_option(cmd, o->bar_time);
  cmd->add_option("--indicator", o->indicators, "NAME[:P1,P2,…], repeatable. Known: " + known_indicators())->required();
  cmd->add_option("--tail", o->tail, "Print the last N bars (0 = all)")->default_val(20);
  add_format_option(cmd, o->format);
  on_run(cmd, ctx, [o] { return run_indicators(*o); });
  register_analyze_structure_commands(analyze, ctx);
}

}  // namespace ballast::cli
