// Routes: live risk, pre-trade evaluation, circuit breakers, the emergency stop, alerts, risk history and
// the risk configuration. Changes are durable (configuration, trading state, audit) before the answer.

#include "ballast/risk/risk_config.hpp"
#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"

#include <fmt/format.h>

namespace ballast::server {
namespace {

namespace jv = json_views;

// How close each enabled account-level limit is: value / limit (1 = at the limit).
Json limit_utilisation(const Desk& desk) {
  const auto& engine = desk.kernel().engine();
  const auto& config = engine.config();
  const auto& book = desk.kernel().book();
  const auto counters = engine.counters(desk.now());
  Json out = Json::array();
  const auto add = [&out](std::string_view name, bool enabled, double value, double limit) {
    if (!enabled || limit <= 0) return;
    out.push_back(Json{{"limit", name}, {"value", value}, {"max", limit}, {"utilisation", value / limit}});
  };
  const double equity = book.equity().to_double();
  add("MAX_GROSS_EXPOSURE", config.max_gross_exposure.enabled, book.gross_exposure().to_double(),
      config.max_gross_exposure.value.to_double());
  add("MAX_NET_EXPOSURE", config.max_net_exposure.enabled, book.net_exposure().abs().to_double(),
      config.max_net_exposure.value.to_double());
  add("MAX_LEVERAGE", config.max_leverage.enabled, equity > 0 ? book.gross_exposure().to_double() / equity : 0.0,
      config.max_leverage.value.to_double());
  add("DAILY_LOSS_LIMIT", config.daily_loss_limit.enabled, std::max(0.0, -counters.daily_pnl.to_double()),
      config.daily_loss_limit.value.to_double());
  add("MAX_OPEN_ORDERS_TOTAL", config.max_open_orders_total.enabled, book.open_orders(),
      static_cast<double>(config.max_open_orders_total.value));
  add("MAX_TRADES_PER_DAY", config.max_trades_per_day.enabled, static_cast<double>(counters.trades_today),
      static_cast<double>(config.max_trades_per_day.value));
  add("PORTFOLIO_VAR", config.portfolio_var.enabled, engine.portfolio_var(), config.portfolio_var.max_var.to_double());
  const double margin = (book.initial_margin() + book.open_order_margin()).to_double();
  add("MARGIN", config.check_margin, margin, equity);
  return out;
}

// The portfolio VaR model behind portfolio_var: the instruments' daily σ, from how many bar returns, as of
// which bar (null before the first model: it needs 30 returns and is refreshed every 60 bars).
Json var_model_json(const Desk& desk) {
  const auto& m = desk.var_model();
  if (m.returns_used == 0) return nullptr;
  const auto& config = desk.kernel().engine().config().portfolio_var;
  Json sigma = Json::object();
  for (std::size_t i = 0; i < m.daily_volatility.size() && i < desk.instruments().size(); ++i) {
    sigma[std::string(desk.instruments()[i]->id().symbol())] = m.daily_volatility[i];
  }
  return Json{{"method", "PARAMETRIC_NORMAL"},
              {"confidence", config.confidence},
              {"horizon_days", config.horizon_days},
              {"returns_used", m.returns_used},
              {"at_bar", m.at_bar},
              {"daily_volatility", std::move(sigma)}};
}

Json risk_json(Desk& desk) {
  auto& kernel = desk.kernel();
  const auto& book = kernel.book();
  const auto counters = kernel.engine().counters(desk.now());
  Json j{{"trading_state", risk::to_string(kernel.engine().trading_state())},
         {"emergency_stop", kernel.emergency_stop_state().engaged},
         {"equity", jv::decimal_text(book.equity())},
         {"gross_exposure", jv::decimal_text(book.gross_exposure())},
         {"net_exposure", jv::decimal_text(book.net_exposure())},
         {"leverage", book.equity().is_positive() ? book.gross_exposure().to_double() / book.equity().to_double() : 0.0},
         {"portfolio_var", kernel.engine().portfolio_var()},
         {"var_model", var_model_json(desk)},
         {"margin_ratio", kernel.monitor().margin_ratio() ? Json(kernel.monitor().margin_ratio()->to_double()) : Json(nullptr)},
         {"peak_equity", jv::decimal_text(kernel.monitor().peak_equity())},
         {"daily_pnl", jv::decimal_text(counters.daily_pnl)},
         {"loss_streak", counters.loss_streak},
         {"trades_today", counters.trades_today},
         {"orders_last_minute", counters.orders_last_minute},
         {"cooldown_until", counters.cooldown_until ? Json(jv::time_text(*counters.cooldown_until)) : Json(nullptr)},
         {"limits", limit_utilisation(desk)},
         {"performance", jv::performance(kernel.monitor().performance())}};
  return j;
}

Json breakers_json(Desk& desk) {
  const auto& configs = desk.kernel().engine().config().circuit_breakers;
  Json out = Json::array();
  for (const auto& status : desk.kernel().monitor().breaker_statuses()) {
    Json j = jv::breaker_status(status);
    for (const auto& c : configs) {
      if (c.name != status.name) continue;
      j["condition"] = risk::to_string(c.condition);
      j["threshold"] = jv::decimal_text(c.threshold);
      j["action"] = risk::to_string(c.action);
      j["enabled"] = c.enabled;
      j["config"] = jv::breaker_config(c);  // every key of the definition, for the edit form
    }
    out.push_back(std::move(j));
  }
  return out;
}

// Saves `config` as the account's named configuration, activates it and applies it to the engine. Callers
// apply its circuit breakers to the running monitor first (RiskMonitor::reconfigure_breakers).
core::Status apply_risk_config(Desk& desk, risk::RiskConfig config, const std::string& name, const std::string& user) {
  desk.kernel().monitor().settle();  // measurements deferred under the old limits are taken under them
  BALLAST_TRY(desk.kernel().engine().set_config(config));
  persistence::RiskConfigurationRow row;
  row.account_id = desk.account_id();
  row.name = name;
  row.document = risk::to_json(config);
  row.active = true;
  row.updated = desk.now();
  row.updated_by = user;
  BALLAST_TRY(desk.store().save_risk_configuration(row));
  BALLAST_TRY(desk.store().activate_risk_configuration(desk.account_id(), name));
  desk.set_active_config_name(name);
  return core::ok();
}

// Validates `config` as a whole (a refused one changes nothing), applies its breakers to the running monitor
// (unchanged ones keep their state), saves it under `name` and activates it, audits `action`, and answers
// {"name","risk","restart_required":[]} once durable. Runs on the kernel thread.
void replace_risk_config(Desk& desk, risk::RiskConfig config, const std::string& name, const Principal& who,
                         std::string_view action, std::string body, std::string_view remote, net::Responder respond) {
  if (auto s = risk::validate(config); !s) return respond(error_response(s.error(), true));
  if (auto s = desk.kernel().monitor().reconfigure_breakers(config.circuit_breakers); !s) {
    return respond(error_response(s.error(), true));
  }
  if (auto s = apply_risk_config(desk, std::move(config), name, who.user); !s) return respond(error_response(s.error(), true));
  desk.audit(who.user, action, name, std::move(body), remote);
  desk.publish("circuit_breakers", desk.snapshot("circuit_breakers"));
  Json answer{{"name", name},
              {"risk", Json::parse(risk::to_json(desk.kernel().engine().config()))},
              {"restart_required", Json::array()}};
  desk.flush([respond, answer = std::move(answer)](core::Status s) {
    if (!s) return respond(error_response(s.error()));
    respond(json_response(200, answer));
  });
}

// The active configuration's JSON form with `edit` applied, parsed and checked again as a whole.
core::Result<risk::RiskConfig> edited_config(const Desk& desk, const std::function<void(Json&)>& edit) {
  Json document = Json::parse(risk::to_json(desk.kernel().engine().config()));
  edit(document);
  return risk::parse_risk_config_json(document.dump(), "body");
}

}  // namespace

void add_risk_routes(Api& api) {
  ApiContext& ctx = api.ctx();

  api.route("GET", "/api/risk", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) { respond(json_response(200, risk_json(desk))); });
  });
  api.route("GET", "/api/risk/portfolio", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) {
      const auto& book = desk.kernel().book();
      Json exposures = Json::array();
      for (const auto& slot : book.slots()) {
        if (slot.quantity.is_zero()) continue;
        exposures.push_back(Json{{"instrument_id", slot.instrument->id().value()},
                                 {"notional", jv::decimal_text(slot.notional)},
                                 {"weight", book.gross_exposure().is_positive()
                                                ? slot.notional.abs().to_double() / book.gross_exposure().to_double()
                                                : 0.0}});
      }
      double hhi = 0;
      for (const auto& e : exposures) hhi += e["weight"].get<double>() * e["weight"].get<double>();
      Json j = risk_json(desk);
      j["exposures"] = std::move(exposures);
      j["herfindahl"] = hhi;
      respond(json_response(200, j));
    });
  });

  api.route("POST", "/api/risk/evaluate", Role::Viewer, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    net::HttpResponse bad;
    auto body = parse_object(request, bad);
    if (!body) return respond(std::move(bad));
    ctx.service.post([respond, body = std::move(*body), who](Desk& desk) {
      const auto symbol = string_field(body, "symbol");
      const model::Instrument* instrument = symbol ? desk.find_instrument(*symbol) : nullptr;
      if (instrument == nullptr) return respond(error_response(400, "INVALID_ARGUMENT", "a listed symbol is required", "symbol"));
      model::OrderSpec spec;
      spec.client_order_id = core::ClientOrderId("DRY-RUN");
      spec.account_id = core::AccountId(desk.account_id());
      spec.strategy_id = core::StrategyId("API:" + who.user);
      spec.instrument_id = instrument->id();
      auto side = model::parse<model::OrderSide>(string_field(body, "side").value_or(""));
      if (!side) return respond(error_response(400, "INVALID_ARGUMENT", side.error().message(), "side"));
      spec.side = *side;
      auto type = model::parse<model::OrderType>(string_field(body, "type").value_or("MARKET"));
      if (!type) return respond(error_response(400, "INVALID_ARGUMENT", type.error().message(), "type"));
      spec.type = *type;
      auto quantity = decimal_field(body, "quantity", true);
      if (!quantity) return respond(error_response(quantity.error()));
      spec.quantity = model::Quantity(*quantity);
      if (body.contains("price") && !body["price"].is_null()) {
        auto price = decimal_field(body, "price", true);
        if (!price) return respond(error_response(price.error()));
        spec.price = model::Price(*price);
      }
      spec.reduce_only = body.value("reduce_only", false);
      spec.ts_init = desk.now();
      auto order = model::Order::create(spec);
      if (!order) return respond(error_response(order.error(), true));
      auto req = desk.kernel().engine().request_for(*order);
      if (!req) return respond(error_response(req.error(), true));
      const auto decision = desk.kernel().engine().evaluate(*req, desk.now());
      Json checks = Json::array();
      for (const auto& c : desk.kernel().engine().explain(*req, desk.now())) {
        checks.push_back(Json{{"check", risk::to_string(c.check)},
                              {"status", risk::to_string(c.status)},
                              {"reason", risk::to_string(c.reason)},
                              {"limit", jv::decimal_text(c.limit)},
                              {"value", jv::decimal_text(c.value)}});
      }
      respond(json_response(200, Json{{"decision", jv::decision(decision)}, {"checks", std::move(checks)}}));
    });
  });

  // ---- circuit breakers ----
  api.route("GET", "/api/risk/circuit-breakers", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) { respond(json_response(200, Json{{"breakers", breakers_json(desk)}})); });
  });
  api.route("GET", "/api/risk/circuit-breakers/events", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
              auto q = time_query(ctx, request, 100, 1000);
              if (!q) return respond(error_response(q.error()));
              auto rows = ctx.store.query_breaker_events(*q);
              if (!rows) return respond(error_response(rows.error()));
              Json events = Json::array();
              for (const auto& r : *rows) {
                Json detail = Json::parse(r.message, nullptr, false);
                events.push_back(detail.is_discarded() ? jv::breaker_event(r) : detail);
              }
              respond(json_response(200, Json{{"events", std::move(events)}}));
            });
  api.route("POST", "/api/risk/circuit-breakers/{name}/reset", Role::Admin,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              const std::string name = request.path_params["name"];
              std::string reason = "reset from the API";
              if (!request.body.empty()) {
                net::HttpResponse bad;
                auto body = parse_object(request, bad);
                if (!body) return respond(std::move(bad));
                reason = string_field(*body, "reason").value_or(reason);
              }
              const std::string remote = request.remote_address;
              ctx.service.post([respond, name, reason, who, remote](Desk& desk) {
                if (auto s = desk.kernel().monitor().reset_breaker(name, std::nullopt, who.user, reason); !s) {
                  return respond(error_response(s.error()));
                }
                desk.audit(who.user, "breaker.reset", name, Json{{"reason", reason}}.dump(), remote);
                Json answer{{"breakers", breakers_json(desk)}};
                desk.flush([respond, answer = std::move(answer)](core::Status s) {
                  if (!s) return respond(error_response(s.error()));
                  respond(json_response(200, answer));
                });
              });
            });

  // ---- emergency stop ----
  api.route("POST", "/api/risk/emergency-stop", Role::Trader, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    net::HttpResponse bad;
    auto body = parse_object(request, bad);
    if (!body) return respond(std::move(bad));
    const auto reason = string_field(*body, "reason");
    if (!reason || reason->empty()) return respond(error_response(400, "INVALID_ARGUMENT", "a reason is required", "reason"));
    const bool flatten = body->value("flatten", false);
    const std::string remote = request.remote_address;
    // Every live venue first (each answers once its HALTED state is durable), then the paper desk.
    Json live = engage_venue_emergency_stops(ctx, who.user, *reason, flatten, remote);
    ctx.service.post([respond, who, reason = *reason, flatten, remote, live = std::move(live)](Desk& desk) {
      risk::EmergencyStopRequest req{who.user, reason, flatten};
      auto stopped = desk.kernel().engage_emergency_stop(req);
      if (!stopped) return respond(error_response(stopped.error()));
      Json venues = Json::array();
      for (const auto& v : stopped->venues) {
        Json closes = Json::array();
        for (const auto& id : v.close_orders) closes.push_back(id.value());
        venues.push_back(Json{{"venue", v.venue.value()},
                              {"ok", v.errors.empty()},
                              {"errors", v.errors},
                              {"close_orders", std::move(closes)}});
      }
      for (const auto& v : live) venues.push_back(v);
      // The HALTED state is written in this same commit, before the answer.
      desk.batch().trading_states.push_back(jv::trading_state_row(
          desk.kernel(), desk.account_id(), "emergency stop: " + reason, who.user, desk.now()));
      desk.audit(who.user, "emergency_stop.engage", desk.account_id(), Json{{"reason", reason}, {"flatten", flatten}}.dump(), remote);
      Json answer{{"engaged", true},
                  {"already_engaged", stopped->already_engaged},
                  {"engaged_by", stopped->engaged_by},
                  {"since", jv::time_text(stopped->engaged_since)},
                  {"flatten", flatten},
                  {"trading_state", risk::to_string(desk.kernel().engine().trading_state())},
                  {"venues", std::move(venues)}};
      desk.publish("risk", Json{{"type", "emergency_stop"}, {"data", answer}}.dump());
      desk.flush([respond, answer = std::move(answer)](core::Status s) {
        if (!s) return respond(error_response(s.error()));
        respond(json_response(200, answer));
      });
    });
  });
  api.route("POST", "/api/risk/emergency-stop/reset", Role::Admin, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    net::HttpResponse bad;
    auto body = parse_object(request, bad);
    if (!body) return respond(std::move(bad));
    const auto reason = string_field(*body, "reason");
    if (!reason || reason->empty()) return respond(error_response(400, "INVALID_ARGUMENT", "a reason is required", "reason"));
    const std::string remote = request.remote_address;
    ctx.service.post([respond, who, reason = *reason, remote](Desk& desk) {
      if (auto s = desk.kernel().reset_emergency_stop(who.user, reason); !s) return respond(error_response(s.error()));
      desk.batch().trading_states.push_back(jv::trading_state_row(
          desk.account_id(), desk.kernel().engine().trading_state(), "emergency stop reset: " + reason, who.user,
          desk.now()));
      desk.audit(who.user, "emergency_stop.reset", desk.account_id(), Json{{"reason", reason}}.dump(), remote);
      Json answer{{"engaged", false}, {"trading_state", risk::to_string(desk.kernel().engine().trading_state())}};
      desk.publish("risk", Json{{"type", "emergency_stop"}, {"data", answer}}.dump());
      desk.flush([respond, answer = std::move(answer)](core::Status s) {
        if (!s) return respond(error_response(s.error()));
        respond(json_response(200, answer));
      });
    });
  });

  // ---- alerts and history (read from the store) ----
  api.route("GET", "/api/risk/alerts", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
    auto q = time_query(ctx, request, 100, 1000);
    if (!q) return respond(error_response(q.error()));
    auto rows = ctx.store.query_alerts(*q);
    if (!rows) return respond(error_response(rows.error()));
    Json alerts = Json::array();
    for (const auto& r : *rows) alerts.push_back(jv::alert(r));
    respond(json_response(200, Json{{"alerts", std::move(alerts)}}));
  });
  api.route("GET", "/api/risk/history", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
    auto q = time_query(ctx, request, 1000, 100000);
    if (!q) return respond(error_response(q.error()));
    auto rows = ctx.store.query_risk_snapshots(*q);
    if (!rows) return respond(error_response(rows.error()));
    Json points = Json::array();
    for (const auto& r : *rows) {
      Json doc = Json::parse(r.document.empty() ? std::string("{}") : r.document, nullptr, false);
      points.push_back(Json{{"ts", jv::time_text(r.ts)},
                            {"ts_ms", r.ts.millis()},
                            {"equity", jv::decimal_text(r.equity)},
                            {"gross_exposure", jv::decimal_text(r.gross_exposure)},
                            {"net_exposure", jv::decimal_text(r.net_exposure)},
                            {"margin_used", jv::decimal_text(r.margin_used)},
                            {"margin_usage", r.margin_usage},
                            {"var", r.var_95},
                            {"details", doc.is_discarded() ? Json::object() : doc}});
    }
    respond(json_response(200, Json{{"points", std::move(points)}}));
  });

  // ---- configuration ----
  api.route("GET", "/api/config", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond, &ctx](Desk& desk) {
      auto saved = ctx.store.list_risk_configurations(desk.account_id());
      Json names = Json::array();
      if (saved) {
        for (const auto& r : *saved) names.push_back(Json{{"name", r.name}, {"active", r.active}, {"updated_by", r.updated_by}});
      }
      respond(json_response(200, Json{{"active", desk.active_config_name()},
                                      {"configurations", std::move(names)},
                                      {"risk", Json::parse(risk::to_json(desk.kernel().engine().config()))},
                                      {"service", {{"feed", desk.config().feed},
                                                   {"speed", desk.config().speed},
                                                   {"account_id", desk.account_id()}}}}));
    });
  });
  api.route("GET", "/api/config/global", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) {
      respond(net::HttpResponse::json(200, risk::to_json(desk.kernel().engine().config())));
    });
  });
  api.route("GET", "/api/config/symbols", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) {
      const Json all = Json::parse(risk::to_json(desk.kernel().engine().config()));
      respond(json_response(200, Json{{"symbols", all.contains("symbols") ? all["symbols"] : Json::array()}}));
    });
  });
  api.route("PUT", "/api/config/global", Role::Admin, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    // The whole configuration, in the JSON form of docs/risk/configuration.md; every problem is reported.
    auto parsed = risk::parse_risk_config_json(request.body, "body");
    if (!parsed) return respond(error_response(parsed.error(), true));
    std::string name = "default";
    if (auto n = request.query_param("name"); n && !n->empty()) name = std::string(*n);
    const std::string remote = request.remote_address;
    ctx.service.post([respond, config = std::move(*parsed), name, who, remote, body = std::move(request.body)](Desk& desk) mutable {
      replace_risk_config(desk, std::move(config), name, who, "config.global", std::move(body), remote, respond);
    });
  });
  api.route("POST", "/api/risk/limits", Role::Admin, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    // A JSON merge patch (RFC 7386) onto the active configuration: {"account":{"max_gross_exposure":"50000"}}
    // changes that limit and keeps everything else; null removes a key (its default applies).
    net::HttpResponse error;
    auto patch = parse_object(request, error);
    if (!patch) return respond(std::move(error));
    const std::string remote = request.remote_address;
    ctx.service.post([respond, patch = std::move(*patch), who, remote, body = std::move(request.body)](Desk& desk) mutable {
      auto config = edited_config(desk, [&patch](Json& document) { document.merge_patch(patch); });
      if (!config) return respond(error_response(config.error(), true));
      replace_risk_config(desk, std::move(*config), desk.active_config_name(), who, "risk.limits", std::move(body), remote,
                          respond);
    });
  });
  api.route("PUT", "/api/config/symbols/{symbol}", Role::Admin, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    // One instrument's overrides (the form of a [[symbols]] entry, docs/risk/configuration.md), replacing any
    // it had; the instrument comes from the path ("BTCUSDT" or "BTCUSDT.PAPER").
    net::HttpResponse error;
    auto entry = parse_object(request, error);
    if (!entry) return respond(std::move(error));
    const std::string symbol = request.path_params["symbol"];
    const std::string remote = request.remote_address;
    ctx.service.post([respond, entry = std::move(*entry), symbol, who, remote, body = std::move(request.body)](Desk& desk) mutable {
      const model::Instrument* instrument = desk.find_instrument(symbol);
      if (!instrument) return respond(error_response(404, "NOT_FOUND", "no paper instrument " + symbol, "symbol"));
      const std::string id = instrument->id().value();
      if (entry.contains("instrument") && entry["instrument"] != id) {
        return respond(error_response(400, "INVALID_ARGUMENT", "\"instrument\" differs from the path: " + id, "instrument"));
      }
      entry["instrument"] = id;
      auto config = edited_config(desk, [&](Json& document) {
        Json& list = document["symbols"];
        if (!list.is_array()) list = Json::array();
        Json kept = Json::array();
        for (auto& item : list) {
          if (item.value("instrument", std::string()) != id) kept.push_back(std::move(item));
        }
        kept.push_back(entry);
        list = std::move(kept);
      });
      if (!config) return respond(error_response(config.error(), true));
      replace_risk_config(desk, std::move(*config), desk.active_config_name(), who, "config.symbol", std::move(body),
                          remote, respond);
    });
  });
  api.route("DELETE", "/api/config/symbols/{symbol}", Role::Admin, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    const std::string symbol = request.path_params["symbol"];
    const std::string remote = request.remote_address;
    ctx.service.post([respond, symbol, who, remote](Desk& desk) {
      const model::Instrument* instrument = desk.find_instrument(symbol);
      if (!instrument) return respond(error_response(404, "NOT_FOUND", "no paper instrument " + symbol, "symbol"));
      const std::string id = instrument->id().value();
      bool found = false;
      auto config = edited_config(desk, [&](Json& document) {
        if (!document.contains("symbols")) return;
        Json kept = Json::array();
        for (auto& item : document["symbols"]) {
          if (item.value("instrument", std::string()) == id) found = true;
          else kept.push_back(std::move(item));
        }
        document["symbols"] = std::move(kept);
      });
      if (!config) return respond(error_response(config.error(), true));
      if (!found) return respond(error_response(404, "NOT_FOUND", "no overrides for " + id, "symbol"));
      replace_risk_config(desk, std::move(*config), desk.active_config_name(), who, "config.symbol.delete", "{}", remote,
                          respond);
    });
  });
  api.route("POST", "/api/config/save", Role::Admin, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    // {"name":"tight"}: the running configuration saved under another name, which becomes the active one.
    net::HttpResponse error;
    auto body = parse_object(request, error);
    if (!body) return respond(std::move(error));
    const auto name = string_field(*body, "name");
    if (!name || name->empty() || name->size() > 64) {
      return respond(error_response(400, "INVALID_ARGUMENT", "\"name\" must be a non-empty string of at most 64 characters", "name"));
    }
    const std::string remote = request.remote_address;
    ctx.service.post([respond, name = *name, who, remote, text = std::move(request.body)](Desk& desk) mutable {
      replace_risk_config(desk, desk.kernel().engine().config(), name, who, "config.save", std::move(text), remote, respond);
    });
  });
  api.route("POST", "/api/config/activate", Role::Admin, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    // {"name":"tight"}: load a saved configuration and make it the running one.
    net::HttpResponse error;
    auto body = parse_object(request, error);
    if (!body) return respond(std::move(error));
    const auto name = string_field(*body, "name");
    if (!name || name->empty()) return respond(error_response(400, "INVALID_ARGUMENT", "\"name\" is required", "name"));
    const std::string remote = request.remote_address;
    ctx.service.post([respond, name = *name, who, remote, text = std::move(request.body), &ctx](Desk& desk) mutable {
      auto saved = ctx.store.list_risk_configurations(desk.account_id());
      if (!saved) return respond(error_response(saved.error()));
      for (const auto& row : *saved) {
        if (row.name != name) continue;
        auto config = risk::parse_risk_config_json(row.document, "saved configuration " + name);
        if (!config) return respond(error_response(config.error(), true));
        return replace_risk_config(desk, std::move(*config), name, who, "config.activate", std::move(text), remote, respond);
      }
      respond(error_response(404, "NOT_FOUND", "no saved risk configuration named " + name, "name"));
    });
  });
  api.route("POST", "/api/config/reset", Role::Admin, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    const std::string remote = request.remote_address;
    ctx.service.post([respond, who, remote](Desk& desk) {
      if (auto s = desk.kernel().monitor().reconfigure_breakers(risk::RiskConfig{}.circuit_breakers); !s) {
        return respond(error_response(s.error(), true));
      }
      desk.publish("circuit_breakers", desk.snapshot("circuit_breakers"));
      if (auto s = apply_risk_config(desk, risk::RiskConfig{}, "default", who.user); !s) return respond(error_response(s.error(), true));
      desk.audit(who.user, "config.reset", "default", "{}", remote);
      Json answer = Json::parse(risk::to_json(desk.kernel().engine().config()));
      desk.flush([respond, answer = std::move(answer)](core::Status s) {
        if (!s) return respond(error_response(s.error()));
        respond(json_response(200, answer));
      });
    });
  });
}

}  // namespace ballast::server
