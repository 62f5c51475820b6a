#pragma once
// Bars to the double columns the indicators take. This is the explicit boundary where exact
// fixed-point prices and quantities (model::Price, model::Quantity) become doubles for analytics;
// nothing is rounded beyond the nearest double.

#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"

#include <span>
#include <vector>

namespace ballast::analytics {

struct BarColumns {
  std::vector<core::UnixNanos> ts_event;  // interval start, for vwap_utc_day
  std::vector<double> open;
  std::vector<double> high;
  std::vector<double> low;
  std::vector<double> close;
  std::vector<double> volume;
};

BarColumns to_columns(std::span<const model::Bar> bars);

}  // namespace ballast::analytics
