#include "ballast/runtime/cache.hpp"

#include <fmt/format.h>

#include <string>

namespace ballast::runtime {

using core::Error;
using core::ErrorCode;

namespace {

template <class Map, class Key>
auto* find_ptr(const Map& map, const Key& key) {
  const auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

// Stores `value` unless the stored entry is newer (by ts_event); true when stored.
template <class Map, class Key, class Value>
bool store_latest(Map& map, const Key& key, const Value& value) {
  const auto it = map.find(key);
  if (it == map.end()) {
    map.emplace(key, value);
    return true;
  }
  if (value.ts_event < it->second.ts_event) return false;
  it->second = value;
  return true;
}

}  // namespace

bool OrderFilter::matches(const model::Order& order) const {
  return (!instrument_id || order.instrument_id() == *instrument_id) &&
         (!strategy_id || order.strategy_id() == *strategy_id) && (!account_id || order.account_id() == *account_id) &&
         (!side || order.side() == *side);
}

Cache::Cache() = default;
Cache::~Cache() = default;

// ---- Instruments ----

core::Status Cache::add_instrument(model::Instrument instrument) {
  const core::InstrumentId id = instrument.id();
  if (instruments_.contains(id)) {
    return Error(ErrorCode::AlreadyExists, fmt::format("instrument {} is already in the cache", id.value()));
  }
  instruments_.emplace(id, std::move(instrument));
  return core::ok();
}

core::Status Cache::update_instrument(model::Instrument instrument) {
  const auto it = instruments_.find(instrument.id());
  if (it == instruments_.end()) {
    return Error(ErrorCode::NotFound, fmt::format("instrument {} is not in the cache", instrument.id().value()));
  }
  it->second = std::move(instrument);
  return core::ok();
}

const model::Instrument* Cache::instrument(const core::InstrumentId& id) const { return find_ptr(instruments_, id); }

std::vector<const model::Instrument*> Cache::instruments(const std::optional<core::VenueId>& venue) const {
  std::vector<const model::Instrument*> out;
  for (const auto& [id, instrument] : instruments_) {
    if (!venue || id.venue_name() == venue->value()) out.push_back(&instrument);
  }
  return out;
}

// ---- Accounts ----

core::Status Cache::add_account(model::Account account) {
  const core::AccountId id = account.id();
  if (accounts_.contains(id)) {
    return Error(ErrorCode::AlreadyExists, fmt::format("account {} is already in the cache", id.value()));
  }
  accounts_.emplace(id, std::move(account));
  return core::ok();
}

core::Status Cache::update_account(const model::Account& account) {
  const auto it = accounts_.find(account.id());
  if (it == accounts_.end()) {
    return Error(ErrorCode::NotFound, fmt::format("account {} is not in the cache", account.id().value()));
  }
  it->second = account;
  return core::ok();
}

const model::Account* Cache::account(const core::AccountId& id) const { return find_ptr(accounts_, id); }

std::vector<const model::Account*> Cache::accounts() const {
  std::vector<const model::Account*> out;
  out.reserve(accounts_.size());
  for (const auto& [id, account] : accounts_) out.push_back(&account);
  return out;
}

// ---- Orders ----

core::Status Cache::check_venue_order_id(const model::Order& order) const {
  if (!order.venue_order_id()) return core::ok();
  const auto it = venue_order_ids_.find(VenueKey{order.instrument_id().venue(), *order.venue_order_id()});
  if (it != venue_order_ids_.end() && it->second != order.client_order_id()) {
    return Error(ErrorCode::AlreadyExists,
                 fmt::format("venue order id {} at {} already belongs to order {}, not {}",
                             order.venue_order_id()->value(), order.instrument_id().venue_name(), it->second.value(),
                             order.client_order_id().value()));
  }
  return core::ok();
}

void Cache::add_to_open_indexes(OrderSlot& slot) {
  open_orders_.emplace(slot.seq, &slot);
  open_by_instrument_[slot.order.instrument_id()].emplace(slot.seq, &slot);
  open_by_strategy_[slot.order.strategy_id()].emplace(slot.seq, &slot);
}

void Cache::remove_from_open_indexes(const OrderSlot& slot) {
  open_orders_.erase(slot.seq);
  // Empty per-key indexes are dropped so that finished instruments and strategies cost nothing.
  if (const auto it = open_by_instrument_.find(slot.order.instrument_id()); it != open_by_instrument_.end()) {
    it->second.erase(slot.seq);
    if (it->second.empty()) open_by_instrument_.erase(it);
  }
  if (const auto it = open_by_strategy_.find(slot.order.strategy_id()); it != open_by_strategy_.end()) {
    it->second.erase(slot.seq);
    if (it->second.empty()) open_by_strategy_.erase(it);
  }
}

void Cache::reindex(OrderSlot& slot, bool was_open) {
  const bool now_open = slot.order.is_open();
  if (now_open && !was_open) add_to_open_indexes(slot);
  if (!now_open && was_open) remove_from_open_indexes(slot);
  if (const auto& venue_id = slot.order.venue_order_id()) {
    const auto [it, inserted] =
        venue_order_ids_.try_emplace(VenueKey{slot.order.instrument_id().venue(), *venue_id}, slot.order.client_order_id());
    if (inserted) slot.venue_order_ids.push_back(*venue_id);
  }
}

core::Status Cache::add_order(model::Order order) {
  if (orders_.contains(order.client_order_id())) {
    return Error(ErrorCode::AlreadyExists,
                 fmt::format("order {} is already in the cache", order.client_order_id().value()));
  }
  BALLAST_TRY(check_venue_order_id(order));
  const core::ClientOrderId id = order.client_order_id();
  const std::uint64_t seq = next_order_seq_++;
  auto [it, inserted] = orders_.emplace(id, OrderSlot{std::move(order), seq, {}});
  OrderSlot& slot = it->second;
  all_orders_.emplace(seq, &slot);
  reindex(slot, false);
  return core::ok();
}

core::Status Cache::update_order(const model::Order& order) {
  const auto it = orders_.find(order.client_order_id());
  if (it == orders_.end()) {
    return Error(ErrorCode::NotFound, fmt::format("order {} is not in the cache", order.client_order_id().value()));
  }
  OrderSlot& slot = it->second;
  if (order.instrument_id() != slot.order.instrument_id() || order.strategy_id() != slot.order.strategy_id() ||
      order.account_id() != slot.order.account_id()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("order {} cannot change its instrument, strategy or account in the cache",
                             order.client_order_id().value()));
  }
  BALLAST_TRY(check_venue_order_id(order));
  const bool was_open = slot.order.is_open();
  slot.order = order;
  reindex(slot, was_open);
  return core::ok();
}

core::Result<const model::Order*> Cache::apply_order_event(const model::OrderEvent& event) {
  const core::ClientOrderId& id = model::event_base(event).client_order_id;
  const auto it = orders_.find(id);
  if (it == orders_.end()) {
    return Error(ErrorCode::NotFound, fmt::format("{} for order {}, which is not in the cache",
                                                  model::event_name(event), id.value()));
  }
  OrderSlot& slot = it->second;
  // Apply to a copy first: the venue id check can only run on the result, and a refusal must leave
  // the cached order untouched.
  model::Order next = slot.order;
  BALLAST_TRY(next.apply(event));
  BALLAST_TRY(check_venue_order_id(next));
  const bool was_open = slot.order.is_open();
  slot.order = std::move(next);
  reindex(slot, was_open);
  return &slot.order;
}

const model::Order* Cache::order(const core::ClientOrderId& id) const {
  const auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second.order;
}

std::optional<core::ClientOrderId> Cache::client_order_id_for(const core::VenueId& venue,
                                                              const core::VenueOrderId& id) const {
  const auto it = venue_order_ids_.find(VenueKey{venue, id});
  if (it == venue_order_ids_.end()) return std::nullopt;
  return it->second;
}

const model::Order* Cache::order_for_venue_order_id(const core::VenueId& venue, const core::VenueOrderId& id) const {
  const auto client_id = client_order_id_for(venue, id);
  return client_id ? order(*client_id) : nullptr;
}

bool Cache::is_order_open(const core::ClientOrderId& id) const {
  const model::Order* o = order(id);
  return o != nullptr && o->is_open();
}

std::vector<const model::Order*> Cache::orders(const OrderFilter& filter) const {
  std::vector<const model::Order*> out;
  for (const auto& [seq, slot] : all_orders_) {
    if (filter.matches(slot->order)) out.push_back(&slot->order);
  }
  return out;
}

const Cache::OrderIndex* Cache::open_index_for(const OrderFilter& filter) const {
  if (filter.instrument_id) {
    const auto it = open_by_instrument_.find(*filter.instrument_id);
    return it == open_by_instrument_.end() ? nullptr : &it->second;
  }
  if (filter.strategy_id) {
    const auto it = open_by_strategy_.find(*filter.strategy_id);
    return it == open_by_strategy_.end() ? nullptr : &it->second;
  }
  return &open_orders_;
}

std::vector<const model::Order*> Cache::open_orders(const OrderFilter& filter) const {
  std::vector<const model::Order*> out;
  const OrderIndex* index = open_index_for(filter);
  if (index == nullptr) return out;
  out.reserve(index->size());
  for (const auto& [seq, slot] : *index) {
    if (filter.matches(slot->order)) out.push_back(&slot->order);
  }
  return out;
}

std::size_t Cache::open_order_count(const OrderFilter& filter) const {
  const OrderIndex* index = open_index_for(filter);
  if (index == nullptr) return 0;
  if (!filter.account_id && !filter.side && (!filter.instrument_id || !filter.strategy_id)) return index->size();
  std::size_t n = 0;
  for (const auto& [seq, slot] : *index) n += filter.matches(slot->order) ? 1 : 0;
  return n;
}

std::size_t Cache::purge_closed_orders(core::UnixNanos cutoff) {
  std::size_t purged = 0;
  for (auto it = all_orders_.begin(); it != all_orders_.end();) {
    const OrderSlot* slot = it->second;
    if (!slot->order.is_closed() || slot->order.ts_last() >= cutoff) {
      ++it;
      continue;
    }
    const core::VenueId venue = slot->order.instrument_id().venue();
    for (const auto& venue_id : slot->venue_order_ids) venue_order_ids_.erase(VenueKey{venue, venue_id});
    const core::ClientOrderId id = slot->order.client_order_id();
    it = all_orders_.erase(it);
    orders_.erase(id);  // closed orders are in no open index
    ++purged;
  }
  return purged;
}

// ---- Positions ----

core::Status Cache::add_position(model::Position position) {
  PositionKey key{position.instrument_id(), position.account_id()};
  if (positions_.contains(key)) {
    return Error(ErrorCode::AlreadyExists, fmt::format("a position in {} for account {} is already in the cache",
                                                       key.first.value(), key.second.value()));
  }
  const bool open = !position.is_flat();
  positions_.emplace(key, std::move(position));
  if (open) open_positions_.insert(std::move(key));
  return core::ok();
}

core::Status Cache::update_position(const model::Position& position) {
  PositionKey key{position.instrument_id(), position.account_id()};
  const auto it = positions_.find(key);
  if (it == positions_.end()) {
    return Error(ErrorCode::NotFound, fmt::format("no position in {} for account {} is in the cache",
                                                  key.first.value(), key.second.value()));
  }
  it->second = position;
  if (position.is_flat()) {
    open_positions_.erase(key);
  } else {
    open_positions_.insert(std::move(key));
  }
  return core::ok();
}

const model::Position* Cache::position(const core::InstrumentId& instrument_id,
                                       const core::AccountId& account_id) const {
  return find_ptr(positions_, PositionKey{instrument_id, account_id});
}

std::vector<const model::Position*> Cache::positions(const std::optional<core::InstrumentId>& instrument_id,
                                                     const std::optional<core::AccountId>& account_id) const {
  std::vector<const model::Position*> out;
  for (const auto& [key, position] : positions_) {
    if ((!instrument_id || key.first == *instrument_id) && (!account_id || key.second == *account_id)) {
      out.push_back(&position);
    }
  }
  return out;
}

std::vector<const model::Position*> Cache::open_positions(const std::optional<core::InstrumentId>& instrument_id,
                                                          const std::optional<core::AccountId>& account_id) const {
  std::vector<const model::Position*> out;
  for (const PositionKey& key : open_positions_) {
    if ((!instrument_id || key.first == *instrument_id) && (!account_id || key.second == *account_id)) {
      out.push_back(&positions_.at(key));
    }
  }
  return out;
}

// ---- Latest market data ----

bool Cache::update_quote(const model::QuoteTick& quote) { return store_latest(quotes_, quote.instrument_id, quote); }

bool Cache::update_trade(const model::TradeTick& trade) { return store_latest(trades_, trade.instrument_id, trade); }

bool Cache::update_mark_price(const MarkPrice& mark) { return store_latest(marks_, mark.instrument_id, mark); }

bool Cache::update_bar(const core::InstrumentId& instrument_id, core::Duration interval, const model::Bar& bar) {
  BALLAST_REQUIRE(interval.count() > 0, "Cache::update_bar needs a positive bar interval");
  return store_latest(bars_, BarKey{instrument_id, interval.count()}, bar);
}

const model::QuoteTick* Cache::quote(const core::InstrumentId& id) const { return find_ptr(quotes_, id); }

const model::TradeTick* Cache::last_trade(const core::InstrumentId& id) const { return find_ptr(trades_, id); }

const MarkPrice* Cache::mark_price(const core::InstrumentId& id) const { return find_ptr(marks_, id); }

const model::Bar* Cache::last_bar(const core::InstrumentId& id, core::Duration interval) const {
  return find_ptr(bars_, BarKey{id, interval.count()});
}

void Cache::clear() {
  instruments_.clear();
  accounts_.clear();
  all_orders_.clear();
  open_orders_.clear();
  open_by_instrument_.clear();
  open_by_strategy_.clear();
  venue_order_ids_.clear();
  orders_.clear();
  next_order_seq_ = 0;
  positions_.clear();
  open_positions_.clear();
  quotes_.clear();
  trades_.clear();
  marks_.clear();
  bars_.clear();
}

}  // namespace ballast::runtime
