#include "ballast/sim/bar_fill_rules.hpp"

#include "ballast/core/require.hpp"

#include <algorithm>
#include <span>

namespace ballast::sim {

namespace {

using model::LiquiditySide;
using model::OrderSide;
using model::OrderType;
using model::Price;

// The rules are written for a buy. A sell is the buy on the mirrored path (every price negated), its
// prices negated back at the end: "rises to the stop" becomes "falls to the stop", and so on.
Price mirror(const Price& p) { return Price(-p.value()); }

// Prices along the rest of a path: a start price, then the remaining corner points.
struct PathTail {
  std::array<Price, 4> points{};
  std::size_t size{0};
  std::span<const Price> view() const { return {points.data(), size}; }
};

PathTail whole(const std::array<Price, 4>& points) { return {points, 4}; }

// The first place on the tail where the price is >= level (rising through it): nullopt when it never is.
// Returns the trigger price (the start when it already is, the level otherwise) and the tail after it.
std::optional<std::pair<Price, PathTail>> first_at_or_above(const PathTail& tail, const Price& level) {
  if (tail.points[0] >= level) return std::pair{tail.points[0], tail};
  for (std::size_t k = 1; k < tail.size; ++k) {
    if (tail.points[k] >= level) {
      PathTail rest;
      rest.points[0] = level;
      for (std::size_t j = k; j < tail.size; ++j) rest.points[1 + (j - k)] = tail.points[j];
      rest.size = 1 + (tail.size - k);
      return std::pair{level, rest};
    }
  }
  return std::nullopt;
}

// The same falling through the level (price <= level).
std::optional<std::pair<Price, PathTail>> first_at_or_below(const PathTail& tail, const Price& level) {
  if (tail.points[0] <= level) return std::pair{tail.points[0], tail};
  for (std::size_t k = 1; k < tail.size; ++k) {
    if (tail.points[k] <= level) {
      PathTail rest;
      rest.points[0] = level;
      for (std::size_t j = k; j < tail.size; ++j) rest.points[1 + (j - k)] = tail.points[j];
      rest.size = 1 + (tail.size - k);
      return std::pair{level, rest};
    }
  }
  return std::nullopt;
}

// A buy limit on a tail: marketable at the start (taker), or resting until the price comes down to it.
BarMatch buy_limit_on(const PathTail& tail, const Price& limit, const BarFillOptions& options, bool triggered,
                      bool resting) {
  BarMatch m;
  m.triggered = triggered;
  if (resting && tail.points[0] <= limit) {
    m.fills = true;
    m.price = limit;
    m.liquidity = LiquiditySide::Maker;
    return m;
  }
  if (tail.points[0] <= limit) {
    m.fills = true;
    m.price = tail.points[0];
    m.liquidity = LiquiditySide::Taker;
    return m;
  }
  const auto pts = tail.view();
  const Price low = *std::min_element(pts.begin(), pts.end());
  if (low < limit || (low == limit && !options.limit_needs_trade_through)) {
    m.fills = true;
    m.price = limit;
    m.liquidity = LiquiditySide::Maker;
  }
  return m;
}

BarMatch taker_at(const Price& price) {
  BarMatch m;
  m.triggered = true;
  m.fills = true;
  m.price = price;
  m.liquidity = LiquiditySide::Taker;
  return m;
}

core::Error missing(std::string_view what, OrderType type) {
  return core::Error(core::ErrorCode::InvalidArgument,
                     std::string(model::to_string(type)) + " order has no " + std::string(what), std::string(what));
}

core::Result<BarMatch> match_buy(const BarOrderTerms& o, const PathTail& path, const BarFillOptions& options) {
  switch (o.type) {
    case OrderType::Market:
      return taker_at(path.points[0]);
    case OrderType::Limit: {
      if (!o.price) return missing("price", o.type);
      BarMatch m = buy_limit_on(path, *o.price, options, false, o.resting);
      m.triggered = false;
      return m;
    }
    case OrderType::StopMarket: {
      if (!o.trigger_price) return missing("trigger_price", o.type);
      if (o.triggered) return taker_at(path.points[0]);
      const auto hit = first_at_or_above(path, *o.trigger_price);
      if (!hit) return BarMatch{};
      return taker_at(hit->first);
    }
    case OrderType::StopLimit: {
      if (!o.trigger_price) return missing("trigger_price", o.type);
      if (!o.price) return missing("price", o.type);
      if (o.triggered) return buy_limit_on(path, *o.price, options, true, o.resting);
      const auto hit = first_at_or_above(path, *o.trigger_price);
      if (!hit) return BarMatch{};
      return buy_limit_on(hit->second, *o.price, options, true, false);
    }
    case OrderType::TakeProfit: {
      if (!o.trigger_price) return missing("trigger_price", o.type);
      if (o.triggered) {
        return o.price ? buy_limit_on(path, *o.price, options, true, o.resting) : taker_at(path.points[0]);
      }
      const auto hit = first_at_or_below(path, *o.trigger_price);
      if (!hit) return BarMatch{};
      return o.price ? buy_limit_on(hit->second, *o.price, options, true, false) : taker_at(hit->first);
    }
  }
  return BarMatch{};
}

}  // namespace

BarPath bar_path(const model::Bar& bar) {
  BALLAST_REQUIRE(bar.is_consistent(), "bar_path needs low <= open, close <= high");
  BarPath path;
  // Distances from the open to each extreme; the nearer one comes first, the high on a tie.
  const auto up = (bar.high - bar.open).value();
  const auto down = (bar.open - bar.low).value();
  path.high_first = up <= down;
  path.points = {bar.open, path.high_first ? bar.high : bar.low, path.high_first ? bar.low : bar.high, bar.close};
  return path;
}

core::Result<BarMatch> match_on_bar(const BarOrderTerms& order, const BarPath& path, const BarFillOptions& options) {
  if (order.side == OrderSide::Buy) return match_buy(order, whole(path.points), options);
  BarOrderTerms mirrored = order;
  if (order.price) mirrored.price = mirror(*order.price);
  if (order.trigger_price) mirrored.trigger_price = mirror(*order.trigger_price);
  PathTail tail;
  for (std::size_t i = 0; i < 4; ++i) tail.points[i] = mirror(path.points[i]);
  tail.size = 4;
  auto match = match_buy(mirrored, tail, options);
  if (match && match->fills) match->price = mirror(match->price);
  return match;
}

}  // namespace ballast::sim
