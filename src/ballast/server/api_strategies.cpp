// Routes: the strategies running on the paper desk ([[strategies]] in ballast.toml; internal/
// strategy_desk.hpp) — list them with their position and latest signal, start and stop them, and read the
// latest signals. Starting and stopping are audited, recorded in the store (the state survives a
// restart) and answered only once durable.

#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/strategy_desk.hpp"

#include <fmt/format.h>

#include <string>

namespace ballast::server {

void add_strategy_routes(Api& api) {
  ApiContext& ctx = api.ctx();

  api.route("GET", "/api/strategies", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) {
      Json list = Json::array();
      for (const auto& c : desk.config().strategies) list.push_back(strategy_json(desk, c));
      respond(json_response(200, Json{{"strategies", std::move(list)}}));
    });
  });

  api.route("GET", "/api/strategies/{id}", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
              ctx.service.post([respond, id = request.path_params["id"]](Desk& desk) {
                const StrategyConfig* c = find_strategy_config(desk.config(), id);
                if (c == nullptr) return respond(error_response(404, "NOT_FOUND", fmt::format("no strategy '{}'", id), "id"));
                respond(json_response(200, strategy_json(desk, *c)));
              });
            });

  for (const bool start : {true, false}) {
    api.route("POST", start ? "/api/strategies/{id}/start" : "/api/strategies/{id}/stop", Role::Trader,
              [&ctx, start](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
                const std::string remote = request.remote_address;
                ctx.service.post([respond, who, remote, start, id = request.path_params["id"]](Desk& desk) {
                  if (auto s = set_strategy_running(desk, id, start, who.user, remote); !s) {
                    if (s.error().code() == core::ErrorCode::InvalidState) {
                      return respond(error_response(409, start ? "ALREADY_RUNNING" : "ALREADY_STOPPED",
                                                    s.error().message(), "id"));
                    }
                    return respond(error_response(s.error()));
                  }
                  Json body = strategy_json(desk, *find_strategy_config(desk.config(), id));
                  desk.flush([respond, body = std::move(body)](core::Status s) {
                    if (!s) return respond(error_response(s.error()));
                    respond(json_response(200, body));
                  });
                });
              });
  }

  api.route("GET", "/api/signals", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
    std::string only;
    if (const auto s = request.query_param("strategy")) only = std::string(*s);
    ctx.service.post([respond, only](Desk& desk) {
      if (!only.empty() && find_strategy_config(desk.config(), only) == nullptr) {
        return respond(error_response(404, "NOT_FOUND", fmt::format("no strategy '{}'", only), "strategy"));
      }
      respond(json_response(200, Json{{"signals", signals_json(desk, only)}}));
    });
  });
}

}  // namespace ballast::server
