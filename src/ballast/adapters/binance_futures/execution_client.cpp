#include "ballast/adapters/binance_futures/execution_client.hpp"

#include <algorithm>
#include <type_traits>

#include <fmt/format.h>

#include "ballast/core/log.hpp"
#include "ballast/net/reconnecting_websocket.hpp"

namespace ballast::adapters::binance {
namespace {

core::Error not_expressible(std::string message, std::string where) {
  return core::Error(core::ErrorCode::Unsupported, std::move(message), std::move(where));
}

std::chrono::steady_clock::duration steady(core::Duration d) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
}

}  // namespace

BinanceExecutionClient::BinanceExecutionClient(BinanceExecutionConfig config, BinanceRestClient& rest,
                                               runtime::ExecutionEventSink& sink, const core::Clock& clock)
    : config_(std::move(config)), rest_(&rest), sink_(&sink), clock_(&clock) {}

BinanceExecutionClient::~BinanceExecutionClient() {
  disconnect();
}

core::Result<NewOrderRequest> BinanceExecutionClient::to_request(const model::Order& order,
                                                                 const core::VenueId& venue) {
  if (order.instrument_id().venue_name() != venue.value()) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("instrument {} is not on venue {}", order.instrument_id().value(), venue.value()),
                       "order.instrument_id");
  }
  NewOrderRequest r;
  r.symbol = std::string(order.instrument_id().symbol());
  r.side = order.side();
  r.quantity = order.quantity();
  r.reduce_only = order.is_reduce_only();
  r.client_order_id = order.client_order_id().value();
  switch (order.type()) {
    case model::OrderType::Market: r.type = VenueOrderType::Market; break;
    case model::OrderType::Limit: r.type = VenueOrderType::Limit; break;
    case model::OrderType::StopMarket: r.type = VenueOrderType::StopMarket; break;
    case model::OrderType::StopLimit: r.type = VenueOrderType::Stop; break;
    case model::OrderType::TakeProfit:
      r.type = order.price() ? VenueOrderType::TakeProfit : VenueOrderType::TakeProfitMarket;
      break;
  }
  if (r.type == VenueOrderType::Limit || r.type == VenueOrderType::Stop || r.type == VenueOrderType::TakeProfit) {
    r.price = order.price();
    switch (order.time_in_force()) {
      case model::TimeInForce::Gtc: r.time_in_force = VenueTimeInForce::Gtc; break;
      case model::TimeInForce::Ioc: r.time_in_force = VenueTimeInForce::Ioc; break;
      case model::TimeInForce::Fok: r.time_in_force = VenueTimeInForce::Fok; break;
      case model::TimeInForce::Gtd:
        return not_expressible("GTD orders are not supported by the Binance adapter yet", "order.time_in_force");
    }
    if (order.is_post_only()) {
      if (r.type != VenueOrderType::Limit) return not_expressible("post-only needs a LIMIT order", "order.post_only");
      r.time_in_force = VenueTimeInForce::Gtx;
    }
  }
  if (is_conditional(r.type)) r.stop_price = order.trigger_price();
  return r;
}

core::Status BinanceExecutionClient::connect() {
  if (is_connected()) return core::ok();
  if (auto synced = rest_->sync_time(); !synced) return synced.error().to_error();
  auto info = rest_->exchange_info();
  if (!info) return info.error().to_error();
  info_ = std::move(*info);
  if (auto account = rest_->account_balances(); !account) return account.error().to_error();
  {
    std::lock_guard lock(mutex_);
    stop_ = false;
    tasks_.clear();
    poll_requested_ = false;
  }
  const auto now = std::chrono::steady_clock::now();
  next_poll_ = now + steady(config_.poll_interval);
  next_keepalive_ = now + steady(config_.user_stream.keepalive_interval);
  stream_up_ = false;
  stream_was_down_ = false;
  if (config_.user_stream.enabled) {
    // Opened before the I/O thread starts: the stream's callbacks only queue tasks until then.
    if (auto opened = open_user_stream(); !opened) return opened.error();
  }
  {
    std::lock_guard lock(mutex_);
    connected_ = true;
  }
  worker_ = std::thread([this] { run(); });
  return core::ok();
}

core::Status BinanceExecutionClient::open_user_stream() {
  auto key = rest_->create_listen_key();
  if (!key) return key.error().to_error();
  {
    std::lock_guard lock(key_mutex_);
    listen_key_ = *key;
  }
  ++keys_created_;
  const BinanceUserStreamConfig& c = config_.user_stream;
  net::ReconnectingWebSocketOptions options;
  options.url = stream_url();
  options.http.timeout = c.connect_timeout;
  options.http.verify_tls = c.verify_tls;
  options.backoff.initial_backoff = c.initial_backoff;
  options.backoff.max_backoff = c.max_backoff;
  options.idle_timeout = c.idle_timeout;
  net::ReconnectingWebSocketHandlers handlers;
  handlers.url_provider = [this] { return stream_url(); };
  handlers.on_connected = [this](std::uint64_t) {
    enqueue([this] { on_stream_up(); });
    return std::vector<std::string>{};  // a user stream takes no subscriptions
  };
  handlers.on_message = [this](std::string_view message) {
    // Parsed on the stream's thread; applied on the I/O thread, in arrival order.
    auto event = parse_user_data_event(message);
    if (!event) {
      core::logger().warn("binance user stream: dropped a message: {}", event.error().to_string());
      return;
    }
    enqueue([this, e = std::move(*event)]() mutable { on_stream_message(std::move(e)); });
  };
  handlers.on_disconnected = [this](const core::Error& reason) { enqueue([this, reason] { on_stream_down(reason); }); };
  stream_ = std::make_unique<net::ReconnectingWebSocket>(std::move(options), std::move(handlers));
  auto started = stream_->start(c.connect_timeout);
  if (!started) {
    stream_.reset();
    std::lock_guard lock(mutex_);
    tasks_.clear();
    return core::Error(started.error().code(),
                       fmt::format("Binance user-data stream {}/<listenKey> did not connect: {}", c.url,
                                   started.error().message()),
                       "user_stream.url");
  }
  return core::ok();
}

std::string BinanceExecutionClient::stream_url() const {
  std::lock_guard lock(key_mutex_);
  return fmt::format("{}/{}", config_.user_stream.url, listen_key_);
}

void BinanceExecutionClient::disconnect() {
  {
    std::lock_guard lock(mutex_);
    if (!connected_) return;
    stop_ = true;
    connected_ = false;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();  // no sink call after this
  if (stream_) {
    stream_->stop();
    stream_.reset();
    (void)rest_->close_listen_key();
  }
  stream_up_ = false;
  std::lock_guard lock(mutex_);
  tasks_.clear();
}

bool BinanceExecutionClient::is_connected() const {
  std::lock_guard lock(mutex_);
  return connected_;
}

core::Status BinanceExecutionClient::require_connected() const {
  if (!is_connected()) {
    return core::Error(core::ErrorCode::InvalidState,
                       fmt::format("Binance execution client for {} is not connected", config_.account_id.value()));
  }
  return core::ok();
}

void BinanceExecutionClient::enqueue(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_all();
}

void BinanceExecutionClient::request_poll() {
  {
    std::lock_guard lock(mutex_);
    poll_requested_ = true;
  }
  wake_.notify_all();
}

std::size_t BinanceExecutionClient::tracked_orders() const {
  std::lock_guard lock(tracked_mutex_);
  return tracked_.size();
}

void BinanceExecutionClient::set_account_listener(AccountStreamListener listener) {
  std::lock_guard lock(tracked_mutex_);
  listener_ = std::move(listener);
}

void BinanceExecutionClient::run() {
  enum class Due { Nothing, Poll, PollAlgo, KeepAlive };
  for (;;) {
    std::function<void()> task;
    Due due = Due::Nothing;
    {
      std::unique_lock lock(mutex_);
      const bool streaming = stream_ != nullptr;
      const auto deadline = streaming ? std::min(next_poll_, next_keepalive_) : next_poll_;
      wake_.wait_until(lock, deadline, [this] { return stop_ || !tasks_.empty() || poll_requested_; });
      if (stop_) return;
      const auto now = std::chrono::steady_clock::now();
      if (!tasks_.empty()) {
        task = std::move(tasks_.front());
        tasks_.pop_front();
      } else if (poll_requested_) {
        poll_requested_ = false;
        due = Due::Poll;
      } else if (streaming && now >= next_keepalive_) {
        due = Due::KeepAlive;
      } else if (now >= next_poll_) {
        // While the stream is up it reports regular orders; conditional ones are still polled.
        due = stream_up_ ? Due::PollAlgo : Due::Poll;
        next_poll_ = now + steady(config_.poll_interval);
      }
    }
    switch (due) {
      case Due::Nothing:
        if (task) task();
        break;
      case Due::Poll: poll(); break;
      case Due::PollAlgo: poll(true); break;
      case Due::KeepAlive: keep_alive(); break;
    }
  }
}

void BinanceExecutionClient::keep_alive() {
  next_keepalive_ = std::chrono::steady_clock::now() + steady(config_.user_stream.keepalive_interval);
  auto kept = rest_->keepalive_listen_key();
  if (kept) return;
  if (kept.error().has_code(kCodeListenKeyDoesNotExist)) {
    renew_listen_key("the keep-alive was answered -1125 (listen key does not exist)");
  } else {
    core::logger().warn("binance user stream: keep-alive failed: {}", kept.error().message());
  }
}

// A new key, then a new connection to it (the url_provider reads the key).
void BinanceExecutionClient::renew_listen_key(const char* why) {
  auto key = rest_->create_listen_key();
  if (!key) {
    core::logger().warn("binance user stream: {}; creating a new listen key failed: {}", why, key.error().message());
    // Try again soon: the next keep-alive answers -1125 again and lands here.
    const auto soon = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    next_keepalive_ = std::min(next_keepalive_, soon);
    return;
  }
  {
    std::lock_guard lock(key_mutex_);
    listen_key_ = *key;
  }
  ++keys_created_;
  core::logger().info("binance user stream: {}; reconnecting with a new listen key", why);
  next_keepalive_ = std::chrono::steady_clock::now() + steady(config_.user_stream.keepalive_interval);
  if (stream_) stream_->reconnect();
}

void BinanceExecutionClient::on_stream_up() {
  stream_up_ = true;
  stream_was_down_ = false;
  // Whatever changed while the stream was down (or before it first connected) is read once by REST.
  poll();
}

void BinanceExecutionClient::on_stream_down(const core::Error& reason) {
  stream_up_ = false;
  next_poll_ = std::min(next_poll_, std::chrono::steady_clock::now() + steady(config_.poll_interval));
  if (!stream_was_down_) {
    stream_was_down_ = true;
    sink_->on_disconnected(venue(), reason);
  }
  // A stream refused for an unknown key never comes back on its own: ask Binance whether the key lives.
  auto kept = rest_->keepalive_listen_key();
  if (!kept && kept.error().has_code(kCodeListenKeyDoesNotExist)) {
    renew_listen_key("the stream dropped and its listen key no longer exists");
  }
}

void BinanceExecutionClient::on_stream_message(UserDataEvent event) {
  std::visit(
      [this](auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, OrderTradeUpdate>) {
          std::lock_guard lock(tracked_mutex_);
          apply_stream_update(e);
        } else if constexpr (std::is_same_v<E, AccountUpdate>) {
          if (listener_.on_account_update) listener_.on_account_update(e);
        } else if constexpr (std::is_same_v<E, AlgoUpdate>) {
          std::lock_guard lock(tracked_mutex_);
          apply_algo_update(e);
        } else if constexpr (std::is_same_v<E, MarginCall>) {
          if (listener_.on_margin_call) listener_.on_margin_call(e);
        } else if constexpr (std::is_same_v<E, ListenKeyExpired>) {
          renew_listen_key("Binance sent listenKeyExpired");
        }
      },
      event);
}

void BinanceExecutionClient::finish(std::map<std::string, Tracked>::iterator it) { tracked_.erase(it); }

void BinanceExecutionClient::remember_order_id(std::int64_t order_id, const core::ClientOrderId& client_order_id) {
  const core::UnixNanos now = clock_->now();
  client_ids_[order_id] = client_order_id;
  remembered_.emplace_back(now, order_id);
  // Forget the ids of orders finished longer than the retention ago; an order still tracked (a GTC order
  // resting for days) keeps its id and is looked at again one retention later.
  const core::UnixNanos horizon = now - kOrderIdRetention;
  while (!remembered_.empty() && remembered_.front().first < horizon) {
    const std::int64_t id = remembered_.front().second;
    remembered_.pop_front();
    const auto named = client_ids_.find(id);
    if (named == client_ids_.end()) continue;
    if (tracked_.contains(named->second.value())) {
      remembered_.emplace_back(now, id);
      continue;
    }
    client_ids_.erase(named);
    triggered_.erase(id);
  }
}

void BinanceExecutionClient::apply_stream_update(const OrderTradeUpdate& u) {
  auto it = tracked_.find(u.client_order_id);
  if (it == tracked_.end() || it->second.is_algo) {
    // Not a regular order of ours: the matching-engine order of a triggered conditional order reports only
    // its fills here (its end comes as ALGO_UPDATE FINISHED); anything else is finished or placed elsewhere.
    const auto trigger = triggered_.find(u.order_id);
    if (trigger == triggered_.end()) {
      // An order this client placed and saw end was reported in full already (late updates are dropped);
      // any other is not followed by this client.
      if (!client_ids_.contains(u.order_id)) report_untracked(u);
      return;
    }
    it = tracked_.find(trigger->second);
    if (it != tracked_.end()) report_stream_trade(it->second, u);
    return;
  }
  Tracked& t = it->second;
  if (!t.venue_order_id) {  // the placement's answer was lost; the stream tells its outcome first
    t.unknown = false;
    t.venue_order_id = core::VenueOrderId(std::to_string(u.order_id));
    t.venue_numeric_id = u.order_id;
    remember_order_id(u.order_id, t.ids.client_order_id);
    model::OrderAccepted accepted;
    static_cast<model::OrderEventBase&>(accepted) = stamp(t.ids, u.transaction_time);
    accepted.venue_order_id = *t.venue_order_id;
    sink_->on_order_event(accepted);
  }
  report_stream_trade(t, u);
  const std::string& x = u.execution_type;
  // A trade the stream did not deliver (or one that failed above) is read from userTrades.
  if (u.cum_filled_qty > t.reported_filled) emit_fills(t);
  const std::string& status = u.order_status;
  if (x == "AMENDMENT" && (u.orig_qty != t.quantity || u.price != t.price)) {
    t.quantity = u.orig_qty;
    t.price = u.price;
    model::OrderUpdated e;
    static_cast<model::OrderEventBase&>(e) = stamp(t.ids, u.transaction_time);
    e.venue_order_id = t.venue_order_id;
    e.quantity = u.orig_qty;
    e.price = u.price;
    sink_->on_order_event(e);
  }
  if (status == "CANCELED") {
    model::OrderCanceled e;
    static_cast<model::OrderEventBase&>(e) = stamp(t.ids, u.transaction_time);
    e.venue_order_id = t.venue_order_id;
    sink_->on_order_event(e);
    finish(it);
  } else if (status == "EXPIRED" || status == "EXPIRED_IN_MATCH") {
    model::OrderExpired e;
    static_cast<model::OrderEventBase&>(e) = stamp(t.ids, u.transaction_time);
    e.venue_order_id = t.venue_order_id;
    sink_->on_order_event(e);
    finish(it);
  } else if (status == "FILLED" && t.reported_filled >= t.quantity) {
    finish(it);
  }
}

// An order this client does not follow: placed in an earlier session or outside Ballast (reconciliation
// adopts such orders), or the exchange's own liquidation/ADL order. Its fills and its end go to the sink
// under the venue's ids; the kernel routes them to the adopted order by venue order id, or applies a fill
// to the book once by trade id. Placement and amendment are left to reconciliation.
void BinanceExecutionClient::report_untracked(const OrderTradeUpdate& u) {
  model::OrderEventBase ids;
  ids.client_order_id = core::ClientOrderId(u.client_order_id);
  ids.account_id = config_.account_id;
  ids.instrument_id = core::InstrumentId(u.symbol, venue());
  const core::VenueOrderId venue_order(std::to_string(u.order_id));
  const std::string& x = u.execution_type;
  if (x == "TRADE" || x == "CALCULATED") {
    // The order a conditional order of ours placed when it triggered, if its ALGO_UPDATE was missed: polling
    // reports that fill under the conditional order; reporting it here too would count it twice.
    for (const auto& [id, t] : tracked_) {
      if (t.is_algo && t.matching_order_id == 0 && t.symbol == u.symbol) return;
    }
    auto fill = u.to_fill(config_.account_id, venue(), clock_->now());
    if (!fill || !*fill) {
      core::logger().warn("binance user stream: trade {} of outside order {} not reported: {}", u.trade_id,
                          u.order_id, fill ? std::string("no fill") : fill.error().to_string());
      return;
    }
    model::OrderFilled e;
    static_cast<model::OrderEventBase&>(e) = stamp(ids, u.trade_time);
    e.fill = **fill;
    sink_->on_order_event(e);
    return;
  }
  if (u.order_status == "CANCELED") {
    model::OrderCanceled e;
    static_cast<model::OrderEventBase&>(e) = stamp(ids, u.transaction_time);
    e.venue_order_id = venue_order;
    sink_->on_order_event(e);
  } else if (u.order_status == "EXPIRED" || u.order_status == "EXPIRED_IN_MATCH") {
    model::OrderExpired e;
    static_cast<model::OrderEventBase&>(e) = stamp(ids, u.transaction_time);
    e.venue_order_id = venue_order;
    sink_->on_order_event(e);
  }
}

void BinanceExecutionClient::report_stream_trade(Tracked& t, const OrderTradeUpdate& u) {
  const std::string& x = u.execution_type;
  if ((x != "TRADE" && x != "CALCULATED") || t.trade_ids.count(u.trade_id) != 0) return;
  auto fill = u.to_fill(config_.account_id, venue(), clock_->now());
  if (!fill || !*fill) {
    core::logger().warn("binance user stream: trade {} of {} not reported: {}", u.trade_id, u.client_order_id,
                        fill ? std::string("no fill") : fill.error().to_string());
    return;
  }
  model::Fill& f = **fill;
  f.instrument_id = t.ids.instrument_id;
  f.client_order_id = t.ids.client_order_id;
  t.trade_ids.insert(u.trade_id);
  t.reported_filled += u.last_filled_qty;
  model::OrderFilled e;
  static_cast<model::OrderEventBase&>(e) = stamp(t.ids, u.trade_time);
  e.fill = f;
  sink_->on_order_event(e);
}

void BinanceExecutionClient::follow_trigger(Tracked& t, std::int64_t matching_order_id) {
  if (t.matching_order_id != 0 || matching_order_id <= 0) return;
  t.matching_order_id = matching_order_id;
  triggered_[matching_order_id] = t.ids.client_order_id.value();
  remember_order_id(matching_order_id, t.ids.client_order_id);  // its fills in userTrades and reconciliation
}

// ALGO_UPDATE: the conditional order's own lifecycle, applied through the same rules as a polled algo order.
void BinanceExecutionClient::apply_algo_update(const AlgoUpdate& u) {
  const auto it = tracked_.find(u.client_algo_id);
  if (it == tracked_.end() || !it->second.is_algo) return;  // finished, or placed elsewhere
  VenueOrder order;
  order.is_algo = true;
  order.order_id = u.algo_id;
  order.client_order_id = u.client_algo_id;
  order.symbol = u.symbol;
  order.side = u.side;
  order.status = u.status;
  order.orig_qty = u.quantity;
  order.executed_qty = u.executed_qty.value_or(model::Quantity(core::Decimal::from_raw(0, u.quantity.precision())));
  order.actual_order_id = u.actual_order_id;
  order.update_time = u.transaction_time;
  if (!apply_status(it->second, order)) finish(it);
}

model::OrderEventBase BinanceExecutionClient::stamp(const model::OrderEventBase& ids, core::UnixNanos ts_event) const {
  model::OrderEventBase base = ids;
  base.ts_init = clock_->now();
  base.ts_event = ts_event.value != 0 ? ts_event : base.ts_init;
  return base;
}

core::Status BinanceExecutionClient::submit_order(const model::SubmitOrder& command) {
  BALLAST_TRY(require_connected());
  const model::Order& order = command.order;
  auto request = to_request(order, venue());
  if (!request) return request.error();
  if (info_) {
    const SymbolInfo* symbol = info_->find(request->symbol);
    if (symbol == nullptr) {
      return core::Error(core::ErrorCode::NotFound,
                         fmt::format("symbol {} is not listed in exchangeInfo", request->symbol),
                         "order.instrument_id");
    }
    if (!symbol->order_types.empty() &&
        std::find(symbol->order_types.begin(), symbol->order_types.end(), request->type) == symbol->order_types.end()) {
      return not_expressible(fmt::format("{} does not accept {} orders", request->symbol, to_string(request->type)),
                             "order.type");
    }
  }
  model::OrderEventBase ids;
  ids.client_order_id = order.client_order_id();
  ids.strategy_id = order.strategy_id();
  ids.account_id = config_.account_id;
  ids.instrument_id = order.instrument_id();
  enqueue([this, req = std::move(*request), ids]() mutable { do_submit(std::move(req), ids); });
  return core::ok();
}

void BinanceExecutionClient::do_submit(NewOrderRequest request, model::OrderEventBase ids) {
  std::lock_guard lock(tracked_mutex_);
  Tracked t;
  t.ids = ids;
  t.symbol = request.symbol;
  t.side = request.side;
  t.is_algo = is_conditional(request.type);
  t.quantity = request.quantity;
  t.price = request.price;
  t.reported_filled = model::Quantity(core::Decimal::from_raw(0, request.quantity.precision()));
  t.ts_submitted = clock_->now();
  auto placed = rest_->place_order(request);
  if (placed) {
    if (apply_status(t, *placed)) tracked_[ids.client_order_id.value()] = std::move(t);
    return;
  }
  const ApiError& error = placed.error();
  const bool outcome_unknown =
      error.kind == ApiErrorKind::UnknownOutcome || error.has_code(kCodeDuplicateClientOrderId);
  if (!outcome_unknown) {
    model::OrderRejected rejected;
    static_cast<model::OrderEventBase&>(rejected) = stamp(ids, {});
    rejected.reason = error.message();
    sink_->on_order_event(rejected);
    return;
  }
  t.unknown = true;
  auto found = t.is_algo ? rest_->query_algo_order(request.client_order_id)
                         : rest_->query_order(request.symbol, request.client_order_id);
  on_lookup(t, found, error.message());
  if (t.unknown) {
    tracked_[ids.client_order_id.value()] = std::move(t);  // each poll looks it up again
  } else if (found && apply_status(t, *found)) {
    tracked_[ids.client_order_id.value()] = std::move(t);
  }
}

// Resolves an order whose placement outcome was unknown. Leaves t.unknown set when the lookup failed.
void BinanceExecutionClient::on_lookup(Tracked& t, const ApiResult<VenueOrder>& found, const std::string& why) {
  if (found) {
    t.unknown = false;
    return;  // apply_status() reports the acceptance and what happened since
  }
  if (found.error().has_code(kCodeOrderDoesNotExist)) {
    t.unknown = false;
    model::OrderRejected rejected;
    static_cast<model::OrderEventBase&>(rejected) = stamp(t.ids, {});
    rejected.reason = fmt::format("the order never reached Binance ({}); lookup by client order id: {}", why,
                                  found.error().message());
    sink_->on_order_event(rejected);
  }
}

bool BinanceExecutionClient::apply_status(Tracked& t, const VenueOrder& order) {
  if (!t.venue_order_id) {
    t.venue_order_id = core::VenueOrderId((order.is_algo ? "algo-" : "") + std::to_string(order.order_id));
    t.venue_numeric_id = order.order_id;
    if (!order.is_algo) remember_order_id(order.order_id, t.ids.client_order_id);
    model::OrderAccepted accepted;
    static_cast<model::OrderEventBase&>(accepted) = stamp(t.ids, order.update_time);
    accepted.venue_order_id = *t.venue_order_id;
    sink_->on_order_event(accepted);
  }
  if (order.is_algo && order.actual_order_id) follow_trigger(t, *order.actual_order_id);
  // (A polled algo order carries no executed quantity; ALGO_UPDATE does, as "aq".)
  if (order.executed_qty > t.reported_filled) emit_fills(t);
  auto status = order.model_status();
  if (!status) return true;  // an unknown status: keep following the order
  switch (*status) {
    case model::OrderStatus::Canceled: {
      model::OrderCanceled e;
      static_cast<model::OrderEventBase&>(e) = stamp(t.ids, order.update_time);
      e.venue_order_id = t.venue_order_id;
      sink_->on_order_event(e);
      return false;
    }
    case model::OrderStatus::Expired: {
      model::OrderExpired e;
      static_cast<model::OrderEventBase&>(e) = stamp(t.ids, order.update_time);
      e.venue_order_id = t.venue_order_id;
      sink_->on_order_event(e);
      return false;
    }
    case model::OrderStatus::Rejected: {
      model::OrderRejected e;
      static_cast<model::OrderEventBase&>(e) = stamp(t.ids, order.update_time);
      e.reason = "rejected by Binance (status REJECTED)";
      sink_->on_order_event(e);
      return false;
    }
    case model::OrderStatus::Filled: {
      if (!order.is_algo) return t.reported_filled < t.quantity;
      // FINISHED: the triggered order ended in the matching engine. Its fills are reported above; if
      // userTrades could not be read, follow the order until it can. What did not fill was canceled there.
      if (t.matching_order_id != 0 && t.reported_filled < t.quantity && !emit_fills(t)) return true;
      if (t.reported_filled < t.quantity) {
        model::OrderCanceled e;
        static_cast<model::OrderEventBase&>(e) = stamp(t.ids, order.update_time);
        e.venue_order_id = t.venue_order_id;
        sink_->on_order_event(e);
      }
      return false;
    }
    default: return true;
  }
}

bool BinanceExecutionClient::emit_fills(Tracked& t) {
  // A conditional order trades through the matching-engine order it placed when triggered.
  const std::int64_t order_id = t.is_algo ? t.matching_order_id : t.venue_numeric_id;
  if (order_id == 0) return true;
  auto trades = rest_->user_trades(t.symbol, std::nullopt, t.ts_submitted - std::chrono::minutes(1));
  if (!trades) return false;  // the next poll tries again
  for (const VenueTrade& trade : *trades) {
    if (trade.order_id != order_id || t.trade_ids.count(trade.id) != 0) continue;
    auto fill = trade.to_fill(config_.account_id, venue(), t.ids.client_order_id, clock_->now());
    if (!fill) continue;
    fill->instrument_id = t.ids.instrument_id;
    t.trade_ids.insert(trade.id);
    t.reported_filled += trade.qty;
    model::OrderFilled e;
    static_cast<model::OrderEventBase&>(e) = stamp(t.ids, trade.time);
    e.fill = *fill;
    sink_->on_order_event(e);
  }
  return true;
}

core::Status BinanceExecutionClient::cancel_order(const model::CancelOrder& command) {
  BALLAST_TRY(require_connected());
  enqueue([this, command] { do_cancel(command); });
  return core::ok();
}

void BinanceExecutionClient::do_cancel(model::CancelOrder command) {
  std::lock_guard lock(tracked_mutex_);
  model::OrderEventBase ids;
  ids.client_order_id = command.client_order_id;
  ids.strategy_id = command.strategy_id;
  ids.account_id = config_.account_id;
  ids.instrument_id = command.instrument_id;
  const auto it = tracked_.find(command.client_order_id.value());
  const bool is_algo = it != tracked_.end() && it->second.is_algo;
  const std::string symbol(command.instrument_id.symbol());
  auto canceled = is_algo ? rest_->cancel_algo_order(command.client_order_id.value())
                          : rest_->cancel_order(symbol, command.client_order_id.value());
  if (!canceled) {
    model::OrderCancelRejected e;
    static_cast<model::OrderEventBase&>(e) = stamp(ids, {});
    e.reason = canceled.error().message();
    sink_->on_order_event(e);
    return;
  }
  if (it != tracked_.end()) {
    if (!apply_status(it->second, *canceled)) finish(it);
    return;
  }
  model::OrderCanceled e;
  static_cast<model::OrderEventBase&>(e) = stamp(ids, canceled->update_time);
  e.venue_order_id = core::VenueOrderId(std::to_string(canceled->order_id));
  sink_->on_order_event(e);
  remember_order_id(canceled->order_id, command.client_order_id);  // its CANCELED on the stream is not news
}

core::Status BinanceExecutionClient::cancel_all_orders(const model::CancelAllOrders& command) {
  BALLAST_TRY(require_connected());
  enqueue([this, command] { do_cancel_all(command); });
  return core::ok();
}

void BinanceExecutionClient::do_cancel_all(model::CancelAllOrders command) {
  std::set<std::string> symbols;
  std::vector<model::CancelOrder> singles;
  {
    std::lock_guard lock(tracked_mutex_);
    for (const auto& [id, t] : tracked_) {
      if (command.instrument_id && t.ids.instrument_id != *command.instrument_id) continue;
      if (command.side && t.side != *command.side) continue;
      model::CancelOrder one;
      one.client_order_id = t.ids.client_order_id;
      one.strategy_id = t.ids.strategy_id;
      one.account_id = t.ids.account_id;
      one.instrument_id = t.ids.instrument_id;
      one.ts_init = command.ts_init;
      singles.push_back(std::move(one));
    }
    if (command.instrument_id) {
      symbols.insert(std::string(command.instrument_id->symbol()));
    } else {
      for (const auto& [id, t] : tracked_) symbols.insert(t.symbol);
      for (const auto& s : config_.symbols) symbols.insert(s);
    }
  }
  if (command.side) {
    // Binance cancels every order of a symbol at once; one side only means one DELETE per order.
    for (const auto& one : singles) do_cancel(one);
    return;
  }
  for (const auto& symbol : symbols) (void)rest_->cancel_all_orders(symbol);
  poll();
}

core::Status BinanceExecutionClient::modify_order(const model::ModifyOrder& command) {
  BALLAST_TRY(require_connected());
  if (command.trigger_price) {
    return not_expressible("Binance modifies only LIMIT orders (no trigger price)", "modify.trigger_price");
  }
  enqueue([this, command] { do_modify(command); });
  return core::ok();
}

void BinanceExecutionClient::do_modify(model::ModifyOrder command) {
  std::lock_guard lock(tracked_mutex_);
  model::OrderEventBase ids;
  ids.client_order_id = command.client_order_id;
  ids.strategy_id = command.strategy_id;
  ids.account_id = config_.account_id;
  ids.instrument_id = command.instrument_id;
  const auto it = tracked_.find(command.client_order_id.value());
  auto reject = [&](std::string reason) {
    model::OrderModifyRejected e;
    static_cast<model::OrderEventBase&>(e) = stamp(ids, {});
    e.reason = std::move(reason);
    sink_->on_order_event(e);
  };
  if (it == tracked_.end() || it->second.is_algo || !it->second.price) {
    reject("only working LIMIT orders placed by this client can be modified on Binance");
    return;
  }
  Tracked& t = it->second;
  const model::Quantity quantity = command.quantity.value_or(t.quantity);
  const model::Price price = command.price.value_or(*t.price);
  auto modified = rest_->modify_order(t.symbol, command.client_order_id.value(), t.side, quantity, price);
  if (!modified) {
    reject(modified.error().message());
    return;
  }
  t.quantity = modified->orig_qty;
  t.price = modified->price;
  model::OrderUpdated e;
  static_cast<model::OrderEventBase&>(e) = stamp(ids, modified->update_time);
  e.venue_order_id = t.venue_order_id;
  e.quantity = modified->orig_qty;
  e.price = modified->price;
  sink_->on_order_event(e);
  if (!apply_status(t, *modified)) finish(it);
}

void BinanceExecutionClient::poll(bool algo_only) {
  std::lock_guard lock(tracked_mutex_);
  for (auto it = tracked_.begin(); it != tracked_.end();) {
    Tracked& t = it->second;
    if (algo_only && !t.is_algo) {
      ++it;
      continue;
    }
    auto found = t.is_algo ? rest_->query_algo_order(t.ids.client_order_id.value())
                           : rest_->query_order(t.symbol, t.ids.client_order_id.value());
    if (t.unknown) {
      on_lookup(t, found, "the placement's answer was lost");
      if (!t.unknown && !found) {
        it = tracked_.erase(it);
        continue;
      }
    }
    if (!found) {
      ++it;
      continue;
    }
    if (apply_status(t, *found)) {
      ++it;
    } else {
      it = tracked_.erase(it);
    }
  }
}

core::Result<std::vector<runtime::OrderStatusReport>> BinanceExecutionClient::query_open_orders(
    const std::optional<core::InstrumentId>& instrument_id) {
  std::optional<std::string> symbol;
  if (instrument_id) symbol = std::string(instrument_id->symbol());
  auto regular = rest_->open_orders(symbol);
  if (!regular) return regular.error().to_error();
  auto algo = rest_->open_algo_orders(symbol);
  if (!algo) return algo.error().to_error();
  std::vector<runtime::OrderStatusReport> out;
  for (const auto* list : {&*regular, &*algo}) {
    for (const VenueOrder& o : *list) {
      auto report = o.to_report(config_.account_id, venue());
      if (!report) return report.error();
      out.push_back(std::move(*report));
    }
  }
  return out;
}

core::Result<std::vector<runtime::PositionStatusReport>> BinanceExecutionClient::query_positions() {
  auto positions = rest_->position_risk();
  if (!positions) return positions.error().to_error();
  std::vector<runtime::PositionStatusReport> out;
  for (const PositionRisk& p : *positions) {
    if (p.position_amt.is_zero()) continue;
    out.push_back(p.to_report(config_.account_id, venue()));
  }
  return out;
}

core::Result<std::vector<model::Fill>> BinanceExecutionClient::query_fills_since(core::UnixNanos since) {
  std::set<std::string> symbols(config_.symbols.begin(), config_.symbols.end());
  std::map<std::int64_t, core::ClientOrderId> client_ids;
  {
    std::lock_guard lock(tracked_mutex_);
    for (const auto& [id, t] : tracked_) symbols.insert(t.symbol);
    client_ids = client_ids_;
  }
  std::vector<model::Fill> out;
  for (const auto& symbol : symbols) {
    auto trades = rest_->user_trades(symbol, std::nullopt, since);
    if (!trades) return trades.error().to_error();
    for (const VenueTrade& trade : *trades) {
      // Binance times are whole milliseconds: a trade in the same millisecond as `since` is included
      // (reconciliation de-duplicates by trade id; dropping it could lose a fill).
      if (trade.time.millis() < since.millis()) continue;
      const auto id = client_ids.find(trade.order_id);
      auto fill = trade.to_fill(config_.account_id, venue(),
                                id == client_ids.end() ? core::ClientOrderId() : id->second, clock_->now());
      if (!fill) return fill.error();
      out.push_back(std::move(*fill));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const model::Fill& a, const model::Fill& b) { return a.ts_event < b.ts_event; });
  return out;
}

}  // namespace ballast::adapters::binance
