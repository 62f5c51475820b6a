#include "ballast/adapters/hyperliquid/actions.hpp"

#include "ballast/adapters/hyperliquid/keccak256.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ballast::adapters::hyperliquid {
namespace {

WireValue str(std::string s) { return WireValue::string(std::move(s)); }
WireValue uint(std::uint64_t v) { return WireValue::unsigned_integer(v); }

WireValue typed(std::string_view type) {
  WireValue a = WireValue::map();
  a.set("type", str(std::string(type)));
  return a;
}

WireValue modify_entry_oid(const std::variant<std::uint64_t, Cloid>& id) {
  if (const auto* oid = std::get_if<std::uint64_t>(&id)) return uint(*oid);
  return str(std::get<Cloid>(id).to_wire());
}

}  // namespace

core::Result<Cloid> Cloid::parse(std::string_view text, std::string_view field) {
  auto bytes = parse_hex(text, 16, field);
  if (!bytes) return bytes.error();
  Cloid c;
  std::copy(bytes->begin(), bytes->end(), c.bytes_.begin());
  return c;
}

Cloid Cloid::from_client_order_id(const core::ClientOrderId& id) {
  const Hash256 h = keccak256(id.value());
  Cloid c;
  std::copy(h.begin(), h.begin() + 16, c.bytes_.begin());
  return c;
}

std::string_view to_wire(Tif tif) noexcept {
  switch (tif) {
    case Tif::Gtc: return "Gtc";
    case Tif::Ioc: return "Ioc";
    case Tif::Alo: return "Alo";
  }
  return "Gtc";
}

std::string_view to_wire(Tpsl tpsl) noexcept { return tpsl == Tpsl::Tp ? "tp" : "sl"; }

std::string_view to_wire(Grouping grouping) noexcept {
  switch (grouping) {
    case Grouping::Na: return "na";
    case Grouping::NormalTpsl: return "normalTpsl";
    case Grouping::PositionTpsl: return "positionTpsl";
  }
  return "na";
}

core::Result<WireValue> order_wire(const OrderRequest& order, const std::string& path) {
  const AssetSpec& a = order.asset;
  auto px = price_to_wire(order.limit_px, a.sz_decimals, a.kind, path + ".p");
  if (!px) return px.error();
  auto sz = size_to_wire(order.size, a.sz_decimals, path + ".s");
  if (!sz) return sz.error();
  WireValue t = WireValue::map();
  if (const auto* limit = std::get_if<LimitOrderType>(&order.type)) {
    WireValue inner = WireValue::map();
    inner.set("tif", str(std::string(to_wire(limit->tif))));
    t.set("limit", std::move(inner));
  } else {
    const auto& trig = std::get<TriggerOrderType>(order.type);
    auto trigger_px = price_to_wire(trig.trigger_px, a.sz_decimals, a.kind, path + ".t.trigger.triggerPx");
    if (!trigger_px) return trigger_px.error();
    WireValue inner = WireValue::map();
    inner.set("isMarket", WireValue::boolean(trig.is_market));
    inner.set("triggerPx", str(std::move(*trigger_px)));
    inner.set("tpsl", str(std::string(to_wire(trig.tpsl))));
    t.set("trigger", std::move(inner));
  }
  WireValue w = WireValue::map();
  w.set("a", uint(a.index));
  w.set("b", WireValue::boolean(order.is_buy));
  w.set("p", str(std::move(*px)));
  w.set("s", str(std::move(*sz)));
  w.set("r", WireValue::boolean(order.reduce_only));
  w.set("t", std::move(t));
  if (order.cloid) w.set("c", str(order.cloid->to_wire()));
  return w;
}

core::Result<WireValue> order_action(const std::vector<OrderRequest>& orders, Grouping grouping,
                                     const std::optional<BuilderFee>& builder) {
  if (orders.empty()) return core::Error(core::ErrorCode::InvalidArgument, "an order action needs orders", "orders");
  WireValue wires = WireValue::array();
  for (std::size_t i = 0; i < orders.size(); ++i) {
    auto w = order_wire(orders[i], fmt::format("orders[{}]", i));
    if (!w) return w.error();
    wires.push(std::move(*w));
  }
  WireValue action = typed("order");
  action.set("orders", std::move(wires));
  action.set("grouping", str(std::string(to_wire(grouping))));
  if (builder) {
    WireValue b = WireValue::map();
    b.set("b", str(to_hex(builder->builder)));  // the SDK lower-cases the address
    b.set("f", uint(builder->fee_tenths_bp));
    action.set("builder", std::move(b));
  }
  return action;
}

WireValue cancel_action(const std::vector<CancelRequest>& cancels) {
  WireValue list = WireValue::array();
  for (const auto& c : cancels) {
    WireValue e = WireValue::map();
    e.set("a", uint(c.asset));
    e.set("o", uint(c.oid));
    list.push(std::move(e));
  }
  WireValue action = typed("cancel");
  action.set("cancels", std::move(list));
  return action;
}

WireValue cancel_by_cloid_action(const std::vector<CancelByCloidRequest>& cancels) {
  WireValue list = WireValue::array();
  for (const auto& c : cancels) {
    WireValue e = WireValue::map();
    e.set("asset", uint(c.asset));
    e.set("cloid", str(c.cloid.to_wire()));
    list.push(std::move(e));
  }
  WireValue action = typed("cancelByCloid");
  action.set("cancels", std::move(list));
  return action;
}

core::Result<WireValue> modify_action(const ModifyRequest& modify) {
  auto order = order_wire(modify.order, "order");
  if (!order) return order.error();
  WireValue action = typed("modify");
  action.set("oid", modify_entry_oid(modify.order_id));
  action.set("order", std::move(*order));
  return action;
}

core::Result<WireValue> batch_modify_action(const std::vector<ModifyRequest>& modifies) {
  WireValue list = WireValue::array();
  for (std::size_t i = 0; i < modifies.size(); ++i) {
    auto order = order_wire(modifies[i].order, fmt::format("modifies[{}].order", i));
    if (!order) return order.error();
    WireValue e = WireValue::map();
    e.set("oid", modify_entry_oid(modifies[i].order_id));
    e.set("order", std::move(*order));
    list.push(std::move(e));
  }
  WireValue action = typed("batchModify");
  action.set("modifies", std::move(list));
  return action;
}

WireValue update_leverage_action(std::uint32_t asset, bool is_cross, std::uint32_t leverage) {
  WireValue action = typed("updateLeverage");
  action.set("asset", uint(asset));
  action.set("isCross", WireValue::boolean(is_cross));
  action.set("leverage", uint(leverage));
  return action;
}

WireValue schedule_cancel_action(std::optional<std::uint64_t> time_ms) {
  WireValue action = typed("scheduleCancel");
  if (time_ms) action.set("time", uint(*time_ms));
  return action;
}

}  // namespace ballast::adapters::hyperliquid
