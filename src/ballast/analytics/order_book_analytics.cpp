#include "ballast/analytics/order_book_analytics.hpp"

#include "ballast/core/decimal.hpp"
#include "ballast/model/enums.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace ballast::analytics {
namespace {

using model::BookLevel;
using model::OrderBook;
using model::OrderSide;

constexpr int kBpsScale = 6;  // N is resolved to 1e-6 bps
constexpr double kMaxBps = 10'000.0;

core::Error invalid(std::string message, std::string where = {}) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}
core::Error bad_state(std::string message) {
  return core::Error(core::ErrorCode::InvalidState, std::move(message));
}

core::Status check_book(const OrderBook& book) {
  if (book.empty()) return bad_state(fmt::format("order book of {} is empty", book.instrument_id().value()));
  if (book.needs_resync()) {
    return bad_state(
        fmt::format("order book of {} needs a resync; its levels are stale", book.instrument_id().value()));
  }
  return core::ok();
}

core::Result<model::Price> positive_mid(const OrderBook& book) {
  const auto mid = book.mid();
  if (!mid) {
    return bad_state(fmt::format("a mid needs both sides of the book ({} bid levels, {} ask levels)",
                                 book.level_count(OrderSide::Buy), book.level_count(OrderSide::Sell)));
  }
  if (!mid->is_positive()) {
    return bad_state(fmt::format("basis points need a positive mid, got {}", mid->to_string()));
  }
  return *mid;
}

core::Status check_bps(double bps) {
  if (!std::isfinite(bps) || bps <= 0.0 || bps > kMaxBps) {
    return invalid(fmt::format("bps must be in (0, {}], got {}", kMaxBps, bps), "bps");
  }
  return core::ok();
}

// mid·N/10⁴ (see the header): exact within 18 places, else rounded toward zero.
core::Result<core::Decimal> band_offset(const core::Decimal& mid, double bps) {
  auto n = core::Decimal::from_double(bps, kBpsScale, core::RoundingMode::HalfEven);
  if (!n) return n.error();
  const int product_scale = std::min(core::Decimal::kMaxScale, mid.scale() + kBpsScale);
  auto product = mid.checked_mul(*n, product_scale, core::RoundingMode::TowardZero);
  if (!product) return product.error();
  const int offset_scale = std::min(core::Decimal::kMaxScale, product_scale + 4);
  return product->checked_div(core::Decimal::from_int(10'000), offset_scale, core::RoundingMode::TowardZero);
}

struct Band {
  core::Decimal mid;
  core::Decimal lower;
  core::Decimal upper;
};

core::Result<Band> band_of(const OrderBook& book, double bps) {
  BALLAST_TRY(check_bps(bps));
  BALLAST_TRY(check_book(book));
  auto mid = positive_mid(book);
  if (!mid) return mid.error();
  auto offset = band_offset(mid->value(), bps);
  if (!offset) return offset.error();
  auto lower = mid->value().checked_sub(*offset);
  if (!lower) return lower.error();
  auto upper = mid->value().checked_add(*offset);
  if (!upper) return upper.error();
  return Band{mid->value(), *lower, *upper};
}

// Levels of `side` from the best outward while `inside` holds.
template <class Inside>
SideDepth side_depth(const OrderBook& book, OrderSide side, Inside inside) {
  SideDepth d;
  model::Quantity total;
  for (std::size_t i = 0; i < book.level_count(side); ++i) {
    const BookLevel level = book.level(side, i);
    if (!inside(level.price.value())) break;
    total += level.size;
    d.notional += level.price.as_double() * level.size.as_double();
    ++d.levels;
  }
  d.quantity = total.as_double();
  return d;
}

BookImbalance imbalance_of(double bid, double ask) {
  BookImbalance b;
  b.bid_quantity = bid;
  b.ask_quantity = ask;
  const double total = bid + ask;
  b.imbalance = total > 0.0 ? (bid - ask) / total : 0.0;
  return b;
}

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  if (n % 2 == 1) return values[n / 2];
  return values[n / 2 - 1] + (values[n / 2] - values[n / 2 - 1]) / 2.0;
}

struct SideLiquidity {
  double median = 0.0;
  std::vector<SignificantLevel> significant;
  std::vector<LiquidityZone> zones;
};

core::Result<SideLiquidity> side_liquidity(const OrderBook& book, OrderSide side, const LiquidityZoneConfig& config) {
  SideLiquidity out;
  const std::size_t available = book.level_count(side);
  const std::size_t n = config.max_levels == 0 ? available : std::min(available, config.max_levels);
  if (n == 0) return out;
  std::vector<BookLevel> levels;
  std::vector<double> sizes;
  levels.reserve(n);
  sizes.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    levels.push_back(book.level(side, i));
    sizes.push_back(levels.back().size.as_double());
  }
  const double best = levels.front().price.as_double();
  if (!(best > 0.0)) {
    return bad_state(
        fmt::format("distances in bps need a positive best price, got {}", levels.front().price.to_string()));
  }
  out.median = median_of(sizes);
  const double threshold = config.size_multiple * out.median;
  std::int64_t previous_ticks = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(sizes[i] > threshold)) continue;
    const double price = levels[i].price.as_double();
    SignificantLevel s;
    s.side = side;
    s.price = price;
    s.size = sizes[i];
    s.notional = price * sizes[i];
    s.size_to_median = sizes[i] / out.median;
    s.distance_bps = std::abs(price - best) / best * 1e4;
    out.significant.push_back(s);
    auto ticks = book.ticks_of(levels[i].price);
    if (!ticks) return ticks.error();
    const bool merge = !out.zones.empty() && std::abs(*ticks - previous_ticks) <= config.merge_ticks;
    previous_ticks = *ticks;
    if (!merge) {
      LiquidityZone z;
      z.side = side;
      z.price_low = price;
      z.price_high = price;
      z.distance_bps = s.distance_bps;
      out.zones.push_back(z);
    }
    LiquidityZone& z = out.zones.back();
    z.price_low = std::min(z.price_low, price);
    z.price_high = std::max(z.price_high, price);
    z.size += s.size;
    z.notional += s.notional;
    ++z.levels;
    if (s.size > z.peak_size) {
      z.peak_size = s.size;
      z.peak_price = price;
    }
  }
  return out;
}

// Σ raw × 10^(scale − its scale) in 128 bits: a quantity at a common scale.
core::Int128 at_scale(const model::Quantity& q, int scale) {
  return static_cast<core::Int128>(q.value().raw()) * core::pow10_i64(scale - q.precision());
}

}  // namespace

core::Result<DepthBand> depth_within_bps(const OrderBook& book, double bps) {
  auto band = band_of(book, bps);
  if (!band) return band.error();
  DepthBand d;
  d.bps = bps;
  d.mid = band->mid.to_double();
  d.lower_price = band->lower.to_double();
  d.upper_price = band->upper.to_double();
  d.bid = side_depth(book, OrderSide::Buy, [&](const core::Decimal& p) { return p >= band->lower; });
  d.ask = side_depth(book, OrderSide::Sell, [&](const core::Decimal& p) { return p <= band->upper; });
  return d;
}

core::Result<BookImbalance> imbalance_top_levels(const OrderBook& book, std::size_t levels) {
  if (levels < 1) return invalid("levels must be >= 1", "levels");
  BALLAST_TRY(check_book(book));
  return imbalance_of(book.cumulative_size(OrderSide::Buy, levels).as_double(),
                      book.cumulative_size(OrderSide::Sell, levels).as_double());
}

core::Result<BookImbalance> imbalance_within_bps(const OrderBook& book, double bps) {
  auto depth = depth_within_bps(book, bps);
  if (!depth) return depth.error();
  return imbalance_of(depth->bid.quantity, depth->ask.quantity);
}

core::Result<double> microprice(const OrderBook& book) {
  BALLAST_TRY(check_book(book));
  const auto bid = book.best_bid();
  const auto ask = book.best_ask();
  if (!bid || !ask) {
    return bad_state(fmt::format("a microprice needs both sides of the book ({} bid levels, {} ask levels)",
                                 book.level_count(OrderSide::Buy), book.level_count(OrderSide::Sell)));
  }
  const long double bid_size = bid->size.as_double();
  const long double ask_size = ask->size.as_double();
  const long double weighted = bid->price.as_double() * ask_size + ask->price.as_double() * bid_size;
  return static_cast<double>(weighted / (bid_size + ask_size));
}

core::Status validate(const LiquidityZoneConfig& config) {
  if (!std::isfinite(config.size_multiple) || config.size_multiple <= 0.0) {
    return invalid(fmt::format("size_multiple must be finite and > 0, got {}", config.size_multiple), "size_multiple");
  }
  if (config.merge_ticks < 1) {
    return invalid(fmt::format("merge_ticks must be >= 1, got {}", config.merge_ticks), "merge_ticks");
  }
  return core::ok();
}

core::Result<LiquidityMap> liquidity_zones(const OrderBook& book, const LiquidityZoneConfig& config) {
  BALLAST_TRY(validate(config));
  BALLAST_TRY(check_book(book));
  auto bids = side_liquidity(book, OrderSide::Buy, config);
  if (!bids) return bids.error();
  auto asks = side_liquidity(book, OrderSide::Sell, config);
  if (!asks) return asks.error();
  LiquidityMap map;
  map.bid_median_size = bids->median;
  map.ask_median_size = asks->median;
  map.bid_zones = std::move(bids->zones);
  map.ask_zones = std::move(asks->zones);
  map.significant_levels = std::move(bids->significant);
  map.significant_levels.insert(map.significant_levels.end(), asks->significant.begin(), asks->significant.end());
  // Stable: equal sizes keep bids before asks, each nearest the touch first.
  std::stable_sort(map.significant_levels.begin(), map.significant_levels.end(),
                   [](const SignificantLevel& a, const SignificantLevel& b) { return a.size > b.size; });
  return map;
}

core::Result<MarketImpact> estimate_market_impact(const OrderBook& book, OrderSide side,
                                                  const model::Quantity& quantity) {
  if (!quantity.is_positive()) {
    return invalid(fmt::format("quantity must be > 0, got {}", quantity.to_string()), "quantity");
  }
  BALLAST_TRY(check_book(book));
  auto mid = positive_mid(book);
  if (!mid) return mid.error();
  const OrderSide walked = model::opposite(side);

  struct Take {
    std::int64_t ticks;
    model::Quantity size;
    double price;
  };
  std::vector<Take> takes;
  model::Quantity remaining = quantity;
  int scale = quantity.precision();
  for (std::size_t i = 0; i < book.level_count(walked) && remaining.is_positive(); ++i) {
    const BookLevel level = book.level(walked, i);
    const model::Quantity take = std::min(remaining, level.size);
    auto ticks = book.ticks_of(level.price);
    if (!ticks) return ticks.error();
    takes.push_back(Take{*ticks, take, level.price.as_double()});
    scale = std::max(scale, take.precision());
    remaining -= take;
  }

  core::Int128 cost = 0;    // Σ ticks × size, size at `scale`
  core::Int128 filled = 0;  // Σ size at `scale`
  // |Σ ticks × size| stays far below 2¹²⁷ for any real book; the guard keeps an absurd one defined.
  const core::Int128 limit = (static_cast<core::Int128>(1) << 120);
  for (const Take& t : takes) {
    const core::Int128 size = at_scale(t.size, scale);
    const core::Int128 ticks = t.ticks < 0 ? -static_cast<core::Int128>(t.ticks) : static_cast<core::Int128>(t.ticks);
    if (size > 0 && ticks > (limit - (cost < 0 ? -cost : cost)) / size) {
      return core::Error(core::ErrorCode::Overflow, "market impact notional overflows 128 bits");
    }
    cost += static_cast<core::Int128>(t.ticks) * size;
    filled += size;
  }

  MarketImpact m;
  m.side = side;
  m.mid = mid->as_double();
  m.requested_quantity = quantity.as_double();
  m.unfilled_quantity = remaining.as_double();
  m.filled_quantity = (quantity - remaining).as_double();
  m.too_thin = remaining.is_positive();
  m.levels_consumed = takes.size();
  m.best_price = book.level(walked, 0).price.as_double();
  if (!(m.best_price > 0.0)) {
    return bad_state(
        fmt::format("slippage in bps needs a positive touch price, got {}", book.level(walked, 0).price.to_string()));
  }
  m.worst_price = takes.back().price;
  const long double tick = book.tick_size().as_double();
  const long double unit = static_cast<long double>(core::pow10_i64(scale));
  m.average_price = static_cast<double>(tick * static_cast<long double>(cost) / static_cast<long double>(filled));
  m.notional = static_cast<double>(tick * static_cast<long double>(cost) / unit);
  const double sign = side == OrderSide::Buy ? 1.0 : -1.0;
  m.slippage_bps = sign * (m.average_price - m.mid) / m.mid * 1e4;
  m.slippage_vs_best_bps = sign * (m.average_price - m.best_price) / m.best_price * 1e4;
  m.impact_cost = sign * (m.average_price - m.mid) * m.filled_quantity;
  return m;
}

}  // namespace ballast::analytics
