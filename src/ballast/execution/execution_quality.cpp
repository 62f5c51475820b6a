#include "ballast/execution/execution_quality.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ballast::execution {

core::Result<ExecutionQuality> measure_execution(const ExecutionQualityInputs& in) {
  if (in.instrument == nullptr) {
    return core::Error(core::ErrorCode::InvalidArgument, "execution quality needs the instrument", "instrument");
  }
  if (!in.arrival_price.is_positive()) {
    return core::Error(core::ErrorCode::InvalidArgument, "arrival price must be > 0", "arrival_price");
  }
  if (!in.parent_quantity.is_positive()) {
    return core::Error(core::ErrorCode::InvalidArgument, "parent quantity must be > 0", "parent_quantity");
  }
  const double side = in.side == model::OrderSide::Buy ? 1.0 : -1.0;
  const double arrival = in.arrival_price.as_double();
  const double multiplier = in.instrument->multiplier().to_double();
  ExecutionQuality q;
  q.child_orders = in.child_orders;
  double value = 0.0;
  for (std::size_t i = 0; i < in.fills.size(); ++i) {
    const model::Fill& f = in.fills[i];
    if (f.side != in.side || f.instrument_id != in.instrument->id()) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("fills[{}] is a {} of {}, not a {} of {}", i, model::to_string(f.side),
                                     f.instrument_id.to_string(), model::to_string(in.side),
                                     in.instrument->id().to_string()),
                         fmt::format("fills[{}]", i));
    }
    q.filled += f.last_qty.as_double();
    value += f.last_qty.as_double() * f.last_px.as_double();
    if (f.commission.currency() == in.instrument->settlement_currency()) q.fees += f.commission.as_double();
  }
  q.fill_rate = q.filled / in.parent_quantity.as_double();
  if (q.filled > 0.0) {
    const double average = value / q.filled;
    q.average_price = average;
    q.arrival_slippage_bps = side * (average - arrival) / arrival * 1e4;
    q.fees_bps = q.fees / (q.filled * arrival * multiplier) * 1e4;
    q.total_cost_bps = *q.arrival_slippage_bps + *q.fees_bps;
    if (in.market_vwap && *in.market_vwap > 0.0) {
      q.vwap_deviation_bps = side * (average - *in.market_vwap) / *in.market_vwap * 1e4;
    }
  }
  if (in.residual_price) {
    if (!in.residual_price->is_positive()) {
      return core::Error(core::ErrorCode::InvalidArgument, "residual price must be > 0", "residual_price");
    }
    const double unfilled = std::max(0.0, in.parent_quantity.as_double() - q.filled);
    q.opportunity_cost_bps = unfilled > 0.0 ? side * (in.residual_price->as_double() - arrival) / arrival * unfilled /
                                                  in.parent_quantity.as_double() * 1e4
                                            : 0.0;  // (not −0 for a sell)
    q.shortfall_bps = (q.total_cost_bps ? q.fill_rate * *q.total_cost_bps : 0.0) + *q.opportunity_cost_bps;
  }
  if (in.daily_volatility && in.daily_volume && *in.daily_volume > 0.0) {
    q.impact_estimate_bps =
        in.impact_coefficient * *in.daily_volatility * std::sqrt(in.parent_quantity.as_double() / *in.daily_volume) * 1e4;
  }
  return q;
}

std::optional<double> market_vwap(std::span<const model::Bar> bars, core::UnixNanos start, core::UnixNanos end) {
  double value = 0.0;
  double volume = 0.0;
  for (const auto& b : bars) {
    if (b.ts_event < start || !(b.ts_event < end)) continue;
    const double v = b.volume.as_double();
    value += v * (b.high.as_double() + b.low.as_double() + b.close.as_double()) / 3.0;
    volume += v;
  }
  if (!(volume > 0.0)) return std::nullopt;
  return value / volume;
}

}  // namespace ballast::execution
