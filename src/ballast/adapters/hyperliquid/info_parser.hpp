#pragma once
// Parsers for the responses of Hyperliquid's POST /info (docs: "Info endpoint"), from JSON text to Ballast
// model values. Decimals are read exactly from the JSON strings the exchange sends ("2986.3"); a missing
// or malformed field is a ParseError whose where() is the JSON path ("assetPositions[0].position.szi").
//
// Conventions taken from the documentation:
//  - meta.universe[i] is asset index i (used as "a"/"asset" in actions). Instruments are linear
//    perpetuals <coin>-PERP.<venue>, quoted and settled in USDC.
//  - tick_size = 10^-(6 − szDecimals): the finest price step the decimal rule allows; the 5-significant-
//    figure rule depends on the price level and is enforced by wire_format.hpp when an order is sent.
//    step_size = min_quantity = 10^-szDecimals.
//  - Margin: one tier with max_leverage = maxLeverage (initial margin 1/maxLeverage) and a maintenance
//    rate of half the initial margin at max leverage, 1 / (2 × maxLeverage), as the Hyperliquid docs
//    ("Margining") state. Newer meta responses carry "marginTables" with leverage tiers for some assets;
//    they are not read yet.
//  - side "B" = bid/buy, "A" = ask/sell; szi > 0 long, < 0 short; times are ms since the epoch.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/adapters/hyperliquid/actions.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/account.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/order_book.hpp"
#include "ballast/runtime/execution_client.hpp"

namespace ballast::adapters::hyperliquid {

// Venue-level settings the /info responses do not carry.
struct InstrumentDefaults {
  core::VenueId venue{"HYPERLIQUID"};
  // Base-tier perpetual fees (docs "Fees": 0.045% taker, 0.015% maker); the account's tier may be lower.
  core::Decimal maker_fee_rate = core::Decimal::from_raw(15, 5);
  core::Decimal taker_fee_rate = core::Decimal::from_raw(45, 5);
  // The exchange rejects orders below $10 of notional.
  core::Decimal min_notional = core::Decimal::from_int(10);
};

core::InstrumentId perp_instrument_id(std::string_view coin, const core::VenueId& venue);

struct PerpAsset {
  std::uint32_t index = 0;
  std::string name;
  int sz_decimals = 0;
  int max_leverage = 1;
  bool only_isolated = false;
  bool is_delisted = false;
  model::Instrument instrument;

  AssetSpec spec() const { return AssetSpec{index, sz_decimals, MarketKind::Perp}; }
};

struct AssetPosition {
  std::string coin;
  core::Decimal szi;  // signed size
  std::optional<core::Decimal> entry_px;
  std::optional<core::Decimal> liquidation_px;  // null when the position cannot be liquidated
  core::Decimal position_value;
  core::Decimal margin_used;
  core::Decimal unrealized_pnl;
  bool is_cross = true;
  std::uint32_t leverage = 1;
};

struct MarginSummary {
  core::Decimal account_value;
  core::Decimal total_margin_used;
  core::Decimal total_ntl_pos;
  core::Decimal total_raw_usd;
};

struct ClearinghouseState {
  std::vector<AssetPosition> positions;
  MarginSummary margin_summary;
  MarginSummary cross_margin_summary;
  core::Decimal cross_maintenance_margin_used;
  core::Decimal withdrawable;
  core::UnixNanos time;

  // One report per non-flat position (instrument <coin>-PERP.<venue>).
  std::vector<runtime::PositionStatusReport> position_reports(const core::AccountId& account,
                                                              const core::VenueId& venue) const;
  // USDC: total = accountValue (equity incl. unrealized P&L), locked = accountValue − withdrawable.
  model::Balance usdc_balance() const;
};

struct OpenOrder {
  std::string coin;
  bool is_buy = true;
  core::Decimal limit_px;
  core::Decimal sz;                     // remaining
  std::optional<core::Decimal> orig_sz;  // when the response carries it
  std::uint64_t oid = 0;
  core::UnixNanos timestamp;
  std::optional<Cloid> cloid;

  runtime::OrderStatusReport to_report(const core::AccountId& account, const core::VenueId& venue) const;
};

struct UserFill {
  std::string coin;
  core::Decimal px;
  core::Decimal sz;
  bool is_buy = true;
  core::UnixNanos time;
  core::Decimal start_position;
  std::string dir;  // "Open Long", "Close Short", …
  core::Decimal closed_pnl;
  std::string hash;
  std::uint64_t oid = 0;
  bool crossed = true;  // true = taker
  core::Decimal fee;    // paid (> 0) or rebate (< 0)
  std::string fee_token;
  std::uint64_t tid = 0;
  std::optional<Cloid> cloid;

  model::Fill to_fill(const core::AccountId& account, const core::VenueId& venue, core::UnixNanos ts_recv) const;
};

struct L2Book {
  std::string coin;
  model::BookSnapshot snapshot;  // update_id = the book's time in ms
  std::vector<std::uint32_t> bid_counts;  // "n": orders at each bid level, same order as snapshot.bids
  std::vector<std::uint32_t> ask_counts;
};

core::Result<std::vector<PerpAsset>> parse_meta(std::string_view json, const InstrumentDefaults& defaults = {});
core::Result<ClearinghouseState> parse_clearinghouse_state(std::string_view json);
core::Result<std::vector<OpenOrder>> parse_open_orders(std::string_view json);
core::Result<std::vector<UserFill>> parse_user_fills(std::string_view json);
core::Result<L2Book> parse_l2_book(std::string_view json, core::UnixNanos ts_recv);
core::Result<std::vector<model::Bar>> parse_candle_snapshot(std::string_view json);

}  // namespace ballast::adapters::hyperliquid
