// Routes: execution algorithms on the paper desk (TWAP, VWAP, POV, iceberg) — start, follow, cancel. The
// algorithms run on the kernel thread in the desk's AlgoDesk (internal/algo_desk.hpp); their children go
// through the risk engine like any order. Starting and canceling are audited and answered only once
// durable (the audit entry and the first children's orders, or the cancels).

#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/server/internal/algo_desk.hpp"
#include "ballast/server/internal/api.hpp"
#include "ballast/server/internal/desk.hpp"

#include <fmt/format.h>

#include <cctype>
#include <chrono>

namespace ballast::server {
namespace {

// The longest horizon an algo may have (market time).
constexpr core::Duration kMaxDuration = std::chrono::hours(24 * 7);
constexpr int kMaxSlices = 10'000;

core::Error bad(std::string message, std::string field) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(field));
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// The shape of a start request (everything but the instrument, resolved on the kernel thread). Errors
// are 400 with the field.
core::Result<AlgoRequest> parse_request(const Json& body, std::string& symbol) {
  AlgoRequest r;
  const auto algorithm = string_field(body, "algorithm");
  if (!algorithm) return bad("required: TWAP, VWAP, POV or ICEBERG", "algorithm");
  auto kind = parse_algo_kind(*algorithm);
  if (!kind) return kind.error();
  r.kind = *kind;

  const auto sym = string_field(body, "symbol");
  if (!sym || sym->empty()) return bad("required (e.g. \"BTCUSDT\")", "symbol");
  symbol = *sym;

  const auto side = string_field(body, "side");
  if (!side) return bad("required: BUY or SELL", "side");
  auto parsed_side = model::parse<model::OrderSide>(upper(*side));
  if (!parsed_side) return bad(parsed_side.error().message(), "side");
  r.side = *parsed_side;

  auto quantity = decimal_field(body, "quantity", true);
  if (!quantity) return quantity.error();
  if (!quantity->is_positive()) return bad("must be positive", "quantity");
  r.quantity = model::Quantity(*quantity);

  const bool needs_duration = r.kind != AlgoKind::Iceberg;
  if (body.contains("duration") && !body["duration"].is_null()) {
    const auto text = string_field(body, "duration");
    if (!text) return bad("a duration string such as \"10m\", \"90s\" or \"1h\"", "duration");
    auto d = core::parse_duration(*text);
    if (!d) return bad(d.error().message(), "duration");
    if (d->count() <= 0) return bad("must be > 0", "duration");
    if (*d > kMaxDuration) return bad("at most 7d", "duration");
    r.duration = *d;
  } else if (needs_duration) {
    return bad(fmt::format("required for {} (market time, e.g. \"10m\")", to_string(r.kind)), "duration");
  } else {
    r.duration = std::chrono::hours(24);  // an iceberg shows its slices for a day unless told otherwise
  }

  if (body.contains("slices") && !body["slices"].is_null()) {
    if (!body["slices"].is_number_integer()) return bad("an integer >= 1", "slices");
    const auto n = body["slices"].get<std::int64_t>();
    if (n < 1 || n > kMaxSlices) return bad(fmt::format("an integer in [1, {}]", kMaxSlices), "slices");
    if (r.kind != AlgoKind::Twap && r.kind != AlgoKind::Vwap) return bad("only for TWAP and VWAP", "slices");
    r.slices = static_cast<int>(n);
  }

  if (body.contains("participation") && !body["participation"].is_null()) {
    if (!body["participation"].is_number()) return bad("a number in (0, 1)", "participation");
    const double rate = body["participation"].get<double>();
    if (!(rate > 0.0 && rate < 1.0)) return bad("a number in (0, 1)", "participation");
    r.participation = rate;
  } else if (r.kind == AlgoKind::Pov) {
    return bad("required for POV: a number in (0, 1)", "participation");
  }

  if (body.contains("display_quantity") && !body["display_quantity"].is_null()) {
    auto display = decimal_field(body, "display_quantity", true);
    if (!display) return display.error();
    if (!display->is_positive()) return bad("must be positive", "display_quantity");
    r.display_quantity = model::Quantity(*display);
  } else if (r.kind == AlgoKind::Iceberg) {
    return bad("required for ICEBERG", "display_quantity");
  }

  if (body.contains("limit_price") && !body["limit_price"].is_null()) {
    auto price = decimal_field(body, "limit_price", true);
    if (!price) return price.error();
    if (!price->is_positive()) return bad("must be positive", "limit_price");
    r.limit_price = model::Price(*price);
  } else if (r.kind == AlgoKind::Iceberg) {
    return bad("required for ICEBERG (the price the slices rest at)", "limit_price");
  }

  if (body.contains("urgency") && !body["urgency"].is_null()) {
    const auto urgency = string_field(body, "urgency");
    const std::string u = urgency ? upper(*urgency) : std::string();
    if (u == "PASSIVE") {
      r.pricing = execution::ChildPricing::Passive;
    } else if (u == "AGGRESSIVE") {
      r.pricing = execution::ChildPricing::Aggressive;
    } else {
      return bad("PASSIVE or AGGRESSIVE", "urgency");
    }
  }
  return r;
}

}  // namespace

void add_execution_routes(Api& api) {
  ApiContext& ctx = api.ctx();

  api.route("POST", "/api/execution/algos", Role::Trader,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              net::HttpResponse error;
              auto body = parse_object(request, error);
              if (!body) return respond(std::move(error));
              std::string symbol;
              auto parsed = parse_request(*body, symbol);
              if (!parsed) return respond(error_response(parsed.error()));
              AlgoRequest r = std::move(*parsed);
              r.user = who.user;
              ctx.service.post([respond, r = std::move(r), symbol = std::move(symbol), user = who.user,
                                text = std::move(request.body), remote = std::move(request.remote_address)](Desk& desk) mutable {
                r.instrument = desk.find_instrument(symbol);
                if (r.instrument == nullptr) {
                  return respond(error_response(422, "UNPROCESSABLE", fmt::format("unknown instrument '{}'", symbol), "symbol"));
                }
                auto id = desk.algos().start(desk, r);
                if (!id) {
                  const core::Error& e = id.error();
                  if (e.code() == core::ErrorCode::InvalidState && e.where() == "trading_state") {
                    return respond(error_response(409, "TRADING_HALTED", e.message(), "trading_state"));
                  }
                  if (e.code() == core::ErrorCode::InvalidState) return respond(error_response(409, "NO_PRICE", e.message(), e.where()));
                  return respond(error_response(e, true));
                }
                desk.audit(user, "algo.start", *id, std::move(text), remote);
                Json answer = desk.algos().view(desk, *id);
                desk.flush([respond, answer = std::move(answer)](core::Status s) {
                  if (!s) return respond(error_response(500, "STORE_FAILED", "the algo was not stored: " + s.error().message()));
                  respond(json_response(201, answer));
                });
              });
            });

  api.route("GET", "/api/execution/algos", Role::Viewer, [&ctx](const Principal&, net::HttpRequest&&, net::Responder respond) {
    ctx.service.post([respond](Desk& desk) { respond(json_response(200, Json{{"algos", desk.algos().list(desk)}})); });
  });

  api.route("GET", "/api/execution/algos/{id}", Role::Viewer,
            [&ctx](const Principal&, net::HttpRequest&& request, net::Responder respond) {
              ctx.service.post([respond, id = request.path_params["id"]](Desk& desk) {
                Json view = desk.algos().view(desk, id);
                if (view.is_null()) return respond(error_response(404, "NOT_FOUND", fmt::format("unknown algo '{}'", id), "id"));
                respond(json_response(200, view));
              });
            });

  api.route("DELETE", "/api/execution/algos/{id}", Role::Trader,
            [&ctx](const Principal& who, net::HttpRequest&& request, net::Responder respond) {
              ctx.service.post([respond, id = request.path_params["id"], user = who.user,
                                remote = std::move(request.remote_address)](Desk& desk) {
                if (auto s = desk.algos().cancel(desk, id); !s) {
                  if (s.error().code() == core::ErrorCode::InvalidState) {
                    return respond(error_response(409, "ALGO_FINISHED", s.error().message(), "id"));
                  }
                  return respond(error_response(s.error()));
                }
                desk.audit(user, "algo.cancel", id, "{}", remote);
                Json answer = desk.algos().view(desk, id);
                desk.flush([respond, answer = std::move(answer)](core::Status s) {
                  if (!s) return respond(error_response(s.error()));
                  respond(json_response(202, answer));
                });
              });
            });
}

}  // namespace ballast::server
