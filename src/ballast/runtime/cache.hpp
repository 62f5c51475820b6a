#pragma once
// Cache: the kernel's in-memory trading state — instruments, orders, positions, accounts and the
// latest market prices — with the indexes the engines query on every event.
//
// Ownership and pointers: the cache owns copies of everything added to it. Lookups return const
// pointers (nullptr when absent) that stay valid across updates of the same entry (updates assign in
// place) and until the entry is removed (purge_closed_orders(), clear()) or the cache is destroyed.
// Engines change state through add_*/update_*/apply_* so that the indexes follow.
//
// Orders: keyed by client order id. "Open" means model::is_open(status): SUBMITTED, ACCEPTED,
// PARTIALLY_FILLED, PENDING_CANCEL or PENDING_UPDATE (an INITIALIZED order is not yet open). Indexes of
// open orders per instrument and per strategy are maintained on every status change; lists come back in
// the order the orders were added (deterministic, so a backtest replays identically). Venue order ids
// are mapped per venue (two venues may issue the same id); a mapping, once made, lasts as long as the
// order is cached, so a late venue message quoting any id the order has carried still resolves.
//
// Positions: netting, one per (instrument, account); "open" means not flat.
//
// Latest market data: one quote, last trade and mark price per instrument, and one last bar per
// instrument and bar interval. An update older (by ts_event) than the stored value is ignored and
// reported by a false return, so a late REST snapshot cannot overwrite a newer stream update; an update
// with an equal ts_event replaces the stored one.
//
// Threading: single-threaded (the kernel thread); no locks.

#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/account.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/events.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/order.hpp"
#include "ballast/model/position.hpp"
#include "ballast/model/price.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ballast::runtime {

// A venue's mark price (the price used for margin and unrealized P&L on derivatives venues).
struct MarkPrice {
  core::InstrumentId instrument_id;
  model::Price price;
  core::UnixNanos ts_event;
  core::UnixNanos ts_recv;
};

// Selects orders; unset fields match everything.
struct OrderFilter {
  std::optional<core::InstrumentId> instrument_id{};
  std::optional<core::StrategyId> strategy_id{};
  std::optional<core::AccountId> account_id{};
  std::optional<model::OrderSide> side{};

  bool matches(const model::Order& order) const;
};

class Cache {
 public:
  Cache();
  ~Cache();
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  // ---- Instruments ----
  // AlreadyExists when the id is cached (use update_instrument to redefine it).
  core::Status add_instrument(model::Instrument instrument);
  // NotFound when the id is not cached.
  core::Status update_instrument(model::Instrument instrument);
  const model::Instrument* instrument(const core::InstrumentId& id) const;
  // Sorted by id; only the venue's when one is given.
  std::vector<const model::Instrument*> instruments(const std::optional<core::VenueId>& venue = std::nullopt) const;

  // ---- Accounts ----
  core::Status add_account(model::Account account);     // AlreadyExists
  core::Status update_account(const model::Account& account);  // NotFound
  const model::Account* account(const core::AccountId& id) const;
  std::vector<const model::Account*> accounts() const;  // sorted by id

  // ---- Orders ----
  // Errors: the client order id is cached (AlreadyExists); the order's venue order id already belongs to
  // another order (AlreadyExists).
  core::Status add_order(model::Order order);
  // Replaces the cached state of the order with the same client order id and re-indexes it. Errors:
  // unknown order (NotFound); a different instrument, strategy or account (InvalidArgument); a venue
  // order id that belongs to another order (AlreadyExists). On error nothing changes.
  core::Status update_order(const model::Order& order);
  // Applies the event to the cached order (model::Order::apply) and re-indexes it; returns the order.
  // Errors: unknown order (NotFound), plus Order::apply's own; on error nothing changes.
  core::Result<const model::Order*> apply_order_event(const model::OrderEvent& event);

  const model::Order* order(const core::ClientOrderId& id) const;
  const model::Order* order_for_venue_order_id(const core::VenueId& venue, const core::VenueOrderId& id) const;
  std::optional<core::ClientOrderId> client_order_id_for(const core::VenueId& venue,
                                                         const core::VenueOrderId& id) const;
  bool is_order_open(const core::ClientOrderId& id) const;
  // Every cached order (any status) that matches, in the order they were added.
  std::vector<const model::Order*> orders(const OrderFilter& filter = {}) const;
  // Open orders that match, in the order they were added; uses the instrument or strategy index.
  std::vector<const model::Order*> open_orders(const OrderFilter& filter = {}) const;
  std::size_t open_order_count(const OrderFilter& filter = {}) const;
  std::size_t order_count() const noexcept { return orders_.size(); }
  // Forgets closed orders whose last event (ts_last) is before `cutoff`, with their venue ids;
  // returns how many. Bounds memory in long live sessions (the event store keeps the history).
  std::size_t purge_closed_orders(core::UnixNanos cutoff);

  // ---- Positions ----
  // AlreadyExists when a position for the same instrument and account is cached.
  core::Status add_position(model::Position position);
  // NotFound when no position for the instrument and account is cached.
  core::Status update_position(const model::Position& position);
  const model::Position* position(const core::InstrumentId& instrument_id, const core::AccountId& account_id) const;
  // Sorted by (instrument, account); filtered by the ids given.
  std::vector<const model::Position*> positions(const std::optional<core::InstrumentId>& instrument_id = std::nullopt,
                                                const std::optional<core::AccountId>& account_id = std::nullopt) const;
  std::vector<const model::Position*> open_positions(
      const std::optional<core::InstrumentId>& instrument_id = std::nullopt,
      const std::optional<core::AccountId>& account_id = std::nullopt) const;
  std::size_t open_position_count() const noexcept { return open_positions_.size(); }

  // ---- Latest market data (false: older than the stored value, ignored) ----
  bool update_quote(const model::QuoteTick& quote);
  bool update_trade(const model::TradeTick& trade);
  bool update_mark_price(const MarkPrice& mark);
  // Bars of different intervals are kept apart; interval must be positive.
  bool update_bar(const core::InstrumentId& instrument_id, core::Duration interval, const model::Bar& bar);
  const model::QuoteTick* quote(const core::InstrumentId& id) const;
  const model::TradeTick* last_trade(const core::InstrumentId& id) const;
  const MarkPrice* mark_price(const core::InstrumentId& id) const;
  const model::Bar* last_bar(const core::InstrumentId& id, core::Duration interval) const;

  // Forgets everything (between backtest runs).
  void clear();

 private:
  struct OrderSlot {
    model::Order order;
    std::uint64_t seq;                               // insertion order
    std::vector<core::VenueOrderId> venue_order_ids;  // every id mapped to this order
  };
  // seq → slot: iterates in insertion order.
  using OrderIndex = std::map<std::uint64_t, OrderSlot*>;
  using VenueKey = std::pair<core::VenueId, core::VenueOrderId>;
  using PositionKey = std::pair<core::InstrumentId, core::AccountId>;
  using BarKey = std::pair<core::InstrumentId, std::int64_t>;  // interval in ns

  core::Status check_venue_order_id(const model::Order& order) const;
  // Brings the open-order indexes and the venue id map in line with slot.order.
  void reindex(OrderSlot& slot, bool was_open);
  void add_to_open_indexes(OrderSlot& slot);
  void remove_from_open_indexes(const OrderSlot& slot);
  const OrderIndex* open_index_for(const OrderFilter& filter) const;

  std::map<core::InstrumentId, model::Instrument> instruments_;
  std::map<core::AccountId, model::Account> accounts_;

  std::unordered_map<core::ClientOrderId, OrderSlot> orders_;  // node-based: slots never move
  OrderIndex all_orders_;
  OrderIndex open_orders_;
  std::unordered_map<core::InstrumentId, OrderIndex> open_by_instrument_;
  std::unordered_map<core::StrategyId, OrderIndex> open_by_strategy_;
  std::map<VenueKey, core::ClientOrderId> venue_order_ids_;
  std::uint64_t next_order_seq_ = 0;

  std::map<PositionKey, model::Position> positions_;
  std::set<PositionKey> open_positions_;

  std::unordered_map<core::InstrumentId, model::QuoteTick> quotes_;
  std::unordered_map<core::InstrumentId, model::TradeTick> trades_;
  std::unordered_map<core::InstrumentId, MarkPrice> marks_;
  std::map<BarKey, model::Bar> bars_;
};

}  // namespace ballast::runtime
