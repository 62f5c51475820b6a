#pragma once
// Binance USDⓈ-M Futures market streams: the documented stream names and the parsers of their messages
// (wss://fstream.binance.com, testnet wss://stream.binancefuture.com).
//
// Combined streams (/stream?streams=a/b/c, or live SUBSCRIBE on /stream) wrap every event as
// {"stream":"<name>","data":{…}}; control answers are {"result":null,"id":N} or {"error":{…},"id":N}.
// Stream names are lower case: <symbol>@aggTrade, <symbol>@depth@100ms, <symbol>@markPrice@1s,
// <symbol>@kline_<interval>, <symbol>@bookTicker.
//
// Units and conventions:
//  - Decimals keep the precision Binance wrote them with ("0.0024" has 4 places); nothing passes through a
//    double. Times are epoch milliseconds on the wire and UnixNanos here.
//  - aggTrade "m" = the buyer is the maker, so the aggressor is the seller (AggressorSide::Seller).
//  - depthUpdate: bids and asks carry the new TOTAL quantity at a price (0 removes the level). U is the
//    first and u the last update id of the event, pu the u of the previous event of the stream. Binance
//    futures ids are not contiguous between events, so the BookUpdate handed to OrderBook::apply_deltas
//    covers (pu, u]: first_update_id = pu + 1, last_update_id = u. An event whose pu is the book's update
//    id then applies, and any event lost in between shows as a gap.
//  - ts_event: the trade time T (aggTrade), the transaction time T (depthUpdate, bookTicker, REST depth),
//    the event time E (markPriceUpdate), the kline start t (klines; ts_recv = kline close T + 1 ms).
//
// Speed: depthUpdate and aggTrade are the hot messages (parse + OrderBook apply under 1 µs for 10–20
// levels, bench/adapters/binance_depth_bench.cpp). Every parser here uses one small hand-written scanner
// (no DOM, no allocation once the output's vectors have grown): nlohmann's DOM alone costs several µs for a
// 20-level message. A depthUpdate in the layout Binance writes is read by a one-pass reader (fixed pieces
// compared whole, integers and level values eight digits at a time); any other form goes to the general
// scanner, which gives the same result or the error. A level written compactly (["30000.10","1.500"]) is
// decoded in the pass that finds its end, digits straight into the raw integer at the wanted precision
// (DepthPrecision). The scanner accepts standard JSON only; every error names the field by its JSON path
// ("data.b[3][0]" when the message came wrapped, "b[3][0]" otherwise) and says what was wrong.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/adapters/binance_futures/klines.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/order_book.hpp"
#include "ballast/model/price.hpp"

namespace ballast::adapters::binance {

inline constexpr std::string_view kMainnetStreamUrl = "wss://fstream.binance.com";
inline constexpr std::string_view kTestnetStreamUrl = "wss://stream.binancefuture.com";

// Valid limits of GET /fapi/v1/depth and their request weights (5, 10, 20, 50 → 2; 100 → 5; 500 → 10;
// 1000 → 20). 0 for a limit Binance does not accept.
std::int64_t depth_request_weight(int limit) noexcept;
// The smallest valid depth limit holding at least `levels` levels (0 → 1000); nullopt above 1000.
std::optional<int> depth_limit_for(std::size_t levels) noexcept;

// Stream names ("btcusdt@aggTrade"); the symbol is lower-cased.
std::string agg_trade_stream(std::string_view symbol);
std::string depth_stream(std::string_view symbol);  // <symbol>@depth@100ms
std::string mark_price_stream(std::string_view symbol);  // <symbol>@markPrice@1s
std::string kline_stream(std::string_view symbol, KlineInterval interval);
std::string book_ticker_stream(std::string_view symbol);

// One WebSocket text message, split without copying (views into the text).
struct StreamFrame {
  enum class Kind { Event, Result, Error };
  Kind kind{Kind::Event};
  std::string_view stream;  // "btcusdt@aggTrade"; empty for a raw (unwrapped) event
  std::string_view data;    // the event object's text (the whole message for a raw event)
  std::string_view event_type;  // "e" of a raw event; empty for a wrapped one (its stream names it)
  std::optional<std::int64_t> id;  // control answers
  std::string error_message;       // Kind::Error: "code -1: msg"
  // The fast split took everything up to the message's last closing brace as `data` without scanning it
  // (the documented layout, "stream" then "data"). The event's parser checks it; if that fails because
  // something followed the data object, split again with verify_data = true.
  bool data_unverified{false};
};
// verify_data: scan the data object to find its end (any member order, anything after it) instead of taking
// the rest of the message; the hot path leaves it false.
core::Result<StreamFrame> split_stream_message(std::string_view text, bool verify_data = false);

struct AggTrade {
  std::string symbol;
  std::int64_t aggregate_id{0};  // a
  model::Price price;            // p
  model::Quantity quantity;      // q
  std::int64_t first_trade_id{0};  // f
  std::int64_t last_trade_id{0};   // l
  core::UnixNanos event_time;      // E
  core::UnixNanos trade_time;      // T
  bool buyer_is_maker{false};      // m

  model::TradeTick to_trade_tick(const core::InstrumentId& instrument_id, core::UnixNanos ts_recv) const;
};

struct DepthUpdate {
  std::string symbol;
  core::UnixNanos event_time;        // E
  core::UnixNanos transaction_time;  // T
  std::uint64_t first_update_id{0};       // U
  std::uint64_t final_update_id{0};       // u
  std::uint64_t prev_final_update_id{0};  // pu
  std::vector<model::BookDelta> deltas;   // in message order: "b" (Buy) then "a" (Sell) as Binance sends them

  // first = pu + 1, last = u, ts_event = T (see the header comment).
  model::BookUpdate book_update(core::UnixNanos ts_recv) const;
};

struct MarkPriceUpdate {
  std::string symbol;
  core::InstrumentId instrument_id;  // set by the data client; empty from the parser
  core::UnixNanos event_time;        // E
  model::Price mark_price;           // p
  model::Price index_price;          // i
  std::optional<model::Price> estimated_settle_price;  // P (absent or "" → none)
  std::optional<core::Decimal> funding_rate;           // r ("" for delivery contracts → none)
  std::optional<core::UnixNanos> next_funding_time;    // T (0 for delivery contracts → none)
  core::UnixNanos ts_recv;
};

struct KlineUpdate {
  std::string symbol;
  KlineInterval interval{KlineInterval::Min1};
  core::UnixNanos event_time;  // E
  bool closed{false};          // k.x
  model::Bar bar;              // ts_event = k.t, ts_recv = k.T + 1 ms
  std::int64_t trade_count{0};  // k.n
  core::Decimal quote_volume;   // k.q
};

struct BookTicker {
  std::string symbol;
  std::uint64_t update_id{0};        // u
  core::UnixNanos event_time;        // E
  core::UnixNanos transaction_time;  // T
  model::Price bid_price;            // b
  model::Quantity bid_quantity;      // B
  model::Price ask_price;            // a
  model::Quantity ask_quantity;      // A

  model::QuoteTick to_quote_tick(const core::InstrumentId& instrument_id, core::UnixNanos ts_recv) const;
};

// Decimal places the prices and quantities of book levels are brought to: the instrument's tick and step
// precision, so that they reach OrderBook at its own scale. -1 keeps each value's precision as written. A
// level value with a nonzero digit past its precision, or one that does not fit 18 digits once padded,
// is an error naming the field ("data.b[3][0]"); so is a level value that is not plain unsigned digits
// with at most one point (a sign, an exponent, a missing digit) — Binance writes nothing else there.
struct DepthPrecision {
  int price{-1};
  int quantity{-1};
};

// Parsers of one event object (StreamFrame::data). `path` prefixes field names in errors ("data" for a
// wrapped event, "" for a raw one). The two hot parsers fill `out` in place, reusing its storage; on an
// error `out` holds a partial value.
core::Status parse_agg_trade(std::string_view json, AggTrade& out, std::string_view path = "");
core::Status parse_depth_update(std::string_view json, DepthUpdate& out, std::string_view path = "",
                                DepthPrecision precision = {});
core::Result<MarkPriceUpdate> parse_mark_price_update(std::string_view json, std::string_view path = "");
core::Result<KlineUpdate> parse_kline_update(std::string_view json, std::string_view path = "");
core::Result<BookTicker> parse_book_ticker(std::string_view json, std::string_view path = "");

// The body of GET /fapi/v1/depth → a snapshot: update_id = lastUpdateId, ts_event = T, the given ts_recv.
core::Result<model::BookSnapshot> parse_depth_snapshot(std::string_view body, core::UnixNanos ts_recv,
                                                       DepthPrecision precision = {});

}  // namespace ballast::adapters::binance
