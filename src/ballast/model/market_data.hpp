#pragma once
// Market data records. Every record carries two timestamps (after hftbacktest / NautilusTrader):
//   ts_event — when the event happened at the venue (for a bar: the START of its interval, which is
//              the timestamp data files carry);
//   ts_recv  — when Ballast learned of it. For a bar this is when the bar was complete, so replays
//              set ts_recv = ts_event + interval; strategies see a bar only at its ts_recv.
// Bars do not repeat their instrument: they live in a BarSeries that names it once.

#include <vector>

#include "ballast/core/ids.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/price.hpp"

namespace ballast::model {

using core::Duration;
using core::InstrumentId;
using core::UnixNanos;

struct Bar {
  UnixNanos ts_event;  // interval start
  UnixNanos ts_recv;   // interval end (bar complete)
  Price open;
  Price high;
  Price low;
  Price close;
  Quantity volume;

  // low <= open, close <= high, compared exactly; one integer comparison each when the four prices share a
  // scale (a file's bars do), so a venue can check every bar it is given.
  bool is_consistent() const noexcept {
    const core::Decimal& o = open.value();
    const core::Decimal& h = high.value();
    const core::Decimal& l = low.value();
    const core::Decimal& c = close.value();
    if (o.scale() == h.scale() && o.scale() == l.scale() && o.scale() == c.scale()) [[likely]] {
      return l.raw() <= o.raw() && o.raw() <= h.raw() && l.raw() <= c.raw() && c.raw() <= h.raw();
    }
    return low <= open && open <= high && low <= close && close <= high;
  }
};

// Consecutive bars of one instrument at one interval, ordered by ts_event.
struct BarSeries {
  InstrumentId instrument_id;
  Duration interval{0};  // 0 when unknown (e.g. irregular daily data read from a file)
  std::vector<Bar> bars;
};

struct TradeTick {
  InstrumentId instrument_id;
  Price price;
  Quantity size;
  AggressorSide aggressor = AggressorSide::NoAggressor;
  core::TradeId trade_id;
  UnixNanos ts_event;
  UnixNanos ts_recv;
};

struct QuoteTick {
  InstrumentId instrument_id;
  Price bid_price;
  Price ask_price;
  Quantity bid_size;
  Quantity ask_size;
  UnixNanos ts_event;
  UnixNanos ts_recv;
};

}  // namespace ballast::model
