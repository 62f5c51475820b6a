#include "ballast/adapters/binance_futures/internal/json_reader.hpp"
#include "ballast/adapters/binance_futures/venue_types.hpp"

#include <fmt/format.h>

#include <charconv>

namespace ballast::adapters::binance {

using internal::child_path;
using internal::field_error;
using internal::get_array;
using internal::get_bool;
using internal::get_decimal;
using internal::get_int;
using internal::get_string;
using internal::index_path;
using internal::Json;

namespace {

constexpr model::detail::EnumNames<VenueOrderType, 7> kOrderTypes{{
    {VenueOrderType::Limit, "LIMIT"},
    {VenueOrderType::Market, "MARKET"},
    {VenueOrderType::Stop, "STOP"},
    {VenueOrderType::StopMarket, "STOP_MARKET"},
    {VenueOrderType::TakeProfit, "TAKE_PROFIT"},
    {VenueOrderType::TakeProfitMarket, "TAKE_PROFIT_MARKET"},
    {VenueOrderType::TrailingStopMarket, "TRAILING_STOP_MARKET"},
}};
constexpr model::detail::EnumNames<VenueTimeInForce, 5> kTifs{{
    {VenueTimeInForce::Gtc, "GTC"}, {VenueTimeInForce::Ioc, "IOC"}, {VenueTimeInForce::Fok, "FOK"},
    {VenueTimeInForce::Gtx, "GTX"}, {VenueTimeInForce::Gtd, "GTD"},
}};

// Helpers that turn a field into a model value, with the JSON path in the error.
core::Result<model::Price> get_price(const Json& o, std::string_view key, std::string_view path) {
  auto d = get_decimal(o, key, path);
  if (!d) return d.error();
  return model::Price(*d);
}

core::Result<model::Quantity> get_qty(const Json& o, std::string_view key, std::string_view path) {
  auto d = get_decimal(o, key, path);
  if (!d) return d.error();
  if (d->is_negative()) return field_error(child_path(path, key), "quantity is negative: " + d->to_string());
  return model::Quantity(*d);
}

// "0" (or absent/null) → nullopt.
core::Result<std::optional<model::Price>> get_price_or_zero(const Json& o, std::string_view key,
                                                            std::string_view path) {
  auto d = internal::get_optional_decimal(o, key, path);
  if (!d) return std::optional<model::Price>();
  if (!*d) return d->error();
  if ((*d)->is_zero()) return std::optional<model::Price>();
  return std::optional<model::Price>(model::Price(**d));
}

core::Result<model::OrderSide> get_side(const Json& o, std::string_view key, std::string_view path) {
  auto s = get_string(o, key, path);
  if (!s) return s.error();
  if (*s == "BUY") return model::OrderSide::Buy;
  if (*s == "SELL") return model::OrderSide::Sell;
  return field_error(child_path(path, key), fmt::format("'{}' is not BUY or SELL", *s));
}

core::Result<core::UnixNanos> get_millis(const Json& o, std::string_view key, std::string_view path) {
  auto v = get_int(o, key, path);
  if (!v) return v.error();
  return core::UnixNanos::from_millis(*v);
}

core::Result<Json> parse_body(std::string_view body) {
  return internal::parse_exact(body);
}

core::Result<const Json*> require_array_root(const Json& root) {
  if (!root.is_array()) return field_error("$", "expected a JSON array");
  return &root;
}

#define BALLAST_ASSIGN(lhs, expr)                                       \
  do {                                                                  \
    auto ballast_assign_result_ = (expr);                               \
    if (!ballast_assign_result_) return ballast_assign_result_.error(); \
    lhs = std::move(*ballast_assign_result_);                           \
  } while (false)

core::Result<SymbolInfo> parse_symbol(const Json& s, const std::string& path, const core::VenueId& venue) {
  SymbolInfo info;
  BALLAST_ASSIGN(info.symbol, get_string(s, "symbol", path));
  BALLAST_ASSIGN(info.status, get_string(s, "status", path));
  BALLAST_ASSIGN(info.contract_type, get_string(s, "contractType", path));
  std::string base, quote, margin;
  BALLAST_ASSIGN(base, get_string(s, "baseAsset", path));
  BALLAST_ASSIGN(quote, get_string(s, "quoteAsset", path));
  BALLAST_ASSIGN(margin, get_string(s, "marginAsset", path));
  model::InstrumentSpec& spec = info.spec;
  auto id = core::InstrumentId::parse(info.symbol + "." + venue.value());
  if (!id) return field_error(child_path(path, "symbol"), id.error().message());
  spec.id = *id;
  if (info.contract_type == "PERPETUAL") {
    spec.kind = model::InstrumentKind::Perpetual;
  } else if (info.contract_type == "CURRENT_QUARTER" || info.contract_type == "NEXT_QUARTER" ||
             info.contract_type == "CURRENT_MONTH" || info.contract_type == "NEXT_MONTH") {
    spec.kind = model::InstrumentKind::DatedFuture;
    core::UnixNanos delivery;
    BALLAST_ASSIGN(delivery, get_millis(s, "deliveryDate", path));
    spec.expiry = delivery;
  } else {
    return core::Error(core::ErrorCode::Unsupported,
                       fmt::format("contract type '{}' is not supported", info.contract_type),
                       child_path(path, "contractType"));
  }
  auto currency = [&](const std::string& code, std::string_view key) -> core::Result<model::Currency> {
    auto c = model::Currency::parse(code);
    if (!c) return field_error(child_path(path, key), c.error().message());
    return *c;
  };
  BALLAST_ASSIGN(spec.base_currency, currency(base, "baseAsset"));
  BALLAST_ASSIGN(spec.quote_currency, currency(quote, "quoteAsset"));
  BALLAST_ASSIGN(spec.settlement_currency, currency(margin, "marginAsset"));

  const Json* filters = nullptr;
  BALLAST_ASSIGN(filters, get_array(s, "filters", path));
  bool have_price = false, have_lot = false;
  for (std::size_t i = 0; i < filters->size(); ++i) {
    const Json& f = (*filters)[i];
    const std::string fpath = index_path(child_path(path, "filters"), i);
    std::string type;
    BALLAST_ASSIGN(type, get_string(f, "filterType", fpath));
    if (type == "PRICE_FILTER") {
      BALLAST_ASSIGN(spec.tick_size, get_price(f, "tickSize", fpath));
      BALLAST_ASSIGN(info.min_price, get_price(f, "minPrice", fpath));
      BALLAST_ASSIGN(info.max_price, get_price(f, "maxPrice", fpath));
      have_price = true;
    } else if (type == "LOT_SIZE") {
      BALLAST_ASSIGN(spec.step_size, get_qty(f, "stepSize", fpath));
      BALLAST_ASSIGN(spec.min_quantity, get_qty(f, "minQty", fpath));
      model::Quantity max;
      BALLAST_ASSIGN(max, get_qty(f, "maxQty", fpath));
      spec.max_quantity = max;
      have_lot = true;
    } else if (type == "MARKET_LOT_SIZE") {
      BALLAST_ASSIGN(info.market_step_size, get_qty(f, "stepSize", fpath));
      BALLAST_ASSIGN(info.market_min_qty, get_qty(f, "minQty", fpath));
      BALLAST_ASSIGN(info.market_max_qty, get_qty(f, "maxQty", fpath));
    } else if (type == "MIN_NOTIONAL") {
      core::Decimal notional;
      BALLAST_ASSIGN(notional, get_decimal(f, "notional", fpath));
      spec.min_notional = model::Money(notional, spec.settlement_currency);
    }
  }
  if (!have_price) return field_error(child_path(path, "filters"), "no PRICE_FILTER");
  if (!have_lot) return field_error(child_path(path, "filters"), "no LOT_SIZE");

  if (s.contains("OrderType")) {
    const Json* types = nullptr;
    BALLAST_ASSIGN(types, get_array(s, "OrderType", path));
    for (std::size_t i = 0; i < types->size(); ++i) {
      const Json& t = (*types)[i];
      if (!t.is_string()) return field_error(index_path(child_path(path, "OrderType"), i), "expected a string");
      auto parsed = parse_venue_order_type(t.get<std::string>());
      if (parsed) info.order_types.push_back(*parsed);  // newer types are ignored, not an error
    }
  }
  if (s.contains("timeInForce")) {
    const Json* tifs = nullptr;
    BALLAST_ASSIGN(tifs, get_array(s, "timeInForce", path));
    for (std::size_t i = 0; i < tifs->size(); ++i) {
      const Json& t = (*tifs)[i];
      if (!t.is_string()) return field_error(index_path(child_path(path, "timeInForce"), i), "expected a string");
      auto parsed = parse_venue_time_in_force(t.get<std::string>());
      if (parsed) info.time_in_force.push_back(*parsed);
    }
  }
  return info;
}

core::Result<VenueOrder> order_from(const Json& o, const std::string& path) {
  VenueOrder order;
  BALLAST_ASSIGN(order.order_id, get_int(o, "orderId", path));
  BALLAST_ASSIGN(order.client_order_id, get_string(o, "clientOrderId", path));
  BALLAST_ASSIGN(order.symbol, get_string(o, "symbol", path));
  BALLAST_ASSIGN(order.side, get_side(o, "side", path));
  std::string type;
  BALLAST_ASSIGN(type, get_string(o, "type", path));
  auto t = parse_venue_order_type(type);
  if (!t) return field_error(child_path(path, "type"), t.error().message());
  order.type = *t;
  BALLAST_ASSIGN(order.status, get_string(o, "status", path));
  BALLAST_ASSIGN(order.orig_qty, get_qty(o, "origQty", path));
  BALLAST_ASSIGN(order.executed_qty, get_qty(o, "executedQty", path));
  BALLAST_ASSIGN(order.price, get_price_or_zero(o, "price", path));
  BALLAST_ASSIGN(order.stop_price, get_price_or_zero(o, "stopPrice", path));
  BALLAST_ASSIGN(order.avg_price, get_price_or_zero(o, "avgPrice", path));
  std::string tif;
  BALLAST_ASSIGN(tif, get_string(o, "timeInForce", path));
  auto parsed_tif = parse_venue_time_in_force(tif);
  if (!parsed_tif) return field_error(child_path(path, "timeInForce"), parsed_tif.error().message());
  order.time_in_force = *parsed_tif;
  BALLAST_ASSIGN(order.reduce_only, get_bool(o, "reduceOnly", path));
  BALLAST_ASSIGN(order.update_time, get_millis(o, o.contains("updateTime") ? "updateTime" : "time", path));
  return order;
}

core::Result<VenueOrder> algo_order_from(const Json& o, const std::string& path) {
  VenueOrder order;
  order.is_algo = true;
  BALLAST_ASSIGN(order.order_id, get_int(o, "algoId", path));
  BALLAST_ASSIGN(order.client_order_id, get_string(o, "clientAlgoId", path));
  BALLAST_ASSIGN(order.symbol, get_string(o, "symbol", path));
  BALLAST_ASSIGN(order.side, get_side(o, "side", path));
  std::string type;
  BALLAST_ASSIGN(type, get_string(o, "orderType", path));
  auto t = parse_venue_order_type(type);
  if (!t) return field_error(child_path(path, "orderType"), t.error().message());
  order.type = *t;
  BALLAST_ASSIGN(order.status, get_string(o, "algoStatus", path));
  BALLAST_ASSIGN(order.orig_qty, get_qty(o, "quantity", path));
  order.executed_qty = model::Quantity(core::Decimal::from_raw(0, order.orig_qty.precision()));
  BALLAST_ASSIGN(order.price, get_price_or_zero(o, "price", path));
  BALLAST_ASSIGN(order.stop_price, get_price_or_zero(o, "triggerPrice", path));
  if (o.contains("actualOrderId")) {  // "" until triggered; then the matching-engine order's id
    const Json& actual = o["actualOrderId"];
    if (actual.is_number_integer()) {
      order.actual_order_id = actual.get<std::int64_t>();
    } else if (actual.is_string() && !actual.get<std::string>().empty()) {
      const std::string text = actual.get<std::string>();
      std::int64_t id = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
      if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
        return field_error(child_path(path, "actualOrderId"), fmt::format("'{}' is not an order id", text));
      }
      order.actual_order_id = id;
    } else if (!actual.is_string()) {
      return field_error(child_path(path, "actualOrderId"), "expected an order id");
    }
  }
  std::string tif;
  BALLAST_ASSIGN(tif, get_string(o, "timeInForce", path));
  auto parsed_tif = parse_venue_time_in_force(tif);
  if (!parsed_tif) return field_error(child_path(path, "timeInForce"), parsed_tif.error().message());
  order.time_in_force = *parsed_tif;
  BALLAST_ASSIGN(order.reduce_only, get_bool(o, "reduceOnly", path));
  BALLAST_ASSIGN(order.update_time, get_millis(o, "updateTime", path));
  return order;
}

template <class T, class F>
core::Result<std::vector<T>> parse_list(std::string_view body, F&& one) {
  auto root = parse_body(body);
  if (!root) return root.error();
  auto arr = require_array_root(*root);
  if (!arr) return arr.error();
  std::vector<T> out;
  out.reserve(root->size());
  for (std::size_t i = 0; i < root->size(); ++i) {
    auto item = one((*root)[i], index_path("", i));
    if (!item) return item.error();
    out.push_back(std::move(*item));
  }
  return out;
}

}  // namespace

std::string_view to_string(VenueOrderType type) noexcept { return model::detail::enum_to_string(kOrderTypes, type); }

core::Result<VenueOrderType> parse_venue_order_type(std::string_view text) {
  for (const auto& [t, s] : kOrderTypes) {
    if (s == text) return t;
  }
  return core::Error(core::ErrorCode::Unsupported, fmt::format("order type '{}' is not supported", text));
}

std::string_view to_string(VenueTimeInForce tif) noexcept { return model::detail::enum_to_string(kTifs, tif); }

core::Result<VenueTimeInForce> parse_venue_time_in_force(std::string_view text) {
  for (const auto& [t, s] : kTifs) {
    if (s == text) return t;
  }
  return core::Error(core::ErrorCode::Unsupported, fmt::format("time in force '{}' is not supported", text));
}

std::optional<std::int64_t> ExchangeInfo::request_weight_per_minute() const {
  for (const auto& r : rate_limits) {
    if (r.type == "REQUEST_WEIGHT" && r.interval == "MINUTE" && r.interval_num == 1) return r.limit;
  }
  return std::nullopt;
}

const SymbolInfo* ExchangeInfo::find(std::string_view symbol) const {
  for (const auto& s : symbols) {
    if (s.symbol == symbol) return &s;
  }
  return nullptr;
}

core::Result<ExchangeInfo> parse_exchange_info(std::string_view body, const core::VenueId& venue) {
  auto root = parse_body(body);
  if (!root) return root.error();
  ExchangeInfo info;
  const Json* limits = nullptr;
  BALLAST_ASSIGN(limits, get_array(*root, "rateLimits", ""));
  for (std::size_t i = 0; i < limits->size(); ++i) {
    const Json& l = (*limits)[i];
    const std::string path = index_path("rateLimits", i);
    RateLimit r;
    BALLAST_ASSIGN(r.type, get_string(l, "rateLimitType", path));
    BALLAST_ASSIGN(r.interval, get_string(l, "interval", path));
    BALLAST_ASSIGN(r.interval_num, get_int(l, "intervalNum", path));
    BALLAST_ASSIGN(r.limit, get_int(l, "limit", path));
    info.rate_limits.push_back(std::move(r));
  }
  const Json* symbols = nullptr;
  BALLAST_ASSIGN(symbols, get_array(*root, "symbols", ""));
  for (std::size_t i = 0; i < symbols->size(); ++i) {
    auto parsed = parse_symbol((*symbols)[i], index_path("symbols", i), venue);
    if (!parsed) {
      if (parsed.error().code() != core::ErrorCode::Unsupported) return parsed.error();
      info.skipped.push_back(parsed.error().to_string());
      continue;
    }
    info.symbols.push_back(std::move(*parsed));
  }
  return info;
}

core::Result<std::map<std::string, std::vector<model::MarginTier>>> parse_leverage_brackets(std::string_view body) {
  auto root = parse_body(body);
  if (!root) return root.error();
  std::map<std::string, std::vector<model::MarginTier>> out;
  auto one = [&](const Json& entry, const std::string& path) -> core::Status {
    std::string symbol;
    BALLAST_ASSIGN(symbol, get_string(entry, "symbol", path));
    const Json* brackets = nullptr;
    BALLAST_ASSIGN(brackets, get_array(entry, "brackets", path));
    std::vector<model::MarginTier> tiers;
    for (std::size_t i = 0; i < brackets->size(); ++i) {
      const Json& b = (*brackets)[i];
      const std::string bpath = index_path(child_path(path, "brackets"), i);
      model::MarginTier tier;
      BALLAST_ASSIGN(tier.notional_floor, get_decimal(b, "notionalFloor", bpath));
      BALLAST_ASSIGN(tier.notional_cap, get_decimal(b, "notionalCap", bpath));
      BALLAST_ASSIGN(tier.max_leverage, get_decimal(b, "initialLeverage", bpath));
      BALLAST_ASSIGN(tier.maintenance_margin_rate, get_decimal(b, "maintMarginRatio", bpath));
      BALLAST_ASSIGN(tier.maintenance_amount, get_decimal(b, "cum", bpath));
      tiers.push_back(tier);
    }
    out[symbol] = std::move(tiers);
    return core::ok();
  };
  if (root->is_object()) {
    BALLAST_TRY(one(*root, ""));
  } else if (root->is_array()) {
    for (std::size_t i = 0; i < root->size(); ++i) BALLAST_TRY(one((*root)[i], index_path("", i)));
  } else {
    return field_error("$", "expected an array or an object");
  }
  return out;
}

core::Result<model::Balance> AssetBalance::to_balance() const {
  auto currency = model::Currency::parse(asset);
  if (!currency) return currency.error();
  model::Balance b;
  b.total = model::Money(wallet_balance, *currency);
  b.locked = model::Money(initial_margin, *currency);
  return b;
}

core::Result<std::vector<AssetBalance>> parse_account_balances(std::string_view body) {
  auto root = parse_body(body);
  if (!root) return root.error();
  const Json* assets = nullptr;
  BALLAST_ASSIGN(assets, get_array(*root, "assets", ""));
  std::vector<AssetBalance> out;
  for (std::size_t i = 0; i < assets->size(); ++i) {
    const Json& a = (*assets)[i];
    const std::string path = index_path("assets", i);
    AssetBalance b;
    BALLAST_ASSIGN(b.asset, get_string(a, "asset", path));
    BALLAST_ASSIGN(b.wallet_balance, get_decimal(a, "walletBalance", path));
    BALLAST_ASSIGN(b.unrealized_profit, get_decimal(a, "unrealizedProfit", path));
    BALLAST_ASSIGN(b.margin_balance, get_decimal(a, "marginBalance", path));
    BALLAST_ASSIGN(b.available_balance, get_decimal(a, "availableBalance", path));
    BALLAST_ASSIGN(b.initial_margin, get_decimal(a, "initialMargin", path));
    BALLAST_ASSIGN(b.maint_margin, get_decimal(a, "maintMargin", path));
    out.push_back(std::move(b));
  }
  return out;
}

runtime::PositionStatusReport PositionRisk::to_report(const core::AccountId& account,
                                                      const core::VenueId& venue) const {
  runtime::PositionStatusReport r;
  r.account_id = account;
  r.instrument_id = core::InstrumentId(symbol, venue);
  r.quantity = position_amt;
  if (!position_amt.is_zero()) r.avg_px_open = entry_price;
  r.liquidation_price = liquidation_price;
  r.margin_mode = margin_type;
  r.ts_event = update_time;
  return r;
}

core::Result<std::vector<PositionRisk>> parse_position_risk(std::string_view body) {
  return parse_list<PositionRisk>(body, [](const Json& p, const std::string& path) -> core::Result<PositionRisk> {
    PositionRisk r;
    BALLAST_ASSIGN(r.symbol, get_string(p, "symbol", path));
    BALLAST_ASSIGN(r.position_amt, get_decimal(p, "positionAmt", path));
    BALLAST_ASSIGN(r.entry_price, get_price(p, "entryPrice", path));
    BALLAST_ASSIGN(r.mark_price, get_price(p, "markPrice", path));
    BALLAST_ASSIGN(r.liquidation_price, get_price_or_zero(p, "liquidationPrice", path));
    BALLAST_ASSIGN(r.leverage, get_decimal(p, "leverage", path));
    std::string margin_type;
    BALLAST_ASSIGN(margin_type, get_string(p, "marginType", path));
    if (margin_type == "isolated" || margin_type == "ISOLATED") {
      r.margin_type = model::MarginMode::Isolated;
    } else if (margin_type == "cross" || margin_type == "CROSSED" || margin_type == "crossed") {
      r.margin_type = model::MarginMode::Cross;
    } else {
      return field_error(child_path(path, "marginType"), fmt::format("'{}' is not cross or isolated", margin_type));
    }
    BALLAST_ASSIGN(r.unrealized_profit, get_decimal(p, "unRealizedProfit", path));
    BALLAST_ASSIGN(r.notional, get_decimal(p, "notional", path));
    BALLAST_ASSIGN(r.position_side, get_string(p, "positionSide", path));
    BALLAST_ASSIGN(r.update_time, get_millis(p, "updateTime", path));
    return r;
  });
}

core::Result<model::OrderStatus> VenueOrder::model_status() const {
  using S = model::OrderStatus;
  if (status == "NEW" || status == "TRIGGERING" || status == "TRIGGERED") return S::Accepted;
  if (status == "PARTIALLY_FILLED") return S::PartiallyFilled;
  // FINISHED (algo): the triggered order completed at the matching engine; its fills come from userTrades.
  if (status == "FILLED" || status == "FINISHED") return S::Filled;
  if (status == "CANCELED") return S::Canceled;
  if (status == "EXPIRED" || status == "EXPIRED_IN_MATCH") return S::Expired;
  if (status == "REJECTED") return S::Rejected;
  return core::Error(core::ErrorCode::Unsupported, fmt::format("order status '{}' is not known", status),
                     is_algo ? "algoStatus" : "status");
}

core::Result<runtime::OrderStatusReport> VenueOrder::to_report(const core::AccountId& account,
                                                               const core::VenueId& venue) const {
  runtime::OrderStatusReport r;
  if (!client_order_id.empty()) {
    auto id = core::ClientOrderId::parse(client_order_id);
    if (id) r.client_order_id = *id;
  }
  r.venue_order_id = core::VenueOrderId((is_algo ? "algo-" : "") + std::to_string(order_id));
  r.account_id = account;
  r.instrument_id = core::InstrumentId(symbol, venue);
  r.side = side;
  switch (type) {
    case VenueOrderType::Limit: r.type = model::OrderType::Limit; break;
    case VenueOrderType::Market: r.type = model::OrderType::Market; break;
    case VenueOrderType::Stop: r.type = model::OrderType::StopLimit; break;
    case VenueOrderType::StopMarket: r.type = model::OrderType::StopMarket; break;
    case VenueOrderType::TakeProfit:
    case VenueOrderType::TakeProfitMarket: r.type = model::OrderType::TakeProfit; break;
    case VenueOrderType::TrailingStopMarket:
      return core::Error(core::ErrorCode::Unsupported,
                         fmt::format("order {} is a TRAILING_STOP_MARKET, which Ballast cannot represent", order_id),
                         "type");
  }
  auto st = model_status();
  if (!st) return st.error();
  r.status = *st;
  r.quantity = orig_qty;
  r.filled_qty = executed_qty;
  r.price = price;
  r.trigger_price = stop_price;
  r.avg_px = avg_price;
  r.ts_last = update_time;
  return r;
}

core::Result<VenueOrder> parse_order(std::string_view body) {
  auto root = parse_body(body);
  if (!root) return root.error();
  return order_from(*root, "");
}

core::Result<std::vector<VenueOrder>> parse_orders(std::string_view body) {
  return parse_list<VenueOrder>(body, [](const Json& o, const std::string& path) { return order_from(o, path); });
}

core::Result<VenueOrder> parse_algo_order(std::string_view body) {
  auto root = parse_body(body);
  if (!root) return root.error();
  return algo_order_from(*root, "");
}

core::Result<std::vector<VenueOrder>> parse_algo_orders(std::string_view body) {
  return parse_list<VenueOrder>(body, [](const Json& o, const std::string& path) { return algo_order_from(o, path); });
}

core::Result<model::Fill> VenueTrade::to_fill(const core::AccountId& account, const core::VenueId& venue,
                                              const core::ClientOrderId& client_order_id,
                                              core::UnixNanos ts_recv) const {
  model::Fill f;
  f.trade_id = core::TradeId(std::to_string(id));
  f.client_order_id = client_order_id;
  f.venue_order_id = core::VenueOrderId(std::to_string(order_id));
  f.instrument_id = core::InstrumentId(symbol, venue);
  f.account_id = account;
  f.side = side;
  f.last_qty = qty;
  f.last_px = price;
  if (!commission.is_zero()) {
    auto currency = model::Currency::parse(commission_asset);
    if (!currency) return field_error("commissionAsset", currency.error().message());
    f.commission = model::Money(commission, *currency);
  }
  f.liquidity_side = maker ? model::LiquiditySide::Maker : model::LiquiditySide::Taker;
  f.ts_event = time;
  f.ts_recv = ts_recv;
  return f;
}

core::Result<std::vector<VenueTrade>> parse_user_trades(std::string_view body) {
  return parse_list<VenueTrade>(body, [](const Json& t, const std::string& path) -> core::Result<VenueTrade> {
    VenueTrade v;
    BALLAST_ASSIGN(v.id, get_int(t, "id", path));
    BALLAST_ASSIGN(v.order_id, get_int(t, "orderId", path));
    BALLAST_ASSIGN(v.symbol, get_string(t, "symbol", path));
    BALLAST_ASSIGN(v.side, get_side(t, "side", path));
    BALLAST_ASSIGN(v.price, get_price(t, "price", path));
    BALLAST_ASSIGN(v.qty, get_qty(t, "qty", path));
    BALLAST_ASSIGN(v.commission, get_decimal(t, "commission", path));
    BALLAST_ASSIGN(v.commission_asset, get_string(t, "commissionAsset", path));
    BALLAST_ASSIGN(v.realized_pnl, get_decimal(t, "realizedPnl", path));
    BALLAST_ASSIGN(v.maker, get_bool(t, "maker", path));
    BALLAST_ASSIGN(v.time, get_millis(t, "time", path));
    return v;
  });
}

core::Result<LeverageChange> parse_leverage_change(std::string_view body) {
  auto root = parse_body(body);
  if (!root) return root.error();
  LeverageChange c;
  BALLAST_ASSIGN(c.symbol, get_string(*root, "symbol", ""));
  BALLAST_ASSIGN(c.leverage, get_int(*root, "leverage", ""));
  BALLAST_ASSIGN(c.max_notional_value, get_decimal(*root, "maxNotionalValue", ""));
  return c;
}

core::Result<std::int64_t> parse_server_time(std::string_view body) {
  auto root = parse_body(body);
  if (!root) return root.error();
  return get_int(*root, "serverTime", "");
}

std::optional<std::pair<int, std::string>> parse_error_body(std::string_view body) {
  auto root = parse_body(body);
  if (!root || !root->is_object()) return std::nullopt;
  auto code = get_int(*root, "code", "");
  if (!code) return std::nullopt;
  auto msg = get_string(*root, "msg", "");
  return std::make_pair(static_cast<int>(*code), msg ? *msg : std::string());
}

core::Result<std::vector<model::Instrument>> build_instruments(
    const ExchangeInfo& info, const std::map<std::string, std::vector<model::MarginTier>>& brackets) {
  std::vector<model::Instrument> out;
  for (const auto& s : info.symbols) {
    model::InstrumentSpec spec = s.spec;
    const auto it = brackets.find(s.symbol);
    if (it != brackets.end()) spec.margin_tiers = it->second;
    auto instrument = model::Instrument::create(std::move(spec));
    if (!instrument) return instrument.error().with_context(fmt::format("symbol {}", s.symbol));
    out.push_back(std::move(*instrument));
  }
  return out;
}

#undef BALLAST_ASSIGN

}  // namespace ballast::adapters::binance
