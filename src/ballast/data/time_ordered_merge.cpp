#include "ballast/data/time_ordered_merge.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ballast::data {

core::Result<std::size_t> TimeOrderedMerge::add_bars(const model::BarSeries& series) {
  return add_stream(Stream{Kind::Bars, series.bars.data(), series.bars.size(), 0, &series.instrument_id});
}

core::Result<std::size_t> TimeOrderedMerge::add_trades(std::span<const model::TradeTick> ticks) {
  return add_stream(Stream{Kind::Trades, ticks.data(), ticks.size(), 0, nullptr});
}

core::Result<std::size_t> TimeOrderedMerge::add_quotes(std::span<const model::QuoteTick> quotes) {
  return add_stream(Stream{Kind::Quotes, quotes.data(), quotes.size(), 0, nullptr});
}

core::Result<std::size_t> TimeOrderedMerge::add_stream(Stream stream) {
  BALLAST_REQUIRE(!started_, "TimeOrderedMerge: streams must be added before the first peek() or next()");
  const std::size_t index = streams_.size();
  for (std::size_t i = 1; i < stream.size; ++i) {
    const core::UnixNanos before = ts_recv_at(stream, i - 1);
    const core::UnixNanos here = ts_recv_at(stream, i);
    if (here < before) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("stream {}: record {} has ts_recv {}, before record {} at {}", index, i,
                                     core::format_iso8601(here), i - 1, core::format_iso8601(before)),
                         fmt::format("streams[{}][{}]", index, i));
    }
  }
  streams_.push_back(stream);
  remaining_ += stream.size;
  if (stream.size > 0) push_head(index);
  return index;
}

core::UnixNanos TimeOrderedMerge::ts_recv_at(const Stream& s, std::size_t i) const {
  switch (s.kind) {
    case Kind::Bars: return static_cast<const model::Bar*>(s.data)[i].ts_recv;
    case Kind::Trades: return static_cast<const model::TradeTick*>(s.data)[i].ts_recv;
    case Kind::Quotes: return static_cast<const model::QuoteTick*>(s.data)[i].ts_recv;
  }
  return core::UnixNanos(0);
}

MarketEvent TimeOrderedMerge::event_at(std::size_t stream) const {
  const Stream& s = streams_[stream];
  MarketEvent e;
  e.stream = stream;
  e.ts_recv = ts_recv_at(s, s.position);
  switch (s.kind) {
    case Kind::Bars: {
      e.record = static_cast<const model::Bar*>(s.data) + s.position;
      e.instrument_id = s.instrument_id;
      break;
    }
    case Kind::Trades: {
      const auto* t = static_cast<const model::TradeTick*>(s.data) + s.position;
      e.record = t;
      e.instrument_id = &t->instrument_id;
      break;
    }
    case Kind::Quotes: {
      const auto* q = static_cast<const model::QuoteTick*>(s.data) + s.position;
      e.record = q;
      e.instrument_id = &q->instrument_id;
      break;
    }
  }
  return e;
}

bool TimeOrderedMerge::later(const Head& a, const Head& b) noexcept {
  if (a.ts_recv != b.ts_recv) return a.ts_recv > b.ts_recv;
  return a.stream > b.stream;
}

void TimeOrderedMerge::push_head(std::size_t stream) {
  const Stream& s = streams_[stream];
  heap_.push_back(Head{ts_recv_at(s, s.position), stream});
  std::push_heap(heap_.begin(), heap_.end(), later);
}

std::optional<MarketEvent> TimeOrderedMerge::peek() const {
  if (heap_.empty()) return std::nullopt;
  return event_at(heap_.front().stream);
}

std::optional<MarketEvent> TimeOrderedMerge::next() {
  started_ = true;
  if (heap_.empty()) return std::nullopt;
  std::pop_heap(heap_.begin(), heap_.end(), later);
  const std::size_t stream = heap_.back().stream;
  heap_.pop_back();
  MarketEvent e = event_at(stream);
  Stream& s = streams_[stream];
  ++s.position;
  --remaining_;
  if (s.position < s.size) push_head(stream);
  return e;
}

}  // namespace ballast::data
