#include "ballast/adapters/hyperliquid/ws_messages.hpp"

#include <array>
#include <chrono>

#include <fmt/format.h>

#include "ballast/adapters/hyperliquid/internal/ws_json.hpp"

namespace ballast::adapters::hyperliquid {
namespace {

using namespace internal;  // NOLINT: the reader's vocabulary, private to this adapter

// The hot path of a book level: no Result values, just true or false. A false makes the caller re-read the
// levels with the general parser, which reports the precise error.
bool fast_level(Scanner& s, model::BookLevel& out) {
  if (!s.eat('{')) return false;
  bool has_px = false;
  bool has_sz = false;
  for (;;) {
    std::string_view key;
    if (!s.string(key) || !s.eat(':')) return false;
    const bool is_px = key.size() == 2 && key[0] == 'p' && key[1] == 'x';
    if (is_px || (key.size() == 2 && key[0] == 's' && key[1] == 'z')) {
      std::string_view v;
      Decimal d;
      if (!s.string(v) || !fast_decimal(v, d)) return false;
      if (is_px) {
        out.price = model::Price(d);
        has_px = true;
      } else {
        if (d.is_negative()) return false;
        out.size = model::Quantity(d);
        has_sz = true;
      }
    } else if (!s.skip_value()) {
      return false;
    }
    if (s.eat(',')) continue;
    return s.eat('}') && has_px && has_sz;
  }
}

// [[bids…], [asks…]]
bool fast_levels(Scanner& s, model::BookSnapshot& snap) {
  if (!s.eat('[')) return false;
  for (int side = 0; side < 2; ++side) {
    if (side == 1 && !s.eat(',')) return false;
    auto& levels = side == 0 ? snap.bids : snap.asks;
    if (!s.eat('[')) return false;
    if (s.eat(']')) continue;
    for (;;) {
      model::BookLevel level;
      if (!fast_level(s, level)) return false;
      levels.push_back(level);
      if (s.eat(',')) continue;
      if (!s.eat(']')) return false;
      break;
    }
  }
  return s.eat(']');
}

// {px, sz, n}
core::Status parse_level(Scanner& s, Path& path, model::BookLevel& out) {
  bool has_px = false;
  bool has_sz = false;
  auto st = members(s, path, [&](std::string_view key) -> core::Status {
    if (key == "px") {
      auto d = read_decimal(s, path);
      if (!d) return d.error();
      out.price = model::Price(*d);
      has_px = true;
      return core::ok();
    }
    if (key == "sz") {
      auto d = read_decimal(s, path);
      if (!d) return d.error();
      if (d->is_negative()) return fail(path, "size must not be negative");
      out.size = model::Quantity(*d);
      has_sz = true;
      return core::ok();
    }
    if (key == "n") {
      auto n = read_uint(s, path);
      return n ? core::ok() : core::Status(n.error());
    }
    return skip(s, path);
  });
  if (!st) return st;
  if (!has_px) return missing(path, "px");
  if (!has_sz) return missing(path, "sz");
  return core::ok();
}

core::Status parse_book(Scanner& s, Path& path, core::UnixNanos ts_recv, WsBook& book) {
  book.snapshot.bids.clear();
  book.snapshot.asks.clear();
  bool has_coin = false;
  bool has_time = false;
  std::size_t sides = 0;
  std::uint64_t time_ms = 0;
  auto st = members(s, path, [&](std::string_view key) -> core::Status {
    if (key == "coin") {
      auto c = read_string(s, path);
      if (!c) return c.error();
      book.coin.assign(*c);
      has_coin = true;
      return core::ok();
    }
    if (key == "time") {
      auto t = read_millis(s, path);
      if (!t) return t.error();
      time_ms = static_cast<std::uint64_t>(t->millis());
      book.snapshot.ts_event = *t;
      has_time = true;
      return core::ok();
    }
    if (key == "levels") {
      const Scanner start = s;
      if (fast_levels(s, book.snapshot)) {
        sides = 2;
        return core::ok();
      }
      // Something unusual or wrong: read again with the general parser for the error's path.
      s = start;
      book.snapshot.bids.clear();
      book.snapshot.asks.clear();
      return elements(s, path, [&](std::size_t side) -> core::Status {
        if (side > 1) return fail(path, "expected [bids, asks]");
        sides = side + 1;
        auto& levels = side == 0 ? book.snapshot.bids : book.snapshot.asks;
        return elements(s, path, [&](std::size_t) -> core::Status {
          model::BookLevel level;
          if (auto l = parse_level(s, path, level); !l) return l;
          levels.push_back(level);
          return core::ok();
        });
      });
    }
    return skip(s, path);
  });
  if (!st) return st;
  if (!has_coin) return missing(path, "coin");
  if (!has_time) return missing(path, "time");
  if (sides != 2) {
    path.key("levels");
    return fail(path, "expected [bids, asks]");
  }
  book.snapshot.update_id = time_ms;
  book.snapshot.ts_recv = ts_recv;
  return core::ok();
}

core::Status parse_trade(Scanner& s, Path& path, WsTrade& t) {
  unsigned seen = 0;  // bits: coin, side, px, sz, time, tid
  auto st = members(s, path, [&](std::string_view key) -> core::Status {
    if (key == "coin") {
      auto c = read_string(s, path);
      if (!c) return c.error();
      t.coin.assign(*c);
      seen |= 1U;
    } else if (key == "side") {
      auto b = read_side(s, path);
      if (!b) return b.error();
      t.buyer_aggressor = *b;
      seen |= 2U;
    } else if (key == "px") {
      auto d = read_decimal(s, path);
      if (!d) return d.error();
      t.px = *d;
      seen |= 4U;
    } else if (key == "sz") {
      auto d = read_decimal(s, path);
      if (!d) return d.error();
      if (!d->is_positive()) return fail(path, "trade size must be positive");
      t.sz = *d;
      seen |= 8U;
    } else if (key == "time") {
      auto ms = read_millis(s, path);
      if (!ms) return ms.error();
      t.time = *ms;
      seen |= 16U;
    } else if (key == "tid") {
      auto id = read_uint(s, path);
      if (!id) return id.error();
      t.tid = *id;
      seen |= 32U;
    } else {
      return skip(s, path);
    }
    return core::ok();
  });
  if (!st) return st;
  static constexpr std::array<std::string_view, 6> kNames{"coin", "side", "px", "sz", "time", "tid"};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if ((seen & (1U << i)) == 0) return missing(path, kNames[i]);
  }
  return core::ok();
}

core::Status parse_candle(Scanner& s, Path& path, WsCandle& c) {
  unsigned seen = 0;
  auto st = members(s, path, [&](std::string_view key) -> core::Status {
    if (key == "t" || key == "T") {
      auto ms = read_millis(s, path);
      if (!ms) return ms.error();
      (key == "t" ? c.open_time : c.close_time) = *ms;
      seen |= key == "t" ? 1U : 2U;
    } else if (key == "s" || key == "i") {
      auto v = read_string(s, path);
      if (!v) return v.error();
      (key == "s" ? c.coin : c.interval).assign(*v);
      seen |= key == "s" ? 4U : 8U;
    } else if (key == "o" || key == "h" || key == "l" || key == "c" || key == "v") {
      auto d = read_decimal(s, path, true);
      if (!d) return d.error();
      switch (key[0]) {
        case 'o': c.open = *d; seen |= 16U; break;
        case 'h': c.high = *d; seen |= 32U; break;
        case 'l': c.low = *d; seen |= 64U; break;
        case 'c': c.close = *d; seen |= 128U; break;
        default:
          if (d->is_negative()) return fail(path, "volume must not be negative");
          c.volume = *d;
          seen |= 256U;
          break;
      }
    } else if (key == "n") {
      auto n = read_uint(s, path);
      if (!n) return n.error();
      c.trades = *n;
    } else {
      return skip(s, path);
    }
    return core::ok();
  });
  if (!st) return st;
  static constexpr std::array<std::string_view, 9> kNames{"t", "T", "s", "i", "o", "h", "l", "c", "v"};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if ((seen & (1U << i)) == 0) return missing(path, kNames[i]);
  }
  if (c.close_time < c.open_time) {
    path.key("T");
    return fail(path, "close time T is before open time t");
  }
  return core::ok();
}

core::Status parse_bbo(Scanner& s, Path& path, WsBbo& b) {
  bool has_coin = false;
  bool has_time = false;
  bool has_bbo = false;
  b.bid.reset();
  b.ask.reset();
  auto st = members(s, path, [&](std::string_view key) -> core::Status {
    if (key == "coin") {
      auto c = read_string(s, path);
      if (!c) return c.error();
      b.coin.assign(*c);
      has_coin = true;
      return core::ok();
    }
    if (key == "time") {
      auto t = read_millis(s, path);
      if (!t) return t.error();
      b.time = *t;
      has_time = true;
      return core::ok();
    }
    if (key == "bbo") {
      has_bbo = true;
      return elements(s, path, [&](std::size_t i) -> core::Status {
        if (i > 1) return fail(path, "expected [bid, ask]");
        if (s.literal("null")) return core::ok();
        model::BookLevel level;
        if (auto l = parse_level(s, path, level); !l) return l;
        (i == 0 ? b.bid : b.ask) = level;
        return core::ok();
      });
    }
    return skip(s, path);
  });
  if (!st) return st;
  if (!has_coin) return missing(path, "coin");
  if (!has_time) return missing(path, "time");
  if (!has_bbo) return missing(path, "bbo");
  return core::ok();
}

WsChannel classify(std::string_view name) {
  if (name == "l2Book") return WsChannel::L2Book;
  if (name == "trades") return WsChannel::Trades;
  if (name == "bbo") return WsChannel::Bbo;
  if (name == "candle") return WsChannel::Candle;
  if (name == "orderUpdates") return WsChannel::OrderUpdates;
  if (name == "userFills") return WsChannel::UserFills;
  if (name == "user") return WsChannel::UserEvents;
  if (name == "pong") return WsChannel::Pong;
  if (name == "subscriptionResponse") return WsChannel::SubscriptionResponse;
  if (name == "error") return WsChannel::Error;
  return WsChannel::Other;
}

core::Status parse_data(Scanner& s, Path& path, core::UnixNanos ts_recv, WsMessage& out) {
  switch (out.channel) {
    case WsChannel::L2Book: return parse_book(s, path, ts_recv, out.book);
    case WsChannel::Trades: {
      std::size_t n = 0;
      auto st = elements(s, path, [&](std::size_t) -> core::Status {
        if (n == out.trades.size()) out.trades.emplace_back();
        return parse_trade(s, path, out.trades[n++]);
      });
      out.trades.resize(n);
      return st;
    }
    case WsChannel::Candle: {
      std::size_t n = 0;
      auto one = [&](std::size_t) -> core::Status {
        if (n == out.candles.size()) out.candles.emplace_back();
        return parse_candle(s, path, out.candles[n++]);
      };
      auto st = s.peek('[') ? elements(s, path, one) : one(0);
      out.candles.resize(n);
      return st;
    }
    case WsChannel::Bbo: return parse_bbo(s, path, out.bbo);
    case WsChannel::OrderUpdates: {
      std::size_t n = 0;
      auto st = elements(s, path, [&](std::size_t) -> core::Status {
        if (n == out.orders.size()) out.orders.emplace_back();
        return parse_order_update(s, path, out.orders[n++]);
      });
      out.orders.resize(n);
      return st;
    }
    case WsChannel::UserFills: return parse_user_fills_data(s, path, out.user_fills);
    case WsChannel::UserEvents: return parse_user_event(s, path, out.user_event);
    case WsChannel::Error: {
      if (s.peek('"')) {
        std::string_view v;
        s.string(v);
        out.text.assign(v);
        return core::ok();
      }
      const char* start = s.pos();
      if (auto st = skip(s, path); !st) return st;
      out.text.assign(start, static_cast<std::size_t>(s.pos() - start));
      return core::ok();
    }
    case WsChannel::SubscriptionResponse:
      return members(s, path, [&](std::string_view key) -> core::Status {
        if (key != "subscription") return skip(s, path);
        const char* start = s.pos();
        s.skip_ws();
        start = s.pos();
        if (auto st = skip(s, path); !st) return st;
        out.text.assign(start, static_cast<std::size_t>(s.pos() - start));
        return core::ok();
      });
    case WsChannel::Pong:
    case WsChannel::Other: return skip(s, path);
  }
  return skip(s, path);
}

}  // namespace

model::TradeTick WsTrade::to_trade_tick(const core::InstrumentId& instrument_id, core::UnixNanos ts_recv) const {
  model::TradeTick t;
  t.instrument_id = instrument_id;
  t.price = model::Price(px);
  t.size = model::Quantity(sz);
  t.aggressor = buyer_aggressor ? model::AggressorSide::Buyer : model::AggressorSide::Seller;
  t.trade_id = core::TradeId(std::to_string(tid));
  t.ts_event = time;
  t.ts_recv = ts_recv;
  return t;
}

model::Bar WsCandle::to_bar() const {
  model::Bar b;
  b.ts_event = open_time;
  b.ts_recv = close_time + std::chrono::milliseconds(1);
  b.open = model::Price(open);
  b.high = model::Price(high);
  b.low = model::Price(low);
  b.close = model::Price(close);
  b.volume = model::Quantity(volume);
  return b;
}

core::Status parse_ws_message(std::string_view text, core::UnixNanos ts_recv, WsMessage& out) {
  Scanner s(text);
  Path path;
  out.channel = WsChannel::Other;
  out.channel_name.clear();
  out.text.clear();
  bool has_channel = false;
  bool has_data = false;
  std::string_view deferred;  // "data" seen before "channel"
  auto st = members(s, path, [&](std::string_view key) -> core::Status {
    if (key == "channel") {
      auto c = read_string(s, path);
      if (!c) return c.error();
      out.channel_name.assign(*c);
      out.channel = classify(*c);
      has_channel = true;
      return core::ok();
    }
    if (key == "data") {
      has_data = true;
      if (has_channel) return parse_data(s, path, ts_recv, out);
      s.skip_ws();
      const char* start = s.pos();
      if (auto sk = skip(s, path); !sk) return sk;
      deferred = std::string_view(start, static_cast<std::size_t>(s.pos() - start));
      return core::ok();
    }
    return skip(s, path);
  });
  if (!st) return st;
  if (!s.at_end()) return fail(path, "unexpected text after the JSON object");
  if (!has_channel) return missing(path, "channel");
  if (!deferred.empty()) {
    Scanner inner(deferred);
    path.key("data");
    return parse_data(inner, path, ts_recv, out);
  }
  const bool needs_data = out.channel != WsChannel::Pong && out.channel != WsChannel::Other &&
                          out.channel != WsChannel::SubscriptionResponse;
  if (needs_data && !has_data) return missing(path, "data");
  return core::ok();
}

std::string ws_subscribe_message(std::string_view type, std::string_view key_name, std::string_view key,
                                 std::string_view method) {
  if (key_name.empty()) return fmt::format(R"({{"method":"{}","subscription":{{"type":"{}"}}}})", method, type);
  return fmt::format(R"({{"method":"{}","subscription":{{"type":"{}","{}":"{}"}}}})", method, type, key_name, key);
}

std::string ws_candle_subscribe_message(std::string_view coin, std::string_view interval, std::string_view method) {
  return fmt::format(R"({{"method":"{}","subscription":{{"type":"candle","coin":"{}","interval":"{}"}}}})", method,
                     coin, interval);
}

namespace {
struct IntervalName {
  std::string_view name;
  std::int64_t minutes;
};
constexpr std::array<IntervalName, 13> kIntervals{{{"1m", 1},
                                                   {"3m", 3},
                                                   {"5m", 5},
                                                   {"15m", 15},
                                                   {"30m", 30},
                                                   {"1h", 60},
                                                   {"2h", 120},
                                                   {"4h", 240},
                                                   {"8h", 480},
                                                   {"12h", 720},
                                                   {"1d", 1440},
                                                   {"3d", 4320},
                                                   {"1w", 10080}}};
}  // namespace

std::optional<core::Duration> ws_interval_duration(std::string_view interval) {
  for (const auto& i : kIntervals) {
    if (i.name == interval) return std::chrono::minutes(i.minutes);
  }
  return std::nullopt;
}

std::optional<std::string> ws_interval_name(core::Duration interval) {
  for (const auto& i : kIntervals) {
    if (core::Duration(std::chrono::minutes(i.minutes)) == interval) return std::string(i.name);
  }
  return std::nullopt;
}

}  // namespace ballast::adapters::hyperliquid
