// Routes: the trading session (session_manager.hpp). Starting or stopping it is a state change like an
// order: audited, written to the store and answered only once durable (Desk::flush).

#include "ballast/core/time.hpp"
#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/session_manager.hpp"

#include <fmt/format.h>

namespace ballast::server {
namespace {

// The optional body {"reason": "..."}; an empty body is no reason.
core::Result<std::string> reason_of(const net::HttpRequest& request, net::HttpResponse& error) {
  if (request.body.empty()) return std::string();
  auto body = parse_object(request, error);
  if (!body) return core::Error(core::ErrorCode::InvalidArgument, "invalid body");
  if (!body->contains("reason") || (*body)["reason"].is_null()) return std::string();
  if (!(*body)["reason"].is_string()) {
    error = error_response(400, "INVALID_ARGUMENT", "must be a string", "reason");
    return core::Error(core::ErrorCode::InvalidArgument, "reason");
  }
  return (*body)["reason"].get<std::string>();
}

void change(ApiContext& ctx, bool running, const Principal& who, net::HttpRequest&& request, net::Responder respond) {
  net::HttpResponse error;
  auto reason = reason_of(request, error);
  if (!reason) return respond(std::move(error));
  ctx.service.post([running, who, why = std::move(*reason), remote = request.remote_address,
                    respond = std::move(respond)](Desk& desk) mutable {
    if (desk.session().running == running) {
      return respond(error_response(
          409, running ? "SESSION_ALREADY_RUNNING" : "SESSION_ALREADY_STOPPED",
          fmt::format("the trading session is already {} (since {} by {})", session_state_code(running),
                      core::format_iso8601(desk.session().since), desk.session().by),
          "state"));
    }
    const nlohmann::json details{{"reason", why}};
    change_session(desk, running, who.user, std::move(why));
    desk.audit(who.user, running ? "session.start" : "session.stop", session_state_key(desk.account_id()),
               details.dump(), remote);
    nlohmann::json answer = session_json(desk);
    desk.flush([respond, answer = std::move(answer)](core::Status s) {
      if (!s) {
        return respond(error_response(500, "STORE_FAILED", "the session change was not stored: " + s.error().message()));
      }
      respond(json_response(200, answer));
    });
  });
}

}  // namespace

void add_session_routes(Api& api) {
  ApiContext& ctx = api.ctx();
  api.route("GET", "/api/session", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) { respond(json_response(200, session_json(desk))); });
  });
  api.route("POST", "/api/session/start", Role::Trader,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              change(ctx, true, who, std::move(request), std::move(respond));
            });
  api.route("POST", "/api/session/stop", Role::Trader,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              change(ctx, false, who, std::move(request), std::move(respond));
            });
}

}  // namespace ballast::server
