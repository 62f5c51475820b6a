#pragma once
// TimeOrderedMerge: a k-way merge of market-data streams (bar series of several instruments, trade and
// quote ticks) into one replay in time order, for backtests and streaming replay.
//
// Order: by ts_recv — the time Ballast learns of an event, so a bar appears when it is complete — and,
// between events with equal ts_recv, by stream index (the order streams were added), then by position
// within the stream. The order is therefore total and deterministic.
//
// Nothing is copied: the merge holds pointers into the caller's containers, which must outlive it and
// must not change while it runs. Each stream must be in non-decreasing ts_recv order; add_* checks this
// once (a linear scan) and reports the first offending record. Streams are added before the first
// next() (adding later is a broken invariant); memory is O(number of streams).

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::data {

// One merged record; the pointers refer to the caller's data.
struct MarketEvent {
  core::UnixNanos ts_recv;
  std::size_t stream = 0;  // index returned by add_*
  const core::InstrumentId* instrument_id = nullptr;
  std::variant<const model::Bar*, const model::TradeTick*, const model::QuoteTick*> record;
};

class TimeOrderedMerge {
 public:
  // Each returns the new stream's index (0, 1, …), which also breaks ties in ts_recv.
  core::Result<std::size_t> add_bars(const model::BarSeries& series);
  // A temporary would dangle: the merge keeps pointers into the series.
  core::Result<std::size_t> add_bars(model::BarSeries&& series) = delete;
  core::Result<std::size_t> add_trades(std::span<const model::TradeTick> ticks);
  core::Result<std::size_t> add_quotes(std::span<const model::QuoteTick> quotes);

  std::size_t stream_count() const noexcept { return streams_.size(); }
  // Records not yet returned by next().
  std::size_t remaining() const noexcept { return remaining_; }
  bool done() const noexcept { return remaining_ == 0; }

  // The next event without consuming it; nullopt when done.
  std::optional<MarketEvent> peek() const;
  // The next event, consumed; nullopt when done.
  std::optional<MarketEvent> next();

 private:
  enum class Kind { Bars, Trades, Quotes };
  struct Stream {
    Kind kind;
    const void* data;  // first record of the stream's contiguous array
    std::size_t size;
    std::size_t position = 0;
    const core::InstrumentId* instrument_id;
  };
  struct Head {
    core::UnixNanos ts_recv;
    std::size_t stream;
  };

  core::Result<std::size_t> add_stream(Stream stream);
  core::UnixNanos ts_recv_at(const Stream& s, std::size_t i) const;
  MarketEvent event_at(std::size_t stream) const;
  void push_head(std::size_t stream);
  static bool later(const Head& a, const Head& b) noexcept;

  std::vector<Stream> streams_;
  std::vector<Head> heap_;  // a min-heap of each unfinished stream's next record
  std::size_t remaining_ = 0;
  bool started_ = false;
};

}  // namespace ballast::data
