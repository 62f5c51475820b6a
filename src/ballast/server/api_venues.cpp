// Routes: live venue accounts ([[venues]], server/venue_service.hpp) — their state, orders through each
// venue's own risk engine, cancels, reconciliation on demand — and the emergency stop's venue leg.

#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/json_views.hpp"
#include "ballast/server/venue_service.hpp"

#include <fmt/format.h>

#include <future>

namespace ballast::server {

namespace jv = json_views;

namespace {

VenueService* find_venue(ApiContext& ctx, const std::string& name) {
  for (VenueService* v : ctx.venues) {
    if (v->config().name == name) return v;
  }
  return nullptr;
}

net::HttpResponse unknown_venue(const ApiContext& ctx, const std::string& name) {
  std::string known;
  for (const VenueService* v : ctx.venues) known += (known.empty() ? "" : ", ") + v->config().name;
  return error_response(404, "NOT_FOUND",
                        fmt::format("no live venue '{}' (configured: {})", name, known.empty() ? "none" : known), "venue");
}

// Answers once the desk's batch is durable (DESIGN.md §1.5).
void answer_when_durable(VenueDesk& desk, unsigned status, Json answer, net::Responder respond) {
  desk.flush([respond = std::move(respond), status, answer = std::move(answer)](core::Status s) {
    if (!s) return respond(error_response(500, "STORE_FAILED", "not stored: " + s.error().message()));
    respond(json_response(status, answer));
  });
}

}  // namespace

Json venue_accounts(const ApiContext& ctx) {
  Json out = Json::array();
  for (const VenueService* v : ctx.venues) {
    Json s = v->status();
    s.erase("positions");
    s.erase("open_orders");
    s.erase("reconciliation");
    s.erase("liquidation_check");
    s["mode"] = "live";
    out.push_back(std::move(s));
  }
  return out;
}

Json engage_venue_emergency_stops(ApiContext& ctx, const std::string& user, const std::string& reason, bool flatten,
                                  const std::string& remote) {
  Json out = Json::array();
  for (VenueService* venue : ctx.venues) {
    auto result = std::make_shared<std::promise<Json>>();
    auto answer = result->get_future();
    const std::string name = venue->config().name;
    venue->post([result, user, reason, flatten, remote, name](VenueDesk& desk) {
      risk::EmergencyStopRequest request{user, reason, flatten};
      auto stopped = desk.kernel().engage_emergency_stop(request);
      if (!stopped) {
        result->set_value(Json{{"venue", name}, {"ok", false}, {"errors", Json::array({stopped.error().message()})}});
        return;
      }
      Json errors = Json::array();
      Json closes = Json::array();
      for (const auto& v : stopped->venues) {
        for (const auto& e : v.errors) errors.push_back(e);
        for (const auto& id : v.close_orders) closes.push_back(id.value());
      }
      desk.batch().trading_states.push_back(jv::trading_state_row(
          desk.kernel(), desk.account_id(), "emergency stop: " + reason, user, desk.now()));
      desk.audit(user, "emergency_stop.engage", desk.account_id(), Json{{"reason", reason}, {"flatten", flatten}}.dump(), remote);
      Json j{{"venue", name},
             {"account_id", desk.account_id()},
             {"ok", errors.empty()},
             {"errors", std::move(errors)},
             {"close_orders", std::move(closes)},
             {"trading_state", risk::to_string(desk.kernel().engine().trading_state())}};
      // The HALTED state is durable before the answer.
      desk.flush([result, j = std::move(j)](core::Status s) mutable {
        if (!s) {
          j["ok"] = false;
          j["errors"].push_back("the HALTED state was not stored: " + s.error().message());
        }
        result->set_value(std::move(j));
      });
    });
    if (answer.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      out.push_back(Json{{"venue", name}, {"ok", false}, {"errors", Json::array({"the venue did not answer within 10 s"})}});
      continue;
    }
    try {
      out.push_back(answer.get());
    } catch (const std::future_error&) {
      out.push_back(Json{{"venue", name}, {"ok", false}, {"errors", Json::array({"the venue service is not running"})}});
    }
  }
  return out;
}

void add_venue_routes(Api& api) {
  ApiContext& ctx = api.ctx();
  api.route("GET", "/api/venues", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    Json venues = Json::array();
    for (const VenueService* v : ctx.venues) venues.push_back(v->status());
    respond(json_response(200, Json{{"venues", std::move(venues)}}));
  });
  api.route("GET", "/api/venues/{venue}", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
    const std::string name = request.path_params["venue"];
    const VenueService* v = find_venue(ctx, name);
    if (v == nullptr) return respond(unknown_venue(ctx, name));
    respond(json_response(200, v->status()));
  });

  api.route("POST", "/api/venues/{venue}/orders", Role::Trader, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    const std::string name = request.path_params["venue"];
    VenueService* venue = find_venue(ctx, name);
    if (venue == nullptr) return respond(unknown_venue(ctx, name));
    if (venue->config().read_only) {
      return respond(error_response(409, "READ_ONLY", fmt::format("venue '{}' is read-only: it is monitored, not traded", name)));
    }
    net::HttpResponse bad;
    auto body = parse_object(request, bad);
    if (!body) return respond(std::move(bad));
    venue->post([who, body = std::move(*body), text = request.body, remote = request.remote_address, respond](VenueDesk& desk) {
      auto spec = order_spec(body, [&desk](std::string_view s) { return desk.find_instrument(s); }, who.user);
      if (!spec) return respond(error_response(spec.error(), spec.error().code() != core::ErrorCode::NotFound));
      const std::int64_t denied_before = desk.kernel().denied_orders();
      auto id = desk.kernel().submit(*spec);
      if (!id) {
        if (desk.kernel().denied_orders() > denied_before) {
          const risk::RiskDecision& decision = desk.kernel().last_denial();
          desk.audit(who.user, "order.denied", std::string(risk::to_string(decision.reason)), text, remote);
          Json answer{{"error", {{"code", "RISK_DENIED"}, {"message", decision.message()}, {"field", nullptr}}},
                      {"decision", jv::decision(decision)}};
          return answer_when_durable(desk, 422, std::move(answer), respond);
        }
        // Refused before the venue: the venue is not reconciled yet, not connected, or the order cannot be
        // expressed there.
        return respond(error_response(id.error(), true));
      }
      const model::Order* order = desk.kernel().order(*id);
      Json answer = order != nullptr ? jv::order(*order) : Json{{"id", id->value()}};
      desk.audit(who.user, "order.submit", id->value(), text, remote);
      answer_when_durable(desk, 201, std::move(answer), respond);
    });
  });
  api.route("DELETE", "/api/venues/{venue}/orders/{id}", Role::Trader, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    const std::string name = request.path_params["venue"];
    VenueService* venue = find_venue(ctx, name);
    if (venue == nullptr) return respond(unknown_venue(ctx, name));
    venue->post([who, id = request.path_params["id"], remote = request.remote_address, respond](VenueDesk& desk) {
      const model::Order* order = desk.kernel().order(core::ClientOrderId(id));
      if (order == nullptr) return respond(error_response(404, "NOT_FOUND", fmt::format("no order '{}' on this venue", id), "id"));
      if (auto s = desk.kernel().cancel(core::ClientOrderId(id)); !s) return respond(error_response(s.error()));
      desk.audit(who.user, "order.cancel", id, "{}", remote);
      answer_when_durable(desk, 202, Json{{"id", id}, {"status", "PENDING_CANCEL"}}, respond);
    });
  });
  api.route("DELETE", "/api/venues/{venue}/orders", Role::Trader, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    const std::string name = request.path_params["venue"];
    VenueService* venue = find_venue(ctx, name);
    if (venue == nullptr) return respond(unknown_venue(ctx, name));
    venue->post([who, remote = request.remote_address, respond](VenueDesk& desk) {
      const std::size_t open = desk.kernel().open_orders().size();
      if (auto s = desk.kernel().cancel_all(std::nullopt, core::StrategyId("")); !s) return respond(error_response(s.error()));
      desk.audit(who.user, "order.cancel_all", desk.account_id(), "{}", remote);
      answer_when_durable(desk, 202, Json{{"cancel_requested", open}}, respond);
    });
  });
  api.route("POST", "/api/venues/{venue}/reconcile", Role::Trader, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    const std::string name = request.path_params["venue"];
    VenueService* venue = find_venue(ctx, name);
    if (venue == nullptr) return respond(unknown_venue(ctx, name));
    venue->post([who, remote = request.remote_address, respond](VenueDesk& desk) {
      auto report = desk.reconcile_now();
      if (!report) return respond(error_response(report.error()));
      desk.audit(who.user, "venue.reconcile", desk.account_id(), "{}", remote);
      answer_when_durable(desk, 200, reconciliation_json(*report), respond);
    });
  });
}

}  // namespace ballast::server
