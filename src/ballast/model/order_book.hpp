#pragma once
// OrderBook: an L2 (price-level) book for one instrument, kept in sync with a venue from a snapshot
// followed by incremental deltas.
//
// Prices are stored as integer ticks (price / tick_size, exact; a price off the tick grid is an
// error), sizes as exact Quantity. Each side is a flat vector sorted so that the BEST level is at the
// back: bids ascending, asks descending. Lookups look at the best few levels first and then binary
// search (O(log n)), best bid/ask is O(1), and most venue traffic touches the first few levels, so
// inserts and erases move few elements. A delta or snapshot never allocates once the vectors have grown
// to the book's working depth. Speed: a price written at the tick's precision converts to ticks without
// a division (tick raw 1) or with one (other ticks), and a snapshot listed best first (as venues send
// them) or in storage order is loaded without sorting.
//
// Synchronisation (the Binance "diff depth" procedure, which also covers strictly sequenced feeds):
//  - apply_snapshot() replaces both sides and sets update_id() to the snapshot's last update id. It
//    is always accepted, and it is the only way out of the needs-resync state.
//  - A batch of deltas carries the venue's first and last update ids (U..u; both equal for feeds
//    that number each message). With L = update_id():
//      u <= L              → stale (already contained in the book): ignored, BookApplyOutcome::Stale;
//      U <= L + 1 <= u     → applied; update_id() becomes u;
//      U > L + 1           → a gap: nothing is applied, the book enters needs_resync() and the call
//                            returns ErrorCode::OutOfRange. The caller fetches a fresh snapshot.
//    While needs_resync() (or before the first snapshot) deltas return ErrorCode::InvalidState.
//  - A batch is atomic: every delta is validated (on tick, price representable) before any is
//    applied; an invalid one returns ErrorCode::InvalidArgument and leaves the book untouched.
// Delta semantics: size is the new TOTAL size at the price (not a change). Size 0 removes the level.
// A size-0 delta for a price that has no level is a no-op — venues send removals for levels outside
// the depth we were given, and repeat removals — and is not an error; the update id still advances.
//
// Sides: OrderSide::Buy is the bid side, OrderSide::Sell the ask side (as in NautilusTrader).
// Crossed means best bid > best ask; locked means they are equal. A crossed book is kept as the venue
// sent it (a transient crossing is normal on some feeds); callers decide what to do via is_crossed().

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/price.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ballast::model {

struct BookLevel {
  Price price;
  Quantity size;

  friend bool operator==(const BookLevel&, const BookLevel&) = default;
};

// One level change. size is the new total at `price`; zero removes the level.
struct BookDelta {
  OrderSide side = OrderSide::Buy;
  Price price;
  Quantity size;
};

// Sequencing and timestamps of one venue message (one or more deltas).
struct BookUpdate {
  std::uint64_t first_update_id = 0;  // U: first update id covered by the message
  std::uint64_t last_update_id = 0;   // u: last update id covered (== first for per-message sequences)
  core::UnixNanos ts_event;           // venue time of the message
  core::UnixNanos ts_recv;            // when Ballast received it

  static BookUpdate single(std::uint64_t update_id, core::UnixNanos ts_event, core::UnixNanos ts_recv) {
    return BookUpdate{update_id, update_id, ts_event, ts_recv};
  }
};

// A full book image. Levels may come in any order; zero-size levels are skipped; a price listed twice
// on one side is an error.
struct BookSnapshot {
  std::vector<BookLevel> bids;
  std::vector<BookLevel> asks;
  std::uint64_t update_id = 0;  // last update id contained in the snapshot
  core::UnixNanos ts_event;
  core::UnixNanos ts_recv;
};

// Top levels of each side, best first.
struct BookDepth {
  std::vector<BookLevel> bids;
  std::vector<BookLevel> asks;
};

enum class BookApplyOutcome { Applied, Stale };

class OrderBook {
 public:
  // Requires a positive tick size.
  OrderBook(core::InstrumentId instrument_id, Price tick_size);

  const core::InstrumentId& instrument_id() const noexcept { return instrument_id_; }
  const Price& tick_size() const noexcept { return tick_size_; }

  // Replaces the book. Errors (book untouched): a price off the tick grid, a duplicate price on a side.
  core::Status apply_snapshot(const BookSnapshot& snapshot);
  // Applies one message's deltas atomically (see the header comment for sequencing).
  core::Result<BookApplyOutcome> apply_deltas(const BookUpdate& update, std::span<const BookDelta> deltas);
  core::Result<BookApplyOutcome> apply_delta(const BookUpdate& update, const BookDelta& delta) {
    return apply_deltas(update, std::span<const BookDelta>(&delta, 1));
  }
  // Empties the book and requires a new snapshot (e.g. on disconnect).
  void clear();

  // True from construction, after a gap and after clear(), until the next snapshot.
  bool needs_resync() const noexcept { return needs_resync_; }
  std::uint64_t update_id() const noexcept { return update_id_; }
  core::UnixNanos ts_event() const noexcept { return ts_event_; }
  core::UnixNanos ts_recv() const noexcept { return ts_recv_; }
  // Number of snapshots and delta batches applied (stale batches excluded).
  std::uint64_t update_count() const noexcept { return update_count_; }

  std::size_t level_count(OrderSide side) const noexcept { return side_levels(side).size(); }
  bool empty() const noexcept { return bids_.empty() && asks_.empty(); }
  // The i-th best level of a side (0 = best). Requires i < level_count(side).
  BookLevel level(OrderSide side, std::size_t i) const;
  // Size resting at exactly `price` (zero when there is no level there or the price is off tick).
  Quantity size_at(OrderSide side, const Price& price) const;

  std::optional<BookLevel> best_bid() const;
  std::optional<BookLevel> best_ask() const;
  std::optional<Price> best_bid_price() const;
  std::optional<Price> best_ask_price() const;
  // (bid + ask) / 2, exact: at the tick's precision, or one more place when it falls on a half tick.
  std::optional<Price> mid() const;
  // ask − bid (negative when crossed); nullopt unless both sides have a level.
  std::optional<Price> spread() const;
  std::optional<std::int64_t> spread_ticks() const;
  // Spread in basis points of the mid, 10'000 · (ask − bid) / mid, rounded half-even to `scale`
  // places. nullopt when a side is empty or the mid is not positive.
  std::optional<core::Decimal> spread_bps(int scale = 4) const;
  bool is_crossed() const;  // best bid > best ask
  bool is_locked() const;   // best bid == best ask

  // Up to n levels per side, best first.
  BookDepth depth(std::size_t n) const;
  // Total size on `side` at prices at least as good as `limit` for a taker walking that side: bids
  // priced >= limit, asks priced <= limit. `limit` need not be on the tick grid.
  Quantity cumulative_size(OrderSide side, const Price& limit) const;
  // Total size of the best n levels of a side.
  Quantity cumulative_size(OrderSide side, std::size_t n_levels) const;

  // price / tick_size when exact; an error for an off-tick or unrepresentable price.
  core::Result<std::int64_t> ticks_of(const Price& price) const;
  // ticks · tick_size at the tick's precision.
  Price price_of(std::int64_t ticks) const;

 private:
  struct Level {
    std::int64_t ticks;
    Quantity size;
  };
  using Levels = std::vector<Level>;

  const Levels& side_levels(OrderSide side) const noexcept { return side == OrderSide::Buy ? bids_ : asks_; }
  Levels& side_levels(OrderSide side) noexcept { return side == OrderSide::Buy ? bids_ : asks_; }
  // price → ticks with no Result and no division in the common cases (a price written at the tick's
  // precision or fewer places — venues that trim trailing zeros, as Hyperliquid does — and tick raw 1 or a
  // multiple of it); false sends the caller to ticks_of() for the rest and the error.
  bool fast_ticks(const core::Decimal& v, std::int64_t& ticks) const noexcept;
  void set_level(OrderSide side, std::int64_t ticks, const Quantity& size);
  core::Status load_side(OrderSide side, const std::vector<BookLevel>& levels, Levels& out) const;
  BookLevel to_book_level(const Level& l) const { return BookLevel{price_of(l.ticks), l.size}; }

  core::InstrumentId instrument_id_;
  Price tick_size_;
  std::int64_t tick_raw_;  // tick_size_ raw value at tick_scale_
  int tick_scale_;
  Levels bids_;  // ascending ticks: best (highest) at the back
  Levels asks_;  // descending ticks: best (lowest) at the back
  Levels scratch_bids_;
  Levels scratch_asks_;
  std::vector<std::int64_t> delta_ticks_;  // apply_deltas: each delta's ticks, validated before any is applied
  std::uint64_t update_id_ = 0;
  std::uint64_t update_count_ = 0;
  core::UnixNanos ts_event_;
  core::UnixNanos ts_recv_;
  bool needs_resync_ = true;
};

}  // namespace ballast::model
