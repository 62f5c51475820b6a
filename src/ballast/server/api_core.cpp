// Routes: health, status, authentication, accounts and portfolio, metrics, the OpenAPI document.

#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"
#include "ballast/server/password_hasher.hpp"
#include "ballast/server/session_manager.hpp"

#include <fmt/format.h>

namespace ballast::server {
namespace {

namespace jv = json_views;

Json account_json(const Desk& desk) {
  const auto& book = desk.kernel().book();
  return Json{{"account_id", desk.account_id()},
              {"venue", desk.venue()},
              {"mode", "paper"},
              {"currency", std::string(book.settlement_currency().code())},
              {"starting_balance", jv::decimal_text(desk.config().starting_balance)},
              {"wallet_balance", jv::decimal_text(book.wallet_balance())},
              {"equity", jv::decimal_text(book.equity())},
              {"unrealized_pnl", jv::decimal_text(book.unrealized_pnl())},
              {"realized_pnl", jv::decimal_text(book.realized_pnl())},
              {"initial_margin", jv::decimal_text(book.initial_margin())},
              {"open_order_margin", jv::decimal_text(book.open_order_margin())},
              {"available_margin", jv::decimal_text(book.available_margin())},
              {"open_orders", book.open_orders()},
              {"positions_open", book.positions_open()},
              {"monitoring", desk.feed_running()},
              {"trading_state", risk::to_string(desk.kernel().engine().trading_state())}};
}

void issue_pair(ApiContext& ctx, const std::string& user, Role role, const net::Responder& respond) {
  const core::UnixNanos now = ctx.wall.now();
  auto access = ctx.tokens.issue(user, role, TokenKind::Access, now);
  auto refresh = ctx.tokens.issue(user, role, TokenKind::Refresh, now);
  if (!access || !refresh) {
    respond(error_response(500, "TOKEN_ISSUE_FAILED", (!access ? access.error() : refresh.error()).message()));
    return;
  }
  respond(json_response(200, Json{{"access_token", *access},
                                  {"refresh_token", *refresh},
                                  {"token_type", "Bearer"},
                                  {"expires_in", ctx.tokens.config().access_ttl.count()},
                                  {"user", {{"name", user}, {"role", to_string(role)}}}}));
}

}  // namespace

void add_core_routes(Api& api) {
  ApiContext& ctx = api.ctx();

  // The answer never changes: written once, not built and dumped per request.
  api.open_route("GET", "/api/health", [body = Json{{"status", "ok"}, {"version", ctx.version}}.dump()](
                                           net::HttpRequest&&, net::Responder respond) {
    respond(net::HttpResponse::json(200, body));
  });

  api.route("GET", "/api/status", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([&ctx, respond](Desk& desk) {
      const auto uptime = std::chrono::steady_clock::now() - ctx.started;
      respond(json_response(
          200, Json{{"version", ctx.version},
                    {"uptime_seconds", std::chrono::duration<double>(uptime).count()},
                    {"store", persistence::to_string(ctx.store.backend())},
                    {"market_time", jv::time_text(desk.now())},
                    {"feed", desk.config().feed},
                    {"feed_running", desk.feed_running()},
                    {"speed", desk.config().speed},
                    {"bars", desk.bars_seen()},
                    {"instruments", desk.instruments().size()},
                    {"trading_state", risk::to_string(desk.kernel().engine().trading_state())},
                    {"emergency_stop", desk.kernel().emergency_stop_state().engaged},
                    {"open_orders", desk.kernel().book().open_orders()},
                    {"risk_configuration", desk.active_config_name()},
                    {"session",
                     {{"state", session_state_code(desk.session().running)}, {"mode", desk.config().session_mode}}}}));
    });
  });

  // ---- auth ----
  api.open_route("POST", "/api/auth/login", [&ctx](net::HttpRequest&& request, net::Responder respond) {
    net::HttpResponse bad;
    const auto body = parse_object(request, bad);
    if (!body) return respond(std::move(bad));
    const auto user = string_field(*body, "username");
    const auto password = string_field(*body, "password");
    if (!user || user->empty()) return respond(error_response(400, "INVALID_ARGUMENT", "required", "username"));
    if (!password) return respond(error_response(400, "INVALID_ARGUMENT", "required", "password"));
    // Throttled per user name and per client address, so one attacker cannot lock out a user from
    // everywhere by guessing, and cannot spray many users from one address.
    const std::string host = request.remote_address.substr(0, request.remote_address.rfind(':'));
    const std::string user_key = "user:" + *user;
    const std::string host_key = "host:" + host;
    const core::UnixNanos now = ctx.wall.now();
    for (const std::string* key : {&user_key, &host_key}) {
      if (const auto wait = ctx.throttle.check(*key, now)) {
        net::HttpResponse r = error_response(429, "TOO_MANY_ATTEMPTS",
                                             fmt::format("too many failed logins; try again in {} s", wait->count()));
        r.headers.emplace_back("Retry-After", std::to_string(wait->count()));
        return respond(std::move(r));
      }
    }
    auto found = ctx.store.find_user(*user);
    if (!found) return respond(error_response(found.error()));
    const bool ok = found->has_value() && !(*found)->disabled && verify_password((*found)->password_hash, *password);
    if (!ok) {
      ctx.throttle.record_failure(user_key, now);
      ctx.throttle.record_failure(host_key, now);
      return respond(error_response(401, "INVALID_CREDENTIALS", "unknown user or wrong password"));
    }
    ctx.throttle.record_success(user_key);
    auto role = parse_role((*found)->role);
    if (!role) return respond(error_response(500, "INTERNAL", role.error().message()));
    issue_pair(ctx, *user, *role, respond);
  });

  api.open_route("POST", "/api/auth/refresh", [&ctx](net::HttpRequest&& request, net::Responder respond) {
    net::HttpResponse bad;
    const auto body = parse_object(request, bad);
    if (!body) return respond(std::move(bad));
    const auto token = string_field(*body, "refresh_token");
    if (!token) return respond(error_response(400, "INVALID_ARGUMENT", "required", "refresh_token"));
    auto claims = ctx.tokens.verify(*token, TokenKind::Refresh, ctx.wall.now());
    if (!claims) return respond(error_response(401, "INVALID_TOKEN", claims.error().message(), "refresh_token"));
    // The user may have been disabled or had their role changed since the token was issued.
    auto found = ctx.store.find_user(claims->subject);
    if (!found) return respond(error_response(found.error()));
    if (!found->has_value() || (*found)->disabled) {
      return respond(error_response(401, "INVALID_TOKEN", "the user no longer exists or is disabled", "refresh_token"));
    }
    auto role = parse_role((*found)->role);
    if (!role) return respond(error_response(500, "INTERNAL", role.error().message()));
    issue_pair(ctx, claims->subject, *role, respond);
  });

  api.route("GET", "/api/auth/me", Role::Viewer, [](const Principal& who, net::HttpRequest&&, net::Responder respond) {
    respond(json_response(200, Json{{"name", who.user}, {"role", to_string(who.role)}}));
  });

  // ---- accounts ----
  api.route("GET", "/api/accounts", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond, live = venue_accounts(ctx)](Desk& desk) {
      Json accounts = Json::array({account_json(desk)});
      for (const auto& v : live) accounts.push_back(v);
      respond(json_response(200, Json{{"accounts", std::move(accounts)}}));
    });
  });
  api.route("GET", "/api/accounts/{venue}", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
    const std::string venue = request.path_params["venue"];
    for (const auto& v : venue_accounts(ctx)) {
      if (v.value("name", "") == venue || v.value("venue", "") == venue) return respond(json_response(200, v));
    }
    ctx.service.post([respond, venue](Desk& desk) {
      if (venue != desk.venue()) {
        return respond(error_response(404, "NOT_FOUND", fmt::format("no account on venue '{}'", venue), "venue"));
      }
      respond(json_response(200, account_json(desk)));
    });
  });
  for (const bool start : {true, false}) {
    api.route("POST", start ? "/api/accounts/monitor/start" : "/api/accounts/monitor/stop", Role::Trader,
              [&ctx, start](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
                const std::string remote = request.remote_address;
                ctx.service.post([respond, start, who, remote](Desk& desk) {
                  desk.set_feed_running(start);
                  desk.audit(who.user, start ? "monitor.start" : "monitor.stop", desk.account_id(), "{}", remote);
                  desk.flush([respond, start](core::Status s) {
                    if (!s) return respond(error_response(s.error()));
                    respond(json_response(200, Json{{"monitoring", start}}));
                  });
                });
              });
  }
  api.route("GET", "/api/portfolio", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) {
      const auto& book = desk.kernel().book();
      Json positions = jv::positions(book, desk.venue(), false);
      Json by_symbol = Json::object();
      for (const auto& slot : book.slots()) {
        if (slot.quantity.is_zero()) continue;
        const double weight = book.gross_exposure().is_positive()
                                  ? slot.notional.abs().to_double() / book.gross_exposure().to_double()
                                  : 0.0;
        by_symbol[std::string(slot.instrument->id().symbol())] = weight;
      }
      Json j = account_json(desk);
      j["gross_exposure"] = jv::decimal_text(book.gross_exposure());
      j["net_exposure"] = jv::decimal_text(book.net_exposure());
      j["leverage"] = book.equity().is_positive() ? book.gross_exposure().to_double() / book.equity().to_double() : 0.0;
      j["positions"] = std::move(positions);
      j["exposure_weights"] = std::move(by_symbol);
      respond(json_response(200, j));
    });
  });

  // ---- operations ----
  api.open_route("GET", "/metrics", [&ctx](net::HttpRequest&&, net::Responder respond) {
    net::HttpResponse r;
    r.status = 200;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = ctx.metrics.render(std::chrono::steady_clock::now() - ctx.started);
    respond(std::move(r));
  });
}

}  // namespace ballast::server
