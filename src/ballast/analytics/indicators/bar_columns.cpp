#include "ballast/analytics/indicators/bar_columns.hpp"

namespace ballast::analytics {

BarColumns to_columns(std::span<const model::Bar> bars) {
  BarColumns c;
  c.ts_event.reserve(bars.size());
  c.open.reserve(bars.size());
  c.high.reserve(bars.size());
  c.low.reserve(bars.size());
  c.close.reserve(bars.size());
  c.volume.reserve(bars.size());
  for (const model::Bar& b : bars) {
    c.ts_event.push_back(b.ts_event);
    c.open.push_back(b.open.as_double());
    c.high.push_back(b.high.as_double());
    c.low.push_back(b.low.as_double());
    c.close.push_back(b.close.as_double());
    c.volume.push_back(b.volume.as_double());
  }
  return c;
}

}  // namespace ballast::analytics
