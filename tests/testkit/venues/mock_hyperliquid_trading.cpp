// Trading mode of the mock Hyperliquid API: an order book of this account's orders at a configured mark,
// answering with the response shapes of the Hyperliquid docs ("Exchange endpoint", "Info endpoint").
#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "testkit/venues/mock_hyperliquid_server.hpp"

namespace ballast::testing::hyperliquid {

namespace hl = adapters::hyperliquid;
using core::Decimal;

namespace {

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::string wire(const Decimal& d) {
  return d.to_string_trimmed();
}

Decimal decimal_at(const hl::WireValue& obj, std::string_view key) {
  const hl::WireValue* v = obj.find(key);
  if (v == nullptr || v->kind() != hl::WireValue::Kind::String) return Decimal::from_int(0);
  auto d = Decimal::parse(v->as_string());
  return d ? *d : Decimal::from_int(0);
}

std::string ok(std::string_view type, const std::string& statuses) {
  return fmt::format(R"({{"status":"ok","response":{{"type":"{}","data":{{"statuses":[{}]}}}}}})", type, statuses);
}

const std::string kDefaultOk = R"({"status":"ok","response":{"type":"default"}})";
const std::string kNeverPlaced = R"({"error":"Order was never placed, already canceled, or filled."})";

}  // namespace

void MockHyperliquidServer::enable_trading(std::vector<std::string> coins) {
  std::lock_guard lock(mutex_);
  trading_ = true;
  coins_ = std::move(coins);
}

void MockHyperliquidServer::set_mark(const std::string& coin, Decimal mark) {
  std::lock_guard lock(mutex_);
  marks_[coin] = mark;
}

void MockHyperliquidServer::set_liquidity(const std::string& coin, Decimal size) {
  std::lock_guard lock(mutex_);
  liquidity_[coin] = size;
}

void MockHyperliquidServer::drop_next_exchange_responses(int n) {
  std::lock_guard lock(mutex_);
  drop_responses_ = n;
}

void MockHyperliquidServer::reject_next_order(std::string message) {
  std::lock_guard lock(mutex_);
  reject_next_ = std::move(message);
}

std::vector<MockHyperliquidServer::MockOrder> MockHyperliquidServer::open_orders() const {
  std::lock_guard lock(mutex_);
  std::vector<MockOrder> out;
  for (const auto& [oid, o] : orders_) out.push_back(o);
  return out;
}

std::vector<std::optional<std::uint64_t>> MockHyperliquidServer::schedule_cancels() const {
  std::lock_guard lock(mutex_);
  return schedule_cancels_;
}

void MockHyperliquidServer::add_external_fill(const std::string& coin, bool is_buy, Decimal px, Decimal sz) {
  std::lock_guard lock(mutex_);
  MockOrder o;
  o.oid = next_oid_++;
  o.coin = coin;
  o.is_buy = is_buy;
  o.limit_px = px;
  o.sz = sz;
  o.orig_sz = sz;
  fill(o, px, sz);
  final_status_[o.oid] = "filled";
}

void MockHyperliquidServer::fill(MockOrder& order, Decimal px, Decimal size) {
  MockPosition& pos = positions_[order.coin];
  MockFill f;
  f.coin = order.coin;
  f.is_buy = order.is_buy;
  f.px = px;
  f.sz = size;
  f.start_position = pos.szi;
  f.time_ms = now_ms();
  f.oid = order.oid;
  f.tid = next_tid_++;
  f.fee = px.mul(size, 6).mul(Decimal::from_raw(45, 5), 6);  // taker 0.045 %
  f.cloid = order.cloid;
  fills_.push_back(f);
  ws_send_to("userFills:" + hl::to_hex(account_),
             fmt::format(R"({{"channel":"userFills","data":{{"user":"{}","fills":[{}]}}}})", hl::to_hex(account_),
                         fill_json(f)));
  const Decimal signed_sz = order.is_buy ? size : -size;
  const Decimal after = pos.szi + signed_sz;
  if (pos.szi.is_zero() || pos.szi.sign() == signed_sz.sign()) {
    // Growing: the entry is the size-weighted average.
    const Decimal cost = pos.entry_px.mul(pos.szi.abs(), 8) + px.mul(size, 8);
    pos.entry_px = cost.div(after.abs(), 6);
  } else if (after.sign() == signed_sz.sign() && !after.is_zero()) {
    pos.entry_px = px;  // flipped through zero
  }
  pos.szi = after;
  if (pos.szi.is_zero()) positions_.erase(order.coin);
  order.sz = order.sz - size;
}

std::string MockHyperliquidServer::fill_json(const MockFill& f) const {
  return fmt::format(
      R"({{"coin":"{}","px":"{}","sz":"{}","side":"{}","time":{},"startPosition":"{}","dir":"{}","closedPnl":"0.0","hash":"0x{:064x}","oid":{},"crossed":true,"fee":"{}","feeToken":"USDC","tid":{}{}}})",
      f.coin, wire(f.px), wire(f.sz), f.is_buy ? "B" : "A", f.time_ms, wire(f.start_position),
      f.is_buy ? "Open Long" : "Open Short", f.tid, f.oid, wire(f.fee), f.tid,
      f.cloid.empty() ? "" : fmt::format(R"(,"cloid":"{}")", f.cloid));
}

std::string MockHyperliquidServer::order_json(const MockOrder& o) const {
  return fmt::format(
      R"({{"coin":"{}","side":"{}","limitPx":"{}","sz":"{}","oid":{},"timestamp":{},"origSz":"{}"{}}})", o.coin,
      o.is_buy ? "B" : "A", wire(o.limit_px), wire(o.sz), o.oid, o.timestamp_ms, wire(o.orig_sz),
      o.cloid.empty() ? "" : fmt::format(R"(,"cloid":"{}")", o.cloid));
}

void MockHyperliquidServer::push_order_update(const MockOrder& order, const std::string& status) {
  ws_send_to("orderUpdates:" + hl::to_hex(account_),
             fmt::format(R"({{"channel":"orderUpdates","data":[{{"order":{},"status":"{}","statusTimestamp":{}}}]}})",
                         order_json(order), status, now_ms()));
}

bool MockHyperliquidServer::fill_open_order(const std::string& cloid) {
  std::lock_guard lock(mutex_);
  const auto id = oid_by_cloid_.find(cloid);
  if (id == oid_by_cloid_.end()) return false;
  const auto it = orders_.find(id->second);
  if (it == orders_.end()) return false;
  MockOrder order = it->second;
  fill(order, order.limit_px, order.sz);
  push_order_update(order, "filled");
  orders_.erase(it);
  final_status_[order.oid] = "filled";
  return true;
}

void MockHyperliquidServer::set_position(const std::string& coin, Decimal szi, Decimal entry_px) {
  std::lock_guard lock(mutex_);
  if (szi.is_zero()) {
    positions_.erase(coin);
    return;
  }
  positions_[coin] = MockPosition{szi, entry_px};
}

std::uint64_t MockHyperliquidServer::add_external_order(const std::string& coin, bool is_buy, Decimal px, Decimal sz) {
  std::lock_guard lock(mutex_);
  MockOrder o;
  o.oid = next_oid_++;
  o.coin = coin;
  o.is_buy = is_buy;
  o.limit_px = px;
  o.sz = sz;
  o.orig_sz = sz;
  o.timestamp_ms = now_ms();
  orders_[o.oid] = o;
  push_order_update(o, "open");
  return o.oid;
}

std::string MockHyperliquidServer::order_state(std::uint64_t oid) const {
  std::lock_guard lock(mutex_);
  if (orders_.count(oid) != 0) return "open";
  const auto it = final_status_.find(oid);
  return it != final_status_.end() ? it->second : std::string();
}

std::optional<std::uint64_t> MockHyperliquidServer::oid_of(const std::string& cloid) const {
  std::lock_guard lock(mutex_);
  const auto it = oid_by_cloid_.find(cloid);
  if (it == oid_by_cloid_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> MockHyperliquidServer::fill_ids() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  for (const MockFill& f : fills_) out.emplace_back(f.tid, f.oid);
  return out;
}

std::string MockHyperliquidServer::order_status(const hl::WireValue& o) {
  const hl::WireValue* a = o.find("a");
  const std::size_t asset = a != nullptr ? static_cast<std::size_t>(a->as_uint()) : coins_.size();
  if (asset >= coins_.size()) return R"({"error":"Invalid asset"})";
  if (!reject_next_.empty()) {
    std::string message = std::move(reject_next_);
    reject_next_.clear();
    // orderStatus remembers a rejected order by its cloid, with a "…Rejected" status.
    if (const hl::WireValue* c = o.find("c"); c != nullptr && c->kind() == hl::WireValue::Kind::String) {
      const std::uint64_t oid = next_oid_++;
      oid_by_cloid_[c->as_string()] = oid;
      final_status_[oid] = "perpMarginRejected";
    }
    return fmt::format(R"({{"error":"{}"}})", message);
  }
  MockOrder order;
  order.coin = coins_[asset];
  order.is_buy = o.find("b")->as_bool();
  order.limit_px = decimal_at(o, "p");
  order.sz = decimal_at(o, "s");
  order.orig_sz = order.sz;
  order.reduce_only = o.find("r")->as_bool();
  order.timestamp_ms = now_ms();
  if (const hl::WireValue* c = o.find("c"); c != nullptr && c->kind() == hl::WireValue::Kind::String) {
    order.cloid = c->as_string();
  }
  const hl::WireValue* t = o.find("t");
  std::string tif = "Gtc";
  if (t->find("trigger") != nullptr) {
    order.is_trigger = true;
  } else if (const hl::WireValue* limit = t->find("limit")) {
    tif = limit->find("tif")->as_string();
  }
  const Decimal mark = marks_.count(order.coin) != 0 ? marks_[order.coin] : Decimal::from_int(0);
  const bool crosses =
      !order.is_trigger && !mark.is_zero() && (order.is_buy ? order.limit_px >= mark : order.limit_px <= mark);
  if (tif == "Alo" && crosses) {
    return fmt::format(R"({{"error":"Post only order would have immediately matched, bbo was {}@{}. asset={}"}})",
                       wire(mark), wire(mark), asset);
  }
  if (tif == "Ioc" && !crosses) {
    return fmt::format(R"({{"error":"Order could not immediately match against any resting orders. asset={}"}})",
                       asset);
  }
  order.oid = next_oid_++;
  if (!order.cloid.empty()) oid_by_cloid_[order.cloid] = order.oid;
  if (crosses) {
    const auto liquid = liquidity_.find(order.coin);
    const Decimal size = liquid != liquidity_.end() ? std::min(order.sz, liquid->second) : order.sz;
    fill(order, mark, size);
    if (order.sz.is_zero() || tif == "Ioc") {
      final_status_[order.oid] = order.sz.is_zero() ? "filled" : "canceled";
      push_order_update(order, final_status_[order.oid]);
      return fmt::format(R"({{"filled":{{"totalSz":"{}","avgPx":"{}","oid":{}}}}})", wire(size), wire(mark), order.oid);
    }
    // A GTC that filled in part rests with the remainder (the exchange answers "resting").
  }
  orders_[order.oid] = order;
  push_order_update(order, "open");
  return fmt::format(R"({{"resting":{{"oid":{}}}}})", order.oid);
}

net::HttpResponse MockHyperliquidServer::trade(const std::string& type, const hl::WireValue& action) {
  auto cancel_oid = [this](std::uint64_t oid) -> std::string {
    const auto it = orders_.find(oid);
    if (it == orders_.end()) return kNeverPlaced;
    push_order_update(it->second, "canceled");
    orders_.erase(it);
    final_status_[oid] = "canceled";
    return R"("success")";
  };
  if (type == "order") {
    std::string statuses;
    for (const hl::WireValue& o : action.find("orders")->as_array()) {
      if (!statuses.empty()) statuses += ',';
      statuses += order_status(o);
    }
    return net::HttpResponse::json(200, ok("order", statuses));
  }
  if (type == "cancel" || type == "cancelByCloid") {
    std::string statuses;
    for (const hl::WireValue& c : action.find("cancels")->as_array()) {
      if (!statuses.empty()) statuses += ',';
      if (type == "cancel") {
        statuses += cancel_oid(c.find("o")->as_uint());
      } else {
        const auto it = oid_by_cloid_.find(c.find("cloid")->as_string());
        statuses += it == oid_by_cloid_.end() ? kNeverPlaced : cancel_oid(it->second);
      }
    }
    return net::HttpResponse::json(200, ok("cancel", statuses));
  }
  if (type == "modify") {
    const hl::WireValue* id = action.find("oid");
    std::uint64_t oid = 0;
    if (id->kind() == hl::WireValue::Kind::String) {
      const auto it = oid_by_cloid_.find(id->as_string());
      if (it != oid_by_cloid_.end()) oid = it->second;
    } else {
      oid = id->as_uint();
    }
    const auto it = orders_.find(oid);
    if (it == orders_.end()) {
      return net::HttpResponse::json(200, R"({"status":"err","response":"Cannot modify canceled or filled order"})");
    }
    const hl::WireValue& o = *action.find("order");
    it->second.limit_px = decimal_at(o, "p");
    it->second.sz = decimal_at(o, "s");
    it->second.orig_sz = it->second.sz;
    return net::HttpResponse::json(200, kDefaultOk);
  }
  if (type == "scheduleCancel") {
    const hl::WireValue* time = action.find("time");
    schedule_cancels_.push_back(time != nullptr ? std::optional<std::uint64_t>(time->as_uint()) : std::nullopt);
    return net::HttpResponse::json(200, kDefaultOk);
  }
  return net::HttpResponse::json(200, kDefaultOk);
}

std::optional<std::string> MockHyperliquidServer::trading_info(const std::string& type, const hl::WireValue& request) {
  auto open_order_json = [this](const MockOrder& o) { return order_json(o); };
  if (type == "openOrders") {
    std::string out = "[";
    for (const auto& [oid, o] : orders_) {
      if (out.size() > 1) out += ',';
      out += open_order_json(o);
    }
    return out + "]";
  }
  if (type == "userFills" || type == "userFillsByTime") {
    std::uint64_t start = 0;
    if (const hl::WireValue* s = request.find("startTime")) start = s->as_uint();
    std::string out = "[";
    for (const MockFill& f : fills_) {
      if (f.time_ms < start) continue;
      if (out.size() > 1) out += ',';
      out += fill_json(f);
    }
    return out + "]";
  }
  if (type == "orderStatus") {
    const hl::WireValue* id = request.find("oid");
    std::uint64_t oid = 0;
    if (id != nullptr && id->kind() == hl::WireValue::Kind::String) {
      const auto it = oid_by_cloid_.find(id->as_string());
      if (it != oid_by_cloid_.end()) oid = it->second;
    } else if (id != nullptr) {
      oid = id->as_uint();
    }
    std::string status;
    MockOrder shown;
    if (const auto it = orders_.find(oid); it != orders_.end()) {
      status = "open";
      shown = it->second;
    } else if (const auto fs = final_status_.find(oid); fs != final_status_.end()) {
      status = fs->second;
      shown.oid = oid;
      shown.coin = coins_.empty() ? "" : coins_[0];
      for (const auto& [c, o] : oid_by_cloid_) {
        if (o == oid) shown.cloid = c;
      }
    } else {
      return std::string(R"({"status":"unknownOid"})");
    }
    return fmt::format(R"({{"status":"order","order":{{"order":{},"status":"{}","statusTimestamp":{}}}}})",
                       open_order_json(shown), status, now_ms());
  }
  if (type == "allMids") {
    std::string out = "{";
    for (const auto& [coin, mark] : marks_) {
      if (out.size() > 1) out += ',';
      out += fmt::format(R"("{}":"{}")", coin, wire(mark));
    }
    return out + "}";
  }
  if (type == "clearinghouseState") {
    std::string positions;
    for (const auto& [coin, p] : positions_) {
      const Decimal mark = marks_.count(coin) != 0 ? marks_[coin] : p.entry_px;
      if (!positions.empty()) positions += ',';
      positions += fmt::format(
          R"({{"type":"oneWay","position":{{"coin":"{}","szi":"{}","entryPx":"{}","liquidationPx":null,"positionValue":"{}","marginUsed":"0.0","unrealizedPnl":"{}","leverage":{{"type":"cross","value":20}}}}}})",
          coin, wire(p.szi), wire(p.entry_px), wire(mark.mul(p.szi.abs(), 6)), wire((mark - p.entry_px).mul(p.szi, 6)));
    }
    const std::string summary =
        R"({"accountValue":"10000.0","totalMarginUsed":"0.0","totalNtlPos":"0.0","totalRawUsd":"10000.0"})";
    return fmt::format(
        R"({{"assetPositions":[{}],"marginSummary":{},"crossMarginSummary":{},"crossMaintenanceMarginUsed":"0.0","withdrawable":"10000.0","time":{}}})",
        positions, summary, summary, now_ms());
  }
  return std::nullopt;
}

}  // namespace ballast::testing::hyperliquid
