#pragma once
// Parsers for Hyperliquid's WebSocket (wss://api.hyperliquid.xyz/ws; docs "Websocket" → "Subscriptions",
// "Timeouts and heartbeats"). Every message is {"channel": name, "data": …}:
//   subscriptionResponse  data = {"method":"subscribe","subscription":{…}} (the request echoed)
//   pong                  answer to {"method":"ping"}
//   error                 data = the server's text (e.g. an invalid subscription)
//   l2Book   WsBook      {coin, time, levels: [[bids…], [asks…]]}, each level {px, sz, n}; a full snapshot
//                        of the top levels (up to 20 per side), pushed each block at least 0.5 s apart
//   trades   WsTrade[]   {coin, side, px, sz, hash, time, tid, users: [buyer, seller]}; side is the
//                        aggressor ("B" = a buyer took the ask, "A" = a seller hit the bid)
//   candle   Candle      {t, T, s, i, o, c, h, l, v, n}: the CURRENT (still open) candle, re-sent as it
//                        changes; the docs' type says Candle[], so a one-element array is accepted too
//   bbo      WsBbo       {coin, time, bbo: [bid level | null, ask level | null]}
//   orderUpdates WsOrder[] {order: {coin, side, limitPx, sz, oid, timestamp, origSz, cloid?}, status,
//                        statusTimestamp}; status open, filled, canceled, triggered, rejected, marginCanceled, …
//   userFills WsUserFills {isSnapshot?, user, fills: [WsFill…]}; the first message after subscribing has
//                        isSnapshot: true and carries HISTORY, not new fills
//   user     WsUserEvent  (subscription type "userEvents") one of {fills}, {funding}, {liquidation},
//                        {nonUserCancel}
// Prices and sizes are decimal strings read exactly (candle prices may also be bare JSON numbers); times
// are ms since the epoch. Errors are ParseError whose where() is the JSON path ("data.levels[1][3].px").
//
// Speed: l2Book and trades are the hot messages (issue 8: < 1 µs per message including the book update),
// so the parser is a single forward scan over the text without a DOM; parse_ws_message() reuses the
// vectors inside the WsMessage it fills, so a steady stream does not allocate. An l2Book push in the form
// the exchange writes (no whitespace, members in the documented order, each level {"px","sz","n"}) is read
// by a single-pass reader (fixed pieces compared a word at a time, each number's digits converted eight
// bytes at a time once a predicted byte loop has found its end); any other form,
// valid or not, is read again by the general parser, which gives the same snapshot or an error with its
// path. Strings with JSON escapes are taken verbatim (no field read here can legitimately contain one).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/adapters/hyperliquid/info_parser.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/order_book.hpp"

namespace ballast::adapters::hyperliquid {

enum class WsChannel {
  SubscriptionResponse,
  Pong,
  Error,
  L2Book,
  Trades,
  Candle,
  Bbo,
  OrderUpdates,
  UserFills,
  UserEvents,  // channel "user"
  Other,       // a channel this adapter does not read (allMids, webData2, …): ignored
};

struct WsBook {
  std::string coin;
  model::BookSnapshot snapshot;  // update_id = time (ms); ts_event = time; levels best first
};

struct WsTrade {
  std::string coin;
  core::Decimal px;
  core::Decimal sz;
  bool buyer_aggressor = true;  // side "B"
  std::uint64_t tid = 0;
  core::UnixNanos time;

  // instrument_id is the caller's (coin → instrument); ts_recv when the message arrived.
  model::TradeTick to_trade_tick(const core::InstrumentId& instrument_id, core::UnixNanos ts_recv) const;
};

struct WsCandle {
  std::string coin;      // "s"
  std::string interval;  // "i": "1m", "1h", …
  core::UnixNanos open_time;   // "t"
  core::UnixNanos close_time;  // "T": the last millisecond of the interval
  core::Decimal open, high, low, close, volume;
  std::uint64_t trades = 0;  // "n"

  // ts_event = open time, ts_recv = T + 1 ms (the interval's end), as parse_candle_snapshot does.
  model::Bar to_bar() const;
};

struct WsBbo {
  std::string coin;
  core::UnixNanos time;
  std::optional<model::BookLevel> bid;  // null when that side is empty
  std::optional<model::BookLevel> ask;
};

// One orderUpdates entry.
struct WsOrderUpdate {
  OpenOrder order;  // sz = remaining, orig_sz = original
  std::string status;
  core::UnixNanos status_time;

  bool is_open() const { return status == "open" || status == "triggered"; }
  bool is_filled() const { return status == "filled"; }
  // rejected, or a "…Rejected" status (tickRejected, perpMarginRejected, …): never worked.
  bool is_rejected() const;
};

struct WsUserFills {
  bool is_snapshot = false;
  std::string user;
  std::vector<UserFill> fills;
};

struct WsFunding {
  core::UnixNanos time;
  std::string coin;
  core::Decimal usdc;
  core::Decimal szi;
  core::Decimal funding_rate;
};

struct WsLiquidation {
  std::uint64_t lid = 0;
  std::string liquidator;
  std::string liquidated_user;
  core::Decimal liquidated_ntl_pos;
  core::Decimal liquidated_account_value;
};

struct WsNonUserCancel {
  std::string coin;
  std::uint64_t oid = 0;
};

// channel "user": exactly one of the parts is present in one message.
struct WsUserEvent {
  std::vector<UserFill> fills;
  std::optional<WsFunding> funding;
  std::optional<WsLiquidation> liquidation;
  std::vector<WsNonUserCancel> non_user_cancels;
};

// The result of one message. Only the member for `channel` is meaningful; the others keep their capacity
// from earlier messages (a WsMessage is meant to be reused).
struct WsMessage {
  WsChannel channel = WsChannel::Other;
  std::string channel_name;  // as received
  std::string text;          // Error: the server's text; SubscriptionResponse: the subscription object's JSON
  WsBook book;
  std::vector<WsTrade> trades;
  std::vector<WsCandle> candles;
  WsBbo bbo;
  std::vector<WsOrderUpdate> orders;
  WsUserFills user_fills;
  WsUserEvent user_event;
};

// Parses one WebSocket text message into `out` (see the header comment). ts_recv stamps the records that
// carry one (the l2Book snapshot). On error `out` is left in an unspecified state.
core::Status parse_ws_message(std::string_view text, core::UnixNanos ts_recv, WsMessage& out);

// The subscription messages, fields in the documented order:
//   {"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC"}}
std::string ws_subscribe_message(std::string_view type, std::string_view key_name, std::string_view key,
                                 std::string_view method = "subscribe");
std::string ws_candle_subscribe_message(std::string_view coin, std::string_view interval,
                                        std::string_view method = "subscribe");
inline constexpr std::string_view kWsPingMessage = R"({"method":"ping"})";

// Candle intervals the exchange offers, as a duration ("1m" → 60 s); "1M" (a calendar month) has no fixed
// length and is not mapped. Unknown text / an unsupported duration → nullopt.
std::optional<core::Duration> ws_interval_duration(std::string_view interval);
std::optional<std::string> ws_interval_name(core::Duration interval);

}  // namespace ballast::adapters::hyperliquid
