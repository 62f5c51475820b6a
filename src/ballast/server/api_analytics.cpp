// Routes: portfolio risk analysis (VaR and ES by method, component VaR, stress, correlation), the
// correlation of the paper instruments and per-symbol market analytics. All of it is computed on the
// kernel thread from the closes the Desk keeps (Desk::kHistoryBars per instrument) with the functions of
// the analytics module; this file only assembles inputs and lays out the answers.
//
// Units and conventions:
//  - Returns are SIMPLE returns of consecutive paper bars: the return interval is paper.bar_interval of
//    market time. Instruments are aligned on their most recent closes (the shortest history decides T).
//  - The horizon is asked for in days of market time and converted to whole bars,
//    h = round(horizon_days × 86,400 s / bar_interval), at least 1.
//  - VaR and ES are POSITIVE LOSSES in the settlement currency over h bars. Exposures are the signed
//    notionals of the current positions at their marks.
//  - Every method takes the mean return as zero except historical, which uses the outcomes as they are.
//    Horizon scaling: historical, parametric normal and Monte Carlo by the square-root-of-time rule
//    (historical: one-bar VaR and ES × √h; parametric: σ·√h; Monte Carlo: h-bar returns N(0, h·Σ));
//    Cornish–Fisher by σ·√h with the h-bar cumulants S/√h and K/h of i.i.d. bars.
//  - Stress P&L is negative for a loss (stress_report.hpp): the sign convention differs from VaR's on
//    purpose, as it is a P&L, not a loss measure.

#include "ballast/analytics/covariance.hpp"
#include "ballast/analytics/distributions.hpp"
#include "ballast/analytics/indicators.hpp"
#include "ballast/analytics/monte_carlo_var.hpp"
#include "ballast/analytics/returns.hpp"
#include "ballast/analytics/stress_library.hpp"
#include "ballast/analytics/stress_report.hpp"
#include "ballast/analytics/var.hpp"
#include "ballast/analytics/var_decomposition.hpp"
#include "ballast/analytics/volatility.hpp"
#include "ballast/analytics/volatility_classification.hpp"
#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"

#include <fmt/format.h>

#include <Eigen/Core>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::server {
namespace {

namespace jv = json_views;
namespace an = ballast::analytics;

// Fewer returns than this and no estimate is worth showing (409 INSUFFICIENT_HISTORY).
constexpr std::size_t kMinReturns = 30;
// The market view needs SMA 50 and one return more.
constexpr std::size_t kMarketMinCloses = 51;
constexpr std::size_t kMaxConfidences = 5;
constexpr double kMaxHorizonDays = 365.0;
// Monte Carlo: a fixed seed so the same closes and positions give the same answer.
constexpr std::uint64_t kMonteCarloSeed = 20261121;
constexpr std::size_t kMonteCarloScenarios = 20'000;
constexpr double kEwmaLambda = 0.94;     // RiskMetrics
constexpr std::size_t kVolWindow = 20;   // returns per rolling volatility (level classification)
constexpr double kSecondsPerDay = 86'400.0;

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string symbol_of(const model::Instrument& instrument) { return std::string(instrument.id().symbol()); }

net::HttpResponse insufficient_history(std::size_t have, std::size_t need) {
  return error_response(409, "INSUFFICIENT_HISTORY",
                        fmt::format("{} returns of paper bars available, {} needed", have, need));
}

Json matrix_json(const Eigen::MatrixXd& m) {
  Json rows = Json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    Json row = Json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    rows.push_back(std::move(row));
  }
  return rows;
}

Json symbols_json(const Desk& desk) {
  Json out = Json::array();
  for (const auto* instrument : desk.instruments()) out.push_back(symbol_of(*instrument));
  return out;
}

// The asset class the built-in stress scenarios address (stress_library.hpp) for a paper instrument:
// BTC and ETH are majors, dollar stablecoins are stablecoins, every other coin is an alt.
std::string_view asset_class_of(const model::Instrument& instrument) {
  const std::string_view base = instrument.base_currency().code();
  if (base == "BTC" || base == "ETH") return an::kAssetClassCryptoMajor;
  if (base == "USDT" || base == "USDC" || base == "DAI" || base == "FDUSD") return an::kAssetClassStablecoin;
  return an::kAssetClassCryptoAlt;
}

// ---- /api/risk/analysis ---------------------------------------------------------------------------------

struct AnalysisRequest {
  std::vector<double> confidences;
  double horizon_days = 1.0;
};

std::optional<AnalysisRequest> parse_analysis_request(const net::HttpRequest& request, net::HttpResponse& error) {
  AnalysisRequest out;
  const std::string_view list = request.query_param("confidence").value_or("0.95,0.99");
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const auto value = parse_number(list.substr(start, comma - start));
    // The Monte Carlo standard errors need two outcomes in the tail: 2/(1 − c) ≤ scenarios.
    if (!value || *value < 0.5 || *value > 0.999) {
      error = error_response(400, "INVALID_ARGUMENT", "comma-separated confidences, each in [0.5, 0.999]",
                             "confidence");
      return std::nullopt;
    }
    out.confidences.push_back(*value);
    start = comma + 1;
  }
  if (out.confidences.size() > kMaxConfidences) {
    error = error_response(400, "INVALID_ARGUMENT", fmt::format("at most {} confidences", kMaxConfidences),
                           "confidence");
    return std::nullopt;
  }
  if (const auto text = request.query_param("horizon_days")) {
    const auto value = parse_number(*text);
    if (!value || *value <= 0 || *value > kMaxHorizonDays) {
      error = error_response(400, "INVALID_ARGUMENT", "a number of days in (0, 365]", "horizon_days");
      return std::nullopt;
    }
    out.horizon_days = *value;
  }
  return out;
}

// A method's estimate, or the reason it has none (e.g. a Cornish–Fisher expansion that is not monotone).
Json estimate_json(std::string_view method, double confidence, const core::Result<an::RiskEstimate>& estimate) {
  Json j{{"method", method}, {"confidence", confidence}};
  if (estimate) {
    j["var"] = estimate->var;
    j["expected_shortfall"] = estimate->expected_shortfall;
  } else {
    j["var"] = nullptr;
    j["expected_shortfall"] = nullptr;
    j["error"] = estimate.error().message();
  }
  return j;
}

struct HeldPositions {
  std::vector<std::size_t> columns;  // desk instrument indices of the open positions
  Eigen::VectorXd exposures;         // signed notional at the mark, settlement currency
  std::vector<an::StressPosition> stress;
};

HeldPositions held_positions(Desk& desk) {
  HeldPositions held;
  std::vector<double> exposures;
  for (const auto& slot : desk.kernel().book().slots()) {
    if (slot.quantity.is_zero() || !slot.has_mark) continue;
    const auto index = desk.index_of(slot.instrument->id());
    if (!index) continue;
    held.columns.push_back(*index);
    exposures.push_back(slot.notional.to_double());
    an::StressPosition p;
    p.instrument = slot.instrument->id().value();
    p.asset_class = std::string(asset_class_of(*slot.instrument));
    p.quantity = slot.quantity.to_double();
    p.price = slot.mark.as_double();
    p.multiplier = slot.instrument->multiplier().to_double();
    held.stress.push_back(std::move(p));
  }
  held.exposures = Eigen::Map<const Eigen::VectorXd>(exposures.data(), static_cast<Eigen::Index>(exposures.size()));
  return held;
}

Json stress_json(const HeldPositions& held, double equity) {
  const auto scenarios = an::builtin_stress_scenarios();
  Json out{{"scenarios", Json::array()}, {"worst_scenario", nullptr}, {"worst_pnl", 0.0}};
  if (held.stress.empty()) {
    for (const auto& s : scenarios) {
      out["scenarios"].push_back(Json{{"name", s.name}, {"note", s.note}, {"pnl", 0.0},
                                      {"fraction_of_equity", 0.0}, {"instruments", Json::array()}});
    }
    return out;
  }
  const auto report = an::run_stress_test(held.stress, scenarios,
                                          equity > 0 ? std::optional<double>(equity) : std::nullopt);
  if (!report) {
    out["error"] = report.error().message();
    return out;
  }
  for (Eigen::Index s = 0; s < static_cast<Eigen::Index>(report->scenarios.size()); ++s) {
    Json instruments = Json::array();
    for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(report->instruments.size()); ++i) {
      instruments.push_back(Json{{"symbol", std::string(an::instrument_symbol(report->instruments[static_cast<std::size_t>(i)]))},
                                 {"move", report->moves(s, i)},
                                 {"source", an::to_string(report->source(s, i))},
                                 {"pnl", report->pnl(s, i)}});
    }
    const auto row = static_cast<std::size_t>(s);
    out["scenarios"].push_back(
        Json{{"name", report->scenarios[row]},
             {"note", scenarios[row].note},
             {"pnl", report->totals[s]},
             {"fraction_of_equity", report->equity ? Json(report->total_fraction_of_equity[s]) : Json(nullptr)},
             {"instruments", std::move(instruments)}});
  }
  out["worst_scenario"] = report->scenarios[static_cast<std::size_t>(report->worst_scenario)];
  out["worst_pnl"] = report->worst_total();
  return out;
}

// Every method at every confidence for the held exposures. `returns` and `covariance` are restricted to
// the held instruments, in the order of `held`.
Json estimates_json(const Desk& desk, const HeldPositions& held, const Eigen::MatrixXd& returns,
                    const Eigen::MatrixXd& covariance, const AnalysisRequest& request, int horizon_bars) {
  Json out = Json::array();
  if (held.columns.empty()) {
    for (const char* method : {"HISTORICAL", "PARAMETRIC_NORMAL", "CORNISH_FISHER", "MONTE_CARLO"}) {
      for (const double c : request.confidences) {
        Json j{{"method", method}, {"confidence", c}, {"var", 0.0}, {"expected_shortfall", 0.0}};
        if (std::string_view(method) == "PARAMETRIC_NORMAL") j["components"] = Json::array();
        out.push_back(std::move(j));
      }
    }
    return out;
  }
  const auto pnl = an::portfolio_pnl(returns, held.exposures);
  const auto moments = pnl ? an::sample_moments(std::vector<double>(pnl->begin(), pnl->end()))
                           : core::Result<an::PnlMoments>(pnl.error());

  std::vector<double> simulated;
  an::MonteCarloConfig mc;
  mc.seed = kMonteCarloSeed;
  mc.scenarios = kMonteCarloScenarios;
  const auto simulator = an::MonteCarloVarSimulator::create(
      covariance, held.exposures, an::VarSpec{request.confidences.front(), horizon_bars}, mc);
  if (simulator) {
    simulated.resize(mc.scenarios);
    simulator->simulate_pnl(0, mc.scenarios, simulated);
  }

  for (const double c : request.confidences) {
    const an::VarSpec spec{c, horizon_bars};
    out.push_back(estimate_json(
        "HISTORICAL", c,
        an::historical_portfolio_var(returns, held.exposures, spec, an::HistoricalHorizon::SquareRootOfTime)));

    Json normal = estimate_json("PARAMETRIC_NORMAL", c, an::parametric_portfolio_var(covariance, held.exposures, spec));
    Json components = Json::array();
    if (const auto split = an::decompose_parametric_var(covariance, held.exposures, spec)) {
      for (std::size_t k = 0; k < held.columns.size(); ++k) {
        const auto i = static_cast<Eigen::Index>(k);
        components.push_back(Json{{"symbol", symbol_of(*desk.instruments()[held.columns[k]])},
                                  {"exposure", held.exposures[i]},
                                  {"marginal_var", split->marginal[i]},
                                  {"component_var", split->component[i]}});
      }
    } else {
      normal["components_error"] = split.error().message();
    }
    normal["components"] = std::move(components);
    out.push_back(std::move(normal));

    if (moments) {
      an::PnlMoments zero_mean = *moments;
      zero_mean.mean = 0.0;
      Json cf = estimate_json("CORNISH_FISHER", c, an::cornish_fisher_var(zero_mean, spec));
      cf["skewness"] = moments->skewness;
      cf["excess_kurtosis"] = moments->excess_kurtosis;
      out.push_back(std::move(cf));
    } else {
      out.push_back(estimate_json("CORNISH_FISHER", c, core::Result<an::RiskEstimate>(moments.error())));
    }

    Json j{{"method", "MONTE_CARLO"}, {"confidence", c}, {"seed", mc.seed}, {"scenarios", mc.scenarios},
           {"distribution", "NORMAL"}};
    std::vector<double> outcomes = simulated;  // monte_carlo_summary reorders its input
    const auto mc_estimate = simulator ? an::monte_carlo_summary(outcomes, c)
                                       : core::Result<an::MonteCarloVarEstimate>(simulator.error());
    if (mc_estimate) {
      j["var"] = mc_estimate->var;
      j["expected_shortfall"] = mc_estimate->expected_shortfall;
      j["var_standard_error"] = mc_estimate->var_standard_error;
      j["es_standard_error"] = mc_estimate->es_standard_error;
    } else {
      j["var"] = nullptr;
      j["expected_shortfall"] = nullptr;
      j["error"] = mc_estimate.error().message();
    }
    out.push_back(std::move(j));
  }
  return out;
}

net::HttpResponse risk_analysis(Desk& desk, const AnalysisRequest& request) {
  auto panel = desk.return_panel();
  if (!panel) return error_response(panel.error());
  const auto returns_used = static_cast<std::size_t>(panel->rows());
  if (returns_used < kMinReturns) return insufficient_history(returns_used, kMinReturns);

  const double interval_s = std::chrono::duration<double>(desk.config().bar_interval).count();
  const int horizon_bars =
      static_cast<int>(std::max(1.0, std::round(request.horizon_days * kSecondsPerDay / interval_s)));

  auto covariance = an::sample_covariance(*panel);
  if (!covariance) return error_response(covariance.error());
  auto correlation = an::correlation_from_covariance(*covariance);
  if (!correlation) return error_response(correlation.error());

  const HeldPositions held = held_positions(desk);
  const auto& book = desk.kernel().book();

  Json instruments = Json::array();
  for (std::size_t i = 0; i < desk.instruments().size(); ++i) {
    const auto& instrument = *desk.instruments()[i];
    const auto slot = book.find(instrument.id());
    Json j{{"symbol", symbol_of(instrument)},
           {"instrument_id", instrument.id().value()},
           {"asset_class", asset_class_of(instrument)},
           {"volatility", std::sqrt((*covariance)(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i)))},
           {"exposure", 0.0},
           {"quantity", "0"},
           {"mark", nullptr}};
    if (slot) {
      const auto& s = book.slot(*slot);
      j["exposure"] = s.has_mark ? s.notional.to_double() : 0.0;
      j["quantity"] = jv::decimal_text(s.quantity);
      if (s.has_mark) j["mark"] = jv::decimal_text(s.mark.value());
    }
    instruments.push_back(std::move(j));
  }

  // The held instruments' columns of the returns and their block of the covariance (the same numbers
  // as the full matrix, so the per-instrument volatility above is exactly the one the VaR used).
  const auto k = static_cast<Eigen::Index>(held.columns.size());
  Eigen::MatrixXd returns(panel->rows(), k);
  Eigen::MatrixXd held_covariance(k, k);
  for (Eigen::Index a = 0; a < k; ++a) {
    const auto ca = static_cast<Eigen::Index>(held.columns[static_cast<std::size_t>(a)]);
    returns.col(a) = panel->col(ca);
    for (Eigen::Index b = 0; b < k; ++b) {
      held_covariance(a, b) = (*covariance)(ca, static_cast<Eigen::Index>(held.columns[static_cast<std::size_t>(b)]));
    }
  }

  Json j{{"as_of", jv::time_text(desk.now())},
         {"currency", std::string(book.settlement_currency().code())},
         {"returns", "SIMPLE"},
         {"return_interval_ms", desk.config().bar_interval.count()},
         {"returns_used", returns_used},
         {"horizon_days", request.horizon_days},
         {"horizon_bars", horizon_bars},
         {"confidence", request.confidences},
         {"mean", "ZERO (historical: as observed)"},
         {"horizon_scaling",
          {{"HISTORICAL", "SQUARE_ROOT_OF_TIME"},
           {"PARAMETRIC_NORMAL", "SQUARE_ROOT_OF_TIME"},
           {"CORNISH_FISHER", "SQUARE_ROOT_OF_TIME_WITH_IID_CUMULANTS"},
           {"MONTE_CARLO", "SQUARE_ROOT_OF_TIME"}}},
         {"positions", held.columns.size()},
         {"gross_exposure", held.exposures.cwiseAbs().sum()},
         {"instruments", std::move(instruments)},
         {"estimates", estimates_json(desk, held, returns, held_covariance, request, horizon_bars)},
         {"stress", stress_json(held, book.equity().to_double())},
         {"correlation", {{"method", "SAMPLE"}, {"symbols", symbols_json(desk)}, {"matrix", matrix_json(*correlation)}}},
         {"note", held.columns.empty() ? Json("no open positions: VaR, ES and stress P&L are zero") : Json(nullptr)}};
  return json_response(200, j);
}

// ---- /api/positions/correlation -------------------------------------------------------------------------

net::HttpResponse correlation(Desk& desk, const std::string& method) {
  auto panel = desk.return_panel();
  if (!panel) return error_response(panel.error());
  const auto returns_used = static_cast<std::size_t>(panel->rows());
  if (returns_used < kMinReturns) return insufficient_history(returns_used, kMinReturns);
  Json j{{"method", method}, {"symbols", symbols_json(desk)}, {"returns", "SIMPLE"},
         {"return_interval_ms", desk.config().bar_interval.count()}, {"returns_used", returns_used}};
  core::Result<Eigen::MatrixXd> covariance = core::Result<Eigen::MatrixXd>(Eigen::MatrixXd());
  if (method == "sample") {
    covariance = an::sample_covariance(*panel);
  } else if (method == "ewma") {
    covariance = an::ewma_covariance(*panel, kEwmaLambda);
    j["lambda"] = kEwmaLambda;
  } else {
    auto shrunk = an::ledoit_wolf_covariance(*panel, an::ShrinkageTarget::ConstantCorrelation);
    if (!shrunk) return error_response(shrunk.error());
    j["target"] = "CONSTANT_CORRELATION";
    j["shrinkage_intensity"] = shrunk->intensity;
    covariance = std::move(shrunk->covariance);
  }
  if (!covariance) return error_response(covariance.error());
  auto matrix = an::correlation_from_covariance(*covariance);
  if (!matrix) return error_response(matrix.error());
  j["matrix"] = matrix_json(*matrix);
  return json_response(200, j);
}

// ---- /api/analytics/market ------------------------------------------------------------------------------

// The last value of an indicator series, null while it is still in its lookback (NaN).
Json last_value(const core::Result<std::vector<double>>& series) {
  if (!series || series->empty() || !std::isfinite(series->back())) return nullptr;
  return series->back();
}

Json volatility_json(const std::vector<double>& log_returns, double periods_per_year, Json& notes) {
  Json j{{"estimator", "CLOSE_TO_CLOSE"}, {"periods_per_year", periods_per_year},
         {"returns_used", log_returns.size()}, {"calendar", "CRYPTO_24X7"}};
  const auto full = an::close_to_close_volatility(log_returns, periods_per_year);
  j["annualised"] = full ? Json(*full) : Json(nullptr);
  const auto ewma = an::ewma_volatility(log_returns, periods_per_year, an::EwmaConfig{kEwmaLambda, 1});
  j["ewma_annualised"] = ewma ? Json(*ewma) : Json(nullptr);

  // Level: the latest rolling 20-return volatility against its own history on the desk.
  const auto rolling = an::rolling_close_to_close_volatility(log_returns, kVolWindow, periods_per_year);
  const auto level = rolling ? an::classify_latest_volatility(rolling->values)
                             : core::Result<an::VolatilityLevelResult>(rolling.error());
  if (level) {
    j["level"] = Json{{"class", an::to_string(level->level)},
                      {"percentile", level->percentile},
                      {"current", rolling->values.back()},
                      {"window_returns", kVolWindow},
                      {"history", rolling->values.size()}};
  } else {
    j["level"] = nullptr;
    notes.push_back(fmt::format("volatility level: {}", level.error().message()));
  }

  const an::VolatilityTrendConfig trend_config;
  if (log_returns.size() >= trend_config.long_window) {
    const auto trend = an::volatility_trend(log_returns, trend_config, periods_per_year);
    if (trend) {
      j["trend"] = Json{{"direction", an::to_string(trend->trend)},
                        {"short_volatility", trend->short_volatility},
                        {"long_volatility", trend->long_volatility},
                        {"variance_ratio", trend->variance_ratio},
                        {"short_window", trend_config.short_window},
                        {"long_window", trend_config.long_window}};
    } else {
      j["trend"] = nullptr;
      notes.push_back(fmt::format("volatility trend: {}", trend.error().message()));
    }
  } else {
    j["trend"] = nullptr;
    notes.push_back(fmt::format("volatility trend needs {} returns, {} available", trend_config.long_window,
                                log_returns.size()));
  }
  return j;
}

net::HttpResponse market(Desk& desk, const std::string& symbol) {
  const model::Instrument* instrument = desk.find_instrument(symbol);
  if (instrument == nullptr) return error_response(404, "NOT_FOUND", fmt::format("unknown symbol {}", symbol), "symbol");
  const auto index = desk.index_of(instrument->id());
  const auto& history = desk.closes(*index);
  if (history.size() < kMarketMinCloses) {
    return error_response(409, "INSUFFICIENT_HISTORY",
                          fmt::format("{} closes of {} available, {} needed", history.size(), symbol, kMarketMinCloses),
                          "symbol");
  }
  const std::vector<double> closes(history.begin(), history.end());
  auto logs = an::log_returns(closes);
  if (!logs) return error_response(logs.error());
  auto periods = an::periods_per_year(desk.config().bar_interval, an::TradingCalendar::Crypto24x7);
  if (!periods) return error_response(periods.error());

  Json notes = Json::array();
  notes.push_back("ATR and the market regime need bar highs and lows; the desk keeps closes only, so both are omitted");

  const Json sma20 = last_value(an::sma(closes, 20));
  const Json sma50 = last_value(an::sma(closes, 50));
  Json macd_json = nullptr;
  if (const auto m = an::macd(closes); m && !m->macd.empty() && std::isfinite(m->signal.back())) {
    macd_json = Json{{"macd", m->macd.back()}, {"signal", m->signal.back()}, {"histogram", m->histogram.back()},
                     {"fast", 12}, {"slow", 26}, {"signal_period", 9}};
  }
  Json bands = nullptr;
  if (const auto b = an::bollinger(closes); b && !b->middle.empty() && std::isfinite(b->middle.back())) {
    bands = Json{{"middle", b->middle.back()}, {"upper", b->upper.back()}, {"lower", b->lower.back()},
                 {"period", 20}, {"multiplier", 2.0}};
  }
  const double last = closes.back();
  std::string direction = "SIDEWAYS";
  if (sma20.is_number() && sma50.is_number()) {
    if (sma20.get<double>() > sma50.get<double>()) direction = "UP";
    if (sma20.get<double>() < sma50.get<double>()) direction = "DOWN";
  }

  Json j{{"symbol", symbol_of(*instrument)},
         {"instrument_id", instrument->id().value()},
         {"as_of", jv::time_text(desk.now())},
         {"bar_interval_ms", desk.config().bar_interval.count()},
         {"bars_used", closes.size()},
         {"last_close", last},
         {"indicators",
          {{"rsi_14", last_value(an::rsi(closes, 14))},
           {"sma_20", sma20},
           {"sma_50", sma50},
           {"ema_20", last_value(an::ema(closes, 20))},
           {"macd", macd_json},
           {"bollinger", bands},
           {"atr_14", nullptr}}},
         {"trend",
          {{"rule", "SMA20_VS_SMA50"},
           {"direction", direction},
           {"close_above_sma_20", sma20.is_number() ? Json(last > sma20.get<double>()) : Json(nullptr)}}},
         {"regime", nullptr}};
  j["volatility"] = volatility_json(*logs, *periods, notes);
  j["notes"] = std::move(notes);
  return json_response(200, j);
}

}  // namespace

void add_analytics_routes(Api& api) {
  ApiContext& ctx = api.ctx();

  api.route("GET", "/api/risk/analysis", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
              net::HttpResponse bad;
              auto parsed = parse_analysis_request(request, bad);
              if (!parsed) return respond(std::move(bad));
              ctx.service.post([respond, parsed = std::move(*parsed)](Desk& desk) { respond(risk_analysis(desk, parsed)); });
            });

  api.route("GET", "/api/positions/correlation", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
              const std::string method(request.query_param("method").value_or("sample"));
              if (method != "sample" && method != "ewma" && method != "ledoit_wolf") {
                return respond(error_response(400, "INVALID_ARGUMENT", "one of sample, ewma, ledoit_wolf", "method"));
              }
              ctx.service.post([respond, method](Desk& desk) { respond(correlation(desk, method)); });
            });

  api.route("GET", "/api/analytics/market", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
              const auto symbol = request.query_param("symbol");
              if (!symbol || symbol->empty()) return respond(error_response(400, "INVALID_ARGUMENT", "required", "symbol"));
              ctx.service.post([respond, symbol = std::string(*symbol)](Desk& desk) { respond(market(desk, symbol)); });
            });
}

}  // namespace ballast::server
