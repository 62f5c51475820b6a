#include "ballast/adapters/binance_futures/user_data.hpp"

#include "ballast/adapters/binance_futures/internal/json_reader.hpp"

#include <fmt/format.h>

#include <charconv>

namespace ballast::adapters::binance {

using internal::field_error;
using internal::get_array;
using internal::get_bool;
using internal::get_decimal;
using internal::get_int;
using internal::get_string;
using internal::Json;

namespace {

template <class T>
core::Status assign(T& out, core::Result<T> r) {
  if (!r) return r.error();
  out = std::move(*r);
  return core::ok();
}

core::Result<model::Quantity> qty(const Json& o, std::string_view key) {
  auto v = get_decimal(o, key, "o");
  if (!v) return v.error();
  if (v->is_negative()) return field_error(internal::child_path("o", key), "quantity is negative");
  return model::Quantity(*v);
}

core::Result<std::optional<model::Price>> price_or_zero(const Json& o, std::string_view key) {
  auto v = get_decimal(o, key, "o");
  if (!v) return v.error();
  if (v->is_zero()) return std::optional<model::Price>();
  return std::optional<model::Price>(model::Price(*v));
}

// "E" and "T" of an event (ms) and its "o" object; errors name the field.
core::Result<const Json*> event_header(const Json& root, core::UnixNanos& event_time, core::UnixNanos& transaction_time) {
  std::int64_t event_ms = 0, transaction_ms = 0;
  BALLAST_TRY(assign(event_ms, get_int(root, "E", "")));
  BALLAST_TRY(assign(transaction_ms, get_int(root, "T", "")));
  event_time = core::UnixNanos::from_millis(event_ms);
  transaction_time = core::UnixNanos::from_millis(transaction_ms);
  return internal::require_member(root, "o", "");
}

core::Result<model::OrderSide> side_of(const Json& o) {
  auto side = get_string(o, "S", "o");
  if (!side) return side.error();
  if (*side != "BUY" && *side != "SELL") return field_error("o.S", fmt::format("'{}' is not BUY or SELL", *side));
  return *side == "BUY" ? model::OrderSide::Buy : model::OrderSide::Sell;
}

core::Result<OrderTradeUpdate> parse_order_update(const Json& root) {
  OrderTradeUpdate u;
  std::int64_t trade_ms = 0;
  auto order = event_header(root, u.event_time, u.transaction_time);
  if (!order) return order.error();
  const Json& o = **order;
  BALLAST_TRY(assign(u.symbol, get_string(o, "s", "o")));
  BALLAST_TRY(assign(u.client_order_id, get_string(o, "c", "o")));
  BALLAST_TRY(assign(u.side, side_of(o)));
  BALLAST_TRY(assign(u.order_type, get_string(o, "o", "o")));
  BALLAST_TRY(assign(u.execution_type, get_string(o, "x", "o")));
  BALLAST_TRY(assign(u.order_status, get_string(o, "X", "o")));
  BALLAST_TRY(assign(u.order_id, get_int(o, "i", "o")));
  BALLAST_TRY(assign(u.orig_qty, qty(o, "q")));
  BALLAST_TRY(assign(u.price, price_or_zero(o, "p")));
  BALLAST_TRY(assign(u.avg_price, price_or_zero(o, "ap")));
  BALLAST_TRY(assign(u.last_filled_qty, qty(o, "l")));
  BALLAST_TRY(assign(u.cum_filled_qty, qty(o, "z")));
  core::Decimal last_px;
  BALLAST_TRY(assign(last_px, get_decimal(o, "L", "o")));
  u.last_filled_price = model::Price(last_px);
  if (o.contains("N") && !o.at("N").is_null()) {
    std::string asset;
    BALLAST_TRY(assign(asset, get_string(o, "N", "o")));
    u.commission_asset = asset;
  }
  if (o.contains("n")) BALLAST_TRY(assign(u.commission, get_decimal(o, "n", "o")));
  BALLAST_TRY(assign(u.trade_id, get_int(o, "t", "o")));
  BALLAST_TRY(assign(trade_ms, get_int(o, "T", "o")));
  u.trade_time = core::UnixNanos::from_millis(trade_ms);
  BALLAST_TRY(assign(u.maker, get_bool(o, "m", "o")));
  BALLAST_TRY(assign(u.reduce_only, get_bool(o, "R", "o")));
  return u;
}

// "cross"/"isolated" (ACCOUNT_UPDATE) or "CROSSED"/"ISOLATED" (MARGIN_CALL).
core::Result<model::MarginMode> margin_type(const Json& o, std::string_view path) {
  auto text = get_string(o, "mt", path);
  if (!text) return text.error();
  if (*text == "cross" || *text == "CROSSED") return model::MarginMode::Cross;
  if (*text == "isolated" || *text == "ISOLATED") return model::MarginMode::Isolated;
  return field_error(internal::child_path(path, "mt"), fmt::format("'{}' is not a margin type", *text));
}

core::Result<std::string> optional_string(const Json& o, std::string_view key, std::string_view path,
                                          std::string fallback) {
  if (!o.contains(key) || o.at(key).is_null()) return fallback;
  return get_string(o, key, path);
}

core::Result<AccountUpdate> parse_account_update(const Json& root) {
  AccountUpdate u;
  std::int64_t event_ms = 0, transaction_ms = 0;
  BALLAST_TRY(assign(event_ms, get_int(root, "E", "")));
  BALLAST_TRY(assign(transaction_ms, get_int(root, "T", "")));
  u.event_time = core::UnixNanos::from_millis(event_ms);
  u.transaction_time = core::UnixNanos::from_millis(transaction_ms);
  auto data = internal::require_member(root, "a", "");
  if (!data) return data.error();
  const Json& a = **data;
  BALLAST_TRY(assign(u.reason, get_string(a, "m", "a")));
  auto balances = get_array(a, "B", "a");
  if (!balances) return balances.error();
  for (std::size_t i = 0; i < (*balances)->size(); ++i) {
    const std::string path = internal::index_path("a.B", i);
    const Json& b = (**balances)[i];
    BalanceUpdate out;
    BALLAST_TRY(assign(out.asset, get_string(b, "a", path)));
    BALLAST_TRY(assign(out.wallet_balance, get_decimal(b, "wb", path)));
    BALLAST_TRY(assign(out.cross_wallet_balance, get_decimal(b, "cw", path)));
    if (auto change = internal::get_optional_decimal(b, "bc", path)) BALLAST_TRY(assign(out.balance_change, *change));
    u.balances.push_back(std::move(out));
  }
  // "P" is an empty list when no position changed; tolerate its absence (funding fee on a crossed position).
  if (a.contains("P")) {
    auto positions = get_array(a, "P", "a");
    if (!positions) return positions.error();
    for (std::size_t i = 0; i < (*positions)->size(); ++i) {
      const std::string path = internal::index_path("a.P", i);
      const Json& p = (**positions)[i];
      PositionUpdate out;
      BALLAST_TRY(assign(out.symbol, get_string(p, "s", path)));
      BALLAST_TRY(assign(out.amount, get_decimal(p, "pa", path)));
      BALLAST_TRY(assign(out.entry_price, get_decimal(p, "ep", path)));
      BALLAST_TRY(assign(out.accumulated_realized, get_decimal(p, "cr", path)));
      BALLAST_TRY(assign(out.unrealized_pnl, get_decimal(p, "up", path)));
      BALLAST_TRY(assign(out.margin_type, margin_type(p, path)));
      BALLAST_TRY(assign(out.isolated_wallet, get_decimal(p, "iw", path)));
      BALLAST_TRY(assign(out.position_side, optional_string(p, "ps", path, "BOTH")));
      u.positions.push_back(std::move(out));
    }
  }
  return u;
}

core::Result<MarginCall> parse_margin_call(const Json& root) {
  MarginCall call;
  std::int64_t event_ms = 0;
  BALLAST_TRY(assign(event_ms, get_int(root, "E", "")));
  call.event_time = core::UnixNanos::from_millis(event_ms);
  if (auto cw = internal::get_optional_decimal(root, "cw", "")) {
    if (!*cw) return cw->error();
    call.cross_wallet_balance = **cw;
  }
  auto positions = get_array(root, "p", "");
  if (!positions) return positions.error();
  for (std::size_t i = 0; i < (*positions)->size(); ++i) {
    const std::string path = internal::index_path("p", i);
    const Json& p = (**positions)[i];
    MarginCallPosition out;
    BALLAST_TRY(assign(out.symbol, get_string(p, "s", path)));
    BALLAST_TRY(assign(out.position_side, optional_string(p, "ps", path, "BOTH")));
    BALLAST_TRY(assign(out.amount, get_decimal(p, "pa", path)));
    BALLAST_TRY(assign(out.margin_type, margin_type(p, path)));
    BALLAST_TRY(assign(out.isolated_wallet, get_decimal(p, "iw", path)));
    BALLAST_TRY(assign(out.mark_price, get_decimal(p, "mp", path)));
    BALLAST_TRY(assign(out.unrealized_pnl, get_decimal(p, "up", path)));
    BALLAST_TRY(assign(out.maintenance_margin, get_decimal(p, "mm", path)));
    call.positions.push_back(std::move(out));
  }
  return call;
}

}  // namespace

core::Result<std::optional<model::Fill>> OrderTradeUpdate::to_fill(const core::AccountId& account,
                                                                   const core::VenueId& venue,
                                                                   core::UnixNanos ts_recv) const {
  if (execution_type != "TRADE" && execution_type != "CALCULATED") return std::optional<model::Fill>();
  if (!last_filled_qty.is_positive()) return field_error("o.l", "a TRADE execution with no filled quantity");
  model::Fill f;
  f.trade_id = core::TradeId(std::to_string(trade_id));
  auto cid = core::ClientOrderId::parse(client_order_id);
  if (cid) f.client_order_id = *cid;
  f.venue_order_id = core::VenueOrderId(std::to_string(order_id));
  f.instrument_id = core::InstrumentId(symbol, venue);
  f.account_id = account;
  f.side = side;
  f.last_qty = last_filled_qty;
  f.last_px = last_filled_price;
  if (commission_asset && !commission.is_zero()) {
    auto currency = model::Currency::parse(*commission_asset);
    if (!currency) return field_error("o.N", currency.error().message());
    f.commission = model::Money(commission, *currency);
  }
  f.liquidity_side = maker ? model::LiquiditySide::Maker : model::LiquiditySide::Taker;
  f.ts_event = trade_time;
  f.ts_recv = ts_recv;
  return std::optional<model::Fill>(f);
}

namespace {

// "ai": a string ("" before the trigger) or, defensively, a number.
core::Result<std::optional<std::int64_t>> actual_order_id(const Json& o) {
  if (!o.contains("ai")) return std::optional<std::int64_t>();
  const Json& ai = o["ai"];
  if (ai.is_number_integer()) return std::optional<std::int64_t>(ai.get<std::int64_t>());
  if (!ai.is_string()) return field_error("o.ai", "expected an order id");
  const std::string text = ai.get<std::string>();
  if (text.empty()) return std::optional<std::int64_t>();
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return field_error("o.ai", fmt::format("'{}' is not an order id", text));
  }
  return std::optional<std::int64_t>(id);
}

core::Result<AlgoUpdate> parse_algo_update(const Json& root) {
  AlgoUpdate u;
  auto order = event_header(root, u.event_time, u.transaction_time);
  if (!order) return order.error();
  const Json& o = **order;
  BALLAST_TRY(assign(u.client_algo_id, get_string(o, "caid", "o")));
  BALLAST_TRY(assign(u.algo_id, get_int(o, "aid", "o")));
  BALLAST_TRY(assign(u.symbol, get_string(o, "s", "o")));
  BALLAST_TRY(assign(u.side, side_of(o)));
  BALLAST_TRY(assign(u.order_type, get_string(o, "o", "o")));
  BALLAST_TRY(assign(u.status, get_string(o, "X", "o")));
  BALLAST_TRY(assign(u.quantity, qty(o, "q")));
  BALLAST_TRY(assign(u.actual_order_id, actual_order_id(o)));
  if (o.contains("aq")) {
    model::Quantity aq;
    BALLAST_TRY(assign(aq, qty(o, "aq")));
    u.executed_qty = aq;
  }
  if (o.contains("ap")) BALLAST_TRY(assign(u.avg_price, price_or_zero(o, "ap")));
  if (o.contains("rm")) BALLAST_TRY(assign(u.reject_reason, get_string(o, "rm", "o")));
  return u;
}

}  // namespace

core::Result<UserDataEvent> parse_user_data_event(std::string_view message) {
  auto root = internal::parse_exact(message);
  if (!root) return root.error();
  auto type = get_string(*root, "e", "");
  if (!type) return type.error();
  if (*type == "ORDER_TRADE_UPDATE") {
    auto update = parse_order_update(*root);
    if (!update) return update.error();
    return UserDataEvent(std::move(*update));
  }
  if (*type == "ACCOUNT_UPDATE") {
    auto update = parse_account_update(*root);
    if (!update) return update.error();
    return UserDataEvent(std::move(*update));
  }
  if (*type == "ALGO_UPDATE") {
    auto update = parse_algo_update(*root);
    if (!update) return update.error();
    return UserDataEvent(std::move(*update));
  }
  if (*type == "MARGIN_CALL") {
    auto call = parse_margin_call(*root);
    if (!call) return call.error();
    return UserDataEvent(std::move(*call));
  }
  if (*type == "listenKeyExpired") {
    ListenKeyExpired e;
    std::int64_t ms = 0;
    BALLAST_TRY(assign(ms, get_int(*root, "E", "")));
    e.event_time = core::UnixNanos::from_millis(ms);
    if (root->contains("listenKey")) BALLAST_TRY(assign(e.listen_key, get_string(*root, "listenKey", "")));
    return UserDataEvent(std::move(e));
  }
  return UserDataEvent(OtherUserDataEvent{*type});
}

}  // namespace ballast::adapters::binance
