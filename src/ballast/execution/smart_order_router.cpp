#include "ballast/execution/smart_order_router.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ballast::execution {

using core::Decimal;
using core::RoundingMode;
using model::OrderSide;

namespace {

struct Candidate {
  double effective{0.0};
  std::size_t venue{0};
  std::size_t level{0};
};

}  // namespace

core::Result<RoutePlan> route_order(OrderSide side, const Decimal& quantity, std::optional<model::Price> limit,
                                    std::span<const VenueLiquidity> venues) {
  if (!quantity.is_positive()) {
    return core::Error(core::ErrorCode::InvalidArgument, "quantity to route must be > 0", "quantity");
  }
  const bool buy = side == OrderSide::Buy;
  const OrderSide taken = buy ? OrderSide::Sell : OrderSide::Buy;
  std::vector<Candidate> candidates;
  for (std::size_t v = 0; v < venues.size(); ++v) {
    const auto& venue = venues[v];
    if (venue.instrument == nullptr || venue.book == nullptr) {
      return core::Error(core::ErrorCode::InvalidArgument, fmt::format("venues[{}]: instrument and book are required", v),
                         fmt::format("venues[{}]", v));
    }
    const double fee = venue.instrument->taker_fee_rate().to_double();
    for (std::size_t i = 0; i < venue.book->level_count(taken); ++i) {
      const auto level = venue.book->level(taken, i);
      if (limit && (buy ? level.price > *limit : level.price < *limit)) break;
      const double px = level.price.as_double();
      candidates.push_back({buy ? px * (1.0 + fee) : px * (1.0 - fee), v, i});
    }
  }
  // Best effective price first; ties to the venue listed first, then the better level.
  std::stable_sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.effective != b.effective) return buy ? a.effective < b.effective : a.effective > b.effective;
    return a.venue != b.venue ? a.venue < b.venue : a.level < b.level;
  });

  std::vector<Decimal> allocated(venues.size());
  std::vector<double> value(venues.size(), 0.0);
  std::vector<model::Price> worst(venues.size());
  Decimal left = quantity;
  for (const auto& c : candidates) {
    if (!left.is_positive()) break;
    const auto& venue = venues[c.venue];
    const auto level = venue.book->level(taken, c.level);
    Decimal take = std::min(left, level.size.value());
    if (venue.max_quantity) take = std::min(take, *venue.max_quantity - allocated[c.venue]);
    take = take.round_to_increment(venue.instrument->step_size().value(), RoundingMode::Down).value();
    if (!take.is_positive()) continue;
    allocated[c.venue] += take;
    value[c.venue] += take.to_double() * level.price.as_double();
    worst[c.venue] = level.price;
    left -= take;
  }
  RoutePlan plan;
  double total_value = 0.0;
  double total_qty = 0.0;
  for (std::size_t v = 0; v < venues.size(); ++v) {
    if (!allocated[v].is_positive()) continue;
    VenueAllocation a;
    a.instrument_id = venues[v].instrument->id();
    a.quantity = allocated[v];
    a.worst_price = worst[v];
    a.average_price = value[v] / allocated[v].to_double();
    a.expected_fee = value[v] * venues[v].instrument->multiplier().to_double() *
                     venues[v].instrument->taker_fee_rate().to_double();
    plan.expected_fees += a.expected_fee;
    total_value += value[v];
    total_qty += allocated[v].to_double();
    plan.allocations.push_back(std::move(a));
  }
  plan.unfilled = left;
  plan.average_price = total_qty > 0.0 ? total_value / total_qty : 0.0;
  return plan;
}

std::string_view to_string(AlgorithmKind kind) noexcept {
  switch (kind) {
    case AlgorithmKind::Immediate: return "IMMEDIATE";
    case AlgorithmKind::Iceberg: return "ICEBERG";
    case AlgorithmKind::Twap: return "TWAP";
    case AlgorithmKind::Vwap: return "VWAP";
  }
  return "UNKNOWN";
}

double liquidity_within(const model::OrderBook& book, OrderSide taker_side, double depth_bps) {
  const auto mid = book.mid();
  if (!mid) return 0.0;
  const double m = mid->as_double();
  const bool buy = taker_side == OrderSide::Buy;
  const OrderSide taken = buy ? OrderSide::Sell : OrderSide::Buy;
  const double bound = buy ? m * (1.0 + depth_bps / 1e4) : m * (1.0 - depth_bps / 1e4);
  double size = 0.0;
  for (std::size_t i = 0; i < book.level_count(taken); ++i) {
    const auto level = book.level(taken, i);
    const double px = level.price.as_double();
    if (buy ? px > bound : px < bound) break;
    size += level.size.as_double();
  }
  return size;
}

core::Result<AlgorithmChoice> select_algorithm(double quantity, double visible_liquidity, double average_daily_volume,
                                               analytics::VolatilityLevel volatility,
                                               const AlgorithmSelectionConfig& config) {
  if (!(quantity > 0.0) || !std::isfinite(quantity)) {
    return core::Error(core::ErrorCode::InvalidArgument, "quantity must be > 0", "quantity");
  }
  if (!(average_daily_volume > 0.0)) {
    return core::Error(core::ErrorCode::InvalidArgument, "average daily volume must be > 0", "average_daily_volume");
  }
  if (visible_liquidity < 0.0) {
    return core::Error(core::ErrorCode::InvalidArgument, "visible liquidity must be >= 0", "visible_liquidity");
  }
  AlgorithmChoice c;
  c.book_share = visible_liquidity > 0.0 ? quantity / visible_liquidity : std::numeric_limits<double>::infinity();
  c.adv_share = quantity / average_daily_volume;
  const bool fast_market =
      volatility == analytics::VolatilityLevel::High || volatility == analytics::VolatilityLevel::Extreme;
  if (c.book_share <= config.immediate_book_share) {
    c.kind = AlgorithmKind::Immediate;
    c.reason = fmt::format("{:.1f}% of the liquidity within {} bps (<= {:.1f}%): crossing now costs little",
                           100.0 * c.book_share, config.depth_bps, 100.0 * config.immediate_book_share);
    return c;
  }
  if (c.adv_share <= config.iceberg_max_adv) {
    if (fast_market) {
      c.kind = AlgorithmKind::Twap;
      c.reason = fmt::format("{:.2f}% of daily volume would suit an iceberg, but volatility is {}: resting passively "
                             "invites adverse selection, so TWAP",
                             100.0 * c.adv_share, analytics::to_string(volatility));
    } else {
      c.kind = AlgorithmKind::Iceberg;
      c.reason = fmt::format("{:.2f}% of daily volume (<= {:.2f}%): hide the size and work passively",
                             100.0 * c.adv_share, 100.0 * config.iceberg_max_adv);
    }
    return c;
  }
  if (c.adv_share <= config.twap_max_adv) {
    c.kind = AlgorithmKind::Twap;
    c.reason = fmt::format("{:.2f}% of daily volume (<= {:.2f}%): spread evenly over time", 100.0 * c.adv_share,
                           100.0 * config.twap_max_adv);
    return c;
  }
  c.kind = AlgorithmKind::Vwap;
  c.reason = fmt::format("{:.2f}% of daily volume (> {:.2f}%): follow the volume curve to limit impact{}",
                         100.0 * c.adv_share, 100.0 * config.twap_max_adv,
                         fast_market ? "; volatility is high, consider a shorter horizon" : "");
  return c;
}

}  // namespace ballast::execution
