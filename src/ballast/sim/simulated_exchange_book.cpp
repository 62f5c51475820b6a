// L2 matching of the simulated exchange: taker orders walk the book, resting limits keep a queue
// position (docs/sim.md, "L2 books").

#include "ballast/sim/internal/exchange_state.hpp"
#include "ballast/sim/simulated_exchange.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace ballast::sim {

using core::Decimal;
using core::UnixNanos;
using model::LiquiditySide;
using model::OrderSide;
using model::OrderType;
using model::Price;
using model::Quantity;
using model::TimeInForce;

namespace {

// Liquidity we took from each level within one book event, so two of our orders never both take it.
class Taken {
 public:
  Decimal at(const Price& price) const {
    for (const auto& [p, q] : levels_) {
      if (p == price) return q;
    }
    return Decimal{};
  }
  void add(const Price& price, const Decimal& quantity) {
    for (auto& [p, q] : levels_) {
      if (p == price) {
        q += quantity;
        return;
      }
    }
    levels_.emplace_back(price, quantity);
  }

 private:
  std::vector<std::pair<Price, Decimal>> levels_;
};

bool crosses(OrderSide side, const std::optional<Price>& opposite_best, const Price& limit) {
  if (!opposite_best) return false;
  return side == OrderSide::Buy ? *opposite_best <= limit : *opposite_best >= limit;
}

}  // namespace

bool SimulatedExchange::book_fill(std::size_t b, std::size_t index, const Decimal& quantity, const Price& price,
                                  LiquiditySide liquidity, UnixNanos ts) {
  Book& book = *books_[b];
  WorkingOrder& o = book.orders[index];
  auto fill = make_fill(b, o, Quantity(quantity), price, liquidity, ts, /*apply_slippage=*/false);
  if (!fill) {
    expire_working(b, index, ts);
    return false;
  }
  book.position += fill->signed_qty();
  o.filled = Quantity(o.filled.value() + quantity);
  o.leaves = Quantity(o.leaves.value() - quantity);
  auto e = internal::stamp<model::OrderFilled>(o.spec, ts);
  e.fill = *fill;
  fills_.push_back(*fill);
  const bool done = o.leaves.is_zero();
  if (done) remove_working(b, index);
  sink_->on_order_event(e);
  return !done;
}

core::Status SimulatedExchange::on_book(const model::OrderBook& l2, UnixNanos ts) {
  const auto b = book_of(l2.instrument_id());
  if (!b) {
    return core::Error(core::ErrorCode::NotFound,
                       "book for " + l2.instrument_id().to_string() + ", which this venue does not list",
                       "instrument_id");
  }
  if (l2.needs_resync()) {
    return core::Error(core::ErrorCode::InvalidState,
                       "book for " + l2.instrument_id().to_string() + " is out of sync (needs a snapshot)", "book");
  }
  advance_to(ts);
  match_book(*b, l2, ts);
  return core::ok();
}

void SimulatedExchange::match_book(std::size_t b, const model::OrderBook& l2, UnixNanos ts) {
  Book& book = *books_[b];
  book.has_book = true;
  book.best_bid = l2.best_bid_price();
  book.best_ask = l2.best_ask_price();
  Taken taken_bids;
  Taken taken_asks;

  std::vector<std::uint64_t> sequence;
  sequence.reserve(book.orders.size());
  for (const auto& o : book.orders) sequence.push_back(o.sequence);
  for (const std::uint64_t seq : sequence) {
    const auto it = book.find(seq);
    if (it == book.orders.end()) continue;
    auto index = static_cast<std::size_t>(it - book.orders.begin());
    WorkingOrder& o = *it;
    const bool first_opportunity = !o.had_opportunity;
    o.had_opportunity = true;
    const OrderSide side = o.spec.side;
    const bool buy = side == OrderSide::Buy;
    const OrderSide opposite = buy ? OrderSide::Sell : OrderSide::Buy;
    const std::optional<Price> opposite_best = buy ? book.best_ask : book.best_bid;
    const TimeInForce tif = o.spec.time_in_force;
    const bool immediate = tif == TimeInForce::Ioc || tif == TimeInForce::Fok;

    // Triggers: a buy stop when the ask reaches it, a sell stop when the bid does; take-profits the other way.
    if (!o.triggered && o.spec.trigger_price && opposite_best) {
      const Price& t = *o.spec.trigger_price;
      const bool stop = o.spec.type == OrderType::StopMarket || o.spec.type == OrderType::StopLimit;
      if (stop ? (buy ? *opposite_best >= t : *opposite_best <= t) : (buy ? *opposite_best <= t : *opposite_best >= t)) {
        o.triggered = true;
      }
    }
    if (o.spec.trigger_price && !o.triggered) {
      if (immediate && first_opportunity) expire_working(b, index, ts);
      continue;
    }
    const std::optional<Price> limit = o.spec.price;

    if (o.queue_ahead) {  // resting in the book
      if (crosses(side, opposite_best, *limit)) {
        // The market quotes through our level: everything ahead of us and we traded.
        Decimal quantity = o.leaves.value();
        if (o.spec.reduce_only) {
          const bool reduces = buy ? book.position.is_negative() : book.position.is_positive();
          if (!reduces) {
            expire_working(b, index, ts);
            continue;
          }
          quantity = std::min(quantity, book.position.abs());
        }
        book_fill(b, index, quantity, *limit, LiquiditySide::Maker, ts);
      } else {
        o.queue_ahead = std::min(*o.queue_ahead, l2.size_at(side, *limit).value());
      }
      continue;
    }

    const bool marketable = !limit || crosses(side, opposite_best, *limit);
    if (!marketable) {
      if (immediate) {
        expire_working(b, index, ts);
      } else {
        o.queue_ahead = l2.size_at(side, *limit).value();  // join the back of the queue
      }
      continue;
    }
    if (o.spec.post_only) {
      expire_working(b, index, ts);
      continue;
    }
    Decimal target = o.leaves.value();
    if (o.spec.reduce_only) {
      const bool reduces = buy ? book.position.is_negative() : book.position.is_positive();
      if (!reduces) {
        expire_working(b, index, ts);
        continue;
      }
      target = std::min(target, book.position.abs());
    }
    Taken& taken = buy ? taken_asks : taken_bids;
    const auto acceptable = [&](const Price& p) { return !limit || (buy ? p <= *limit : p >= *limit); };
    if (tif == TimeInForce::Fok) {
      Decimal available{};
      for (std::size_t i = 0; i < l2.level_count(opposite); ++i) {
        const auto level = l2.level(opposite, i);
        if (!acceptable(level.price)) break;
        available += level.size.value() - taken.at(level.price);
      }
      if (available < target) {
        expire_working(b, index, ts);
        continue;
      }
    }
    bool alive = true;
    Decimal remaining = target;
    for (std::size_t i = 0; alive && remaining.is_positive() && i < l2.level_count(opposite); ++i) {
      const auto level = l2.level(opposite, i);
      if (!acceptable(level.price)) break;
      const Decimal available = level.size.value() - taken.at(level.price);
      if (!available.is_positive()) continue;
      const Decimal quantity = std::min(remaining, available);
      taken.add(level.price, quantity);
      remaining -= quantity;
      alive = book_fill(b, index, quantity, level.price, LiquiditySide::Taker, ts);
    }
    if (!alive) continue;
    // book_fill keeps the index valid while the order lives.
    WorkingOrder& rest = book.orders[index];
    if (tif == TimeInForce::Ioc || (rest.spec.reduce_only && book.position.is_zero())) {
      expire_working(b, index, ts);
    } else if (limit) {
      rest.queue_ahead = l2.size_at(side, *limit).value();  // the remainder rests at its limit
    }
  }
}

void SimulatedExchange::match_trade_queue(std::size_t b, const model::TradeTick& trade) {
  Book& book = *books_[b];
  std::vector<std::uint64_t> sequence;
  for (const auto& o : book.orders) {
    if (o.queue_ahead) sequence.push_back(o.sequence);
  }
  // The queue at the trade's price: the market's size ahead of each of our orders, then our orders in
  // time priority. A trade of size s first takes what is ahead (q_k, the same market queue for all our
  // orders there, possibly measured at different times), then our earlier orders, then this one.
  const Decimal size = trade.size.value();
  Decimal ours_filled_at_level{};
  for (const std::uint64_t seq : sequence) {
    const auto it = book.find(seq);
    if (it == book.orders.end()) continue;
    const auto index = static_cast<std::size_t>(it - book.orders.begin());
    WorkingOrder& o = *it;
    const bool buy = o.spec.side == OrderSide::Buy;
    const Price& limit = *o.spec.price;
    const bool through = buy ? trade.price < limit : trade.price > limit;
    // A trade at our price by an aggressor on our own side cannot have hit our resting order.
    const bool at_level = trade.price == limit &&
                          trade.aggressor != (buy ? model::AggressorSide::Buyer : model::AggressorSide::Seller);
    if (!through && !at_level) continue;
    Decimal quantity = o.leaves.value();
    if (at_level) {
      const Decimal ahead = *o.queue_ahead;
      const Decimal reaching_us = size - ahead - ours_filled_at_level;
      o.queue_ahead = ahead > size ? ahead - size : Decimal{};
      if (!reaching_us.is_positive()) continue;
      quantity = std::min(quantity, reaching_us);
    }
    if (o.spec.reduce_only) {
      const bool reduces = buy ? book.position.is_negative() : book.position.is_positive();
      if (!reduces) {
        expire_working(b, index, trade.ts_event);
        continue;
      }
      quantity = std::min(quantity, book.position.abs());
    }
    if (!quantity.is_positive()) continue;
    if (at_level) ours_filled_at_level += quantity;
    book_fill(b, index, quantity, limit, LiquiditySide::Maker, trade.ts_event);
  }
}

}  // namespace ballast::sim
