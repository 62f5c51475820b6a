#pragma once
// Binance USDⓈ-M Futures records as the venue reports them, with exact decimals, and their conversion to
// the Ballast model. Field names in comments are Binance's JSON names.
//
// Conventions:
//  - Quantities and prices keep the precision Binance wrote them with ("0.010" has 3 places).
//  - A price of "0" in an order record means "none" (market orders, no stop price, no fills yet).
//  - Position amounts are signed (one-way mode "BOTH": long > 0, short < 0).
//  - Commission on a trade is as Binance reports it: positive = paid, negative = rebate (model::Fill's
//    convention too).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/account.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/price.hpp"
#include "ballast/runtime/execution_client.hpp"

namespace ballast::adapters::binance {

// Binance order types ("type" / "origType" / algo "orderType").
enum class VenueOrderType { Limit, Market, Stop, StopMarket, TakeProfit, TakeProfitMarket, TrailingStopMarket };
// "GTX" is Binance's post-only (Good Till Crossing).
enum class VenueTimeInForce { Gtc, Ioc, Fok, Gtx, Gtd };

std::string_view to_string(VenueOrderType type) noexcept;
core::Result<VenueOrderType> parse_venue_order_type(std::string_view text);
std::string_view to_string(VenueTimeInForce tif) noexcept;
core::Result<VenueTimeInForce> parse_venue_time_in_force(std::string_view text);
// STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET, TRAILING_STOP_MARKET go to the Algo Service
// (POST /fapi/v1/algoOrder) since 2025-12-09; LIMIT and MARKET to POST /fapi/v1/order.
constexpr bool is_conditional(VenueOrderType t) noexcept {
  return t != VenueOrderType::Limit && t != VenueOrderType::Market;
}

struct RateLimit {
  std::string type;      // rateLimitType: REQUEST_WEIGHT, ORDERS
  std::string interval;  // SECOND, MINUTE, DAY
  std::int64_t interval_num{1};
  std::int64_t limit{0};
};

// One symbol of GET /fapi/v1/exchangeInfo with the filters the model has no field for.
struct SymbolInfo {
  std::string symbol;
  std::string status;              // TRADING, SETTLING, …
  std::string contract_type;       // PERPETUAL, CURRENT_QUARTER, …
  model::Price min_price;          // PRICE_FILTER minPrice
  model::Price max_price;          // PRICE_FILTER maxPrice
  model::Quantity market_min_qty;  // MARKET_LOT_SIZE
  model::Quantity market_max_qty;
  model::Quantity market_step_size;
  std::vector<VenueOrderType> order_types;
  std::vector<VenueTimeInForce> time_in_force;
  model::InstrumentSpec spec;  // margin tiers empty until merged with the leverage brackets
};

struct ExchangeInfo {
  std::vector<RateLimit> rate_limits;
  std::vector<SymbolInfo> symbols;
  // Symbols left out because the model cannot represent them, with the reason.
  std::vector<std::string> skipped;
  // REQUEST_WEIGHT per 1 minute, if listed.
  std::optional<std::int64_t> request_weight_per_minute() const;
  const SymbolInfo* find(std::string_view symbol) const;
};

// One entry of GET /fapi/v2/account "assets".
struct AssetBalance {
  std::string asset;
  core::Decimal wallet_balance;
  core::Decimal unrealized_profit;
  core::Decimal margin_balance;
  core::Decimal available_balance;
  core::Decimal initial_margin;
  core::Decimal maint_margin;
  // total = walletBalance, locked = initialMargin (positions + open orders).
  core::Result<model::Balance> to_balance() const;
};

// One entry of GET /fapi/v2/positionRisk.
struct PositionRisk {
  std::string symbol;
  core::Decimal position_amt;  // signed
  model::Price entry_price;
  model::Price mark_price;
  std::optional<model::Price> liquidation_price;  // "0" (none) → nullopt
  core::Decimal leverage;
  model::MarginMode margin_type{model::MarginMode::Cross};
  core::Decimal unrealized_profit;
  core::Decimal notional;
  std::string position_side;  // BOTH, LONG, SHORT
  core::UnixNanos update_time;
  runtime::PositionStatusReport to_report(const core::AccountId& account, const core::VenueId& venue) const;
};

// An order of /fapi/v1/order, /fapi/v1/openOrders, or an algo order of /fapi/v1/algoOrder.
struct VenueOrder {
  bool is_algo{false};
  std::int64_t order_id{0};     // orderId, or algoId
  std::string client_order_id;  // clientOrderId, or clientAlgoId
  std::string symbol;
  model::OrderSide side{model::OrderSide::Buy};
  VenueOrderType type{VenueOrderType::Limit};
  std::string status;  // NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, … (algo: algoStatus)
  model::Quantity orig_qty;
  model::Quantity executed_qty;
  std::optional<model::Price> price;
  std::optional<model::Price> stop_price;  // stopPrice / triggerPrice
  std::optional<model::Price> avg_price;
  std::optional<std::int64_t> actual_order_id;  // algo: actualOrderId, the order it placed once triggered
  VenueTimeInForce time_in_force{VenueTimeInForce::Gtc};
  bool reduce_only{false};
  core::UnixNanos update_time;
  core::Result<model::OrderStatus> model_status() const;
  core::Result<runtime::OrderStatusReport> to_report(const core::AccountId& account, const core::VenueId& venue) const;
};

// One entry of GET /fapi/v1/userTrades.
struct VenueTrade {
  std::int64_t id{0};
  std::int64_t order_id{0};
  std::string symbol;
  model::OrderSide side{model::OrderSide::Buy};
  model::Price price;
  model::Quantity qty;
  core::Decimal commission;
  std::string commission_asset;
  core::Decimal realized_pnl;
  bool maker{false};
  core::UnixNanos time;
  // client_order_id: userTrades does not carry it; the caller maps orderId to it (may be empty).
  core::Result<model::Fill> to_fill(const core::AccountId& account, const core::VenueId& venue,
                                    const core::ClientOrderId& client_order_id, core::UnixNanos ts_recv) const;
};

struct LeverageChange {
  std::string symbol;
  std::int64_t leverage{0};
  core::Decimal max_notional_value;
};

// Parsers: the body of a 2xx answer → records. Errors are ParseError with where() = the JSON path.
core::Result<ExchangeInfo> parse_exchange_info(std::string_view body, const core::VenueId& venue);
// GET /fapi/v1/leverageBracket (array, or one object when a symbol was given) → tiers per symbol.
core::Result<std::map<std::string, std::vector<model::MarginTier>>> parse_leverage_brackets(std::string_view body);
core::Result<std::vector<AssetBalance>> parse_account_balances(std::string_view body);
core::Result<std::vector<PositionRisk>> parse_position_risk(std::string_view body);
core::Result<VenueOrder> parse_order(std::string_view body);
core::Result<std::vector<VenueOrder>> parse_orders(std::string_view body);
core::Result<VenueOrder> parse_algo_order(std::string_view body);
core::Result<std::vector<VenueOrder>> parse_algo_orders(std::string_view body);
core::Result<std::vector<VenueTrade>> parse_user_trades(std::string_view body);
core::Result<LeverageChange> parse_leverage_change(std::string_view body);
core::Result<std::int64_t> parse_server_time(std::string_view body);
// {"code":-1021,"msg":"…"} → (code, msg); nullopt when the body is not such an object.
std::optional<std::pair<int, std::string>> parse_error_body(std::string_view body);

// Merges the brackets into the specs and builds the instruments (Instrument::create validates them).
core::Result<std::vector<model::Instrument>> build_instruments(
    const ExchangeInfo& info, const std::map<std::string, std::vector<model::MarginTier>>& brackets);

}  // namespace ballast::adapters::binance
