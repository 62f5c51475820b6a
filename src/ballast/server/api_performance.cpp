// Routes: performance attribution by strategy or symbol (GET /api/performance) and the account's return
// metrics from its equity history (GET /api/analytics/performance). Read-only. The desk (kernel thread)
// gives only the market time, the marks and the instruments' terms (TradingService::run, a short task);
// the store is read and the figures computed on the HTTP thread, as the other store-backed read routes do.
// Conventions: docs/api.md §Performance and server/performance_report.hpp.

#include "ballast/analytics/performance.hpp"
#include "ballast/analytics/returns.hpp"
#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"
#include "ballast/server/performance_report.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ballast::server {
namespace {

namespace jv = json_views;

// Rows per store read when loading a whole history.
constexpr std::size_t kPage = 10'000;

// What the kernel thread contributes: market time, marks, multipliers, symbols and the settlement currency.
struct DeskView {
  bool taken = false;
  core::UnixNanos now{};
  std::string currency;
  std::map<std::string, InstrumentTerms, std::less<>> instruments;
  std::map<std::string, std::string, std::less<>> symbols;  // instrument id → symbol
};

DeskView read_desk(ApiContext& ctx) {
  DeskView view;
  ctx.service.run([&view](Desk& desk) {
    const auto& book = desk.kernel().book();
    view.now = desk.now();
    view.currency = std::string(book.settlement_currency().code());
    for (const auto& slot : book.slots()) {
      const std::string id = slot.instrument->id().value();
      InstrumentTerms terms;
      terms.multiplier = slot.instrument->spec().multiplier;
      if (slot.has_mark) terms.mark = slot.mark.value();
      view.instruments.emplace(id, terms);
      view.symbols.emplace(id, std::string(slot.instrument->id().symbol()));
    }
    view.taken = true;
  });
  return view;
}

// The window's end: ?to= (ISO-8601 or epoch ms) or the market's now.
core::Result<core::UnixNanos> window_end(const net::HttpRequest& request, core::UnixNanos now) {
  auto to = time_param(request, "to");
  if (!to) return to.error();
  return to->value_or(now);
}

// Every fill of the account before `to`, joined to its order's strategy ("(unknown)" when the order row is
// missing). Pages newest first; rows inserted meanwhile only repeat earlier rows, so duplicates (by trade id)
// are dropped.
core::Result<std::vector<AttributedFill>> load_fills(ApiContext& ctx, core::UnixNanos to) {
  std::unordered_map<std::string, std::string> strategy_of;
  persistence::OrderQuery oq;
  oq.account_id = ctx.config.account_id;
  oq.limit = kPage;
  for (;;) {
    auto rows = ctx.store.query_orders(oq);
    if (!rows) return rows.error();
    for (const auto& r : *rows) strategy_of.emplace(r.client_order_id, r.strategy_id);
    if (rows->size() < kPage) break;
    oq.offset += kPage;
  }
  std::vector<AttributedFill> fills;
  std::unordered_set<std::string> seen;
  persistence::TimeQuery fq;
  fq.account_id = ctx.config.account_id;
  fq.to = to;
  fq.limit = kPage;
  for (;;) {
    auto rows = ctx.store.query_fills(fq);
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      if (!seen.insert(r.trade_id).second) continue;
      auto side = model::parse<model::OrderSide>(r.side);
      if (!side) {
        return core::Error(core::ErrorCode::Internal,
                           fmt::format("stored fill {} has an unknown side '{}'", r.trade_id, r.side), "side");
      }
      AttributedFill f;
      f.trade_id = r.trade_id;
      f.ts = r.ts_event;
      f.client_order_id = r.client_order_id;
      const auto it = strategy_of.find(r.client_order_id);
      f.strategy_id = it == strategy_of.end() ? "(unknown)" : it->second;
      f.instrument_id = r.instrument_id;
      f.side = *side;
      f.quantity = r.quantity;
      f.price = r.price;
      f.fee = r.fee;
      f.fee_currency = r.fee_currency;
      fills.push_back(std::move(f));
    }
    if (rows->size() < kPage) break;
    fq.offset += kPage;
  }
  return fills;
}

Json opt_decimal(const std::optional<core::Decimal>& d) { return d ? Json(jv::decimal_text(*d)) : Json(nullptr); }
Json opt_number(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

std::string symbol_of(const DeskView& view, const std::string& instrument_id) {
  const auto it = view.symbols.find(instrument_id);
  if (it != view.symbols.end()) return it->second;
  const auto dot = instrument_id.rfind('.');
  return dot == std::string::npos ? instrument_id : instrument_id.substr(0, dot);
}

// Money as decimal strings, ratios as numbers; a null figure has its reason in "undefined".
Json metrics_json(const PerformanceMetrics& m, const DeskView& view, bool covers_all_history) {
  Json undefined = Json::object();
  if (!m.win_rate) undefined["win_rate"] = "NO_ROUND_TRIPS";
  if (!m.profit_factor) undefined["profit_factor"] = "NO_LOSSES";
  if (!m.average_win) undefined["average_win"] = "NO_WINS";
  if (!m.largest_win) undefined["largest_win"] = "NO_WINS";
  if (!m.average_loss) undefined["average_loss"] = "NO_LOSSES";
  if (!m.largest_loss) undefined["largest_loss"] = "NO_LOSSES";
  if (!m.unrealized_pnl) undefined["unrealized_pnl"] = "NO_MARK";
  if (!m.total_pnl) undefined["total_pnl"] = covers_all_history ? "NO_MARK" : "WINDOW_EXCLUDES_EARLIER_HISTORY";
  Json positions = Json::array();
  for (const auto& p : m.positions) {
    positions.push_back(Json{{"instrument_id", p.instrument_id},
                             {"symbol", symbol_of(view, p.instrument_id)},
                             {"quantity", jv::decimal_text(p.quantity)},
                             {"avg_entry_price", jv::decimal_text(p.avg_entry_price)},
                             {"mark", opt_decimal(p.mark)},
                             {"unrealized_pnl", opt_decimal(p.unrealized_pnl)}});
  }
  Json uncounted = Json::array();
  for (const auto& u : m.fees_uncounted) {
    uncounted.push_back(Json{{"currency", u.currency}, {"amount", jv::decimal_text(u.amount)}, {"fills", u.fills}});
  }
  return Json{{"realized_pnl", jv::decimal_text(m.realized_pnl)},
              {"fees", jv::decimal_text(m.fees)},
              {"net_pnl", jv::decimal_text(m.net_pnl)},
              {"unrealized_pnl", opt_decimal(m.unrealized_pnl)},
              {"total_pnl", opt_decimal(m.total_pnl)},
              {"traded_notional", jv::decimal_text(m.traded_notional)},
              {"fills", m.fills},
              {"round_trips", m.round_trips},
              {"wins", m.wins},
              {"losses", m.losses},
              {"breakeven", m.breakeven},
              {"win_rate", opt_number(m.win_rate)},
              {"profit_factor", opt_number(m.profit_factor)},
              {"gross_profit", jv::decimal_text(m.gross_profit)},
              {"gross_loss", jv::decimal_text(m.gross_loss)},
              {"average_win", opt_decimal(m.average_win)},
              {"average_loss", opt_decimal(m.average_loss)},
              {"largest_win", opt_decimal(m.largest_win)},
              {"largest_loss", opt_decimal(m.largest_loss)},
              {"positions", std::move(positions)},
              {"fees_uncounted", std::move(uncounted)},
              {"undefined", std::move(undefined)}};
}

core::Result<PerformanceTimeframe> timeframe_param(const net::HttpRequest& request) {
  const auto text = request.query_param("timeframe");
  if (!text || text->empty()) return PerformanceTimeframe::All;
  return parse_timeframe(*text);
}

std::optional<core::UnixNanos> window_start(PerformanceTimeframe timeframe, core::UnixNanos to) {
  const auto length = timeframe_length(timeframe);
  if (!length) return std::nullopt;
  return to - *length;
}

// Attribution of the account's fills in the window ending at `to`.
core::Result<PerformanceReport> attribution(ApiContext& ctx, const DeskView& view, PerformanceGrouping by,
                                            PerformanceTimeframe timeframe, core::UnixNanos to) {
  auto fills = load_fills(ctx, to);
  if (!fills) return fills.error();
  PerformanceInput in;
  in.fills = std::move(*fills);
  in.instruments = view.instruments;
  in.currency = view.currency;
  in.by = by;
  in.from = window_start(timeframe, to);
  in.to = to;
  return attribute_performance(in);
}

Json time_or_null(const std::optional<core::UnixNanos>& t) { return t ? Json(jv::time_text(*t)) : Json(nullptr); }

Json stat(const analytics::Statistic& s, const char* name, Json& undefined) {
  if (s.is_defined()) return s.value();
  undefined[name] = std::string(analytics::to_string(s.reason()));
  return nullptr;
}

// The account metrics of an equity grid; nullopt with `reason` when they cannot be computed.
std::optional<Json> account_metrics(const EquityGrid& grid, double periods_per_year, double risk_free_rate,
                                    std::string& reason) {
  if (grid.equity.size() < 2) {
    reason = fmt::format("TOO_FEW_OBSERVATIONS: {} observation(s) in the window; returns need at least 2",
                         grid.equity.size());
    return std::nullopt;
  }
  analytics::PerformanceConfig pc;
  pc.periods_per_year = periods_per_year;
  pc.risk_free_per_period = risk_free_rate / periods_per_year;
  auto s = analytics::summarize_equity_curve(grid.ts, grid.equity, pc);
  if (!s) {
    reason = fmt::format("{}: {}", core::to_string(s.error().code()), s.error().message());
    return std::nullopt;
  }
  Json undefined = Json::object();
  const auto& dd = s->max_drawdown;
  const auto& dates = s->max_drawdown_dates;
  Json out{{"total_return", s->total_return},
           {"cagr", stat(s->cagr, "cagr", undefined)},
           {"annual_volatility", stat(s->annual_volatility, "annual_volatility", undefined)},
           {"sharpe", stat(s->sharpe_ratio, "sharpe", undefined)},
           {"sortino", stat(s->sortino_ratio, "sortino", undefined)},
           {"calmar", stat(s->calmar_ratio, "calmar", undefined)},
           {"max_drawdown", -dd.depth},
           {"max_drawdown_peak", dates ? Json(jv::time_text(dates->peak)) : Json(nullptr)},
           {"max_drawdown_trough", dates ? Json(jv::time_text(dates->trough)) : Json(nullptr)},
           {"max_drawdown_recovery", dates && dates->recovery ? Json(jv::time_text(*dates->recovery)) : Json(nullptr)},
           {"max_drawdown_duration_s", dates ? Json(std::chrono::duration<double>(dates->duration).count()) : Json(nullptr)},
           {"best_period", {{"return", s->best_period.value}, {"end", time_or_null(s->best_period.end_time)}}},
           {"worst_period", {{"return", s->worst_period.value}, {"end", time_or_null(s->worst_period.end_time)}}},
           {"returns", s->periods},
           {"start_equity", grid.equity.front()},
           {"end_equity", grid.equity.back()}};
  out["undefined"] = std::move(undefined);
  return out;
}

}  // namespace

void add_performance_routes(Api& api) {
  ApiContext& ctx = api.ctx();

  api.route("GET", "/api/performance", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
    PerformanceGrouping by = PerformanceGrouping::Strategy;
    if (const auto text = request.query_param("by"); text && !text->empty()) {
      auto parsed = parse_grouping(*text);
      if (!parsed) return respond(error_response(parsed.error()));
      by = *parsed;
    }
    auto timeframe = timeframe_param(request);
    if (!timeframe) return respond(error_response(timeframe.error()));
    const DeskView view = read_desk(ctx);
    if (!view.taken) return respond(error_response(503, "UNAVAILABLE", "the trading service is stopping"));
    auto to = window_end(request, view.now);
    if (!to) return respond(error_response(to.error()));
    auto report = attribution(ctx, view, by, *timeframe, *to);
    if (!report) return respond(error_response(report.error()));
    Json groups = Json::array();
    for (const auto& g : report->groups) {
      Json item = metrics_json(g.metrics, view, report->covers_all_history);
      if (by == PerformanceGrouping::Symbol) {
        item["key"] = symbol_of(view, g.key);
        item["instrument_id"] = g.key;
      } else {
        item["key"] = g.key;
      }
      groups.push_back(std::move(item));
    }
    respond(json_response(200, Json{{"by", std::string(to_string(by))},
                                    {"timeframe", std::string(to_string(*timeframe))},
                                    {"from", time_or_null(report->from)},
                                    {"to", jv::time_text(report->to)},
                                    {"currency", view.currency},
                                    {"covers_all_history", report->covers_all_history},
                                    {"groups", std::move(groups)},
                                    {"total", metrics_json(report->total, view, report->covers_all_history)}}));
  });

  api.route("GET", "/api/analytics/performance", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
              auto timeframe = timeframe_param(request);
              if (!timeframe) return respond(error_response(timeframe.error()));
              double risk_free_rate = 0.0;
              if (const auto text = request.query_param("risk_free_rate"); text && !text->empty()) {
                const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), risk_free_rate);
                if (ec != std::errc() || end != text->data() + text->size() || !std::isfinite(risk_free_rate) ||
                    risk_free_rate <= -1.0) {
                  return respond(error_response(400, "INVALID_ARGUMENT",
                                                fmt::format("an annual rate above -1 (0.04 = 4%), got '{}'", *text),
                                                "risk_free_rate"));
                }
              }
              const DeskView view = read_desk(ctx);
              if (!view.taken) return respond(error_response(503, "UNAVAILABLE", "the trading service is stopping"));
              auto to = window_end(request, view.now);
              if (!to) return respond(error_response(to.error()));
              const auto from = window_start(*timeframe, *to);

              // The equity history in the window, oldest first.
              std::vector<EquityPoint> points;
              persistence::TimeQuery q;
              q.account_id = ctx.config.account_id;
              q.from = from;
              q.to = *to;
              q.limit = 100 * kPage;
              for (;;) {
                auto rows = ctx.store.query_risk_snapshots(q);
                if (!rows) return respond(error_response(rows.error()));
                for (const auto& r : *rows) points.push_back(EquityPoint{r.ts, r.equity});
                if (rows->size() < q.limit) break;
                q.offset += q.limit;
              }
              const auto interval = std::chrono::duration_cast<core::Duration>(ctx.config.snapshot_interval);
              auto grid = equity_grid(points, interval);
              if (!grid) return respond(error_response(grid.error()));
              auto n = analytics::periods_per_year(grid->interval, analytics::TradingCalendar::Crypto24x7);
              if (!n) return respond(error_response(n.error()));
              std::string reason;
              auto metrics = account_metrics(*grid, *n, risk_free_rate, reason);

              auto trades = attribution(ctx, view, PerformanceGrouping::Symbol, *timeframe, *to);
              if (!trades) return respond(error_response(trades.error()));

              const bool daily = grid->interval == core::Duration(core::kNanosPerDay);
              Json sampling{{"rule", daily ? "LAST_PER_UTC_DAY" : "LAST_PER_SNAPSHOT_INTERVAL"},
                            {"interval", core::format_duration(grid->interval)},
                            {"interval_ms", std::chrono::duration_cast<std::chrono::milliseconds>(grid->interval).count()},
                            {"snapshots", grid->snapshots},
                            {"observations", grid->equity.size()},
                            {"empty_buckets", grid->empty_buckets},
                            {"periods_per_year", *n},
                            {"days_per_year", 365},
                            {"risk_free_rate", risk_free_rate}};
              respond(json_response(200, Json{{"timeframe", std::string(to_string(*timeframe))},
                                              {"from", time_or_null(from ? from : (grid->ts.empty()
                                                                                       ? std::nullopt
                                                                                       : std::optional(grid->ts.front())))},
                                              {"to", jv::time_text(*to)},
                                              {"currency", view.currency},
                                              {"observations", grid->equity.size()},
                                              {"sampling", std::move(sampling)},
                                              {"metrics", metrics ? std::move(*metrics) : Json(nullptr)},
                                              {"reason", metrics ? Json(nullptr) : Json(reason)},
                                              {"trades", metrics_json(trades->total, view, trades->covers_all_history)}}));
            });
}

}  // namespace ballast::server
