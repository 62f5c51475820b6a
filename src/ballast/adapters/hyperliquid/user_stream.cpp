#include "ballast/adapters/hyperliquid/user_stream.hpp"

#include <fmt/format.h>

#include "ballast/adapters/hyperliquid/execution_client.hpp"
#include "ballast/core/log.hpp"

namespace ballast::adapters::hyperliquid {

HyperliquidUserStream::HyperliquidUserStream(HyperliquidUserStreamConfig config, const Address& user,
                                             HyperliquidUserStreamHandlers handlers)
    : config_(std::move(config)), user_(to_hex(user)), handlers_(std::move(handlers)) {}

HyperliquidUserStream::~HyperliquidUserStream() {
  stop();
}

std::vector<std::string> HyperliquidUserStream::subscriptions() const {
  return {ws_subscribe_message("orderUpdates", "user", user_), ws_subscribe_message("userFills", "user", user_)};
}

core::Status HyperliquidUserStream::start() {
  if (ws_) return core::ok();
  net::ReconnectingWebSocketOptions options;
  options.url = config_.ws_url;
  options.http = config_.http;
  options.backoff = config_.backoff;
  options.idle_timeout = config_.idle_timeout;
  options.heartbeat_interval = config_.heartbeat_interval;
  options.heartbeat_message = std::string(kWsPingMessage);
  net::ReconnectingWebSocketHandlers handlers;
  handlers.on_connected = [this](std::uint64_t n) {
    up_.store(true);
    if (handlers_.on_up) handlers_.on_up(n);
    return subscriptions();
  };
  handlers.on_message = [this](std::string_view text) { on_message(text); };
  handlers.on_disconnected = [this](const core::Error& reason) {
    if (up_.exchange(false) && handlers_.on_down) handlers_.on_down(reason);
  };
  ws_ = std::make_unique<net::ReconnectingWebSocket>(std::move(options), std::move(handlers));
  if (auto s = ws_->start(config_.connect_timeout); !s) {
    ws_.reset();
    return s.error().with_context(fmt::format("Hyperliquid user stream {}", config_.ws_url));
  }
  return core::ok();
}

void HyperliquidUserStream::stop() {
  if (ws_) ws_->stop();
  ws_.reset();
  up_.store(false);
}

std::uint64_t HyperliquidUserStream::connections() const {
  return ws_ ? ws_->connections() : 0;
}

void HyperliquidUserStream::on_message(std::string_view text) {
  if (auto s = parse_ws_message(text, core::UnixNanos{}, message_); !s) {
    core::logger().warn("Hyperliquid user stream: unreadable message ({}): {:.200}", s.error().to_string(), text);
    return;
  }
  switch (message_.channel) {
    case WsChannel::OrderUpdates:
      if (handlers_.on_orders) handlers_.on_orders(message_.orders);
      return;
    case WsChannel::UserFills:
      if (handlers_.on_fills) handlers_.on_fills(message_.user_fills);
      return;
    case WsChannel::Error: core::logger().warn("Hyperliquid user stream error: {}", message_.text); return;
    default: return;
  }
}

// ---- HyperliquidExecutionClient: the stream's side (see execution_client.hpp) ----

std::uint64_t HyperliquidExecutionClient::stream_connections() const {
  return stream_ ? stream_->connections() : 0;
}

core::Status HyperliquidExecutionClient::start_stream() {
  HyperliquidUserStreamHandlers handlers;
  handlers.on_up = [this](std::uint64_t n) {
    stream_up_.store(true);
    // After a reconnect: what happened while the stream was down comes from a poll right away.
    if (n > 1) request_poll();
  };
  handlers.on_down = [this](const core::Error& reason) {
    stream_up_.store(false);
    enqueue([this, reason] { sink_->on_disconnected(venue(), reason.with_context("Hyperliquid user stream")); });
  };
  handlers.on_orders = [this](std::vector<WsOrderUpdate> orders) {
    enqueue([this, orders = std::move(orders)] { on_stream_orders(orders); });
  };
  handlers.on_fills = [this](WsUserFills fills) {
    enqueue([this, fills = std::move(fills)] { on_stream_fills(fills); });
  };
  // The same user polling reads (account_address).
  stream_ = std::make_unique<HyperliquidUserStream>(*config_.user_stream, config_.account_address, std::move(handlers));
  if (auto s = stream_->start(); !s) {
    stream_.reset();
    return s;
  }
  return core::ok();
}

void HyperliquidExecutionClient::on_stream_fills(const WsUserFills& fills) {
  // The isSnapshot history goes through the same tid de-duplication: fills already reported, and fills
  // of orders this client does not follow, are only marked seen.
  apply_fills(fills.fills);
  settle_finished();
}

void HyperliquidExecutionClient::on_stream_orders(const std::vector<WsOrderUpdate>& orders) {
  for (const WsOrderUpdate& u : orders) {
    auto it = tracked_.end();
    if (u.order.cloid) it = tracked_.find(u.order.cloid->to_wire());
    if (it == tracked_.end()) {
      for (auto t = tracked_.begin(); t != tracked_.end(); ++t) {
        if (t->second.oid && *t->second.oid == u.order.oid) it = t;
      }
    }
    if (it == tracked_.end()) continue;  // not ours, or already finished (e.g. our own cancel)
    Tracked& t = it->second;
    auto base = [&](auto event) {
      static_cast<model::OrderEventBase&>(event) = stamp(t.ids);
      event.ts_event = u.status_time;
      return event;
    };
    const core::VenueOrderId venue_id(std::to_string(u.order.oid));
    if (t.unknown) {
      if (u.is_rejected()) {
        model::OrderRejected e = base(model::OrderRejected{});
        e.reason = fmt::format("the exchange reports the order as {}", u.status);
        sink_->on_order_event(e);
        tracked_.erase(it);
        continue;
      }
      t.unknown = false;
      t.oid = u.order.oid;
      model::OrderAccepted e = base(model::OrderAccepted{});
      e.venue_order_id = venue_id;
      sink_->on_order_event(e);
    }
    if (u.is_open()) continue;
    if (u.is_filled()) {
      if (t.filled < t.quantity) poll_fills();  // the userFills push may still be on its way
      settle_finished();
      continue;
    }
    // A terminal status (canceled, marginCanceled, scheduledCancel, …, or rejected after working): the fills
    // before it first, then its end.
    const std::string key = it->first;
    poll_fills();
    settle_finished();
    auto again = tracked_.find(key);
    if (again == tracked_.end()) continue;
    if (again->second.is_ioc) {
      finish_ioc(again->second, u.status_time);
    } else {
      model::OrderCanceled e = base(model::OrderCanceled{});
      e.venue_order_id = venue_id;
      sink_->on_order_event(e);
    }
    tracked_.erase(again);
  }
}

}  // namespace ballast::adapters::hyperliquid
