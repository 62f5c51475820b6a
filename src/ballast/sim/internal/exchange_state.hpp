#pragma once
// Private to sim: the simulated exchange's per-order and per-instrument state, shared by
// simulated_exchange.cpp (requests, bars, trades) and simulated_exchange_book.cpp (L2 matching).

#include "ballast/sim/simulated_exchange.hpp"

#include <algorithm>
#include <deque>

namespace ballast::sim {

struct SimulatedExchange::WorkingOrder {
  std::uint64_t sequence{0};  // priority: lower first
  model::OrderSpec spec{};
  core::VenueOrderId venue_order_id{};
  model::Quantity filled{};
  model::Quantity leaves{};
  bool triggered{false};
  bool had_opportunity{false};  // met market data since it arrived (IOC/FOK/post-only decide there)
  std::optional<core::Decimal> queue_ahead{};  // L2 mode: size ahead of us at our price level
};

struct SimulatedExchange::Book {
  const model::Instrument* instrument{nullptr};
  // Ascending sequence. A deque: a fill or cancel removes its order by moving the shorter side, so the
  // oldest orders filling first (the usual case) move almost nothing, where a vector moved every order
  // behind them (seconds per bar with 100,000 market orders waiting for volume).
  std::deque<WorkingOrder> orders;
  std::optional<model::Price> best_bid;
  std::optional<model::Price> best_ask;
  core::Decimal position{};  // signed, from our fills
  ImpactInputs impact{};
  bool has_book{false};  // L2 mode: resting limits track queue position

  // The working order with this sequence, or orders.end(). Binary search: `orders` is kept in ascending
  // sequence (new and modified orders are appended with the next sequence), so matching a bar against N
  // resting orders costs O(N log N), not O(N²).
  std::deque<WorkingOrder>::iterator find(std::uint64_t sequence) {
    const auto it = std::lower_bound(orders.begin(), orders.end(), sequence,
                                     [](const WorkingOrder& o, std::uint64_t s) { return o.sequence < s; });
    return it != orders.end() && it->sequence == sequence ? it : orders.end();
  }
};

namespace internal {

// An order event of type E for the order `spec`, stamped at `ts` (event and init time).
template <class E>
E stamp(const model::OrderSpec& spec, core::UnixNanos ts) {
  E e;
  e.client_order_id = spec.client_order_id;
  e.strategy_id = spec.strategy_id;
  e.account_id = spec.account_id;
  e.instrument_id = spec.instrument_id;
  e.ts_event = ts;
  e.ts_init = ts;
  return e;
}

}  // namespace internal

}  // namespace ballast::sim
