#include "ballast/adapters/hyperliquid/execution_client.hpp"

#include <algorithm>

#include <fmt/format.h>

#include <charconv>

namespace ballast::adapters::hyperliquid {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;

constexpr int kPriceWorkScale = 12;
constexpr core::Duration kFillLookBack = std::chrono::minutes(5);

std::uint64_t to_ms(core::UnixNanos t) {
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, t.millis()));
}

WireValue user_request(std::string_view type, const Address& user) {
  WireValue r = WireValue::map();
  r.set("type", WireValue::string(std::string(type)));
  r.set("user", WireValue::string(to_hex(user)));
  return r;
}

// orderStatus answer: {"status":"order","order":{"order":{…,"oid","sz",…},"status":"open",…}} or
// {"status":"unknownOid"}.
struct VenueOrderState {
  bool found = false;
  std::uint64_t oid = 0;
  std::string status;  // open, filled, canceled, triggered, rejected, marginCanceled, scheduledCancel, …
};

core::Result<VenueOrderState> parse_order_status(std::string_view json) {
  auto doc = parse_wire_value(json);
  if (!doc) return doc.error().with_context("orderStatus");
  const WireValue* status = doc->find("status");
  if (status == nullptr || status->kind() != WireValue::Kind::String) {
    return Error(ErrorCode::ParseError, "missing status", "orderStatus.status");
  }
  VenueOrderState out;
  if (status->as_string() == "unknownOid") return out;
  if (status->as_string() != "order") {
    return Error(ErrorCode::ParseError, fmt::format("unknown status \"{}\"", status->as_string()),
                 "orderStatus.status");
  }
  const WireValue* order = doc->find("order");
  const WireValue* inner = order != nullptr ? order->find("order") : nullptr;
  const WireValue* oid = inner != nullptr ? inner->find("oid") : nullptr;
  if (oid == nullptr || (oid->kind() != WireValue::Kind::Uint && oid->kind() != WireValue::Kind::Int)) {
    return Error(ErrorCode::ParseError, "missing integer oid", "orderStatus.order.order.oid");
  }
  const WireValue* st = order->find("status");
  if (st == nullptr || st->kind() != WireValue::Kind::String) {
    return Error(ErrorCode::ParseError, "missing status", "orderStatus.order.status");
  }
  out.found = true;
  out.oid = oid->as_uint();
  out.status = st->as_string();
  return out;
}

bool is_buy(model::OrderSide side) {
  return side == model::OrderSide::Buy;
}

// price × (1 ± slippage), rounded away from `price` to a valid Hyperliquid price.
core::Result<Decimal> aggressive_price(const Decimal& price, bool buy, const Decimal& slippage, int sz_decimals) {
  const Decimal one = Decimal::from_int(1);
  auto factor = buy ? one.checked_add(slippage) : one.checked_sub(slippage);
  if (!factor) return factor.error();
  auto raw = price.checked_mul(*factor, kPriceWorkScale);
  if (!raw) return raw.error();
  return round_price(*raw, sz_decimals, MarketKind::Perp, buy ? core::RoundingMode::Up : core::RoundingMode::Down);
}

}  // namespace

std::uint64_t NonceGenerator::next() {
  const std::uint64_t now = to_ms(clock_->now());
  std::lock_guard lock(mutex_);
  last_ = std::max(now, last_ + 1);
  return last_;
}

HyperliquidExecutionClient::HyperliquidExecutionClient(HyperliquidExecutionConfig config, HyperliquidRestClient& rest,
                                                       runtime::ExecutionEventSink& sink, const core::Clock& clock)
    : config_(std::move(config)), rest_(&rest), sink_(&sink), clock_(&clock), nonces_(clock) {}

HyperliquidExecutionClient::~HyperliquidExecutionClient() {
  disconnect();
}

core::Status HyperliquidExecutionClient::connect() {
  if (is_connected()) return core::ok();
  if (config_.dead_man_seconds && *config_.dead_man_seconds < 5) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("must be at least 5 (Hyperliquid requires a scheduled cancel ≥ 5 s ahead), got {}",
                             *config_.dead_man_seconds),
                 "dead_man_seconds");
  }
  if (config_.market_slippage.is_negative() || config_.market_slippage >= Decimal::from_int(1)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("must be in [0, 1), got {}", config_.market_slippage.to_string()), "market_slippage");
  }
  std::unique_lock io(io_mutex_);
  auto meta = rest_->meta();
  if (!meta) return meta.error().with_context("Hyperliquid connect");
  assets_ = std::move(*meta);
  asset_by_instrument_.clear();
  for (std::size_t i = 0; i < assets_.size(); ++i) asset_by_instrument_[assets_[i].instrument.id().value()] = i;
  if (rest_->can_trade()) {
    // A Signer exists: it must be the account itself, or trade for the configured vault, or be an agent
    // the configuration declares (which only the exchange can verify).
    const Address signer = rest_->signer()->address();
    if (signer != config_.account_address && !rest_->config().vault_address && !config_.signer_is_agent) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("the signing key's address {} is not the account address {} (set signer_is_agent for "
                               "an approved API wallet)",
                               to_hex(signer), to_hex(config_.account_address)),
                   "account_address");
    }
  }
  auto state = rest_->clearinghouse_state(config_.account_address);
  if (!state) return state.error().with_context("Hyperliquid connect: clearinghouseState");
  // A margin for a local clock ahead of the exchange's: fills are de-duplicated by tid anyway.
  fills_since_ms_ = to_ms(clock_->now() - kFillLookBack);
  {
    std::lock_guard lock(mutex_);
    stop_ = false;
    connected_ = true;
  }
  if (config_.dead_man_seconds && rest_->can_trade()) arm_dead_man();
  worker_ = std::thread([this] { run(); });
  io.unlock();
  if (config_.user_stream) {
    if (auto s = start_stream(); !s) {
      disconnect();
      return s;
    }
  }
  return core::ok();
}

void HyperliquidExecutionClient::disconnect() {
  {
    std::lock_guard lock(mutex_);
    if (!connected_) return;
  }
  // The stream first: its callbacks only queue tasks for the I/O thread, which stops next.
  if (stream_) {
    stream_->stop();
    stream_.reset();
    stream_up_.store(false);
  }
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    connected_ = false;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  {
    std::lock_guard lock(mutex_);
    tasks_.clear();
  }
  std::lock_guard io(io_mutex_);
  if (dead_man_armed_) {
    // Best effort: if this fails the scheduled cancel fires at its time, which is the safe outcome.
    (void)send(schedule_cancel_action(std::nullopt));
    dead_man_armed_ = false;
  }
}

bool HyperliquidExecutionClient::is_connected() const {
  std::lock_guard lock(mutex_);
  return connected_;
}

core::Status HyperliquidExecutionClient::require_trading() const {
  if (!rest_->can_trade()) {
    return Error(ErrorCode::InvalidState,
                 fmt::format("Hyperliquid client for {} is read-only (no signing key): nothing sent",
                             config_.account_id.value()));
  }
  if (!is_connected()) {
    return Error(ErrorCode::InvalidState,
                 fmt::format("Hyperliquid execution client for {} is not connected", config_.account_id.value()));
  }
  return core::ok();
}

core::Result<const PerpAsset*> HyperliquidExecutionClient::asset_for(const core::InstrumentId& id,
                                                                     std::string_view field) const {
  const auto it = asset_by_instrument_.find(id.value());
  if (it == asset_by_instrument_.end()) {
    return Error(ErrorCode::NotFound, fmt::format("instrument {} is not in Hyperliquid's meta", id.value()),
                 std::string(field));
  }
  return &assets_[it->second];
}

std::vector<model::Instrument> HyperliquidExecutionClient::instruments() const {
  std::lock_guard io(io_mutex_);
  std::vector<model::Instrument> out;
  for (const auto& a : assets_) out.push_back(a.instrument);
  return out;
}

core::Result<HyperliquidExecutionClient::Tracked> HyperliquidExecutionClient::to_tracked(
    const model::Order& order) const {
  auto asset = asset_for(order.instrument_id(), "order.instrument_id");
  if (!asset) return asset.error();
  const PerpAsset& a = **asset;
  Tracked t;
  t.ids.client_order_id = order.client_order_id();
  t.ids.strategy_id = order.strategy_id();
  t.ids.account_id = order.account_id();
  t.ids.instrument_id = order.instrument_id();
  t.cloid = Cloid::from_client_order_id(order.client_order_id());
  t.coin = a.name;
  t.quantity = order.quantity().value();
  t.filled = Decimal::from_int(0);
  OrderRequest& r = t.request;
  r.asset = a.spec();
  r.is_buy = is_buy(order.side());
  r.size = order.quantity().value();
  r.reduce_only = order.is_reduce_only();
  r.cloid = t.cloid;
  if (auto s = check_size(r.size, a.sz_decimals, "order.quantity"); !s) return s.error();
  const bool buy = r.is_buy;
  auto user_price = [&](const std::optional<model::Price>& px, std::string_view field) -> core::Result<Decimal> {
    if (!px) return Error(ErrorCode::InvalidArgument, "required for this order type", std::string(field));
    if (auto s = check_price(px->value(), a.sz_decimals, MarketKind::Perp, field); !s) return s.error();
    return px->value();
  };
  switch (order.type()) {
    case model::OrderType::Market:
      t.is_market = true;
      t.is_ioc = true;
      r.type = LimitOrderType{Tif::Ioc};
      return t;
    case model::OrderType::Limit: {
      auto px = user_price(order.price(), "order.price");
      if (!px) return px.error();
      r.limit_px = *px;
      Tif tif = Tif::Gtc;
      switch (order.time_in_force()) {
        case model::TimeInForce::Gtc: tif = Tif::Gtc; break;
        case model::TimeInForce::Ioc: tif = Tif::Ioc; break;
        case model::TimeInForce::Fok:
        case model::TimeInForce::Gtd:
          return Error(ErrorCode::Unsupported, "Hyperliquid has no FOK or GTD orders (GTC, IOC, post-only)",
                       "order.time_in_force");
      }
      if (order.is_post_only()) {
        if (tif != Tif::Gtc) return Error(ErrorCode::Unsupported, "post-only needs GTC", "order.post_only");
        tif = Tif::Alo;
      }
      t.is_ioc = tif == Tif::Ioc;
      r.type = LimitOrderType{tif};
      return t;
    }
    case model::OrderType::StopMarket:
    case model::OrderType::StopLimit:
    case model::OrderType::TakeProfit: {
      auto trigger = user_price(order.trigger_price(), "order.trigger_price");
      if (!trigger) return trigger.error();
      TriggerOrderType trig;
      trig.trigger_px = *trigger;
      trig.tpsl = order.type() == model::OrderType::TakeProfit ? Tpsl::Tp : Tpsl::Sl;
      trig.is_market = order.type() == model::OrderType::StopMarket ||
                       (order.type() == model::OrderType::TakeProfit && !order.price());
      if (trig.is_market) {
        auto px = aggressive_price(*trigger, buy, config_.market_slippage, a.sz_decimals);
        if (!px) return px.error().with_context("order.trigger_price");
        r.limit_px = *px;
      } else {
        auto px = user_price(order.price(), "order.price");
        if (!px) return px.error();
        r.limit_px = *px;
      }
      r.type = trig;
      return t;
    }
  }
  return Error(ErrorCode::Unsupported, "order type not supported", "order.type");
}

core::Status HyperliquidExecutionClient::submit_order(const model::SubmitOrder& command) {
  if (auto s = require_trading(); !s) return s;
  auto t = to_tracked(command.order);
  if (!t) return t.error();
  // The wire form is built here too, so every price/size error is reported before anything is queued.
  if (!t->is_market) {
    if (auto w = order_wire(t->request, "order"); !w) return w.error();
  }
  enqueue([this, tracked = std::move(*t)]() mutable { do_submit(std::move(tracked)); });
  return core::ok();
}

core::Status HyperliquidExecutionClient::cancel_order(const model::CancelOrder& command) {
  if (auto s = require_trading(); !s) return s;
  if (auto a = asset_for(command.instrument_id, "instrument_id"); !a) return a.error();
  enqueue([this, command] { do_cancel(command); });
  return core::ok();
}

core::Status HyperliquidExecutionClient::cancel_all_orders(const model::CancelAllOrders& command) {
  if (auto s = require_trading(); !s) return s;
  if (command.instrument_id) {
    if (auto a = asset_for(*command.instrument_id, "instrument_id"); !a) return a.error();
  }
  enqueue([this, command] { do_cancel_all(command); });
  return core::ok();
}

core::Status HyperliquidExecutionClient::modify_order(const model::ModifyOrder& command) {
  if (auto s = require_trading(); !s) return s;
  auto asset = asset_for(command.instrument_id, "instrument_id");
  if (!asset) return asset.error();
  if (command.price) {
    if (auto s = check_price(command.price->value(), (*asset)->sz_decimals, MarketKind::Perp, "price"); !s) return s;
  }
  if (command.quantity) {
    if (auto s = check_size(command.quantity->value(), (*asset)->sz_decimals, "quantity"); !s) return s;
  }
  if (command.trigger_price) {
    if (auto s = check_price(command.trigger_price->value(), (*asset)->sz_decimals, MarketKind::Perp, "trigger_price");
        !s) {
      return s;
    }
  }
  enqueue([this, command] { do_modify(command); });
  return core::ok();
}

void HyperliquidExecutionClient::enqueue(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_all();
}

void HyperliquidExecutionClient::request_poll() {
  {
    std::lock_guard lock(mutex_);
    poll_requested_ = true;
  }
  wake_.notify_all();
}

std::size_t HyperliquidExecutionClient::tracked_orders() const {
  std::lock_guard io(io_mutex_);
  return tracked_.size();
}

model::OrderEventBase HyperliquidExecutionClient::stamp(const model::OrderEventBase& ids) const {
  model::OrderEventBase b = ids;
  b.ts_event = clock_->now();
  b.ts_init = b.ts_event;
  return b;
}

core::Result<ExchangeResponse> HyperliquidExecutionClient::send(const WireValue& action) {
  return rest_->exchange(action, nonces_.next());
}

void HyperliquidExecutionClient::run() {
  const auto start = std::chrono::steady_clock::now();
  auto next_poll = start + config_.poll_interval;
  std::optional<std::chrono::steady_clock::time_point> next_arm;
  // Re-armed even when the first arm at connect() failed: each interval tries again.
  if (config_.dead_man_seconds && rest_->can_trade()) {
    next_arm = start + std::chrono::milliseconds(*config_.dead_man_seconds * 1000 / 3);
  }
  for (;;) {
    std::function<void()> task;
    bool do_poll = false;
    bool do_arm = false;
    {
      std::unique_lock lock(mutex_);
      auto deadline = next_poll;
      if (next_arm) deadline = std::min(deadline, *next_arm);
      wake_.wait_until(lock, deadline, [this] { return stop_ || !tasks_.empty() || poll_requested_; });
      if (stop_) return;
      const auto now = std::chrono::steady_clock::now();
      if (next_arm && now >= *next_arm) {
        do_arm = true;
      } else if (!tasks_.empty()) {
        task = std::move(tasks_.front());
        tasks_.pop_front();
      } else if (poll_requested_ || now >= next_poll) {
        // While the user stream is up its pushes replace the periodic poll; an explicit request still polls.
        do_poll = poll_requested_ || !stream_up_.load();
        poll_requested_ = false;
        if (!do_poll) next_poll = now + config_.poll_interval;
      }
    }
    std::lock_guard io(io_mutex_);
    if (do_arm) {
      arm_dead_man();
      next_arm = std::chrono::steady_clock::now() + std::chrono::milliseconds(*config_.dead_man_seconds * 1000 / 3);
    } else if (task) {
      task();
    } else if (do_poll) {
      poll();
      next_poll = std::chrono::steady_clock::now() + config_.poll_interval;
    }
  }
}

void HyperliquidExecutionClient::arm_dead_man() {
  const std::uint64_t at = to_ms(clock_->now()) + std::uint64_t{*config_.dead_man_seconds} * 1000;
  auto r = send(schedule_cancel_action(at));
  // A failed re-arm is retried at the next interval; the previous schedule stays in force meanwhile.
  if (r) dead_man_armed_ = true;
}

core::Result<std::optional<Decimal>> HyperliquidExecutionClient::mid_price(const std::string& coin) {
  WireValue req = WireValue::map();
  req.set("type", WireValue::string("allMids"));
  auto body = rest_->info(req);
  if (!body) return body.error();
  auto doc = parse_wire_value(*body);
  if (!doc) return doc.error().with_context("allMids");
  const WireValue* mid = doc->find(coin);
  if (mid == nullptr) return std::optional<Decimal>{};
  if (mid->kind() != WireValue::Kind::String) {
    return Error(ErrorCode::ParseError, "expected a decimal string", "allMids." + coin);
  }
  auto d = Decimal::parse(mid->as_string());
  if (!d) return Error(ErrorCode::ParseError, d.error().message(), "allMids." + coin);
  return std::optional<Decimal>(*d);
}

void HyperliquidExecutionClient::do_submit(Tracked t) {
  const std::string key = t.cloid.to_wire();
  client_ids_[key] = t.ids.client_order_id;
  auto reject = [&](std::string reason) {
    model::OrderRejected e;
    static_cast<model::OrderEventBase&>(e) = stamp(t.ids);
    e.reason = std::move(reason);
    sink_->on_order_event(e);
  };
  if (t.is_market) {
    auto mid = mid_price(t.coin);
    if (!mid) return reject("market order: no mid price: " + mid.error().to_string());
    if (!*mid) return reject(fmt::format("market order: allMids has no price for {}", t.coin));
    auto px = aggressive_price(**mid, t.request.is_buy, config_.market_slippage, t.request.asset.sz_decimals);
    if (!px) return reject("market order: " + px.error().to_string());
    t.request.limit_px = *px;
  }
  auto action = order_action({t.request});
  if (!action) return reject(action.error().to_string());
  auto response = send(*action);
  if (response && response->statuses.size() == 1 && response->statuses[0].kind == ActionStatus::Kind::Error) {
    return reject(response->statuses[0].error);
  }
  if (!response && response.error().code() == ErrorCode::InvalidState) return reject(response.error().message());
  if (!response || response->statuses.size() != 1 || !response->statuses[0].oid) {
    // The answer was lost, unreadable or without an oid ("waitingForTrigger", …): the order may or may not
    // exist. Find it by cloid now, or at the next poll.
    t.unknown = true;
    auto it = tracked_.insert_or_assign(key, std::move(t)).first;
    if (!resolve(it->second)) tracked_.erase(it);
    return;
  }
  const ActionStatus& st = response->statuses[0];
  t.oid = st.oid;
  model::OrderAccepted acc;
  static_cast<model::OrderEventBase&>(acc) = stamp(t.ids);
  acc.venue_order_id = core::VenueOrderId(std::to_string(*st.oid));
  sink_->on_order_event(acc);
  const bool filled_now = st.kind == ActionStatus::Kind::Filled;
  tracked_.insert_or_assign(key, std::move(t));
  if (filled_now) {
    // "filled" carries no trade id or fee: the fills themselves come from userFillsByTime.
    auto again = tracked_.find(key);
    if (again->second.is_ioc) again->second.final_fill = st.total_sz.value_or(again->second.quantity);
    poll_fills();
    settle_finished();
  }
}

void HyperliquidExecutionClient::settle_finished() {
  for (auto it = tracked_.begin(); it != tracked_.end();) {
    Tracked& t = it->second;
    const bool ioc_done = t.final_fill && t.filled >= *t.final_fill;
    if (ioc_done) finish_ioc(t, clock_->now());
    if (ioc_done || t.filled >= t.quantity) {
      it = tracked_.erase(it);
    } else {
      ++it;
    }
  }
}

void HyperliquidExecutionClient::finish_ioc(Tracked& t, core::UnixNanos ts) {
  if (t.filled >= t.quantity) return;
  model::OrderExpired e;
  static_cast<model::OrderEventBase&>(e) = stamp(t.ids);
  e.ts_event = ts;
  if (t.oid) e.venue_order_id = core::VenueOrderId(std::to_string(*t.oid));
  sink_->on_order_event(e);
}

bool HyperliquidExecutionClient::resolve(Tracked& t) {
  WireValue req = user_request("orderStatus", config_.account_address);
  req.set("oid", WireValue::string(t.cloid.to_wire()));
  auto body = rest_->info(req);
  if (!body) return true;  // still unknown: the next poll asks again
  auto state = parse_order_status(*body);
  if (!state) return true;
  auto emit_base = [&](auto event) {
    static_cast<model::OrderEventBase&>(event) = stamp(t.ids);
    return event;
  };
  if (!state->found) {
    if (t.unknown) {
      model::OrderRejected e = emit_base(model::OrderRejected{});
      e.reason = "the exchange has no order with this cloid after the acknowledgement was lost";
      sink_->on_order_event(e);
    }
    return false;
  }
  const core::VenueOrderId venue_id(std::to_string(state->oid));
  const std::string& s = state->status;
  const bool rejected = s == "rejected" || (s.size() > 8 && s.ends_with("Rejected"));  // tickRejected, …
  if (t.unknown && rejected) {
    model::OrderRejected e = emit_base(model::OrderRejected{});
    e.reason = fmt::format("the exchange reports the order as {}", s);
    sink_->on_order_event(e);
    return false;
  }
  if (t.unknown) {
    t.unknown = false;
    t.oid = state->oid;
    model::OrderAccepted e = emit_base(model::OrderAccepted{});
    e.venue_order_id = venue_id;
    sink_->on_order_event(e);
  }
  if (s == "open" || s == "accepted" || s == "triggered") return true;
  if (s == "filled") {
    poll_fills();
    return tracked_.count(t.cloid.to_wire()) != 0 && t.filled < t.quantity;
  }
  // canceled, marginCanceled, scheduledCancel, reduceOnlyCanceled, selfTradeCanceled, … and a working
  // order rejected later (a trigger whose order failed): its end.
  poll_fills();
  if (t.is_ioc) {
    finish_ioc(t, clock_->now());
    return false;
  }
  model::OrderCanceled e = emit_base(model::OrderCanceled{});
  e.venue_order_id = venue_id;
  sink_->on_order_event(e);
  return false;
}

void HyperliquidExecutionClient::poll_fills() {
  WireValue req = user_request("userFillsByTime", config_.account_address);
  req.set("startTime", WireValue::unsigned_integer(fills_since_ms_));
  auto body = rest_->info(req);
  if (!body) return;
  auto fills = parse_user_fills(*body);
  if (!fills) return;
  apply_fills(std::move(*fills));
}

void HyperliquidExecutionClient::apply_fills(std::vector<UserFill> fills) {
  std::sort(fills.begin(), fills.end(), [](const UserFill& a, const UserFill& b) { return a.time < b.time; });
  for (const UserFill& f : fills) {
    if (!seen_tids_.insert(f.tid).second) continue;
    fills_since_ms_ = std::max(fills_since_ms_, to_ms(f.time));
    Tracked* t = nullptr;
    if (f.cloid) {
      auto it = tracked_.find(f.cloid->to_wire());
      if (it != tracked_.end()) t = &it->second;
    }
    if (t == nullptr) {
      for (auto& [k, v] : tracked_) {
        if (v.oid && *v.oid == f.oid) t = &v;
      }
    }
    if (t == nullptr) continue;  // not an order of this client: reconciliation adopts it
    model::OrderFilled e;
    static_cast<model::OrderEventBase&>(e) = stamp(t->ids);
    e.fill = f.to_fill(config_.account_id, venue(), clock_->now());
    e.fill.client_order_id = t->ids.client_order_id;
    e.ts_event = f.time;
    t->filled += f.sz;
    sink_->on_order_event(e);
  }
}

void HyperliquidExecutionClient::poll() {
  // Nothing to follow, nothing to ask: fills of other orders are reconciliation's business, and every
  // /info call costs request weight (see the header comment).
  if (tracked_.empty()) return;
  poll_fills();
  settle_finished();
  if (tracked_.empty()) return;
  auto open = rest_->open_orders(config_.account_address);
  if (!open) return;
  std::set<std::uint64_t> open_oids;
  for (const OpenOrder& o : *open) open_oids.insert(o.oid);
  for (auto it = tracked_.begin(); it != tracked_.end();) {
    Tracked& t = it->second;
    const bool vanished = !t.unknown && t.oid && open_oids.count(*t.oid) == 0;
    if ((t.unknown || vanished) && !resolve(t)) {
      it = tracked_.erase(it);
    } else {
      ++it;
    }
  }
}

void HyperliquidExecutionClient::do_cancel(model::CancelOrder command) {
  auto asset = asset_for(command.instrument_id, "instrument_id");
  if (!asset) return;
  const Cloid cloid = Cloid::from_client_order_id(command.client_order_id);
  model::OrderEventBase ids;
  ids.client_order_id = command.client_order_id;
  ids.strategy_id = command.strategy_id;
  ids.account_id = command.account_id;
  ids.instrument_id = command.instrument_id;
  // An order this client did not send (adopted by reconciliation: placed elsewhere, or by an earlier
  // session) has no cloid we can derive: it is cancelled by its order id.
  std::optional<std::uint64_t> oid;
  if (tracked_.count(cloid.to_wire()) == 0 && command.venue_order_id) {
    const std::string& text = command.venue_order_id->value();
    std::uint64_t parsed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (ec == std::errc() && end == text.data() + text.size()) oid = parsed;
  }
  auto response = oid ? send(cancel_action({CancelRequest{(*asset)->index, *oid}}))
                      : send(cancel_by_cloid_action({CancelByCloidRequest{(*asset)->index, cloid}}));
  std::string failure;
  if (!response) {
    failure = response.error().message();
  } else if (response->statuses.size() != 1) {
    failure = fmt::format("expected one cancel status, got {}", response->statuses.size());
  } else if (response->statuses[0].kind == ActionStatus::Kind::Error) {
    failure = response->statuses[0].error;
  }
  if (!failure.empty()) {
    model::OrderCancelRejected e;
    static_cast<model::OrderEventBase&>(e) = stamp(ids);
    e.reason = std::move(failure);
    sink_->on_order_event(e);
    return;
  }
  // Fills that happened before the cancel are reported first; after it the order is no longer followed.
  if (tracked_.count(cloid.to_wire()) != 0) poll_fills();
  model::OrderCanceled e;
  static_cast<model::OrderEventBase&>(e) = stamp(ids);
  if (auto it = tracked_.find(cloid.to_wire()); it != tracked_.end()) {
    if (it->second.oid) e.venue_order_id = core::VenueOrderId(std::to_string(*it->second.oid));
    tracked_.erase(it);
  } else {
    e.venue_order_id = command.venue_order_id;
  }
  sink_->on_order_event(e);
}

void HyperliquidExecutionClient::do_cancel_all(model::CancelAllOrders command) {
  auto open = rest_->open_orders(config_.account_address);
  if (!open) return;  // nothing known to cancel; the caller sees no events and may retry
  std::vector<CancelRequest> cancels;
  std::vector<const OpenOrder*> targets;
  for (const OpenOrder& o : *open) {
    const core::InstrumentId id = perp_instrument_id(o.coin, venue());
    if (command.instrument_id && id != *command.instrument_id) continue;
    if (command.side && (*command.side == model::OrderSide::Buy) != o.is_buy) continue;
    auto asset = asset_for(id, "openOrders.coin");
    if (!asset) continue;
    cancels.push_back(CancelRequest{(*asset)->index, o.oid});
    targets.push_back(&o);
  }
  if (cancels.empty()) return;
  auto response = send(cancel_action(cancels));
  poll_fills();  // fills from before the cancels come first
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const OpenOrder& o = *targets[i];
    if (!o.cloid) continue;
    auto it = tracked_.find(o.cloid->to_wire());
    if (it == tracked_.end()) continue;
    std::string failure;
    if (!response) {
      failure = response.error().message();
    } else if (i >= response->statuses.size()) {
      failure = "no status for this order in the cancel answer";
    } else if (response->statuses[i].kind == ActionStatus::Kind::Error) {
      failure = response->statuses[i].error;
    }
    if (!failure.empty()) {
      model::OrderCancelRejected e;
      static_cast<model::OrderEventBase&>(e) = stamp(it->second.ids);
      e.reason = std::move(failure);
      sink_->on_order_event(e);
      continue;
    }
    model::OrderCanceled e;
    static_cast<model::OrderEventBase&>(e) = stamp(it->second.ids);
    e.venue_order_id = core::VenueOrderId(std::to_string(o.oid));
    sink_->on_order_event(e);
    tracked_.erase(it);
  }
}

void HyperliquidExecutionClient::do_modify(model::ModifyOrder command) {
  model::OrderEventBase ids;
  ids.client_order_id = command.client_order_id;
  ids.strategy_id = command.strategy_id;
  ids.account_id = command.account_id;
  ids.instrument_id = command.instrument_id;
  auto refuse = [&](std::string reason) {
    model::OrderModifyRejected e;
    static_cast<model::OrderEventBase&>(e) = stamp(ids);
    e.reason = std::move(reason);
    sink_->on_order_event(e);
  };
  const Cloid cloid = Cloid::from_client_order_id(command.client_order_id);
  auto it = tracked_.find(cloid.to_wire());
  if (it == tracked_.end() || !it->second.oid) {
    return refuse("the order is not open at Hyperliquid as far as this client knows");
  }
  Tracked& t = it->second;
  OrderRequest changed = t.request;
  if (command.quantity) changed.size = command.quantity->value();
  if (command.price) changed.limit_px = command.price->value();
  if (command.trigger_price) {
    auto* trig = std::get_if<TriggerOrderType>(&changed.type);
    if (trig == nullptr) return refuse("a trigger price needs a trigger order");
    trig->trigger_px = command.trigger_price->value();
    if (trig->is_market) {
      // A market trigger's limit is derived from its trigger, as at submission.
      auto px = aggressive_price(trig->trigger_px, changed.is_buy, config_.market_slippage, changed.asset.sz_decimals);
      if (!px) return refuse(px.error().to_string());
      changed.limit_px = *px;
    }
  }
  auto action = modify_action(ModifyRequest{*t.oid, changed});
  if (!action) return refuse(action.error().to_string());
  auto response = send(*action);
  if (!response) return refuse(response.error().message());
  if (!response->statuses.empty() && response->statuses[0].kind == ActionStatus::Kind::Error) {
    return refuse(response->statuses[0].error);
  }
  if (!response->statuses.empty() && response->statuses[0].oid) t.oid = response->statuses[0].oid;
  t.request = changed;
  t.quantity = changed.size;
  model::OrderUpdated e;
  static_cast<model::OrderEventBase&>(e) = stamp(ids);
  e.venue_order_id = core::VenueOrderId(std::to_string(*t.oid));
  e.quantity = model::Quantity(changed.size);
  e.price = model::Price(changed.limit_px);
  if (const auto* trig = std::get_if<TriggerOrderType>(&changed.type)) e.trigger_price = model::Price(trig->trigger_px);
  sink_->on_order_event(e);
}

core::Result<std::vector<runtime::OrderStatusReport>> HyperliquidExecutionClient::query_open_orders(
    const std::optional<core::InstrumentId>& instrument_id) {
  std::lock_guard io(io_mutex_);
  auto open = rest_->open_orders(config_.account_address);
  if (!open) return open.error();
  std::vector<runtime::OrderStatusReport> out;
  for (const OpenOrder& o : *open) {
    runtime::OrderStatusReport r = o.to_report(config_.account_id, venue());
    if (instrument_id && r.instrument_id != *instrument_id) continue;
    // An order this client placed reports our client order id instead of the cloid.
    if (o.cloid) {
      if (auto it = client_ids_.find(o.cloid->to_wire()); it != client_ids_.end()) r.client_order_id = it->second;
    }
    out.push_back(std::move(r));
  }
  return out;
}

core::Result<std::vector<runtime::PositionStatusReport>> HyperliquidExecutionClient::query_positions() {
  std::lock_guard io(io_mutex_);
  auto state = rest_->clearinghouse_state(config_.account_address);
  if (!state) return state.error();
  return state->position_reports(config_.account_id, venue());
}

core::Result<std::vector<model::Fill>> HyperliquidExecutionClient::query_fills_since(core::UnixNanos since) {
  std::lock_guard io(io_mutex_);
  WireValue req = user_request("userFillsByTime", config_.account_address);
  req.set("startTime", WireValue::unsigned_integer(to_ms(since)));
  auto body = rest_->info(req);
  if (!body) return body.error();
  auto fills = parse_user_fills(*body);
  if (!fills) return fills.error().with_context("userFillsByTime");
  std::sort(fills->begin(), fills->end(), [](const UserFill& a, const UserFill& b) { return a.time < b.time; });
  std::vector<model::Fill> out;
  const core::UnixNanos now = clock_->now();
  for (const UserFill& f : *fills) {
    if (f.time < since) continue;
    model::Fill fill = f.to_fill(config_.account_id, venue(), now);
    if (f.cloid) {
      if (auto it = client_ids_.find(f.cloid->to_wire()); it != client_ids_.end()) fill.client_order_id = it->second;
    }
    out.push_back(std::move(fill));
  }
  return out;
}

}  // namespace ballast::adapters::hyperliquid
