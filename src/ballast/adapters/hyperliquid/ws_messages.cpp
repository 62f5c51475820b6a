#include "ballast/adapters/hyperliquid/ws_messages.hpp"

#include <array>
#include <chrono>
#include <limits>

#include <fmt/format.h>

#include "ballast/adapters/hyperliquid/internal/ws_json.hpp"
#include "ballast/adapters/internal/ascii_swar.hpp"

namespace ballast::adapters::hyperliquid {
namespace {

using namespace internal;  // NOLINT: the reader's vocabulary, private to this adapter
namespace swar = ballast::adapters::internal;

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
      // The usual compact form never gets here (CompactBookReader); this reads every other valid form and
      // names the path of an error.
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

// The l2Book push exactly as Hyperliquid writes it — {"channel":"l2Book","data":{"coin":…,"time":…,
// "levels":[[…],[…]]}} with no whitespace inside, every level {"px":"…","sz":"…","n":…} — read byte by
// byte: no Result, no path bookkeeping, numbers decoded in the loop that finds their end. Any deviation
// (whitespace, another key, an escape, a sign, an exponent, more than 18 digits) makes it return false,
// and parse_ws_message reads the message again with the general parser, which accepts every valid form
// and reports an error with its JSON path. This is the bulk of the l2Book speed-up (issue 8).
class CompactBookReader {
 public:
  explicit CompactBookReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool read(core::UnixNanos ts_recv, WsBook& book) {
    if (!literal(R"({"channel":"l2Book","data":{)")) return false;
    model::BookSnapshot& snap = book.snapshot;
    snap.bids.clear();
    snap.asks.clear();
    unsigned seen = 0;  // bits: coin, time, levels
    std::uint64_t time_ms = 0;
    do {
      if (literal(R"("coin":")") && (seen & 1U) == 0) {
        std::string_view coin;
        if (!string_rest(coin)) return false;
        book.coin.assign(coin);
        seen |= 1U;
      } else if (literal(R"("time":)") && (seen & 2U) == 0) {
        if (!uint(time_ms) || time_ms > kMaxMillis) return false;
        seen |= 2U;
      } else if (literal(R"("levels":[)") && (seen & 4U) == 0) {
        if (!side(snap.bids) || !eat(',') || !side(snap.asks) || !eat(']')) return false;
        seen |= 4U;
      } else {
        return false;
      }
    } while (eat(','));
    if (seen != 7U || !eat('}') || !eat('}')) return false;
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    if (p_ != end_) return false;
    snap.update_id = time_ms;
    snap.ts_event = core::UnixNanos::from_millis(static_cast<std::int64_t>(time_ms));
    snap.ts_recv = ts_recv;
    return true;
  }

 private:
  static constexpr std::uint64_t kMaxMillis =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 1'000'000);

  // A fixed piece of the layout; its length is a constant, so the comparison compiles to a few word
  // compares rather than a call to memcmp.
  template <std::size_t N>
  bool literal(const char (&word)[N]) noexcept {
    constexpr std::size_t n = N - 1;
    if (static_cast<std::size_t>(end_ - p_) < n) return false;
    for (std::size_t i = 0; i < n; ++i) {
      if (p_[i] != word[i]) return false;
    }
    p_ += n;
    return true;
  }
  bool eat(char c) noexcept {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  // After the opening quote: up to the closing one; no escapes, no control characters.
  bool string_rest(std::string_view& out) noexcept {
    const char* start = p_;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\' || static_cast<unsigned char>(*p_) < 0x20) return false;
      ++p_;
    }
    if (p_ == end_) return false;
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }
  // A bare non-negative integer of at most 19 digits (so it cannot overflow 64 bits).
  bool uint(std::uint64_t& out) noexcept {
    std::uint64_t v = 0;
    int digits = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      if (++digits > 19) return false;
      v = v * 10 + static_cast<std::uint64_t>(*p_ - '0');
      ++p_;
    }
    out = v;
    return digits > 0;
  }
  // After the opening quote: digits[.digits] and the closing quote, decoded in the loop that finds their
  // end. At most 18 digits, so the raw value fits an int64 at any of Decimal's scales. Inlined, with the
  // value in two integers rather than a Decimal written through memory, so the level loop keeps it in
  // registers. (The levels' fast path, fast_level, converts eight bytes at a time instead.)
  [[gnu::always_inline]] bool decimal_rest(std::int64_t& raw, int& scale) noexcept {
    std::int64_t v = 0;
    int digits = 0;
    int places = -1;  // digits after the point; -1 before one
    for (; p_ < end_; ++p_) {
      const char c = *p_;
      if (c >= '0' && c <= '9') {
        if (++digits > 18) return false;
        v = v * 10 + (c - '0');
        if (places >= 0) ++places;
      } else if (c == '.' && places < 0 && digits > 0) {
        places = 0;
      } else {
        break;
      }
    }
    if (p_ == end_ || *p_ != '"' || digits == 0 || places == 0) return false;
    ++p_;
    raw = v;
    scale = places < 0 ? 0 : places;
    return true;
  }
  // [] or [{"px":"…","sz":"…","n":…},…] after its opening bracket has NOT been read. The position lives in a
  // local while the side is read (kept in a register, not written back through `this` byte by byte).
  bool side(std::vector<model::BookLevel>& levels) {
    const char* p = p_;
    if (end_ - p < 2 || *p != '[') return false;
    if (p[1] == ']') {
      p_ = p + 2;
      return true;
    }
    ++p;
    for (;;) {
      const char* next = end_ - p >= kFastLevelBytes ? fast_level(p, levels) : nullptr;
      if (next == nullptr) {
        p_ = p;
        if (!level(levels)) return false;
        next = p_;
      }
      p = next;
      if (p == end_) return false;
      if (*p == ']') {
        p_ = p + 1;
        return true;
      }
      if (*p != ',') return false;
      ++p;
    }
  }

  // One level {"px":"…","sz":"…","n":…} whose numbers have at most 7 digits on each side of the point (every
  // level of a real push): the fixed pieces compared a word at a time, the numbers decoded eight bytes at a
  // time (swar::swar_decimal). Needs kFastLevelBytes readable from p. The position after the closing
  // brace, or nullptr (nothing written) for anything else, which level() then reads.
  static constexpr std::ptrdiff_t kFastLevelBytes = 64;  // 7 + 16 + 8 + 16 + 5 + 8 + slack
  static const char* fast_level(const char* p, std::vector<model::BookLevel>& levels) noexcept {
    swar::SwarDecimal px;
    swar::SwarDecimal sz;
    if (!swar::starts_with_word(p, R"({"px":")")) return nullptr;
    p += 7;
    if (!swar::swar_decimal(p, '"', px) || !swar::starts_with_word(p, R"(,"sz":")")) return nullptr;
    p += 7;
    if (!swar::swar_decimal(p, '"', sz) || !swar::starts_with_word(p, R"(,"n":)")) return nullptr;
    p += 5;
    const char* const orders = p;
    if (swar::digit_run(swar::load8(p)) == 8) return nullptr;
    while (swar::is_digit(*p)) ++p;
    if (p == orders || *p != '}') return nullptr;
    levels.push_back(model::BookLevel{model::Price::from_raw(px.raw, px.places),
                                      model::Quantity::from_raw(sz.raw, sz.places)});
    return p + 1;
  }

  // One level, byte by byte (any number of digits up to 18; the last level of a push, too near the end of
  // the text for fast_level's word loads).
  bool level(std::vector<model::BookLevel>& levels) {
    std::int64_t px = 0;
    std::int64_t sz = 0;
    int px_scale = 0;
    int sz_scale = 0;
    std::uint64_t orders = 0;
    if (!literal(R"({"px":")") || !decimal_rest(px, px_scale) || !literal(R"(,"sz":")") ||
        !decimal_rest(sz, sz_scale) || !literal(R"(,"n":)") || !uint(orders) || !eat('}')) {
      return false;
    }
    levels.push_back(model::BookLevel{model::Price::from_raw(px, px_scale), model::Quantity::from_raw(sz, sz_scale)});
    return true;
  }

  const char* p_;
  const char* end_;
};

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
  if (CompactBookReader(text).read(ts_recv, out.book)) {
    out.channel = WsChannel::L2Book;
    out.channel_name.assign("l2Book");
    out.text.clear();
    return core::ok();
  }
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
