// Routes: backtests — the built-in strategies with their parameters, running a backtest from a form,
// following its progress, its results for charts and tables, the HTML report, cancel/forget. The jobs run
// on BacktestJobs' own thread; a submission takes the service's active risk configuration on the kernel
// thread and is answered (202) once its audit entry is durable, as is a cancel.

#include "ballast/analytics/statistic.hpp"
#include "ballast/server/backtest_jobs.hpp"
#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"
#include "ballast/strategy/technical_strategies.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace ballast::server {
namespace {

namespace jv = json_views;

core::Error bad(std::string message, std::string field) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(field));
}

// 400 for malformed input (InvalidArgument), 422 for anything else that was refused.
net::HttpResponse refusal(const core::Error& e) {
  if (e.code() == core::ErrorCode::InvalidArgument || e.code() == core::ErrorCode::ParseError) {
    return error_response(400, "INVALID_ARGUMENT", e.message(), e.where());
  }
  return error_response(422, "UNPROCESSABLE", e.message(), e.where());
}

// ---- request ---------------------------------------------------------------------------------------------

core::Result<std::vector<std::string>> string_list(const Json& object, const std::string& key,
                                                   const std::string& field) {
  std::vector<std::string> out;
  if (!object.contains(key) || object[key].is_null()) return out;
  const Json& v = object[key];
  if (v.is_string()) return std::vector<std::string>{v.get<std::string>()};
  if (!v.is_array()) return bad("must be an array of strings", field);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) return bad("must be a string", fmt::format("{}[{}]", field, i));
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

core::Result<std::uint64_t> unsigned_field(const Json& object, const std::string& key, const std::string& field,
                                           std::uint64_t fallback) {
  if (!object.contains(key) || object[key].is_null()) return fallback;
  const Json& v = object[key];
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer()) return bad("must be >= 0", field);
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d >= 0 && d == std::floor(d) && d < 1.8e19) return static_cast<std::uint64_t>(d);
  }
  return bad("must be a non-negative integer", field);
}

// A time given as ISO-8601 UTC text or epoch milliseconds.
core::Result<core::UnixNanos> time_field(const Json& v, const std::string& field) {
  if (v.is_number_integer()) return core::UnixNanos::from_millis(v.get<std::int64_t>());
  if (!v.is_string()) return bad("must be ISO-8601 UTC or epoch milliseconds", field);
  auto t = core::parse_timestamp(v.get<std::string>());
  if (!t) return bad(fmt::format("not a time: '{}' (ISO-8601 UTC or epoch milliseconds)", v.get<std::string>()), field);
  return *t;
}

core::Result<BacktestRequest> backtest_request(const Json& body, const ServiceConfig& config) {
  BacktestRequest r;
  if (!body.contains("strategy") || !body["strategy"].is_string()) {
    return bad("required: a built-in strategy name (GET /api/backtests/strategies)", "strategy");
  }
  r.strategy = body["strategy"].get<std::string>();
  if (body.contains("params") && !body["params"].is_null()) {
    const Json& params = body["params"];
    if (!params.is_object()) return bad("must be an object of name: number", "params");
    for (const auto& [name, value] : params.items()) {
      const std::string field = "params." + name;
      double number = 0.0;
      if (value.is_boolean()) {
        number = value.get<bool>() ? 1.0 : 0.0;
      } else if (value.is_number()) {
        number = value.get<double>();
      } else if (value.is_string()) {
        auto d = core::Decimal::parse(value.get<std::string>());
        if (!d) return bad(fmt::format("not a number: '{}'", value.get<std::string>()), field);
        number = d->to_double();
      } else {
        return bad("must be a number or a boolean", field);
      }
      if (!std::isfinite(number)) return bad("must be finite", field);
      r.params.emplace_back(name, number);
    }
  }
  if (!body.contains("data") || !body["data"].is_object()) {
    return bad("required: {\"source\":\"synthetic\",\"symbols\":[…],\"bars\":…} or {\"source\":\"csv\",\"files\":[…]}",
               "data");
  }
  const Json& data = body["data"];
  BacktestDataSpec& d = r.data;
  d.source = string_field(data, "source").value_or("synthetic");
  auto symbols = string_list(data, "symbols", "data.symbols");
  if (!symbols) return symbols.error();
  d.symbols = std::move(*symbols);
  if (d.symbols.empty() && !config.instruments.empty()) d.symbols.push_back(config.instruments.front().symbol);
  auto bars = unsigned_field(data, "bars", "data.bars", 2000);
  if (!bars) return bars.error();
  d.bars = static_cast<std::size_t>(std::min<std::uint64_t>(*bars, std::numeric_limits<std::size_t>::max() / 2));
  if (data.contains("interval") && !data["interval"].is_null()) {
    if (!data["interval"].is_string())
      return bad("must be a duration such as \"1m\", \"15m\", \"1h\", \"1d\"", "data.interval");
    auto interval = core::parse_duration(data["interval"].get<std::string>());
    if (!interval)
      return bad(fmt::format("not a duration: '{}'", data["interval"].get<std::string>()), "data.interval");
    d.interval = *interval;
  }
  auto seed = unsigned_field(data, "seed", "data.seed", config.seed);
  if (!seed) return seed.error();
  d.seed = *seed;
  if (data.contains("start") && !data["start"].is_null()) {
    auto t = time_field(data["start"], "data.start");
    if (!t) return t.error();
    d.start = *t;
  }
  auto files = string_list(data, "files", "data.files");
  if (!files) return files.error();
  d.files = std::move(*files);
  if (data.contains("fee_bps") && !data["fee_bps"].is_null()) {
    auto fee = decimal_field(data, "fee_bps", true);
    if (!fee) return bad(fee.error().message(), "data.fee_bps");
    d.fee_bps = *fee;
  }
  d.calendar = string_field(data, "calendar").value_or("auto");
  if (data.contains("bar_time") && !data["bar_time"].is_null()) {
    if (!data["bar_time"].is_string()) return bad("must be \"start\" or \"end\"", "data.bar_time");
    auto label = data::parse_bar_timestamp_label(data["bar_time"].get<std::string>());
    if (!label) return bad(label.error().message(), "data.bar_time");
    d.bar_time = *label;
  }

  if (body.contains("starting_balance") && !body["starting_balance"].is_null()) {
    auto balance = decimal_field(body, "starting_balance", true);
    if (!balance) return balance.error();
    r.starting_balance = *balance;
  } else {
    r.starting_balance = config.starting_balance;
  }
  if (body.contains("notional") && !body["notional"].is_null()) {
    auto notional = decimal_field(body, "notional", true);
    if (!notional) return notional.error();
    r.notional = *notional;
  }
  auto slippage = decimal_field(body, "slippage_bps", false);
  if (!slippage) return slippage.error();
  r.slippage_bps = *slippage;
  if (body.contains("trade_from") && !body["trade_from"].is_null()) {
    auto t = time_field(body["trade_from"], "trade_from");
    if (!t) return t.error();
    r.trade_from = *t;
  }
  if (body.contains("label") && !body["label"].is_null() && !body["label"].is_string())
    return bad("must be a string", "label");
  r.label = string_field(body, "label").value_or("");
  if (r.label.size() > 200) return bad("at most 200 characters", "label");
  if (r.label.empty()) {
    r.label = r.strategy;
    for (const auto& [name, value] : r.params) r.label += fmt::format(" {}={}", name, value);
  }
  return r;
}

// ---- responses -------------------------------------------------------------------------------------------

Json stat(const analytics::Statistic& s) {
  return s.is_defined() ? Json(s.value()) : Json(nullptr);
}

Json points(const std::vector<SeriesPoint>& series, const char* value_key) {
  Json out = Json::array();
  for (const auto& p : series) out.push_back(Json{{"ts_ms", p.ts_ms}, {value_key, p.value}});
  return out;
}

Json opt_time(const std::optional<core::UnixNanos>& t) {
  return t ? Json(jv::time_text(*t)) : Json(nullptr);
}
Json opt_ms(const std::optional<core::UnixNanos>& t) {
  return t ? Json(t->millis()) : Json(nullptr);
}

// Every metric of the HTML report's table, as numbers: fractions for returns, drawdown, volatility, win rate
// and exposure; ratios unitless; money in the settlement currency; undefined statistics null with their
// reason in "undefined".
Json metrics_json(const BacktestResult& r) {
  const auto& p = r.metrics.performance;
  const auto& t = r.metrics.trades;
  Json undefined = Json::object();
  const auto note = [&undefined](const char* name, const analytics::Statistic& s) {
    if (!s.is_defined()) undefined[name] = std::string(analytics::to_string(s.reason()));
    return stat(s);
  };
  Json m{
      {"initial_equity", r.initial_equity},
      {"final_equity", r.final_equity},
      {"total_return", p.total_return},
      {"benchmark_total_return", r.metrics.benchmark ? Json(r.metrics.benchmark->total_return) : Json(nullptr)},
      {"cagr", note("cagr", p.cagr)},
      {"annual_volatility", note("annual_volatility", p.annual_volatility)},
      {"sharpe", note("sharpe", p.sharpe_ratio)},
      {"sortino", note("sortino", p.sortino_ratio)},
      {"calmar", note("calmar", p.calmar_ratio)},
      {"omega", note("omega", p.omega_ratio)},
      {"downside_deviation", p.downside_deviation},
      {"max_drawdown", -p.max_drawdown.depth},
      {"max_drawdown_peak_ms", p.max_drawdown_dates ? Json(p.max_drawdown_dates->peak.millis()) : Json(nullptr)},
      {"max_drawdown_trough_ms", p.max_drawdown_dates ? Json(p.max_drawdown_dates->trough.millis()) : Json(nullptr)},
      {"max_drawdown_recovery_ms", p.max_drawdown_dates && p.max_drawdown_dates->recovery
                                       ? Json(p.max_drawdown_dates->recovery->millis())
                                       : Json(nullptr)},
      {"ulcer_index", p.ulcer_index},
      {"tail_ratio", note("tail_ratio", p.tail_ratio)},
      {"skew", note("skew", p.skewness)},
      {"excess_kurtosis", note("excess_kurtosis", p.excess_kurtosis)},
      {"best_period", p.best_period.value},
      {"worst_period", p.worst_period.value},
      {"periods", p.periods},
      {"trades", t.count},
      {"wins", t.wins},
      {"losses", t.losses},
      {"win_rate", note("win_rate", t.win_rate)},
      {"profit_factor", note("profit_factor", t.profit_factor)},
      {"average_win", note("average_win", t.average_win)},
      {"average_loss", note("average_loss", t.average_loss)},
      {"payoff_ratio", note("payoff_ratio", t.payoff_ratio)},
      {"expectancy", note("expectancy", t.expectancy)},
      {"largest_win", note("largest_win", t.largest_win)},
      {"largest_loss", note("largest_loss", t.largest_loss)},
      {"max_consecutive_wins", t.max_consecutive_wins},
      {"max_consecutive_losses", t.max_consecutive_losses},
      {"average_holding_time_s",
       t.average_holding_time ? Json(std::chrono::duration<double>(*t.average_holding_time).count()) : Json(nullptr)},
      {"exposure", note("exposure", t.exposure)},
      {"net_pnl", t.net_pnl},
      {"gross_profit", t.gross_profit},
      {"gross_loss", t.gross_loss},
      {"fees", t.total_fees},
      {"denied_orders", r.denied_orders},
      {"breaker_trips", r.breaker_trips},
      {"bars", r.bars}};
  m["undefined"] = std::move(undefined);
  return m;
}

Json headline(const BacktestResult& r) {
  const auto& p = r.metrics.performance;
  return Json{{"total_return", p.total_return},   {"cagr", stat(p.cagr)},
              {"sharpe", stat(p.sharpe_ratio)},   {"max_drawdown", -p.max_drawdown.depth},
              {"trades", r.metrics.trades.count}, {"win_rate", stat(r.metrics.trades.win_rate)}};
}

Json result_json(const BacktestResult& r) {
  Json markers = Json::array();
  for (const auto& m : r.markers) {
    markers.push_back(Json{{"ts_ms", m.ts_ms},
                           {"side", std::string(model::to_string(m.side))},
                           {"price", m.price},
                           {"quantity", m.quantity},
                           {"kind", m.entry ? "entry" : "exit"}});
  }
  Json monthly = Json::array();
  for (const auto& m : r.metrics.monthly)
    monthly.push_back(Json{{"year", m.year}, {"month", m.month}, {"return", m.value}});
  Json trades = Json::array();
  for (const auto& t : r.trades) {
    const bool long_trip = t.direction == model::PositionSide::Long;
    const double ret = t.entry_price > 0.0 ? (long_trip ? 1.0 : -1.0) * (t.exit_price / t.entry_price - 1.0) : 0.0;
    trades.push_back(Json{{"instrument", t.instrument_id.to_string()},
                          {"side", std::string(model::to_string(t.direction))},
                          {"entry_time", jv::time_text(t.entry_time)},
                          {"entry_ms", t.entry_time.millis()},
                          {"exit_time", jv::time_text(t.exit_time)},
                          {"exit_ms", t.exit_time.millis()},
                          {"entry_price", t.entry_price},
                          {"exit_price", t.exit_price},
                          {"quantity", t.quantity},
                          {"pnl", t.pnl - t.fees},
                          {"gross_pnl", t.pnl},
                          {"fees", t.fees},
                          {"return", ret}});
  }
  return Json{{"instrument", r.instrument},
              {"equity_samples", r.equity_samples},
              {"metrics", metrics_json(r)},
              {"equity", points(r.equity, "value")},
              {"benchmark", points(r.benchmark, "value")},
              {"drawdown", points(r.drawdown, "value")},
              {"prices", points(r.prices, "close")},
              {"markers", std::move(markers)},
              {"markers_truncated", r.markers_truncated},
              {"monthly_returns", std::move(monthly)},
              {"trades", std::move(trades)}};
}

Json job_json(const BacktestJobView& v, bool with_result) {
  const BacktestRequest& q = *v.request;
  Json params = Json::object();
  for (const auto& [name, value] : q.params) params[name] = value;
  Json data{{"source", q.data.source}, {"calendar", q.data.calendar}};
  if (q.data.source == "csv") {
    data["files"] = q.data.files;
    data["fee_bps"] = jv::decimal_text(q.data.fee_bps);
    data["bar_time"] = std::string(data::to_string(q.data.bar_time));
  } else {
    data["symbols"] = q.data.symbols;
    data["bars"] = q.data.bars;
    data["interval"] = core::format_duration(q.data.interval);
    data["seed"] = q.data.seed;
    data["start"] = opt_time(q.data.start);
  }
  Json j{{"id", v.id},
         {"label", q.label},
         {"strategy", q.strategy},
         {"params", std::move(params)},
         {"data", std::move(data)},
         {"starting_balance", jv::decimal_text(q.starting_balance)},
         {"notional", q.notional ? Json(jv::decimal_text(*q.notional)) : Json(nullptr)},
         {"slippage_bps", jv::decimal_text(q.slippage_bps)},
         {"trade_from", opt_time(q.trade_from)},
         {"risk_config", q.risk_config_name},
         {"submitted_by", q.submitted_by},
         {"status", std::string(to_string(v.status))},
         {"progress", v.progress},
         {"cancel_requested", v.cancel_requested},
         {"created", jv::time_text(v.created)},
         {"created_ms", v.created.millis()},
         {"started", opt_time(v.started)},
         {"started_ms", opt_ms(v.started)},
         {"finished", opt_time(v.finished)},
         {"finished_ms", opt_ms(v.finished)},
         {"error", v.error.empty() ? Json(nullptr) : Json(v.error)},
         {"metrics", v.result ? headline(*v.result) : Json(nullptr)}};
  if (with_result && v.result) j["result"] = result_json(*v.result);
  return j;
}

Json strategies_json() {
  Json out = Json::array();
  for (const auto& s : strategy::builtin_strategies()) {
    Json params = Json::array();
    for (const auto& p : s.parameters) {
      const bool boolean = p.integer && p.min == 0.0 && p.max == 1.0;
      params.push_back(Json{{"name", std::string(p.name)},
                            {"type", boolean     ? "boolean"
                                     : p.integer ? "integer"
                                                 : "number"},
                            {"default", p.default_value},
                            {"min", p.min},
                            {"max", p.max},
                            {"description", std::string(p.description)}});
    }
    out.push_back(Json{
        {"name", std::string(s.name)}, {"description", std::string(s.description)}, {"parameters", std::move(params)}});
  }
  return out;
}

}  // namespace

void add_backtest_routes(Api& api) {
  ApiContext& ctx = api.ctx();

  api.route("GET", "/api/backtests/strategies", Role::Viewer,
            [](const Principal&, net::HttpRequest&&, net::Responder respond) {
              respond(json_response(200, Json{{"strategies", strategies_json()}}));
            });

  api.route("GET", "/api/backtests", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
              if (ctx.backtests == nullptr)
                return respond(error_response(500, "INTERNAL", "backtests are not available"));
              Json jobs = Json::array();
              for (const auto& v : ctx.backtests->list()) jobs.push_back(job_json(v, false));
              respond(json_response(200, Json{{"backtests", std::move(jobs)}}));
            });

  api.route("GET", "/api/backtests/{id}", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
              if (ctx.backtests == nullptr)
                return respond(error_response(500, "INTERNAL", "backtests are not available"));
              const std::string id = request.path_params["id"];
              const auto v = ctx.backtests->find(id);
              if (!v) return respond(error_response(404, "NOT_FOUND", fmt::format("no backtest '{}'", id), "id"));
              respond(json_response(200, job_json(*v, true)));
            });

  api.route(
      "GET", "/api/backtests/{id}/report", Role::Viewer,
      [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
        if (ctx.backtests == nullptr) return respond(error_response(500, "INTERNAL", "backtests are not available"));
        const std::string id = request.path_params["id"];
        const auto v = ctx.backtests->find(id);
        if (!v) return respond(error_response(404, "NOT_FOUND", fmt::format("no backtest '{}'", id), "id"));
        if (v->status != BacktestStatus::Done || !v->result) {
          return respond(error_response(
              409, "NOT_READY",
              fmt::format("backtest {} is {}; the report exists once it is DONE", id, to_string(v->status)), "id"));
        }
        net::HttpResponse html;
        html.status = 200;
        html.content_type = "text/html; charset=utf-8";
        html.body = v->result->html;
        // The report is self-contained (inline SVG and styles, no script): it may load nothing at all.
        html.headers.emplace_back("Content-Security-Policy",
                                  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'");
        html.headers.emplace_back("Cache-Control", "no-store");
        respond(std::move(html));
      },
      /*token_in_query=*/true);

  api.route("POST", "/api/backtests", Role::Trader,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              if (ctx.backtests == nullptr)
                return respond(error_response(500, "INTERNAL", "backtests are not available"));
              net::HttpResponse error;
              auto body = parse_object(request, error);
              if (!body) return respond(std::move(error));
              auto parsed = backtest_request(*body, ctx.config);
              if (!parsed) return respond(refusal(parsed.error()));
              parsed->submitted_by = who.user;
              // Checked here (an I/O thread: the strategy factory and a stat of the files) so a refusal costs the
              // kernel nothing; the worker reads the data.
              if (auto s = ctx.backtests->check(*parsed); !s) return respond(refusal(s.error()));
              const std::string remote = request.remote_address;
              ctx.service.post([&ctx, who, remote, submission = std::move(*parsed), text = std::move(request.body),
                                respond](Desk& desk) mutable {
                submission.risk = desk.kernel().engine().config();
                submission.risk_config_name = desk.active_config_name();
                auto job = ctx.backtests->submit(std::move(submission));
                if (!job) {
                  if (job.error().code() == core::ErrorCode::InvalidState) {
                    return respond(error_response(409, "CONFLICT", job.error().message(), job.error().where()));
                  }
                  return respond(refusal(job.error()));
                }
                desk.audit(who.user, "backtest.submit", job->id, std::move(text), remote);
                Json answer = job_json(*job, false);
                desk.flush([respond, answer = std::move(answer)](core::Status s) {
                  if (!s)
                    return respond(
                        error_response(500, "STORE_FAILED", "the audit entry was not stored: " + s.error().message()));
                  respond(json_response(202, answer));
                });
              });
            });

  api.route("DELETE", "/api/backtests/{id}", Role::Trader,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              if (ctx.backtests == nullptr)
                return respond(error_response(500, "INTERNAL", "backtests are not available"));
              const std::string id = request.path_params["id"];
              const std::string remote = request.remote_address;
              ctx.service.post([&ctx, who, remote, id, respond](Desk& desk) {
                auto removed = ctx.backtests->cancel_or_forget(id);
                if (!removed) return respond(error_response(removed.error()));
                const auto& [what, view] = *removed;
                const char* action = what == BacktestJobs::Removal::Forgotten         ? "forgotten"
                                     : what == BacktestJobs::Removal::CancelRequested ? "cancel_requested"
                                                                                      : "canceled";
                desk.audit(who.user, "backtest.delete", id, Json{{"action", action}}.dump(), remote);
                Json answer = job_json(view, false);
                answer["action"] = action;
                const unsigned status = what == BacktestJobs::Removal::CancelRequested ? 202 : 200;
                desk.flush([respond, status, answer = std::move(answer)](core::Status s) {
                  if (!s)
                    return respond(
                        error_response(500, "STORE_FAILED", "the audit entry was not stored: " + s.error().message()));
                  respond(json_response(status, answer));
                });
              });
            });
}

}  // namespace ballast::server
