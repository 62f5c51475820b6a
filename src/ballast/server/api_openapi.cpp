// The OpenAPI 3 document, generated from the router's route table so it cannot drift from the routes
// actually served (a test checks both directions).

#include "ballast/server/internal/api.hpp"

#include <map>

namespace ballast::server {
namespace {

struct RouteDoc {
  std::string_view summary;
  std::string_view tag;
};

// Keyed by "METHOD pattern". A route missing here is still documented, with its pattern as summary.
const std::map<std::string, RouteDoc, std::less<>>& docs() {
  static const std::map<std::string, RouteDoc, std::less<>> d{
      {"GET /api/health", {"Liveness: the server answers", "operations"}},
      {"GET /api/status", {"Service status: store, feed, market time, trading state", "operations"}},
      {"GET /metrics", {"Prometheus metrics (text exposition format)", "operations"}},
      {"GET /api/openapi.json", {"This document", "operations"}},
      {"POST /api/auth/login", {"Log in with username and password; returns access and refresh tokens", "auth"}},
      {"POST /api/auth/refresh", {"Exchange a refresh token for a new token pair", "auth"}},
      {"GET /api/auth/me", {"The authenticated user and role", "auth"}},
      {"GET /api/accounts", {"Accounts with balances, equity and margin", "accounts"}},
      {"GET /api/accounts/{venue}", {"The account on one venue", "accounts"}},
      {"POST /api/accounts/monitor/start", {"Start the market feed and risk monitoring", "accounts"}},
      {"POST /api/accounts/monitor/stop", {"Pause the market feed and risk monitoring", "accounts"}},
      {"GET /api/portfolio", {"Portfolio: account, positions, exposure weights, leverage", "accounts"}},
      {"GET /api/positions", {"Open positions with mark, P&L, margin and liquidation price", "positions"}},
      {"GET /api/positions/by-symbol", {"Open positions keyed by symbol", "positions"}},
      {"GET /api/positions/by-exchange", {"Open positions grouped by venue", "positions"}},
      {"GET /api/positions/{venue}/{symbol}", {"One instrument's position (flat included)", "positions"}},
      {"POST /api/positions/{venue}/{symbol}/close", {"Close a position with a reduce-only market order", "positions"}},
      {"GET /api/positions/optimal-size", {"Fixed-fractional position size for a stop distance", "positions"}},
      {"GET /api/orders", {"Orders (open and history) with filters and pagination", "orders"}},
      {"GET /api/orders/{id}", {"One order with its fills", "orders"}},
      {"POST /api/orders", {"Submit an order through the risk engine (422 with the typed reason when denied)", "orders"}},
      {"DELETE /api/orders/{id}", {"Cancel an open order", "orders"}},
      {"DELETE /api/orders", {"Cancel every open order (optionally one symbol)", "orders"}},
      {"GET /api/risk", {"Current risk metrics and limit utilisation", "risk"}},
      {"GET /api/risk/portfolio", {"Risk metrics with exposures and concentration", "risk"}},
      {"POST /api/risk/evaluate", {"Dry-run pre-trade check of an order, every check explained", "risk"}},
      {"GET /api/risk/circuit-breakers", {"Circuit breakers with state and last measurement", "risk"}},
      {"GET /api/risk/circuit-breakers/events", {"Circuit-breaker event history", "risk"}},
      {"POST /api/risk/circuit-breakers/{name}/reset", {"Re-arm a circuit breaker (admin)", "risk"}},
      {"POST /api/risk/circuit-breakers", {"Create a circuit breaker, applied live and saved (admin)", "risk"}},
      {"PUT /api/risk/circuit-breakers/{name}", {"Replace a circuit breaker's definition (admin)", "risk"}},
      {"DELETE /api/risk/circuit-breakers/{name}", {"Delete a circuit breaker (admin)", "risk"}},
      {"POST /api/risk/circuit-breakers/{name}/enable", {"Enable a circuit breaker (admin)", "risk"}},
      {"POST /api/risk/circuit-breakers/{name}/disable", {"Disable a circuit breaker: it stays listed, never trips (admin)", "risk"}},
      {"POST /api/paper/shock", {"Shift a synthetic paper instrument's price level for a drill (admin)", "paper"}},
      {"POST /api/risk/emergency-stop", {"Engage the emergency stop on the paper desk and every live venue: halt, cancel everything, optionally flatten; reported per venue", "risk"}},
      {"POST /api/risk/emergency-stop/reset", {"Reset the emergency stop (admin)", "risk"}},
      {"GET /api/risk/alerts", {"Risk alerts, newest first", "risk"}},
      {"GET /api/risk/history", {"Snapshots of equity, exposure, VaR and margin usage over time", "risk"}},
      {"GET /api/config", {"Active risk configuration and saved configurations", "configuration"}},
      {"GET /api/config/global", {"The active risk configuration (JSON form)", "configuration"}},
      {"PUT /api/config/global", {"Replace, save and activate the risk configuration (admin)", "configuration"}},
      {"GET /api/config/symbols", {"Per-symbol risk overrides", "configuration"}},
      {"POST /api/config/reset", {"Reset the risk configuration to the built-in defaults (admin)", "configuration"}},
      {"POST /api/risk/limits", {"Change limits of the running configuration with a JSON merge patch (admin)", "risk"}},
      {"PUT /api/config/symbols/{symbol}", {"Set one instrument's risk overrides (admin)", "configuration"}},
      {"DELETE /api/config/symbols/{symbol}", {"Remove one instrument's risk overrides (admin)", "configuration"}},
      {"POST /api/config/save", {"Save the running configuration under a name and activate it (admin)", "configuration"}},
      {"POST /api/config/activate", {"Load a saved configuration by name and run it (admin)", "configuration"}},
      {"PUT /api/risk/circuit-breakers/{name}/enable", {"Enable a circuit breaker (admin; same as POST)", "risk"}},
      {"PUT /api/risk/circuit-breakers/{name}/disable", {"Disable a circuit breaker (admin; same as POST)", "risk"}},
      {"GET /api/risk/analysis", {"Portfolio VaR and ES by method, component VaR, stress scenarios, correlation", "analytics"}},
      {"GET /api/positions/correlation", {"Correlation of the paper instruments' bar returns (sample, EWMA, Ledoit-Wolf)", "analytics"}},
      {"GET /api/analytics/market", {"Indicators, trend and volatility of one symbol from its closes", "analytics"}},
      {"GET /api/analytics/performance", {"Account return metrics from the equity history (Sharpe, Sortino, drawdown, CAGR) and trade statistics", "analytics"}},
      {"GET /api/performance", {"Performance attribution by strategy or symbol over a timeframe: realised P&L, fees, round trips, win rate", "analytics"}},
      {"GET /api/backtests/strategies", {"Built-in strategies with their parameters (name, type, default, range)", "backtests"}},
      {"GET /api/backtests", {"Backtest jobs, newest first, with status, progress and headline metrics", "backtests"}},
      {"POST /api/backtests", {"Queue a backtest (strategy, parameters, synthetic or CSV data); 202 with the job", "backtests"}},
      {"GET /api/backtests/{id}", {"One backtest job; when DONE its metrics, curves, markers, monthly returns and trades", "backtests"}},
      {"GET /api/backtests/{id}/report", {"The self-contained HTML report of a finished backtest (409 until DONE)", "backtests"}},
      {"DELETE /api/backtests/{id}", {"Cancel a queued or running backtest, or forget a finished one", "backtests"}},
      {"GET /api/strategies", {"Strategies on the paper desk: state, parameters, own position, orders sent, latest signal", "strategies"}},
      {"GET /api/strategies/{id}", {"One strategy of the paper desk", "strategies"}},
      {"POST /api/strategies/{id}/start", {"Start a stopped strategy (kept across restarts)", "strategies"}},
      {"POST /api/strategies/{id}/stop", {"Stop a running strategy: no more market data, working orders canceled, position kept", "strategies"}},
      {"GET /api/signals", {"Latest signal of every running strategy (?strategy= for one)", "strategies"}},
      {"POST /api/execution/algos", {"Start an execution algorithm (TWAP, VWAP, POV, ICEBERG) on the paper desk", "execution"}},
      {"GET /api/execution/algos", {"Running and finished execution algorithms (latest 100), newest first", "execution"}},
      {"GET /api/execution/algos/{id}", {"One execution algorithm: progress, schedule and execution quality", "execution"}},
      {"DELETE /api/execution/algos/{id}", {"Cancel an execution algorithm and its working child orders", "execution"}},
      {"GET /api/session", {"The trading session: RUNNING/STOPPED, mode, who and why, each instrument's trading hours now", "session"}},
      {"POST /api/session/start", {"Start the trading session: new orders accepted again (409 when running)", "session"}},
      {"GET /api/venues", {"Live venue accounts ([[venues]]): connection, trading state, balances, positions, open orders, last reconciliation", "venues"}},
      {"GET /api/venues/{venue}", {"One live venue account in full", "venues"}},
      {"POST /api/venues/{venue}/orders", {"Submit an order to a live venue through its own risk engine (409 READ_ONLY, 422 RISK_DENIED)", "venues"}},
      {"DELETE /api/venues/{venue}/orders/{id}", {"Cancel an order at a live venue", "venues"}},
      {"DELETE /api/venues/{venue}/orders", {"Cancel every open order at a live venue", "venues"}},
      {"POST /api/venues/{venue}/reconcile", {"Reconcile a live venue now: its orders, fills and positions against Ballast's", "venues"}},
      {"POST /api/session/stop", {"Stop the trading session: only reducing orders and cancels pass (409 when stopped)", "session"}},
  };
  return d;
}

bool is_open_route(std::string_view key) {
  return key == "GET /api/health" || key == "GET /metrics" || key == "GET /api/openapi.json" ||
         key == "POST /api/auth/login" || key == "POST /api/auth/refresh";
}

}  // namespace

std::string openapi_document(const net::Router& router, const std::string& version) {
  Json paths = Json::object();
  for (const auto& route : router.routes()) {
    const std::string key = route.method + " " + route.pattern;
    const auto it = docs().find(key);
    Json op{{"summary", it != docs().end() ? std::string(it->second.summary) : route.pattern},
            {"tags", Json::array({it != docs().end() ? std::string(it->second.tag) : std::string("other")})},
            {"responses",
             {{"200", {{"description", "OK"}}},
              {"default", {{"description", "Error: {\"error\":{\"code\",\"message\",\"field\"}}"},
                           {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}};
    if (is_open_route(key)) op["security"] = Json::array();
    Json parameters = Json::array();
    std::size_t open = route.pattern.find('{');
    while (open != std::string::npos) {
      const std::size_t close = route.pattern.find('}', open);
      parameters.push_back(Json{{"name", route.pattern.substr(open + 1, close - open - 1)},
                                {"in", "path"},
                                {"required", true},
                                {"schema", {{"type", "string"}}}});
      open = route.pattern.find('{', close);
    }
    if (!parameters.empty()) op["parameters"] = std::move(parameters);
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[route.pattern][method] = std::move(op);
  }
  Json doc{{"openapi", "3.0.3"},
           {"info", {{"title", "Ballast API"}, {"version", version},
                     {"description", "Risk management and paper trading. Money, prices and quantities are decimal strings."}}},
           {"servers", Json::array({Json{{"url", "/"}}})},
           {"security", Json::array({Json{{"bearer", Json::array()}}})},
           {"components",
            {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}},
             {"schemas",
              {{"Error",
                {{"type", "object"},
                 {"properties",
                  {{"error",
                    {{"type", "object"},
                     {"properties",
                      {{"code", {{"type", "string"}}},
                       {"message", {{"type", "string"}}},
                       {"field", {{"type", "string"}, {"nullable", true}}}}}}}}}}}}}}},
           {"paths", std::move(paths)}};
  return doc.dump();
}

}  // namespace ballast::server
