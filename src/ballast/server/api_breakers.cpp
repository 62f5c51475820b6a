// Routes: circuit breakers at run time (create, replace, enable, disable, delete) and the paper-market
// shock for drills. A breaker change is applied live (RiskMonitor::reconfigure_breakers: unchanged
// breakers keep their state), written into the active risk configuration in the store, audited, made
// durable before the answer, and announced on the "circuit_breakers" WebSocket channel with a snapshot.

#include "ballast/risk/risk_config.hpp"
#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"
#include "ballast/server/paper_market.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ballast::server {
namespace {

namespace jv = json_views;

// One item of GET /api/risk/circuit-breakers: the instance's state, the headline of its definition and
// the whole definition under "config".
Json breaker_item(const risk::BreakerStatus& status, const risk::CircuitBreakerConfig& c) {
  Json j = jv::breaker_status(status);
  j["condition"] = risk::to_string(c.condition);
  j["threshold"] = jv::decimal_text(c.threshold);
  j["action"] = risk::to_string(c.action);
  j["enabled"] = c.enabled;
  j["config"] = jv::breaker_config(c);
  return j;
}

const risk::CircuitBreakerConfig* find_breaker(const std::vector<risk::CircuitBreakerConfig>& list, std::string_view name) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const auto& c) { return c.name == name; });
  return it == list.end() ? nullptr : &*it;
}

// The instances of breaker `name` (one per instrument for a breaker that measures every instrument).
Json items_of(Desk& desk, std::string_view name) {
  const auto& configs = desk.kernel().engine().config().circuit_breakers;
  const risk::CircuitBreakerConfig* c = find_breaker(configs, name);
  Json out = Json::array();
  if (c == nullptr) return out;
  for (const auto& status : desk.kernel().monitor().breaker_statuses()) {
    if (status.name == name) out.push_back(breaker_item(status, *c));
  }
  return out;
}

// The answer for one breaker: its first instance (the only one unless it measures every instrument, then
// "instances" lists them all).
Json breaker_answer(Desk& desk, std::string_view name) {
  Json items = items_of(desk, name);
  if (items.empty()) return Json::object();
  Json first = items.front();
  if (items.size() > 1) first["instances"] = std::move(items);
  return first;
}

// A 422 that lists every problem of the breaker ({"error":{…,"problems":[…]}}): the risk configuration's
// messages with the wrapper's path ("/circuit_breakers/0/") taken out, so they name the body's keys.
net::HttpResponse breaker_problems(const core::Error& error) {
  std::vector<std::string> problems;
  std::string text = error.message();
  const auto first_break = text.find('\n');
  if (first_break == std::string::npos) {
    problems.push_back(text);
  } else {
    std::size_t at = first_break;
    while (at != std::string::npos) {
      const std::size_t next = text.find('\n', at + 1);
      std::string line = text.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
      const auto begin = line.find_first_not_of(' ');
      if (begin != std::string::npos) problems.push_back(line.substr(begin));
      at = next;
    }
  }
  std::string field;
  for (auto& p : problems) {
    for (const std::string_view prefix : {"/circuit_breakers/0/", "/circuit_breakers/0"}) {
      if (const auto pos = p.find(prefix); pos != std::string::npos) p.erase(pos, prefix.size());
    }
    if (p.starts_with(": ")) p.erase(0, 2);
  }
  if (problems.size() == 1) {
    if (const auto colon = problems.front().find(": "); colon != std::string::npos) field = problems.front().substr(0, colon);
  }
  std::string message;
  for (const auto& p : problems) message += (message.empty() ? "" : "; ") + p;
  Json body{{"error",
             {{"code", "UNPROCESSABLE"},
              {"message", message},
              {"field", field.empty() ? Json(nullptr) : Json(field)},
              {"problems", problems}}}};
  return json_response(422, body);
}

// Reads one breaker in the JSON form of the risk configuration (docs/risk/configuration.md) with the
// configuration's own parser and checks. Keys set to null are left out (an edit form sends the
// "instrument": null it was given); `name` fills in a missing name.
core::Result<risk::CircuitBreakerConfig> parse_breaker(Json body, const std::optional<std::string>& name) {
  for (auto it = body.begin(); it != body.end();) {
    it = it.value().is_null() ? body.erase(it) : std::next(it);
  }
  if (name && !body.contains("name")) body["name"] = *name;
  const std::string document = fmt::format("{{\"circuit_breakers\":[{}]}}", body.dump());
  auto parsed = risk::parse_risk_config_json(document, "");
  if (!parsed) return parsed.error();
  return std::move(parsed->circuit_breakers.front());
}

// Applies `next` as the account's circuit breakers: live, then saved into the active configuration,
// audited, announced; `answer` is built after the change and sent once the writes are durable.
void apply_breakers(Desk& desk, std::vector<risk::CircuitBreakerConfig> next, const Principal& who,
                    std::string_view action, std::string_view target, std::string details, const std::string& remote,
                    unsigned status, const std::function<Json(Desk&)>& answer, const net::Responder& respond) {
  if (auto s = desk.kernel().monitor().reconfigure_breakers(std::move(next)); !s) {
    return respond(error_response(s.error(), true));
  }
  persistence::RiskConfigurationRow row;
  row.account_id = desk.account_id();
  row.name = desk.active_config_name();
  row.document = risk::to_json(desk.kernel().engine().config());
  row.active = true;
  row.updated = desk.now();
  row.updated_by = who.user;
  if (auto s = desk.store().save_risk_configuration(row); !s) return respond(error_response(s.error()));
  if (auto s = desk.store().activate_risk_configuration(desk.account_id(), row.name); !s) {
    return respond(error_response(s.error()));
  }
  desk.audit(who.user, action, target, std::move(details), remote);
  desk.publish("circuit_breakers", desk.snapshot("circuit_breakers"));
  Json body = answer(desk);
  desk.flush([respond, status, body = std::move(body)](core::Status s) {
    if (!s) return respond(error_response(s.error()));
    respond(json_response(status, body));
  });
}

// A breaker on an instrument the paper venue does not list: refused like the body's other problems.
std::optional<net::HttpResponse> unlisted_instrument(const Desk& desk, const risk::CircuitBreakerConfig& c) {
  if (!c.instrument_id || desk.index_of(*c.instrument_id)) return std::nullopt;
  const std::string problem =
      fmt::format("instrument: {} is not an instrument of the paper venue", c.instrument_id->value());
  return json_response(422, Json{{"error",
                                  {{"code", "UNPROCESSABLE"},
                                   {"message", problem},
                                   {"field", "instrument"},
                                   {"problems", Json::array({problem})}}}});
}

net::HttpResponse unknown_breaker(std::string_view name) {
  return error_response(404, "NOT_FOUND", fmt::format("no circuit breaker '{}'", name), "name");
}

}  // namespace

void add_breaker_routes(Api& api) {
  ApiContext& ctx = api.ctx();

  api.route("POST", "/api/risk/circuit-breakers", Role::Admin,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              net::HttpResponse bad;
              auto body = parse_object(request, bad);
              if (!body) return respond(std::move(bad));
              auto breaker = parse_breaker(std::move(*body), std::nullopt);
              if (!breaker) return respond(breaker_problems(breaker.error()));
              const std::string remote = request.remote_address;
              ctx.service.post([respond, who, remote, breaker = std::move(*breaker), details = std::move(request.body)](Desk& desk) mutable {
                auto next = desk.kernel().engine().config().circuit_breakers;
                if (auto refused = unlisted_instrument(desk, breaker)) return respond(std::move(*refused));
                if (find_breaker(next, breaker.name) != nullptr) {
                  return respond(error_response(409, "DUPLICATE", fmt::format("a circuit breaker '{}' exists", breaker.name), "name"));
                }
                const std::string name = breaker.name;
                next.push_back(std::move(breaker));
                apply_breakers(desk, std::move(next), who, "breaker.create", name, std::move(details), remote, 201,
                               [name](Desk& d) { return breaker_answer(d, name); }, respond);
              });
            });

  api.route("PUT", "/api/risk/circuit-breakers/{name}", Role::Admin,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              const std::string name = request.path_params["name"];
              net::HttpResponse bad;
              auto body = parse_object(request, bad);
              if (!body) return respond(std::move(bad));
              if (body->contains("name") && (*body)["name"] != Json(name)) {
                return respond(error_response(400, "INVALID_ARGUMENT",
                                              fmt::format("the body names another breaker than the path ('{}')", name), "name"));
              }
              auto breaker = parse_breaker(std::move(*body), name);
              if (!breaker) return respond(breaker_problems(breaker.error()));
              const std::string remote = request.remote_address;
              ctx.service.post([respond, who, remote, name, breaker = std::move(*breaker), details = std::move(request.body)](Desk& desk) mutable {
                auto next = desk.kernel().engine().config().circuit_breakers;
                const auto it = std::find_if(next.begin(), next.end(), [&](const auto& c) { return c.name == name; });
                if (it == next.end()) return respond(unknown_breaker(name));
                if (auto refused = unlisted_instrument(desk, breaker)) return respond(std::move(*refused));
                *it = std::move(breaker);
                apply_breakers(desk, std::move(next), who, "breaker.update", name, std::move(details), remote, 200,
                               [name](Desk& d) { return breaker_answer(d, name); }, respond);
              });
            });

  api.route("DELETE", "/api/risk/circuit-breakers/{name}", Role::Admin,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              const std::string name = request.path_params["name"];
              const std::string remote = request.remote_address;
              ctx.service.post([respond, who, remote, name](Desk& desk) {
                auto next = desk.kernel().engine().config().circuit_breakers;
                const auto it = std::find_if(next.begin(), next.end(), [&](const auto& c) { return c.name == name; });
                if (it == next.end()) return respond(unknown_breaker(name));
                next.erase(it);
                apply_breakers(desk, std::move(next), who, "breaker.delete", name, "{}", remote, 200,
                               [name](Desk&) { return Json{{"deleted", name}}; }, respond);
              });
            });

  // PUT (as the issue names it) and POST (what the dashboard sends) do the same.
  for (const auto& [method, enable] : {std::pair{"PUT", true}, std::pair{"PUT", false}, std::pair{"POST", true}, std::pair{"POST", false}}) {
    api.route(method, enable ? "/api/risk/circuit-breakers/{name}/enable" : "/api/risk/circuit-breakers/{name}/disable",
              Role::Admin, [&ctx, enable = enable](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
                const std::string name = request.path_params["name"];
                const std::string remote = request.remote_address;
                ctx.service.post([respond, who, remote, name, enable](Desk& desk) {
                  auto next = desk.kernel().engine().config().circuit_breakers;
                  const auto it = std::find_if(next.begin(), next.end(), [&](const auto& c) { return c.name == name; });
                  if (it == next.end()) return respond(unknown_breaker(name));
                  // Enabling an enabled breaker changes nothing, so it keeps its state.
                  it->enabled = enable;
                  apply_breakers(desk, std::move(next), who, enable ? "breaker.enable" : "breaker.disable", name, "{}",
                                 remote, 200, [name](Desk& d) { return breaker_answer(d, name); }, respond);
                });
              });
  }

  // ---- paper market ----
  api.route("POST", "/api/paper/shock", Role::Admin, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    net::HttpResponse bad;
    auto body = parse_object(request, bad);
    if (!body) return respond(std::move(bad));
    const auto symbol = string_field(*body, "symbol");
    if (!symbol || symbol->empty()) return respond(error_response(400, "INVALID_ARGUMENT", "a symbol is required", "symbol"));
    auto move = decimal_field(*body, "move", true);
    if (!move) return respond(error_response(move.error()));
    const std::string remote = request.remote_address;
    ctx.service.post([respond, who, remote, symbol = *symbol, move = *move](Desk& desk) {
      const model::Instrument* instrument = desk.find_instrument(symbol);
      if (instrument == nullptr) {
        return respond(error_response(404, "NOT_FOUND", fmt::format("no paper instrument '{}'", symbol), "symbol"));
      }
      if (desk.config().feed != "synthetic") {
        return respond(error_response(409, "NOT_SYNTHETIC", "the paper market replays files: only a synthetic feed can be shocked"));
      }
      if (move <= core::Decimal::parse("-0.9").value() || move >= core::Decimal::from_int(10)) {
        return respond(error_response(400, "INVALID_ARGUMENT",
                                      fmt::format("move {} is outside (-0.9, 10)", move.to_string_trimmed()), "move"));
      }
      const PaperShock shock{*desk.index_of(instrument->id()), move};
      auto reply = desk.kernel().bus().request<PaperShock, PaperShockReply>(kPaperShockEndpoint, shock);
      if (!reply) return respond(error_response(reply.error()));
      if (reply->error) {
        if (reply->error->code() == core::ErrorCode::InvalidState) {
          return respond(error_response(409, "NOT_SYNTHETIC", reply->error->message()));
        }
        return respond(error_response(*reply->error));
      }
      const PaperShockApplied& applied = reply->applied;
      Json answer{{"symbol", std::string(instrument->id().symbol())},
                  {"instrument_id", instrument->id().value()},
                  {"move", jv::decimal_text(move)},
                  {"previous_close", applied.previous_close ? Json(jv::decimal_text(applied.previous_close->value())) : Json(nullptr)},
                  {"next_open", applied.next_open ? Json(jv::decimal_text(applied.next_open->value())) : Json(nullptr)},
                  {"level_factor", jv::decimal_text(applied.level_factor)}};
      desk.audit(who.user, "paper.shock", instrument->id().value(), answer.dump(), remote);
      desk.flush([respond, answer = std::move(answer)](core::Status s) {
        if (!s) return respond(error_response(s.error()));
        respond(json_response(200, answer));
      });
    });
  });
}

}  // namespace ballast::server
