// `ballast analyze …`: risk and market analytics on data files (analytics/ does the math; this file
// reads inputs, validates them with file/field locations and prints tables).

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "analyze_commands.hpp"
#include "ballast/analytics/covariance.hpp"
#include "ballast/analytics/monte_carlo_var.hpp"
#include "ballast/analytics/returns.hpp"
#include "ballast/analytics/var.hpp"
#include "ballast/analytics/volatility.hpp"
#include "ballast/analytics/volatility_classification.hpp"
#include "ballast/backtest/annualisation.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/data/interval_estimator.hpp"
#include "market_input.hpp"

namespace ballast::cli {
namespace {

// ---- positions.json ---------------------------------------------------------------------------------

core::Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Error(core::ErrorCode::IoError, "cannot open file", path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

core::Result<std::vector<PositionInput>> parse_positions(const std::string& path) {
  auto text = read_text(path);
  if (!text) return text.error();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    return core::Error(core::ErrorCode::ParseError, fmt::format("invalid JSON at byte {}: {}", e.byte, e.what()), path);
  }
  const nlohmann::json* list = &doc;
  if (doc.is_object()) {
    if (!doc.contains("positions")) {
      return core::Error(core::ErrorCode::ParseError, "expected an object with a \"positions\" array", path);
    }
    list = &doc["positions"];
  }
  if (!list->is_array()) return core::Error(core::ErrorCode::ParseError, "\"positions\" must be an array", path);
  std::vector<PositionInput> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& p = (*list)[i];
    const auto field = [&](const char* name) { return fmt::format("{}: positions[{}].{}", path, i, name); };
    if (!p.is_object()) return core::Error(core::ErrorCode::ParseError, "must be an object", field("")) ;
    PositionInput pos;
    if (!p.contains("instrument") || !p["instrument"].is_string()) {
      return core::Error(core::ErrorCode::ParseError, "required, a string", field("instrument"));
    }
    pos.instrument = p["instrument"].get<std::string>();
    // A JSON number, or a decimal string as the API writes amounts ("-2000", "20.05").
    const auto number = [&](const char* name) -> std::optional<double> {
      const auto& v = p[name];
      if (v.is_number()) return v.get<double>();
      if (!v.is_string()) return std::nullopt;
      auto d = core::Decimal::parse(v.get<std::string>());
      if (!d) return std::nullopt;
      return d->to_double();
    };
    const auto quantity = p.contains("quantity") ? number("quantity") : std::nullopt;
    if (!quantity) {
      return core::Error(core::ErrorCode::ParseError, "required, a number (negative for short)", field("quantity"));
    }
    pos.quantity = *quantity;
    if (p.contains("price")) {
      const auto price = number("price");
      if (!price || !(*price > 0)) return core::Error(core::ErrorCode::ParseError, "must be a positive number", field("price"));
      pos.price = *price;
    }
    if (p.contains("multiplier")) {
      const auto multiplier = number("multiplier");
      if (!multiplier || !(*multiplier > 0)) {
        return core::Error(core::ErrorCode::ParseError, "must be a positive number", field("multiplier"));
      }
      pos.multiplier = *multiplier;
    }
    if (p.contains("asset_class")) {
      if (!p["asset_class"].is_string()) return core::Error(core::ErrorCode::ParseError, "must be a string", field("asset_class"));
      pos.asset_class = p["asset_class"].get<std::string>();
    }
    if (!std::isfinite(pos.quantity)) return core::Error(core::ErrorCode::ParseError, "must be finite", field("quantity"));
    out.push_back(std::move(pos));
  }
  if (out.empty()) return core::Error(core::ErrorCode::InvalidArgument, "no positions", path);
  return out;
}

// Exposure vector aligned to the series columns; positions without a price take the last close.
core::Result<Eigen::VectorXd> exposures_for(const std::vector<PositionInput>& positions, const AlignedCloses& data,
                                            Table* listing) {
  Eigen::VectorXd e = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(data.names.size()));
  for (const auto& p : positions) {
    int col = -1;
    for (std::size_t c = 0; c < data.names.size(); ++c) {
      if (name_matches(data.names[c], p.instrument)) col = static_cast<int>(c);
    }
    if (col < 0) {
      return core::Error(core::ErrorCode::NotFound,
                         fmt::format("position in {} has no --input file named after it (e.g. {}.csv or {}-1h.csv)",
                                     p.instrument, p.instrument, p.instrument),
                         "--positions");
    }
    // Without a price: the instrument's own last close, as `analyze stress` values it (not the close at the
    // last timestamp all files share, which may be long before a longer file ends).
    const double price = p.price.value_or(data.last_closes[static_cast<std::size_t>(col)]);
    const double exposure = p.quantity * price * p.multiplier;
    e(col) += exposure;
    if (listing != nullptr) {
      listing->add_row({p.instrument, data.names[static_cast<std::size_t>(col)], Cell(p.quantity, 4), Cell(price, 4),
                        Cell(exposure, 2)});
    }
  }
  return e;
}

// Horizon text: a bare integer is days; otherwise a duration ("4h", "1d", "10d"). It must be a whole
// number of bars of the data.
core::Result<int> horizon_in_bars(const std::string& text, core::Duration interval) {
  core::Duration horizon{0};
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    horizon = core::Duration(std::stoll(text) * core::kNanosPerDay);
  } else {
    auto d = core::parse_duration(text);
    if (!d) return d.error().with_context("--horizon");
    horizon = *d;
  }
  if (interval.count() <= 0) {
    return core::Error(core::ErrorCode::InvalidArgument, "the data's bar interval is unknown; cannot convert the horizon",
                       "--horizon");
  }
  if (horizon.count() <= 0 || horizon.count() % interval.count() != 0) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("horizon {} is not a whole number of {} bars", text, core::format_duration(interval)),
                       "--horizon");
  }
  return static_cast<int>(horizon.count() / interval.count());
}

// Monte Carlo scenarios split across `jobs` threads (the simulator is deterministic per scenario index,
// so the result does not depend on the number of threads).
core::Result<analytics::MonteCarloVarEstimate> parallel_monte_carlo(const analytics::MonteCarloVarSimulator& sim,
                                                                    std::size_t scenarios, unsigned jobs,
                                                                    double confidence) {
  std::vector<double> pnl(scenarios);
  jobs = std::max(1u, std::min<unsigned>(jobs, 64));
  std::vector<std::thread> threads;
  const std::size_t chunk = (scenarios + jobs - 1) / jobs;
  for (unsigned j = 0; j < jobs; ++j) {
    const std::size_t begin = std::min(scenarios, j * chunk);
    const std::size_t end = std::min(scenarios, begin + chunk);
    if (begin == end) break;
    threads.emplace_back([&sim, &pnl, begin, end] { sim.simulate_pnl(begin, end, std::span<double>(pnl).subspan(begin, end - begin)); });
  }
  for (auto& t : threads) t.join();
  return analytics::monte_carlo_summary(pnl, confidence);
}

struct VarOptions {
  std::vector<std::string> inputs;
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  std::string positions;
  std::string method = "all";
  double confidence = 0.99;
  std::string horizon = "1";
  std::string historical_horizon = "overlapping";
  std::size_t simulations = 100'000;
  std::uint64_t seed = 1;
  std::string distribution = "normal";
  double dof = 5.0;
  unsigned jobs = 0;
  std::string format = "table";
};

int run_var(const VarOptions& o) {
  auto positions = parse_positions(o.positions);
  if (!positions) return report(positions.error());
  auto series = load_bars(o.inputs, o.bar_time);
  if (!series) return report(series.error());
  auto data = align_closes(*series, 3);
  if (!data) return report(data.error());
  auto bars = horizon_in_bars(o.horizon, data->interval);
  if (!bars) return report(bars.error());

  Table listing;
  listing.title = "positions";
  listing.columns = {"instrument", "series", "quantity", "price", "exposure"};
  auto e = exposures_for(*positions, *data, &listing);
  if (!e) return report(e.error());

  const Eigen::MatrixXd returns = simple_return_matrix(data->closes);
  analytics::VarSpec spec{o.confidence, *bars};
  if (auto st = analytics::validate(spec); !st) return report(st.error().with_context("--confidence/--horizon"));
  auto cov = analytics::sample_covariance(returns);
  if (!cov) return report(cov.error());

  Table t;
  t.title = fmt::format("VaR and ES ({}% confidence, horizon {} = {} bars of {}, {} returns; positive = loss)",
                        o.confidence * 100, o.horizon, *bars, core::format_duration(data->interval), returns.rows());
  t.columns = {"method", "var", "expected_shortfall", "var_std_error", "es_std_error"};
  const bool all = o.method == "all";
  const double nan = std::nan("");
  if (all || o.method == "historical") {
    const auto hh = o.historical_horizon == "non-overlapping" ? analytics::HistoricalHorizon::NonOverlapping
                    : o.historical_horizon == "sqrt-time"     ? analytics::HistoricalHorizon::SquareRootOfTime
                                                              : analytics::HistoricalHorizon::Overlapping;
    auto r = analytics::historical_portfolio_var(returns, *e, spec, hh);
    if (!r) return report(r.error());
    t.add_row({"historical", Cell(r->var, 2), Cell(r->expected_shortfall, 2), Cell(nan), Cell(nan)});
  }
  if (all || o.method == "parametric") {
    auto r = analytics::parametric_portfolio_var(*cov, *e, spec);
    if (!r) return report(r.error());
    t.add_row({"parametric-normal", Cell(r->var, 2), Cell(r->expected_shortfall, 2), Cell(nan), Cell(nan)});
  }
  if (all || o.method == "cornish-fisher") {
    auto pnl = analytics::portfolio_pnl(returns, *e);
    if (!pnl) return report(pnl.error());
    auto m = analytics::sample_moments(std::span<const double>(pnl->data(), static_cast<std::size_t>(pnl->size())));
    if (!m) return report(m.error());
    // Zero mean, as the normal and Monte Carlo rows (and the API): with no skew or excess kurtosis the
    // Cornish–Fisher row equals the normal one.
    m->mean = 0.0;
    auto r = analytics::cornish_fisher_var(*m, spec);
    if (!r) return report(r.error());
    t.add_row({"cornish-fisher", Cell(r->var, 2), Cell(r->expected_shortfall, 2), Cell(nan), Cell(nan)});
  }
  if (all || o.method == "montecarlo") {
    analytics::MonteCarloConfig mc;
    mc.scenarios = o.simulations;
    mc.seed = o.seed;
    mc.distribution = o.distribution == "t" ? analytics::ScenarioDistribution::StudentT : analytics::ScenarioDistribution::Normal;
    mc.degrees_of_freedom = o.dof;
    auto sim = analytics::MonteCarloVarSimulator::create(*cov, *e, spec, mc);
    if (!sim) return report(sim.error());
    const unsigned jobs = o.jobs > 0 ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
    auto r = parallel_monte_carlo(*sim, o.simulations, jobs, o.confidence);
    if (!r) return report(r.error());
    t.add_row({fmt::format("monte-carlo-{}", o.distribution), Cell(r->var, 2), Cell(r->expected_shortfall, 2),
               Cell(r->var_standard_error, 2), Cell(r->es_standard_error, 2)});
  }
  print(std::vector<Table>{listing, t}, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

// ---- correlation ------------------------------------------------------------------------------------

struct CorrelationOptions {
  std::vector<std::string> inputs;
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  std::string method = "sample";
  double lambda = 0.94;
  std::string format = "table";
};

int run_correlation(const CorrelationOptions& o) {
  auto series = load_bars(o.inputs, o.bar_time);
  if (!series) return report(series.error());
  auto data = align_closes(*series, 3);
  if (!data) return report(data.error());
  const Eigen::MatrixXd returns = simple_return_matrix(data->closes);
  core::Result<Eigen::MatrixXd> cov = core::Error(core::ErrorCode::Internal, "unset");
  std::string note;
  if (o.method == "ewma") {
    cov = analytics::ewma_covariance(returns, o.lambda);
  } else if (o.method == "ledoit-wolf") {
    auto lw = analytics::ledoit_wolf_covariance(returns, analytics::ShrinkageTarget::ConstantCorrelation);
    if (!lw) return report(lw.error());
    note = fmt::format(", shrinkage intensity {:.4f}", lw->intensity);
    cov = lw->covariance;
  } else {
    cov = analytics::sample_covariance(returns);
  }
  if (!cov) return report(cov.error());
  auto corr = analytics::correlation_from_covariance(*cov);
  if (!corr) return report(corr.error());
  Table t;
  t.title = fmt::format("{} correlation of simple returns ({} observations{})", o.method, returns.rows(), note);
  t.columns = {"series"};
  for (const auto& n : data->names) t.columns.push_back(n);
  for (Eigen::Index r = 0; r < corr->rows(); ++r) {
    std::vector<Cell> row{data->names[static_cast<std::size_t>(r)]};
    for (Eigen::Index c = 0; c < corr->cols(); ++c) row.emplace_back((*corr)(r, c), 4);
    t.add_row(std::move(row));
  }
  print(t, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

// ---- volatility -------------------------------------------------------------------------------------

struct VolatilityOptions {
  std::vector<std::string> inputs;
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  std::string calendar = "auto";
  std::size_t window = 20;
  std::size_t long_window = 100;
  double lambda = 0.94;
  std::string format = "table";
};

int run_volatility(const VolatilityOptions& o) {
  std::vector<Table> tables;
  for (const auto& path : o.inputs) {
    auto s = load_bars(path, o.bar_time);
    if (!s) return report(s.error());
    const core::Duration interval = data::annualisation_interval(s->series.bars);
    auto n = backtest::periods_per_year(s->series.bars, o.calendar);
    if (!n) return report(n.error().with_context(path));
    auto ohlc = analytics::to_ohlc(s->series.bars);
    if (!ohlc) return report(ohlc.error().with_context(path));
    Table t;
    // A calendar series (months) has no one bar length: its mean step is shown.
    const std::string length =
        s->series.interval.count() > 0
            ? core::format_duration(interval)
            : fmt::format("about {:.2f} days", static_cast<double>(interval.count()) / core::kNanosPerDay);
    t.title = fmt::format("{}: annualised volatility ({} bars of {}, {:.2f} periods/year, {} calendar)", path,
                          s->series.bars.size(), length, *n, backtest::resolved_calendar(s->series.bars, o.calendar));
    t.columns = {"estimator", "full_sample_pct", "latest_window_pct", "level", "percentile"};
    using analytics::VolatilityEstimator;
    for (auto est : {VolatilityEstimator::CloseToClose, VolatilityEstimator::Ewma, VolatilityEstimator::Parkinson,
                     VolatilityEstimator::GarmanKlass, VolatilityEstimator::RogersSatchell, VolatilityEstimator::YangZhang}) {
      analytics::EwmaConfig ewma;
      ewma.lambda = o.lambda;
      auto full = analytics::estimate_volatility(*ohlc, est, *n, ewma);
      if (!full) return report(full.error().with_context(path));
      auto rolling = analytics::rolling_volatility(*ohlc, est, o.window, *n, ewma);
      if (!rolling) return report(rolling.error().with_context(path));
      const auto& hist = rolling->values;
      double latest = std::nan("");
      std::string level = "-";
      double pct = std::nan("");
      if (!hist.empty()) {
        latest = hist.back();
        auto cls = analytics::classify_latest_volatility(hist);
        if (cls) {
          level = std::string(analytics::to_string(cls->level));
          pct = cls->percentile;
        }
      }
      t.add_row({std::string(analytics::to_string(est)), Cell(*full * 100, 2), Cell(latest * 100, 2), level, Cell(pct, 1)});
    }
    tables.push_back(std::move(t));
    // Trend of close-to-close volatility: short window vs long window with a significance band.
    std::vector<double> closes;
    for (const auto& b : s->series.bars) closes.push_back(b.close.as_double());
    auto lr = analytics::log_returns(closes);
    if (!lr) return report(lr.error().with_context(path));
    analytics::VolatilityTrendConfig tc;
    tc.short_window = o.window;
    tc.long_window = o.long_window;
    auto trend = analytics::volatility_trend(*lr, tc, *n);
    Table tt;
    tt.title = fmt::format("{}: volatility trend ({} vs {} returns)", path, o.window, o.long_window);
    tt.columns = {"trend", "short_pct", "long_pct", "variance_ratio", "band_low", "band_high"};
    if (trend) {
      tt.add_row({std::string(analytics::to_string(trend->trend)), Cell(trend->short_volatility * 100, 2),
                  Cell(trend->long_volatility * 100, 2), Cell(trend->variance_ratio, 3), Cell(trend->lower_bound, 3),
                  Cell(trend->upper_bound, 3)});
    } else {
      tt.add_row({"-", Cell(std::nan("")), Cell(std::nan("")), Cell(std::nan("")), Cell(std::nan("")), trend.error().message()});
    }
    tables.push_back(std::move(tt));
  }
  print(tables, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

}  // namespace

core::Result<std::vector<PositionInput>> read_positions_file(const std::string& path) { return parse_positions(path); }

void register_analyze_commands(CLI::App& app, Context& ctx) {
  auto* analyze = app.add_subcommand("analyze", "Indicators, volatility, VaR/ES, stress tests, correlation, metrics");
  analyze->require_subcommand(1);

  auto var = std::make_shared<VarOptions>();
  auto* v = analyze->add_subcommand("var", "Value at Risk and Expected Shortfall of a portfolio (positive = loss)");
  v->add_option("--input,--data", var->inputs, "Bar CSV files, one per instrument (named after the instrument)")
      ->required()
      ->check(CLI::ExistingFile);
  add_bar_time_option(v, var->bar_time);
  v->add_option("--positions", var->positions,
                "JSON: {\"positions\":[{\"instrument\":\"BTCUSDT\",\"quantity\":2.5,\"price\":47000}]} (price optional: last close)")
      ->required()
      ->check(CLI::ExistingFile);
  v->add_option("--method", var->method, "historical, parametric, cornish-fisher, montecarlo or all")
      ->default_val("all")
      ->check(CLI::IsMember({"historical", "parametric", "cornish-fisher", "montecarlo", "all"}));
  v->add_option("--confidence", var->confidence, "Confidence level, e.g. 0.99")->default_val(0.99)->check(CLI::Range(0.5, 0.99999));
  v->add_option("--horizon", var->horizon, "Horizon: days as a number (1, 10) or a duration (4h, 1d)")->default_val("1");
  v->add_option("--historical-horizon", var->historical_horizon,
                "How historical VaR reaches the horizon: overlapping, non-overlapping or sqrt-time")
      ->default_val("overlapping")
      ->check(CLI::IsMember({"overlapping", "non-overlapping", "sqrt-time"}));
  v->add_option("--simulations", var->simulations, "Monte Carlo scenarios")->default_val(100000)->check(CLI::Range(1000, 100000000));
  v->add_option("--seed", var->seed, "Monte Carlo seed")->default_val(1);
  v->add_option("--distribution", var->distribution, "Monte Carlo distribution: normal or t")
      ->default_val("normal")
      ->check(CLI::IsMember({"normal", "t"}));
  v->add_option("--dof", var->dof, "Student-t degrees of freedom (> 2)")->default_val(5.0)->check(CLI::Range(2.0001, 1000.0));
  v->add_option("--jobs", var->jobs, "Threads for Monte Carlo (0 = all cores)")->default_val(0);
  add_format_option(v, var->format);
  on_run(v, ctx, [var] { return run_var(*var); });

  auto corr = std::make_shared<CorrelationOptions>();
  auto* c = analyze->add_subcommand("correlation", "Correlation matrix of returns (sample, EWMA or Ledoit-Wolf)");
  c->add_option("--input,--data", corr->inputs, "Bar CSV files, two or more")->required()->check(CLI::ExistingFile);
  add_bar_time_option(c, corr->bar_time);
  c->add_option("--method", corr->method, "sample, ewma or ledoit-wolf")
      ->default_val("sample")
      ->check(CLI::IsMember({"sample", "ewma", "ledoit-wolf"}));
  c->add_option("--lambda", corr->lambda, "EWMA decay")->default_val(0.94)->check(CLI::Range(0.5, 0.9999));
  add_format_option(c, corr->format);
  on_run(c, ctx, [corr] { return run_correlation(*corr); });

  auto vol = std::make_shared<VolatilityOptions>();
  auto* vv = analyze->add_subcommand("volatility", "Volatility estimators, level (LOW..EXTREME) and trend");
  vv->add_option("--input,--data", vol->inputs, "Bar CSV files")->required()->check(CLI::ExistingFile);
  add_bar_time_option(vv, vol->bar_time);
  vv->add_option("--calendar", vol->calendar, kCalendarHelp)
      ->default_val("auto")
      ->check(CLI::IsMember({"auto", "crypto", "equity", "observed"}));
  vv->add_option("--window", vol->window, "Rolling window in bars (level and short trend window)")->default_val(20)->check(CLI::Range(2, 100000));
  vv->add_option("--long-window", vol->long_window, "Long window of the trend rule")->default_val(100)->check(CLI::Range(3, 1000000));
  vv->add_option("--lambda", vol->lambda, "EWMA decay")->default_val(0.94)->check(CLI::Range(0.5, 0.9999));
  add_format_option(vv, vol->format);
  on_run(vv, ctx, [vol] { return run_volatility(*vol); });

  register_analyze_stress_command(*analyze, ctx);
  register_analyze_metrics_command(*analyze, ctx);
  register_analyze_market_commands(*analyze, ctx);
}

}  // namespace ballast::cli
