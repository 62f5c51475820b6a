// Routes: positions and orders. Every order goes through the kernel — the risk engine's pre-trade checks
// — and is answered only after the order (or its denial) is durable in the store.

#include "ballast/model/enums.hpp"
#include "ballast/risk/position_sizer.hpp"
#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"

#include <fmt/format.h>

namespace ballast::server {
namespace {

namespace jv = json_views;

Json positions_json(const Desk& desk, bool include_flat) {
  return jv::positions(desk.kernel().book(), desk.venue(), include_flat);
}

}  // namespace

core::Result<model::OrderSpec> order_spec(const Json& body,
                                          const std::function<const model::Instrument*(std::string_view)>& find,
                                          const std::string& user) {
  model::OrderSpec spec;
  const auto symbol = string_field(body, "symbol") ? string_field(body, "symbol") : string_field(body, "instrument_id");
  if (!symbol) return core::Error(core::ErrorCode::InvalidArgument, "required (e.g. \"BTCUSDT\")", "symbol");
  const model::Instrument* instrument = find(*symbol);
  if (instrument == nullptr) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("unknown instrument '{}'", *symbol), "symbol");
  }
  spec.instrument_id = instrument->id();
  spec.strategy_id = core::StrategyId("API:" + user);
  const auto side = string_field(body, "side");
  if (!side) return core::Error(core::ErrorCode::InvalidArgument, "required: BUY or SELL", "side");
  auto parsed_side = model::parse<model::OrderSide>(*side);
  if (!parsed_side) return core::Error(core::ErrorCode::InvalidArgument, parsed_side.error().message(), "side");
  spec.side = *parsed_side;
  const auto type = string_field(body, "type").value_or("MARKET");
  auto parsed_type = model::parse<model::OrderType>(type);
  if (!parsed_type) return core::Error(core::ErrorCode::InvalidArgument, parsed_type.error().message(), "type");
  spec.type = *parsed_type;
  auto quantity = decimal_field(body, "quantity", true);
  if (!quantity) return quantity.error();
  if (!quantity->is_positive()) return core::Error(core::ErrorCode::InvalidArgument, "must be positive", "quantity");
  spec.quantity = model::Quantity(*quantity);
  if (body.contains("price") && !body["price"].is_null()) {
    auto price = decimal_field(body, "price", true);
    if (!price) return price.error();
    spec.price = model::Price(*price);
  }
  if (body.contains("trigger_price") && !body["trigger_price"].is_null()) {
    auto trigger = decimal_field(body, "trigger_price", true);
    if (!trigger) return trigger.error();
    spec.trigger_price = model::Price(*trigger);
  }
  if (const auto tif = string_field(body, "time_in_force")) {
    auto parsed = model::parse<model::TimeInForce>(*tif);
    if (!parsed) return core::Error(core::ErrorCode::InvalidArgument, parsed.error().message(), "time_in_force");
    spec.time_in_force = *parsed;
  }
  for (const char* flag : {"reduce_only", "post_only"}) {
    if (body.contains(flag) && !body[flag].is_boolean()) {
      return core::Error(core::ErrorCode::InvalidArgument, "must be true or false", flag);
    }
  }
  spec.reduce_only = body.value("reduce_only", false);
  spec.post_only = body.value("post_only", false);
  return spec;
}

namespace {

void submit_order(ApiContext& ctx, const Principal& who, std::string body_text, Json body, std::string remote,
                  net::Responder respond) {
  ctx.service.post([&ctx, who, body_text = std::move(body_text), body = std::move(body), remote = std::move(remote),
                    respond](Desk& desk) {
    auto spec = order_spec(body, [&desk](std::string_view s) { return desk.find_instrument(s); }, who.user);
    if (!spec) return respond(error_response(spec.error(), spec.error().code() != core::ErrorCode::NotFound));
    const std::int64_t denied_before = desk.kernel().denied_orders();
    auto id = desk.kernel().submit(*spec);
    if (!id) {
      if (desk.kernel().denied_orders() > denied_before) {
        // A risk denial: recorded as ORDER_DENIED (observer) and answered 422 with the typed reason.
        const risk::RiskDecision& decision = desk.kernel().last_denial();
        if (desk.metrics() != nullptr) desk.metrics()->order_denied(risk::to_string(decision.reason));
        desk.audit(who.user, "order.denied", std::string(risk::to_string(decision.reason)), body_text, remote);
        // A stopped trading session is a state conflict (409 SESSION_STOPPED), not a risk limit.
        const bool session_stopped = decision.reason == risk::DenyReason::SessionStopped;
        Json answer{{"error",
                     {{"code", session_stopped ? "SESSION_STOPPED" : "RISK_DENIED"},
                      {"message", session_stopped ? "the trading session is stopped: only orders that reduce a "
                                                    "position are accepted until POST /api/session/start"
                                                  : decision.message()},
                      {"field", nullptr}}},
                    {"decision", jv::decision(decision)}};
        desk.flush([respond, answer = std::move(answer), status = session_stopped ? 409u : 422u](core::Status s) {
          if (!s) return respond(error_response(s.error()));
          respond(json_response(status, answer));
        });
        return;
      }
      return respond(error_response(id.error(), true));
    }
    const model::Order* order = desk.kernel().order(*id);
    std::string answer = order != nullptr ? jv::order_text(*order) : Json{{"id", id->value()}}.dump();
    if (desk.metrics() != nullptr) desk.metrics()->order_submitted();
    desk.audit(who.user, "order.submit", id->value(), body_text, remote);
    desk.flush([respond, answer = std::move(answer)](core::Status s) mutable {
      if (!s) return respond(error_response(500, "STORE_FAILED", "the order was not stored: " + s.error().message()));
      respond(net::HttpResponse::json(201, std::move(answer)));
    });
  });
}

}  // namespace

void add_trading_routes(Api& api) {
  ApiContext& ctx = api.ctx();

  // ---- positions ----
  api.route("GET", "/api/positions", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) { respond(json_response(200, Json{{"positions", positions_json(desk, false)}})); });
  });
  api.route("GET", "/api/positions/by-symbol", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) {
      Json out = Json::object();
      for (auto& p : positions_json(desk, false)) out[p["symbol"].get<std::string>()] = p;
      respond(json_response(200, out));
    });
  });
  api.route("GET", "/api/positions/by-exchange", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) { respond(json_response(200, Json{{desk.venue(), positions_json(desk, false)}})); });
  });
  api.route("GET", "/api/positions/{venue}/{symbol}", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
              const std::string venue = request.path_params["venue"];
              const std::string symbol = request.path_params["symbol"];
              ctx.service.post([respond, venue, symbol](Desk& desk) {
                if (venue != desk.venue()) return respond(error_response(404, "NOT_FOUND", "unknown venue", "venue"));
                for (auto& p : positions_json(desk, true)) {
                  if (p["symbol"] == symbol) return respond(json_response(200, p));
                }
                respond(error_response(404, "NOT_FOUND", fmt::format("unknown instrument '{}'", symbol), "symbol"));
              });
            });
  api.route("POST", "/api/positions/{venue}/{symbol}/close", Role::Trader,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              const std::string venue = request.path_params["venue"];
              const std::string symbol = request.path_params["symbol"];
              const std::string remote = request.remote_address;
              ctx.service.post([respond, venue, symbol, who, remote](Desk& desk) {
                const model::Instrument* instrument = venue == desk.venue() ? desk.find_instrument(symbol) : nullptr;
                if (instrument == nullptr) return respond(error_response(404, "NOT_FOUND", "unknown position", "symbol"));
                const auto slot = desk.kernel().book().find(instrument->id());
                if (desk.kernel().book().slot(*slot).quantity.is_zero()) {
                  return respond(error_response(409, "NO_POSITION", fmt::format("no open position in {}", symbol), "symbol"));
                }
                // A close reduces risk: it goes through the same path as a breaker's close (reduce-only market
                // order, exempt from a halt but from no other check).
                const auto result = desk.kernel().close_position(instrument->id(), "closed by " + who.user, desk.now());
                desk.audit(who.user, "position.close", instrument->id().value(), "{}", remote);
                Json answer{{"ok", result.ok},
                            {"error", result.error},
                            {"orders_canceled", result.orders_affected},
                            {"close_orders", result.positions_affected}};
                desk.flush([respond, answer = std::move(answer), ok = result.ok](core::Status s) {
                  if (!s) return respond(error_response(s.error()));
                  respond(json_response(ok ? 202 : 422, answer));
                });
              });
            });
  api.route("GET", "/api/positions/optimal-size", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
              const auto symbol = request.query_param("symbol");
              const auto stop = request.query_param("stop_price");
              const auto risk_fraction = request.query_param("risk_fraction");
              if (!symbol) return respond(error_response(400, "INVALID_ARGUMENT", "required", "symbol"));
              if (!stop) return respond(error_response(400, "INVALID_ARGUMENT", "required", "stop_price"));
              auto stop_price = core::Decimal::parse(*stop);
              if (!stop_price || !stop_price->is_positive()) {
                return respond(error_response(400, "INVALID_ARGUMENT", "a positive decimal", "stop_price"));
              }
              auto fraction = core::Decimal::parse(risk_fraction.value_or("0.01"));
              if (!fraction || !fraction->is_positive() || *fraction > core::Decimal::from_int(1)) {
                return respond(error_response(400, "INVALID_ARGUMENT", "a fraction in (0, 1]", "risk_fraction"));
              }
              ctx.service.post([respond, sym = std::string(*symbol), stop_price = *stop_price, fraction = *fraction](Desk& desk) {
                const model::Instrument* instrument = desk.find_instrument(sym);
                if (instrument == nullptr) return respond(error_response(404, "NOT_FOUND", "unknown instrument", "symbol"));
                const auto index = desk.index_of(instrument->id());
                const auto& bar = desk.last_bar(*index);
                if (!bar) return respond(error_response(409, "NO_PRICE", "no price yet for this instrument", "symbol"));
                // Fixed-fractional: risk `fraction` of equity on the distance from the price to the stop.
                const core::Decimal entry = bar->close.value();
                const core::Decimal distance = (entry - stop_price).abs();
                if (distance.is_zero()) return respond(error_response(422, "UNPROCESSABLE", "the stop equals the price", "stop_price"));
                const core::Decimal equity = desk.kernel().book().equity();
                auto product = equity.checked_mul(fraction, equity.scale());
                if (!product) return respond(error_response(product.error()));
                const core::Decimal budget = *product;
                const double raw = budget.to_double() / distance.to_double();
                const auto step = instrument->spec().step_size.value();
                auto qty = core::Decimal::from_double(raw, step.scale());
                core::Decimal quantity = qty ? *qty : core::Decimal{};
                if (auto rounded = quantity.round_to_increment(step, core::RoundingMode::TowardZero)) quantity = *rounded;
                respond(json_response(200, Json{{"symbol", sym},
                                                {"method", "FIXED_FRACTIONAL"},
                                                {"price", jv::decimal_text(entry)},
                                                {"stop_price", jv::decimal_text(stop_price)},
                                                {"risk_fraction", fraction.to_double()},
                                                {"equity", jv::decimal_text(equity)},
                                                {"risk_amount", jv::decimal_text(budget)},
                                                {"quantity", jv::decimal_text(quantity)},
                                                {"side", stop_price < entry ? "BUY" : "SELL"}}));
              });
            });

  // ---- orders ----
  api.route("POST", "/api/orders", Role::Trader, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    net::HttpResponse bad;
    auto body = parse_object(request, bad);
    if (!body) return respond(std::move(bad));
    submit_order(ctx, who, std::move(request.body), std::move(*body), std::move(request.remote_address), std::move(respond));
  });

  api.route("GET", "/api/orders", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
    persistence::OrderQuery q;
    auto scope = account_scope(ctx, request);
    if (!scope) return respond(error_response(scope.error()));
    q.account_id = scope->account_id;
    if (auto s = request.query_param("symbol")) {
      q.instrument_id = std::string(*s).find('.') == std::string::npos ? std::string(*s) + "." + scope->venue_id : std::string(*s);
    }
    if (auto s = request.query_param("status")) {
      const std::string text(*s);
      if (text == "open") {
        q.open_only = true;
      } else {
        std::size_t start = 0;
        while (start <= text.size()) {
          const std::size_t comma = text.find(',', start);
          const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
          if (!item.empty()) {
            if (!model::parse<model::OrderStatus>(item)) {
              return respond(error_response(400, "INVALID_ARGUMENT", fmt::format("unknown order status '{}'", item), "status"));
            }
            q.statuses.push_back(item);
          }
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
      }
    }
    if (auto s = request.query_param("strategy")) q.strategy_id = std::string(*s);
    auto from = time_param(request, "from");
    auto to = time_param(request, "to");
    auto limit = count_param(request, "limit", 100, 1000);
    auto offset = count_param(request, "offset", 0, 100'000'000);
    for (const core::Error* e : {from ? nullptr : &from.error(), to ? nullptr : &to.error(),
                                 limit ? nullptr : &limit.error(), offset ? nullptr : &offset.error()}) {
      if (e != nullptr) return respond(error_response(*e));
    }
    q.from = *from;
    q.to = *to;
    q.limit = *limit;
    q.offset = *offset;
    auto rows = ctx.store.query_orders(q);
    if (!rows) return respond(error_response(rows.error()));
    Json orders = Json::array();
    for (const auto& r : *rows) orders.push_back(jv::order(r));
    respond(json_response(200, Json{{"orders", std::move(orders)}, {"limit", q.limit}, {"offset", q.offset}}));
  });

  api.route("GET", "/api/orders/{id}", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
    auto row = ctx.store.find_order(request.path_params["id"]);
    if (!row) return respond(error_response(row.error()));
    if (!row->has_value()) return respond(error_response(404, "NOT_FOUND", "unknown order", "id"));
    Json j = jv::order(**row);
    auto fills = ctx.store.query_fills(persistence::TimeQuery{}, (*row)->client_order_id);
    if (fills) {
      j["fills"] = Json::array();
      for (const auto& f : *fills) j["fills"].push_back(jv::fill(f));
    }
    respond(json_response(200, j));
  });

  api.route("DELETE", "/api/orders/{id}", Role::Trader, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    const std::string id = request.path_params["id"];
    const std::string remote = request.remote_address;
    ctx.service.post([respond, id, who, remote](Desk& desk) {
      const model::Order* order = desk.kernel().order(core::ClientOrderId(id));
      if (order == nullptr) return respond(error_response(404, "NOT_FOUND", fmt::format("no open order '{}'", id), "id"));
      if (!order->is_open()) {
        return respond(error_response(409, "ORDER_CLOSED",
                                      fmt::format("order {} is {}", id, model::to_string(order->status())), "id"));
      }
      if (auto s = desk.kernel().cancel(core::ClientOrderId(id)); !s) return respond(error_response(s.error()));
      desk.audit(who.user, "order.cancel", id, "{}", remote);
      Json answer = jv::order(*order);
      desk.flush([respond, answer = std::move(answer)](core::Status s) {
        if (!s) return respond(error_response(s.error()));
        respond(json_response(202, answer));
      });
    });
  });

  api.route("DELETE", "/api/orders", Role::Trader, [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
    std::optional<std::string> symbol;
    if (auto s = request.query_param("symbol")) symbol = std::string(*s);
    const std::string remote = request.remote_address;
    ctx.service.post([respond, symbol, who, remote](Desk& desk) {
      std::optional<core::InstrumentId> instrument;
      if (symbol) {
        const model::Instrument* i = desk.find_instrument(*symbol);
        if (i == nullptr) return respond(error_response(404, "NOT_FOUND", "unknown instrument", "symbol"));
        instrument = i->id();
      }
      const auto result = desk.kernel().cancel_orders(instrument, "canceled by " + who.user, desk.now());
      desk.audit(who.user, "order.cancel_all", symbol.value_or("*"), "{}", remote);
      Json answer{{"ok", result.ok}, {"error", result.error}, {"canceled", result.orders_affected}};
      desk.flush([respond, answer = std::move(answer)](core::Status s) {
        if (!s) return respond(error_response(s.error()));
        respond(json_response(202, answer));
      });
    });
  });
}

}  // namespace ballast::server
