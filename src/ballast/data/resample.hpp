#pragma once
// Resampling bars to a coarser interval (1m → 5m, 15m, 1h, 4h, 1d, …).
//
// Buckets are UTC-aligned: a source bar starting at t falls in the bucket starting at
// floor_to(t − origin, target) + origin (core::floor_to), with origin 0 by default, so 1d buckets start at
// 00:00 UTC and 1w buckets on Thursdays (1970-01-01 was a Thursday; pass origin = 4d for Mondays).
// Each output bar: open = first open, high = max high, low = min low, close = last close, volume = sum
// (exact decimals); ts_event = bucket start, ts_recv = bucket start + target.
//
// Partial buckets. Only the two ends of a series can be incomplete: the first bucket when the data starts
// after the bucket start, the last when the data ends before the bucket end (the last source bar's
// ts_event + source interval < bucket end). PartialBucketPolicy::Keep (the default) keeps them and flags them in the
// result; Drop leaves them out. A bucket in the middle with missing source bars (a market closed overnight, a gap in
// the feed) is complete in time and built from the bars it has; it is never flagged.
//
// Errors: the source interval is unknown (0) or the target is not a positive multiple of it; source bars
// not strictly increasing or not aligned to the source interval (a bar that would straddle two buckets).

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::data {

enum class PartialBucketPolicy { Keep, Drop };

struct ResampleOptions {
  PartialBucketPolicy partial_buckets = PartialBucketPolicy::Keep;
  core::Duration origin{0};  // shifts the bucket grid, e.g. 4d for weeks starting on Monday
};

struct ResampledBars {
  model::BarSeries series;
  // Whether series.bars.front() / back() is a partial bucket (always false under Drop).
  bool first_bucket_partial = false;
  bool last_bucket_partial = false;
};

core::Result<ResampledBars> resample_bars(const model::BarSeries& source, core::Duration target,
                                          const ResampleOptions& options = {});

}  // namespace ballast::data
