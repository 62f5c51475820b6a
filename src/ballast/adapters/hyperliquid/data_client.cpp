#include "ballast/adapters/hyperliquid/data_client.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ballast/core/log.hpp"

namespace ballast::adapters::hyperliquid {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::size_t kMaxBookDepth = 20;  // levels a side in an l2Book push
constexpr std::string_view kPerpSuffix = "-PERP";

std::uint64_t to_ms(core::UnixNanos t) {
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, t.millis()));
}

}  // namespace

core::Result<std::string> perp_coin(const core::InstrumentId& instrument_id, const core::VenueId& venue,
                                    std::string_view field) {
  if (instrument_id.venue_name() != venue.value()) {
    return Error(ErrorCode::NotFound,
                 fmt::format("instrument {} is not on venue {}", instrument_id.value(), venue.value()),
                 std::string(field));
  }
  const std::string_view symbol = instrument_id.symbol();
  if (symbol.size() <= kPerpSuffix.size() || !symbol.ends_with(kPerpSuffix)) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("instrument {} is not a Hyperliquid perpetual (<COIN>-PERP)", instrument_id.value()),
                 std::string(field));
  }
  return std::string(symbol.substr(0, symbol.size() - kPerpSuffix.size()));
}

HyperliquidDataClient::HyperliquidDataClient(HyperliquidDataConfig config, HyperliquidRestClient* rest,
                                             runtime::MarketDataSink& sink, const core::Clock& clock)
    : config_(std::move(config)), rest_(rest), sink_(&sink), clock_(&clock) {}

HyperliquidDataClient::~HyperliquidDataClient() {
  disconnect();
}

core::Status HyperliquidDataClient::connect() {
  if (is_connected()) return core::ok();
  net::ReconnectingWebSocketOptions options;
  options.url = config_.ws_url;
  options.http = config_.http;
  options.backoff = config_.backoff;
  options.idle_timeout = config_.idle_timeout;
  options.heartbeat_interval = config_.heartbeat_interval;
  options.heartbeat_message = std::string(kWsPingMessage);
  net::ReconnectingWebSocketHandlers handlers;
  handlers.on_connected = [this](std::uint64_t n) { return on_connected(n); };
  handlers.on_message = [this](std::string_view text) { on_message(text); };
  handlers.on_disconnected = [this](const core::Error& reason) { on_disconnected(reason); };
  auto ws = std::make_unique<net::ReconnectingWebSocket>(std::move(options), std::move(handlers));
  if (auto s = ws->start(config_.connect_timeout); !s) {
    return s.error().with_context(fmt::format("Hyperliquid WebSocket {}", config_.ws_url));
  }
  std::lock_guard lock(mutex_);
  ws_ = std::move(ws);
  return core::ok();
}

void HyperliquidDataClient::disconnect() {
  std::unique_ptr<net::ReconnectingWebSocket> ws;
  {
    std::lock_guard lock(mutex_);
    ws = std::move(ws_);
  }
  if (ws) ws->stop();  // joins the stream's thread: no sink call after this
  up_.store(false);
}

bool HyperliquidDataClient::is_connected() const {
  std::lock_guard lock(mutex_);
  return ws_ != nullptr && ws_->connected();
}

std::uint64_t HyperliquidDataClient::connections() const {
  std::lock_guard lock(mutex_);
  return ws_ != nullptr ? ws_->connections() : 0;
}

std::vector<std::string> HyperliquidDataClient::subscriptions() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [key, sub] : subscriptions_) out.push_back(key);
  return out;
}

core::Status HyperliquidDataClient::require_connected() const {
  std::lock_guard lock(mutex_);
  if (ws_ == nullptr) {
    return Error(ErrorCode::InvalidState, fmt::format("Hyperliquid data client for {} is not connected", config_.venue.value()));
  }
  return core::ok();
}

core::Status HyperliquidDataClient::add(std::string key, Subscription sub, const std::string& coin,
                                        const core::InstrumentId& id) {
  if (auto s = require_connected(); !s) return s;
  std::lock_guard lock(mutex_);
  instruments_[coin] = id;
  if (subscriptions_.count(key) != 0) return core::ok();  // idempotent
  const std::string text = sub.subscribe;
  subscriptions_.emplace(std::move(key), std::move(sub));
  // Not connected right now (between connections): on_connected sends every subscription anyway; a text
  // refused in the instant between on_connected and the connection going live is retried from on_message.
  if (ws_ != nullptr && ws_->connected() && !ws_->send(text)) unsent_.push_back(text);
  return core::ok();
}

core::Status HyperliquidDataClient::remove(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = subscriptions_.find(key);
  if (it == subscriptions_.end()) return core::ok();
  const std::string text = it->second.unsubscribe;
  subscriptions_.erase(it);
  if (ws_ != nullptr && ws_->connected()) ws_->send(text);
  return core::ok();
}

core::Status HyperliquidDataClient::subscribe_quotes(const core::InstrumentId& instrument_id) {
  auto coin = perp_coin(instrument_id, config_.venue);
  if (!coin) return coin.error();
  return add("bbo:" + *coin, {ws_subscribe_message("bbo", "coin", *coin), ws_subscribe_message("bbo", "coin", *coin, "unsubscribe")},
             *coin, instrument_id);
}

core::Status HyperliquidDataClient::unsubscribe_quotes(const core::InstrumentId& instrument_id) {
  auto coin = perp_coin(instrument_id, config_.venue);
  if (!coin) return coin.error();
  return remove("bbo:" + *coin);
}

core::Status HyperliquidDataClient::subscribe_trades(const core::InstrumentId& instrument_id) {
  auto coin = perp_coin(instrument_id, config_.venue);
  if (!coin) return coin.error();
  return add("trades:" + *coin,
             {ws_subscribe_message("trades", "coin", *coin), ws_subscribe_message("trades", "coin", *coin, "unsubscribe")},
             *coin, instrument_id);
}

core::Status HyperliquidDataClient::unsubscribe_trades(const core::InstrumentId& instrument_id) {
  auto coin = perp_coin(instrument_id, config_.venue);
  if (!coin) return coin.error();
  return remove("trades:" + *coin);
}

core::Status HyperliquidDataClient::subscribe_bars(const core::InstrumentId& instrument_id, core::Duration interval) {
  auto coin = perp_coin(instrument_id, config_.venue);
  if (!coin) return coin.error();
  auto name = ws_interval_name(interval);
  if (!name) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("Hyperliquid has no {} s candles (1m 3m 5m 15m 30m 1h 2h 4h 8h 12h 1d 3d 1w)",
                             std::chrono::duration_cast<std::chrono::seconds>(interval).count()),
                 "interval");
  }
  return add(fmt::format("candle:{}:{}", *coin, *name),
             {ws_candle_subscribe_message(*coin, *name), ws_candle_subscribe_message(*coin, *name, "unsubscribe")},
             *coin, instrument_id);
}

core::Status HyperliquidDataClient::unsubscribe_bars(const core::InstrumentId& instrument_id, core::Duration interval) {
  auto coin = perp_coin(instrument_id, config_.venue);
  if (!coin) return coin.error();
  auto name = ws_interval_name(interval);
  if (!name) return core::ok();  // never subscribed
  return remove(fmt::format("candle:{}:{}", *coin, *name));
}

core::Status HyperliquidDataClient::subscribe_book(const core::InstrumentId& instrument_id, std::size_t depth) {
  auto coin = perp_coin(instrument_id, config_.venue);
  if (!coin) return coin.error();
  if (depth > kMaxBookDepth) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("Hyperliquid's l2Book carries at most {} levels a side, asked for {}", kMaxBookDepth, depth),
                 "depth");
  }
  {
    std::lock_guard lock(mutex_);
    book_depth_[*coin] = depth;
  }
  return add("l2Book:" + *coin,
             {ws_subscribe_message("l2Book", "coin", *coin), ws_subscribe_message("l2Book", "coin", *coin, "unsubscribe")},
             *coin, instrument_id);
}

core::Status HyperliquidDataClient::unsubscribe_book(const core::InstrumentId& instrument_id) {
  auto coin = perp_coin(instrument_id, config_.venue);
  if (!coin) return coin.error();
  return remove("l2Book:" + *coin);
}

core::Status HyperliquidDataClient::request_book_snapshot(const core::InstrumentId& instrument_id) {
  auto coin = perp_coin(instrument_id, config_.venue);
  if (!coin) return coin.error();
  std::lock_guard lock(mutex_);
  if (subscriptions_.count("l2Book:" + *coin) == 0) {
    return Error(ErrorCode::InvalidState, fmt::format("no book subscription for {}", instrument_id.value()),
                 "instrument_id");
  }
  return core::ok();  // every l2Book push is a full snapshot: the next one is the fresh book
}

std::vector<std::string> HyperliquidDataClient::on_connected(std::uint64_t connection_number) {
  std::vector<std::string> out;
  {
    std::lock_guard lock(mutex_);
    unsent_.clear();
    for (const auto& [key, sub] : subscriptions_) out.push_back(sub.subscribe);
  }
  up_.store(true);
  if (connection_number > 1) {
    core::logger().info("Hyperliquid WebSocket reconnected (connection {}), {} subscriptions resent",
                        connection_number, out.size());
  }
  return out;
}

void HyperliquidDataClient::on_disconnected(const core::Error& reason) {
  open_candles_.clear();  // their remaining updates may be lost
  if (up_.exchange(false)) sink_->on_disconnected(config_.venue, reason);
}

void HyperliquidDataClient::deliver_candle(const WsCandle& candle) {
  const std::string key = candle.coin + ":" + candle.interval;
  auto it = open_candles_.find(key);
  if (it == open_candles_.end()) {
    open_candles_.emplace(key, candle);
    return;
  }
  if (candle.open_time < it->second.open_time) return;  // an older candle re-sent: nothing new
  if (candle.open_time > it->second.open_time) {
    // The next candle started: the one held is complete.
    const auto interval = ws_interval_duration(it->second.interval);
    core::InstrumentId id;
    {
      std::lock_guard lock(mutex_);
      const auto inst = instruments_.find(candle.coin);
      if (inst != instruments_.end()) id = inst->second;
    }
    if (interval && !id.empty()) sink_->on_bar(id, *interval, it->second.to_bar());
  }
  it->second = candle;
}

void HyperliquidDataClient::on_message(std::string_view text) {
  {
    std::vector<std::string> retry;
    {
      std::lock_guard lock(mutex_);
      retry.swap(unsent_);
      if (!retry.empty() && ws_ != nullptr) {
        for (auto& t : retry) ws_->send(std::move(t));
      }
    }
  }
  const core::UnixNanos now = clock_->now();
  if (auto s = parse_ws_message(text, now, message_); !s) {
    core::logger().warn("Hyperliquid WebSocket: unreadable message ({}): {:.200}", s.error().to_string(), text);
    return;
  }
  auto instrument = [&](const std::string& coin) -> std::optional<core::InstrumentId> {
    std::lock_guard lock(mutex_);
    const auto it = instruments_.find(coin);
    if (it == instruments_.end()) return std::nullopt;
    return it->second;
  };
  switch (message_.channel) {
    case WsChannel::L2Book: {
      std::size_t depth = 0;
      std::optional<core::InstrumentId> id;
      {
        std::lock_guard lock(mutex_);
        if (subscriptions_.count("l2Book:" + message_.book.coin) == 0) return;  // unsubscribed meanwhile
        const auto d = book_depth_.find(message_.book.coin);
        if (d != book_depth_.end()) depth = d->second;
        const auto it = instruments_.find(message_.book.coin);
        if (it != instruments_.end()) id = it->second;
      }
      if (!id) return;
      model::BookSnapshot& snap = message_.book.snapshot;
      if (depth > 0) {
        if (snap.bids.size() > depth) snap.bids.resize(depth);
        if (snap.asks.size() > depth) snap.asks.resize(depth);
      }
      sink_->on_book_snapshot(*id, snap);
      return;
    }
    case WsChannel::Trades:
      for (const WsTrade& t : message_.trades) {
        if (auto id = instrument(t.coin)) sink_->on_trade(t.to_trade_tick(*id, now));
      }
      return;
    case WsChannel::Bbo: {
      const WsBbo& b = message_.bbo;
      if (!b.bid || !b.ask) return;  // a side is empty: no quote to give
      auto id = instrument(b.coin);
      if (!id) return;
      model::QuoteTick q;
      q.instrument_id = *id;
      q.bid_price = b.bid->price;
      q.bid_size = b.bid->size;
      q.ask_price = b.ask->price;
      q.ask_size = b.ask->size;
      q.ts_event = b.time;
      q.ts_recv = now;
      sink_->on_quote(q);
      return;
    }
    case WsChannel::Candle:
      for (const WsCandle& c : message_.candles) deliver_candle(c);
      return;
    case WsChannel::Error:
      core::logger().warn("Hyperliquid WebSocket error: {}", message_.text);
      return;
    default: return;  // pong, subscription answers, user channels, others
  }
}

core::Result<model::BarSeries> HyperliquidDataClient::request_bars(const core::InstrumentId& instrument_id,
                                                                   core::Duration interval, core::UnixNanos start,
                                                                   core::UnixNanos end) {
  auto coin = perp_coin(instrument_id, config_.venue);
  if (!coin) return coin.error();
  auto name = ws_interval_name(interval);
  if (!name) {
    return Error(ErrorCode::Unsupported, "Hyperliquid has no candles of this interval", "interval");
  }
  if (rest_ == nullptr) {
    return Error(ErrorCode::InvalidState, "request_bars needs a REST client (none was given)");
  }
  model::BarSeries series;
  series.instrument_id = instrument_id;
  series.interval = interval;
  if (end <= start) return series;
  const core::UnixNanos now = clock_->now();
  std::uint64_t cursor = to_ms(start);
  const std::uint64_t end_ms = to_ms(end);
  const auto step_ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(interval).count());
  std::lock_guard lock(rest_mutex_);
  while (cursor < end_ms) {
    auto page = rest_->candle_snapshot(*coin, *name, cursor, end_ms);
    if (!page) return page.error().with_context(fmt::format("candleSnapshot {} {} from {}", *coin, *name, cursor));
    if (page->empty()) break;
    std::sort(page->begin(), page->end(), [](const model::Bar& a, const model::Bar& b) { return a.ts_event < b.ts_event; });
    for (const model::Bar& bar : *page) {
      if (bar.ts_event < start || bar.ts_event >= end || bar.ts_recv > now) continue;
      if (!series.bars.empty() && bar.ts_event <= series.bars.back().ts_event) continue;
      series.bars.push_back(bar);
    }
    const std::uint64_t next = to_ms(page->back().ts_event) + step_ms;
    // A short page is the last one; so is a page that does not move forward.
    if (next <= cursor || page->size() < config_.candle_page) break;
    cursor = next;
  }
  return series;
}

}  // namespace ballast::adapters::hyperliquid
