#include "ballast/data/resample.hpp"

#include <fmt/format.h>

namespace ballast::data {
namespace {

using core::Error;
using core::ErrorCode;

core::UnixNanos bucket_start(core::UnixNanos t, core::Duration target, core::Duration origin) {
  return core::floor_to(t - origin, target) + origin;
}

}  // namespace

core::Result<ResampledBars> resample_bars(const model::BarSeries& source, core::Duration target,
                                          const ResampleOptions& options) {
  const core::Duration step = source.interval;
  if (step.count() <= 0) {
    return Error(ErrorCode::InvalidArgument,
                 "the source interval is unknown (0); set BarSeries::interval before resampling", "interval");
  }
  if (target.count() <= 0 || target.count() % step.count() != 0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("target interval {} is not a positive multiple of the source interval {}",
                             core::format_duration(target), core::format_duration(step)),
                 "target");
  }

  ResampledBars out;
  out.series.instrument_id = source.instrument_id;
  out.series.interval = target;
  const auto& bars = source.bars;
  if (bars.empty()) return out;
  out.series.bars.reserve(bars.size() / static_cast<std::size_t>(target.count() / step.count()) + 2);

  model::Bar* current = nullptr;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const model::Bar& bar = bars[i];
    if (i > 0 && bar.ts_event <= bars[i - 1].ts_event) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("bar {} at {} is not after the bar before it at {}", i,
                               core::format_iso8601(bar.ts_event), core::format_iso8601(bars[i - 1].ts_event)),
                   fmt::format("bars[{}]", i));
    }
    if (bucket_start(bar.ts_event, step, options.origin) != bar.ts_event) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("bar {} at {} is not aligned to the {} grid and would straddle two buckets", i,
                               core::format_iso8601(bar.ts_event), core::format_duration(step)),
                   fmt::format("bars[{}]", i));
    }
    const core::UnixNanos start = bucket_start(bar.ts_event, target, options.origin);
    if (current == nullptr || current->ts_event != start) {
      current = &out.series.bars.emplace_back(
          model::Bar{start, start + target, bar.open, bar.high, bar.low, bar.close, bar.volume});
      continue;
    }
    if (bar.high > current->high) current->high = bar.high;
    if (bar.low < current->low) current->low = bar.low;
    current->close = bar.close;
    current->volume += bar.volume;
  }

  out.first_bucket_partial = bars.front().ts_event > out.series.bars.front().ts_event;
  out.last_bucket_partial = bars.back().ts_event + step < out.series.bars.back().ts_recv;
  if (options.partial_buckets == PartialBucketPolicy::Drop) {
    auto& kept = out.series.bars;
    if (kept.size() == 1) {
      if (out.first_bucket_partial || out.last_bucket_partial) kept.clear();
    } else {
      if (out.last_bucket_partial) kept.pop_back();
      if (out.first_bucket_partial) kept.erase(kept.begin());
    }
    out.first_bucket_partial = false;
    out.last_bucket_partial = false;
  }
  return out;
}

}  // namespace ballast::data
