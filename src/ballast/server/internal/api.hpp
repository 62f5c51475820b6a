#pragma once
// The REST API's plumbing, private to the server module: the context every route shares, the auth and
// metrics wrapper every route is registered through, and the JSON helpers. Routes live in api_*.cpp.
//
// Errors are answered as {"error":{"code","message","field"}} with the status of the table in
// status_of(): 400 malformed input, 401 no or bad token, 403 role too low, 404 unknown entity,
// 409 state conflict, 422 well-formed but refused (risk denial, invalid configuration), 429 throttled,
// 500 store or internal failure.

#include "ballast/core/clock.hpp"
#include "ballast/core/result.hpp"
#include "ballast/net/http_types.hpp"
#include "ballast/net/router.hpp"
#include "ballast/persistence/store.hpp"
#include "ballast/server/login_throttle.hpp"
#include "ballast/server/role.hpp"
#include "ballast/server/service_config.hpp"
#include "ballast/server/service_metrics.hpp"
#include "ballast/server/token_service.hpp"
#include "ballast/server/trading_service.hpp"

#include <nlohmann/json.hpp>

#include "ballast/model/instrument.hpp"
#include "ballast/model/order.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::server {

using Json = nlohmann::json;

class BacktestJobs;  // server/backtest_jobs.hpp
class VenueService;  // server/venue_service.hpp

struct Principal {
  std::string user;
  Role role{Role::Viewer};
};

struct ApiContext {
  TradingService& service;
  persistence::Store& store;
  TokenService& tokens;
  LoginThrottle& throttle;
  const core::Clock& wall;
  const ServiceConfig& config;
  ServiceMetrics& metrics;
  std::chrono::steady_clock::time_point started;
  std::string version;
  BacktestJobs* backtests{nullptr};  // the API's backtest runner (owned by ServerApp)
  std::vector<VenueService*> venues{};  // the live venue accounts ([[venues]]), running (owned by ServerApp)
};

using AuthedHandler = std::function<void(const Principal&, net::HttpRequest&&, net::Responder)>;
using PublicHandler = std::function<void(net::HttpRequest&&, net::Responder)>;

class Api {
 public:
  Api(ApiContext& context, net::Router& router) : ctx_(&context), router_(&router) {}
  ApiContext& ctx() { return *ctx_; }
  // A route that needs a valid access token whose role allows `needed`. With `token_in_query` the token may
  // also come as ?access_token=… — only for documents a browser opens as a link in a new tab (where no
  // header can be set), like the backtest report; short-lived access tokens only, never refresh tokens.
  void route(std::string method, std::string pattern, Role needed, AuthedHandler handler, bool token_in_query = false);
  // A route without authentication (health, login, refresh, metrics, the OpenAPI document).
  void open_route(std::string method, std::string pattern, PublicHandler handler);

 private:
  ApiContext* ctx_;
  net::Router* router_;
};

// ---- responses ------------------------------------------------------------------------------------------
net::HttpResponse json_response(unsigned status, const Json& body);
net::HttpResponse error_response(unsigned status, std::string_view code, std::string_view message,
                                 std::string_view field = {});
// The HTTP status and code of a core::Error: InvalidArgument/ParseError/OutOfRange 400 (422 with
// `unprocessable`), NotFound 404, AlreadyExists/InvalidState 409, others 500.
net::HttpResponse error_response(const core::Error& error, bool unprocessable = false);

// ---- requests -------------------------------------------------------------------------------------------
// The body as a JSON object; an error response (400) names the byte offset of a syntax error.
std::optional<Json> parse_object(const net::HttpRequest& request, net::HttpResponse& error);
// A decimal from a JSON string or number; errors name the field.
core::Result<core::Decimal> decimal_field(const Json& object, std::string_view field, bool required);
std::optional<std::string> string_field(const Json& object, std::string_view field);
// ISO-8601 or epoch milliseconds in a query parameter.
core::Result<std::optional<core::UnixNanos>> time_param(const net::HttpRequest& request, std::string_view name);
// A non-negative integer query parameter with a default and a maximum.
core::Result<std::size_t> count_param(const net::HttpRequest& request, std::string_view name, std::size_t fallback,
                                      std::size_t max);

// The account a read route is about: the paper desk's, or with the query parameter `venue=<name>` a live
// venue's ("paper" names the paper desk; an unknown name is NotFound naming the configured ones), with the
// venue id of its instruments ("PAPER", "BINANCE").
struct AccountScope {
  std::string account_id;
  std::string venue_id;
};
core::Result<AccountScope> account_scope(const ApiContext& ctx, const net::HttpRequest& request);

// The records in [from, to) (query parameters), at most `limit` (default `fallback`, ≤ `max`) from
// `offset`, of the account_scope() account.
core::Result<persistence::TimeQuery> time_query(const ApiContext& ctx, const net::HttpRequest& request,
                                                std::size_t fallback, std::size_t max);

// ---- route groups ----------------------------------------------------------------------------------------
void add_core_routes(Api& api);     // health, status, auth, accounts, portfolio, metrics, openapi
void add_trading_routes(Api& api);  // positions, orders
void add_risk_routes(Api& api);     // risk, breakers, emergency stop, alerts, config, history
void add_breaker_routes(Api& api);  // circuit breakers at run time (create, edit, enable, delete), paper shock
void add_analytics_routes(Api& api);  // risk analysis (VaR/ES by method, stress, correlation), market analytics
void add_backtest_routes(Api& api);  // backtests: strategies, run, progress, results, HTML report, cancel
void add_execution_routes(Api& api);  // execution algorithms: start, follow, cancel (algo_desk.hpp)
void add_performance_routes(Api& api);  // performance attribution by strategy/symbol, account return metrics
void add_strategy_routes(Api& api);  // strategies on the desk: list, start, stop, signals (strategy_desk.hpp)
void add_session_routes(Api& api);  // the trading session: state, start, stop (session_manager.hpp)
void add_venue_routes(Api& api);    // live venue accounts: state, orders, cancels, reconcile (venue_service.hpp)

// ---- shared between route groups ---------------------------------------------------------------------------
// An order request body → OrderSpec (instrument looked up by `find`); field errors name the field.
core::Result<model::OrderSpec> order_spec(const Json& body,
                                          const std::function<const model::Instrument*(std::string_view)>& find,
                                          const std::string& user);
// The live venue accounts as /api/accounts lists them (from each venue's cached status).
Json venue_accounts(const ApiContext& ctx);
// The emergency stop on every live venue (after the paper desk's): one entry per venue with its errors.
Json engage_venue_emergency_stops(ApiContext& ctx, const std::string& user, const std::string& reason, bool flatten,
                                  const std::string& remote);
// The OpenAPI 3 document of the routes (built from the router's table and the route descriptions).
std::string openapi_document(const net::Router& router, const std::string& version);

}  // namespace ballast::server
