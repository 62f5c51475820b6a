#pragma once
// The user-data stream's messages (Binance USDⓈ-M Futures) and their mapping to model values. The
// BinanceExecutionClient opens the stream (wss://fstream.binance.com/ws/<listenKey>), keeps the key alive
// and hands every message to parse_user_data_event(); see execution_client.hpp for what it does with them.
//
// Parsed: ORDER_TRADE_UPDATE, ACCOUNT_UPDATE, ALGO_UPDATE, MARGIN_CALL and listenKeyExpired; any other event type is
// kept by name (OtherUserDataEvent). Decimals are exact (the venue sends them as strings). A malformed
// field is an error naming its JSON path ("o.l", "a.P[1].pa", "p[0].mm").
//
// ORDER_TRADE_UPDATE fields (under "o"): s symbol, c client order id, S side, o order type, f time in
// force, q original qty, p price, ap average price, sp stop price, x execution type (NEW, CANCELED,
// CALCULATED, EXPIRED, TRADE, AMENDMENT), X order status, i order id, l last filled qty, z cumulative
// filled qty, L last filled price, N/n commission asset/amount (only when charged), T trade time,
// t trade id, m maker, R reduce-only. "E" is the event time, "T" the transaction time.
//
// ACCOUNT_UPDATE (under "a"): m reason (ORDER, FUNDING_FEE, DEPOSIT, …); B balances of the changed assets
// only (a asset, wb wallet balance, cw cross wallet balance, bc balance change except PnL and commission);
// P positions of the changed symbols only (s symbol, pa signed amount, ep entry price, cr accumulated
// realized PnL, up unrealized PnL, mt margin type "cross"/"isolated", iw isolated wallet, ps position side
// BOTH/LONG/SHORT). The full picture comes from the REST account and positionRisk calls.
//
// ALGO_UPDATE (conditional orders, which live in the Algo Service since 2025-12-09; under "o"): caid client
// algo id, aid algo id, o order type, s symbol, S side, q quantity, X algo status (NEW, CANCELED,
// TRIGGERING, TRIGGERED, FINISHED, REJECTED, EXPIRED), ai the id of the order it placed in the matching
// engine once triggered ("" before), aq/ap that order's executed quantity and average price, tp trigger
// price, p price, R reduce-only, rm the reason of a rejection. Fills of a triggered order arrive as
// ORDER_TRADE_UPDATE of order ai. The documentation's comments call "T" the event time and "E" the
// transaction time (the reverse of ORDER_TRADE_UPDATE); both are kept as sent.
//
// MARGIN_CALL: cw cross wallet balance (only for a crossed margin call), p the positions in danger (s, ps,
// pa, mt "CROSSED"/"ISOLATED", iw, mp mark price, up unrealized PnL, mm maintenance margin required).
// Binance calls it risk guidance only: the position may already be liquidated when it arrives.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

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

// One asset of ACCOUNT_UPDATE.a.B. Amounts in the asset's units.
struct BalanceUpdate {
  std::string asset;
  core::Decimal wallet_balance;        // wb
  core::Decimal cross_wallet_balance;  // cw
  core::Decimal balance_change;        // bc: change except realized PnL and commission
};

// One position of ACCOUNT_UPDATE.a.P. Prices and PnL in the symbol's margin asset.
struct PositionUpdate {
  std::string symbol;
  core::Decimal amount;  // pa: signed, long > 0, short < 0
  core::Decimal entry_price;
  core::Decimal accumulated_realized;  // cr
  core::Decimal unrealized_pnl;        // up
  model::MarginMode margin_type{model::MarginMode::Cross};
  core::Decimal isolated_wallet;     // iw
  std::string position_side{"BOTH"};  // ps: BOTH (one-way mode), LONG or SHORT (hedge mode)
};

struct AccountUpdate {
  core::UnixNanos event_time;
  core::UnixNanos transaction_time;
  std::string reason;  // a.m
  std::vector<BalanceUpdate> balances;
  std::vector<PositionUpdate> positions;
};

// One position of MARGIN_CALL.p.
struct MarginCallPosition {
  std::string symbol;
  std::string position_side;
  core::Decimal amount;  // pa, signed
  model::MarginMode margin_type{model::MarginMode::Cross};
  core::Decimal isolated_wallet;     // iw
  core::Decimal mark_price;          // mp
  core::Decimal unrealized_pnl;      // up
  core::Decimal maintenance_margin;  // mm: required
};

struct MarginCall {
  core::UnixNanos event_time;
  std::optional<core::Decimal> cross_wallet_balance;  // cw: only for a crossed-margin call
  std::vector<MarginCallPosition> positions;
};

struct AlgoUpdate {
  core::UnixNanos event_time;        // "E"
  core::UnixNanos transaction_time;  // "T"
  std::string client_algo_id;        // caid
  std::int64_t algo_id{0};           // aid
  std::string symbol;
  model::OrderSide side{model::OrderSide::Buy};
  std::string order_type;  // o
  std::string status;      // X
  model::Quantity quantity;
  std::optional<std::int64_t> actual_order_id;  // ai; none before the trigger
  std::optional<model::Quantity> executed_qty;  // aq
  std::optional<model::Price> avg_price;        // ap; "0" → none
  std::string reject_reason;                    // rm
};

struct ListenKeyExpired {
  core::UnixNanos event_time;
  std::string listen_key;
};

// Any other event type (TRADE_LITE, ACCOUNT_CONFIG_UPDATE, STRATEGY_UPDATE, …), kept by name.
struct OtherUserDataEvent {
  std::string event_type;
};

using UserDataEvent =
    std::variant<OrderTradeUpdate, AccountUpdate, MarginCall, AlgoUpdate, ListenKeyExpired, OtherUserDataEvent>;

// Binance's answer to a keep-alive (PUT /fapi/v1/listenKey) for a key that no longer exists.
inline constexpr int kCodeListenKeyDoesNotExist = -1125;

// One stream message → an event; errors name the JSON path ("o.l").
core::Result<UserDataEvent> parse_user_data_event(std::string_view message);

}  // namespace ballast::adapters::binance
