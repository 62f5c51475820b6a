// `ballast serve` wiring (see server_app.hpp).

#include "ballast/server/server_app.hpp"

#include "ballast/core/log.hpp"
#include "ballast/net/http_server.hpp"
#include "ballast/net/router.hpp"
#include "ballast/persistence/store.hpp"
#include "ballast/risk/risk_config.hpp"
#include "ballast/server/backtest_jobs.hpp"
#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/password_hasher.hpp"
#include "ballast/server/venue_service.hpp"
#include "ballast/server/websocket_hub.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace ballast::server {

std::string_view server_version() noexcept { return "0.1.0"; }

struct ServerApp::Impl {
  ServiceConfig config;
  const core::Clock* wall{nullptr};
  std::unique_ptr<persistence::Store> store;
  std::unique_ptr<TokenService> tokens;
  std::unique_ptr<LoginThrottle> throttle;
  std::unique_ptr<TradingService> service;
  std::vector<std::unique_ptr<VenueService>> venues;  // [[venues]], started after the paper desk
  ServiceMetrics metrics;
  std::unique_ptr<ApiContext> context;
  net::Router router;
  std::unique_ptr<WebSocketHub> hub;
  std::unique_ptr<net::HttpServer> http;
  std::optional<std::string> first_run_password;
  std::unique_ptr<BacktestJobs> backtests;  // stopped in stop() before the store closes
  bool stopped{false};
};

namespace {

// Creates "admin" with a generated password when the store has no users.
core::Result<std::optional<std::string>> bootstrap_admin(persistence::Store& store, const ServiceConfig& config,
                                                         const core::Clock& wall) {
  auto users = store.list_users();
  if (!users) return users.error();
  if (!users->empty()) return std::optional<std::string>{};
  auto password = generate_password(20);
  if (!password) return password.error();
  auto hash = hash_password(*password);
  if (!hash) return hash.error();
  persistence::UserRow admin;
  admin.name = "admin";
  admin.role = std::string(to_string(Role::Admin));
  admin.password_hash = *hash;
  admin.created = wall.now();
  if (auto added = store.add_user(admin); !added) return added.error();
  const std::filesystem::path file = config.data_dir / "initial-admin-password";
  std::error_code ec;
  std::filesystem::remove(file, ec);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    const std::string text = *password + "\n";
    const ssize_t written = ::write(fd, text.data(), text.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(text.size())) core::logger().warn("serve: could not write {}", file.string());
  } else {
    core::logger().warn("serve: could not create {}", file.string());
  }
  return std::optional<std::string>(*password);
}

std::optional<net::HttpResponse> authorize_websocket(ApiContext& ctx, const net::HttpRequest& upgrade) {
  std::optional<std::string_view> token = upgrade.query_param("token");
  if (!token) {
    if (const auto header = upgrade.header("Authorization"); header && header->size() > 7) token = header->substr(7);
  }
  if (!token) return error_response(401, "UNAUTHENTICATED", "a token is required (?token=… or Authorization: Bearer …)");
  auto claims = ctx.tokens.verify(*token, TokenKind::Access, ctx.wall.now());
  if (!claims) return error_response(401, "INVALID_TOKEN", claims.error().message());
  return std::nullopt;
}

}  // namespace

ServerApp::ServerApp(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ServerApp::~ServerApp() { stop(); }

core::Result<std::unique_ptr<ServerApp>> ServerApp::start(const ServiceConfig& config, const core::Clock& wall) {
  BALLAST_TRY(validate(config));
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->wall = &wall;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return core::Error(core::ErrorCode::IoError, fmt::format("cannot create the data directory: {}", ec.message()),
                       config.data_dir.string());
  }

  persistence::StoreOptions so;
  so.url = effective_database_url(config);
  auto store = persistence::Store::open(so);
  if (!store) return store.error().with_context("store");
  impl->store = std::move(*store);

  auto first = bootstrap_admin(*impl->store, config, wall);
  if (!first) return first.error().with_context("first-run admin");
  impl->first_run_password = std::move(*first);

  auto secret = TokenService::load_or_create_secret(effective_token_secret_file(config));
  if (!secret) return secret.error();
  TokenServiceConfig tc;
  tc.access_ttl = config.access_token_ttl;
  tc.refresh_ttl = config.refresh_token_ttl;
  impl->tokens = std::make_unique<TokenService>(std::move(*secret), tc);
  LoginThrottleConfig lc;
  lc.max_failures = config.login_max_failures;
  lc.window = config.login_window;
  lc.lockout = config.login_lockout;
  impl->throttle = std::make_unique<LoginThrottle>(lc);

  risk::RiskConfig risk_config;
  if (config.risk_config_file) {
    auto loaded = risk::load_risk_config(*config.risk_config_file);
    if (!loaded) return loaded.error();
    risk_config = std::move(*loaded);
  }
  auto service = TradingService::create(config, std::move(risk_config), *impl->store, wall);
  if (!service) return service.error().with_context("paper trading");
  impl->service = std::move(*service);

  impl->context = std::unique_ptr<ApiContext>(new ApiContext{*impl->service, *impl->store, *impl->tokens, *impl->throttle,
                                                             wall, impl->config, impl->metrics,
                                                             std::chrono::steady_clock::now(),
                                                             std::string(server_version())});
  Api api(*impl->context, impl->router);
  add_core_routes(api);
  add_trading_routes(api);
  add_risk_routes(api);
  add_breaker_routes(api);
  add_analytics_routes(api);
  impl->backtests = std::make_unique<BacktestJobs>(
      BacktestJobsOptions{config.backtest_data_dir, config.backtest_max_jobs_kept}, config, wall);
  impl->context->backtests = impl->backtests.get();
  add_backtest_routes(api);
  add_execution_routes(api);
  add_performance_routes(api);
  add_strategy_routes(api);
  add_session_routes(api);
  add_venue_routes(api);
  ApiContext& ctx = *impl->context;
  const net::Router& router = impl->router;
  api.open_route("GET", "/api/openapi.json", [&router, &ctx](net::HttpRequest&&, net::Responder respond) {
    respond(net::HttpResponse::json(200, openapi_document(router, ctx.version)));
  });

  TradingService* svc = impl->service.get();
  ApiContext* api_context = impl->context.get();
  impl->hub = std::make_unique<WebSocketHub>([svc, api_context](const std::string& channel, std::function<void(std::string)> send) {
    if (channel == "venues") {  // the live venues' cached states (venue_service.hpp)
      Json venues = Json::array();
      for (const VenueService* v : api_context->venues) venues.push_back(v->status());
      send(Json{{"type", "snapshot"}, {"data", std::move(venues)}}.dump());
      return;
    }
    svc->post([channel, send = std::move(send)](Desk& desk) { send(desk.snapshot(channel)); });
  });
  WebSocketHub* hub = impl->hub.get();
  impl->service->set_publisher([hub](std::string_view channel, std::string json) { hub->publish(channel, json); });
  impl->service->set_metrics(&impl->metrics);
  impl->metrics.set_websocket_clients_source([hub] { return hub->clients(); });
  impl->service->start();

  // Live venues: each is opened, connected and reconciled before the API listens; one that cannot be is
  // an error (the operator configured it to be watched).
  for (const VenueConfig& venue : config.venues) {
    if (!venue.enabled) {
      core::logger().info("serve: venue {} is disabled in the configuration", venue.name);
      continue;
    }
    risk::RiskConfig venue_risk;
    if (config.risk_config_file) {
      auto loaded = risk::load_risk_config(*config.risk_config_file);
      if (!loaded) return loaded.error();
      venue_risk = std::move(*loaded);
    }
    auto made = VenueService::create(venue, std::move(venue_risk), *impl->store, wall,
                                     [hub](std::string_view channel, std::string json) { hub->publish(channel, json); });
    if (!made) return made.error();
    if (auto started = (*made)->start(); !started) {
      for (auto& v : impl->venues) v->stop();
      impl->service->stop();
      return started.error();
    }
    impl->context->venues.push_back(made->get());
    impl->venues.push_back(std::move(*made));
  }

  net::HttpServerOptions ho;
  ho.host = config.host;
  ho.port = config.port;
  ho.io_threads = config.io_threads;
  ho.max_body_bytes = config.max_body_bytes;
  ho.cors_origins = config.cors_origins;
  ho.ws_max_queued_messages = config.ws_max_queued_messages;
  ho.ws_ping_interval = config.ws_heartbeat;
  ho.default_headers = {{"X-Content-Type-Options", "nosniff"},
                        {"X-Frame-Options", "DENY"},
                        {"Referrer-Policy", "no-referrer"},
                        {"Content-Security-Policy",
                         "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' "
                         "'unsafe-inline'; frame-ancestors 'none'"}};
  // The dashboard's built assets, when present (server.web_root, relative to the working directory).
  const std::filesystem::path web(config.web_root);
  if (std::filesystem::exists(web / "index.html", ec)) ho.static_root = web;
  net::WebSocketHandler ws;
  ws.authorize = [&ctx](const net::HttpRequest& upgrade) { return authorize_websocket(ctx, upgrade); };
  ws.on_open = [hub](std::shared_ptr<net::WebSocketConnection> c, const net::HttpRequest&) { hub->on_open(c); };
  ws.on_message = [hub](const std::shared_ptr<net::WebSocketConnection>& c, std::string m) { hub->on_message(c, m); };
  ws.on_close = [hub](const std::shared_ptr<net::WebSocketConnection>& c) { hub->on_close(c); };
  auto http = net::HttpServer::start(ho, [&router](net::HttpRequest&& r, net::Responder respond) {
    router.dispatch(std::move(r), std::move(respond));
  }, std::move(ws));
  if (!http) {
    for (auto& v : impl->venues) v->stop();
    impl->service->stop();
    return http.error().with_context(fmt::format("listen on {}:{}", config.host, config.port));
  }
  impl->http = std::move(*http);
  return std::unique_ptr<ServerApp>(new ServerApp(std::move(impl)));
}

std::uint16_t ServerApp::port() const { return impl_->http->port(); }

std::string ServerApp::url() const { return fmt::format("http://{}:{}", impl_->config.host, port()); }

const std::optional<std::string>& ServerApp::first_run_password() const { return impl_->first_run_password; }

std::vector<std::string> ServerApp::routes() const {
  std::vector<std::string> out;
  for (const auto& r : impl_->router.routes()) out.push_back(r.method + " " + r.pattern);
  return out;
}

void ServerApp::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  if (impl_->http) impl_->http->stop(std::chrono::milliseconds(5000));
  if (impl_->backtests) impl_->backtests->stop();
  for (auto& v : impl_->venues) v->stop();
  if (impl_->service) impl_->service->stop();
  // Closing the store runs the last commit callbacks (metrics, answers to the closed server): now, while
  // everything they use still exists, not during member destruction.
  impl_->store.reset();
}

}  // namespace ballast::server
