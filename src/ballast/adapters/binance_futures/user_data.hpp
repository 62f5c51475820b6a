#pragma once
// The user-data stream's messages (Binance USDⓈ-M Futures): parsing of the events the execution client
// will consume once the stream is wired, and their mapping to model values.
//
// BUILT: listenKey management over REST (BinanceRestClient::create/keepalive/close_listen_key) and the
// parser below for ORDER_TRADE_UPDATE and listenKeyExpired. NOT BUILT YET: the WebSocket connection
// (wss://fstream.binance.com/ws/<listenKey>), the 30-minute keep-alive timer, reconnect, and
// ACCOUNT_UPDATE / MARGIN_CALL parsing — until then the execution client learns order changes by polling.
//
// ORDER_TRADE_UPDATE fields (under "o"): s symbol, c client order id, S side, o order type, f time in
// force, q original qty, p price, ap average price, sp stop price, x execution type (NEW, CANCELED,
// CALCULATED, EXPIRED, TRADE, AMENDMENT), X order status, i order id, l last filled qty, z cumulative
// filled qty, L last filled price, N/n commission asset/amount (only when charged), T trade time,
// t trade id, m maker, R reduce-only. "E" is the event time, "T" the transaction time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/price.hpp"

namespace ballast::adapters::binance {

struct OrderTradeUpdate {
  core::UnixNanos event_time;
  core::UnixNanos transaction_time;
  std::string symbol;
  std::string client_order_id;  // "autoclose-…" / "adl_autoclose": liquidation and ADL orders
  model::OrderSide side{model::OrderSide::Buy};
  std::string order_type;      // LIMIT, MARKET, LIQUIDATION, STOP_MARKET, …
  std::string execution_type;  // x
  std::string order_status;    // X
  std::int64_t order_id{0};
  model::Quantity orig_qty;
  std::optional<model::Price> price;      // "0" → none
  std::optional<model::Price> avg_price;  // "0" → none
  model::Quantity last_filled_qty;
  model::Quantity cum_filled_qty;
  model::Price last_filled_price;
  std::optional<std::string> commission_asset;
  core::Decimal commission;
  std::int64_t trade_id{0};
  core::UnixNanos trade_time;
  bool maker{false};
  bool reduce_only{false};

  // The execution as a Fill when execution_type is TRADE or CALCULATED (liquidation); nullopt otherwise.
  core::Result<std::optional<model::Fill>> to_fill(const core::AccountId& account, const core::VenueId& venue,
                                                   core::UnixNanos ts_recv) const;
};

struct ListenKeyExpired {
  core::UnixNanos event_time;
  std::string listen_key;
};

// Any other event type (ACCOUNT_UPDATE, MARGIN_CALL, …), kept by name until it is parsed.
struct OtherUserDataEvent {
  std::string event_type;
};

using UserDataEvent = std::variant<OrderTradeUpdate, ListenKeyExpired, OtherUserDataEvent>;

// One stream message → an event; errors name the JSON path ("o.l").
core::Result<UserDataEvent> parse_user_data_event(std::string_view message);

}  // namespace ballast::adapters::binance
