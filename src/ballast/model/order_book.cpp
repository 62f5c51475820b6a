#include "ballast/model/order_book.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace ballast::model {
namespace {

using core::Error;
using core::ErrorCode;
using core::Int128;

constexpr Int128 kI64Max = std::numeric_limits<std::int64_t>::max();
constexpr Int128 kI64Min = std::numeric_limits<std::int64_t>::min();

bool fits_i64(Int128 v) noexcept { return v >= kI64Min && v <= kI64Max; }

std::int64_t clamp_i64(Int128 v) noexcept {
  if (v > kI64Max) return std::numeric_limits<std::int64_t>::max();
  if (v < kI64Min) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(v);
}

// Index of the first level not better-ordered than `ticks` (std::lower_bound semantics) among the first n
// levels of a side sorted ascending (bids) or descending (asks). Branchless: the halving step compiles to
// a conditional move, so a search over random depths does not pay a branch misprediction per step.
template <bool kAscending, class Level>
std::size_t lower_bound_ticks(const Level* data, std::size_t n, std::int64_t ticks) noexcept {
  if (n == 0) return 0;
  const Level* base = data;
  while (n > 1) {
    const std::size_t half = n / 2;
    const std::int64_t probe = base[half].ticks;
    base = (kAscending ? probe < ticks : probe > ticks) ? base + half : base;
    n -= half;
  }
  const bool before = kAscending ? base->ticks < ticks : base->ticks > ticks;
  return static_cast<std::size_t>(base - data) + (before ? 1 : 0);
}

template <class Level>
std::size_t find_level(const std::vector<Level>& levels, OrderSide side, std::int64_t ticks) noexcept {
  return side == OrderSide::Buy ? lower_bound_ticks<true>(levels.data(), levels.size(), ticks)
                                : lower_bound_ticks<false>(levels.data(), levels.size(), ticks);
}

// find_level for a change: most venue updates land within the best few levels (the back of the vector).
// The best kTopLevels are compared all at once — the answer is the number of them ordered at or after
// `ticks`, counted without a branch, so an update at a random one of the top levels costs no mispredicted
// loop exit (a branchless binary search of the same window measured no faster: its steps wait on each other)
// — and only when all of them are at or after `ticks` does the search gallop away from the top (windows of
// 16, 32, 64, … levels) and binary-search the window that holds the answer: O(log depth) rather than
// O(log size).
template <bool kAscending, class Level>
std::size_t lower_bound_from_top(const std::vector<Level>& levels, std::int64_t ticks) noexcept {
  constexpr std::size_t kTopLevels = 16;
  const auto before = [ticks](std::int64_t t) { return kAscending ? t < ticks : t > ticks; };
  const std::size_t size = levels.size();
  std::size_t at_or_after = 0;
  if (size >= kTopLevels) {
    const Level* top = levels.data() + (size - kTopLevels);
    for (std::size_t k = 0; k < kTopLevels; ++k) at_or_after += before(top[k].ticks) ? 0 : 1;
    if (at_or_after < kTopLevels) return size - at_or_after;
  } else {
    for (std::size_t k = 0; k < size; ++k) at_or_after += before(levels[k].ticks) ? 0 : 1;
    return size - at_or_after;
  }
  // Invariant: levels[hi..) are all ordered at or after `ticks`, so the answer lies in [0, hi].
  std::size_t hi = size - kTopLevels;
  for (std::size_t width = kTopLevels; hi > 0; width *= 2) {
    const std::size_t lo = hi > width ? hi - width : 0;
    if (before(levels[lo].ticks)) {
      return lo + 1 + lower_bound_ticks<kAscending>(levels.data() + lo + 1, hi - lo - 1, ticks);
    }
    hi = lo;
  }
  return 0;
}

// 10^0 … 10^18.
constexpr std::array<std::int64_t, 19> kPow10 = [] {
  std::array<std::int64_t, 19> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

}  // namespace

OrderBook::OrderBook(core::InstrumentId instrument_id, Price tick_size)
    : instrument_id_(std::move(instrument_id)),
      tick_size_(tick_size),
      tick_raw_(tick_size.value().raw()),
      tick_scale_(tick_size.value().scale()) {
  BALLAST_REQUIRE(tick_size.is_positive(),
                  fmt::format("order book tick size must be positive, got {}", tick_size.to_string()));
}

core::Result<std::int64_t> OrderBook::ticks_of(const Price& price) const {
  const core::Decimal& v = price.value();
  const int scale = v.scale();
  if (scale == tick_scale_) {
    // The common case: prices quoted at the tick's precision (and tick_raw_ is often 1).
    if (tick_raw_ == 1) return v.raw();
    if (v.raw() % tick_raw_ == 0) return v.raw() / tick_raw_;
  } else {
    Int128 num = v.raw();
    Int128 den = tick_raw_;
    if (scale < tick_scale_) {
      num *= core::pow10_i64(tick_scale_ - scale);
    } else {
      den *= core::pow10_i64(scale - tick_scale_);
    }
    if (num % den == 0) {
      const Int128 ticks = num / den;
      // The level's price is kept at the tick's precision, so it must fit there.
      if (!fits_i64(ticks * tick_raw_)) {
        return Error(ErrorCode::Overflow, fmt::format("price {} of {} does not fit at {} decimal places",
                                                      price.to_string(), instrument_id_.value(), tick_scale_));
      }
      return static_cast<std::int64_t>(ticks);
    }
  }
  return Error(ErrorCode::InvalidArgument, fmt::format("price {} of {} is not a multiple of the tick size {}",
                                                       price.to_string(), instrument_id_.value(),
                                                       tick_size_.to_string()));
}

bool OrderBook::fast_ticks(const core::Decimal& v, std::int64_t& ticks) const noexcept {
  std::int64_t raw = v.raw();
  const int scale = v.scale();
  if (scale != tick_scale_) {
    // Fewer places than the tick's ("30000" for a tick of 0.1): padded with zeros, unless that overflows
    // (ticks_of() then reports it).
    if (scale > tick_scale_ || __builtin_mul_overflow(raw, kPow10[static_cast<std::size_t>(tick_scale_ - scale)], &raw)) {
      return false;
    }
  }
  if (tick_raw_ == 1) {
    ticks = raw;
    return true;
  }
  if (raw % tick_raw_ != 0) return false;
  ticks = raw / tick_raw_;
  return true;
}

Price OrderBook::price_of(std::int64_t ticks) const {
  std::int64_t raw = 0;
  BALLAST_REQUIRE(!__builtin_mul_overflow(ticks, tick_raw_, &raw),
                  fmt::format("{} ticks of {} overflow a price", ticks, tick_size_.to_string()));
  return Price::from_raw(raw, tick_scale_);
}

core::Status OrderBook::load_side(OrderSide side, const std::vector<BookLevel>& levels, Levels& out) const {
  const bool bid = side == OrderSide::Buy;
  const std::size_t n = levels.size();
  // Venues list a side best first: for bids that is descending ticks, the reverse of the storage order. The
  // levels are written from the back of `out` (sized once; steady pushes of the same depth cost nothing
  // here), so best-first input lands in storage order with no second pass. Track whether the input is
  // strictly best-first or strictly in storage order; anything else is sorted and checked for a duplicate
  // price.
  out.resize(n);
  Level* const end = out.data() + n;
  Level* first = end;  // the levels kept are [first, end)
  bool best_first = true;
  bool storage_order = true;
  std::int64_t prev = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (levels[i].size.is_zero()) continue;
    std::int64_t ticks = 0;
    if (!fast_ticks(levels[i].price.value(), ticks)) {
      auto t = ticks_of(levels[i].price);
      if (!t) return t.error().with_context(fmt::format("snapshot {}[{}]", bid ? "bids" : "asks", i));
      ticks = *t;
    }
    if (first != end) {
      best_first = best_first && (bid ? prev > ticks : prev < ticks);  // the previous level is the better one
      storage_order = storage_order && (bid ? prev < ticks : prev > ticks);
    }
    prev = ticks;
    *--first = Level{ticks, levels[i].size};
  }
  if (!best_first) std::reverse(first, end);  // back to input order
  if (first != out.data()) {  // zero sizes were skipped: close the gap at the front
    std::move(first, end, out.data());
    out.resize(static_cast<std::size_t>(end - first));
  }
  if (best_first || storage_order) return core::ok();
  if (bid) {
    std::sort(out.begin(), out.end(), [](const Level& a, const Level& b) { return a.ticks < b.ticks; });
  } else {
    std::sort(out.begin(), out.end(), [](const Level& a, const Level& b) { return a.ticks > b.ticks; });
  }
  const auto dup = std::adjacent_find(out.begin(), out.end(),
                                      [](const Level& a, const Level& b) { return a.ticks == b.ticks; });
  if (dup != out.end()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("snapshot of {} lists price {} twice on the {} side", instrument_id_.value(),
                             price_of(dup->ticks).to_string(), bid ? "bid" : "ask"));
  }
  return core::ok();
}

core::Status OrderBook::apply_snapshot(const BookSnapshot& snapshot) {
  BALLAST_TRY(load_side(OrderSide::Buy, snapshot.bids, scratch_bids_));
  BALLAST_TRY(load_side(OrderSide::Sell, snapshot.asks, scratch_asks_));
  // Swap keeps both buffers' capacity, so repeated snapshots stop allocating.
  bids_.swap(scratch_bids_);
  asks_.swap(scratch_asks_);
  update_id_ = snapshot.update_id;
  ts_event_ = snapshot.ts_event;
  ts_recv_ = snapshot.ts_recv;
  needs_resync_ = false;
  ++update_count_;
  return core::ok();
}

core::Result<BookApplyOutcome> OrderBook::apply_deltas(const BookUpdate& update, std::span<const BookDelta> deltas) {
  if (update.first_update_id > update.last_update_id) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("book update for {} has first update id {} after last update id {}",
                             instrument_id_.value(), update.first_update_id, update.last_update_id));
  }
  if (needs_resync_) {
    return Error(ErrorCode::InvalidState,
                 fmt::format("book for {} needs a snapshot before deltas (update {}..{} refused)", instrument_id_.value(),
                             update.first_update_id, update.last_update_id));
  }
  if (update.last_update_id <= update_id_) return BookApplyOutcome::Stale;
  if (update.first_update_id > update_id_ + 1) {
    needs_resync_ = true;
    return Error(ErrorCode::OutOfRange,
                 fmt::format("book for {} has a sequence gap: expected update {}, got {}..{}; resync from a snapshot",
                             instrument_id_.value(), update_id_ + 1, update.first_update_id, update.last_update_id));
  }
  // Validate the whole batch first so that a bad delta leaves the book as it was.
  delta_ticks_.resize(deltas.size());
  for (std::size_t i = 0; i < deltas.size(); ++i) {
    if (fast_ticks(deltas[i].price.value(), delta_ticks_[i])) continue;
    auto ticks = ticks_of(deltas[i].price);
    if (!ticks) return ticks.error().with_context(fmt::format("book delta[{}] of update {}", i, update.last_update_id));
    delta_ticks_[i] = *ticks;
  }
  for (std::size_t i = 0; i < deltas.size(); ++i) set_level(deltas[i].side, delta_ticks_[i], deltas[i].size);
  update_id_ = update.last_update_id;
  ts_event_ = update.ts_event;
  ts_recv_ = update.ts_recv;
  ++update_count_;
  return BookApplyOutcome::Applied;
}

void OrderBook::set_level(OrderSide side, std::int64_t ticks, const Quantity& size) {
  Levels& levels = side_levels(side);
  const std::size_t n = levels.size();
  if (n > 0) {
    // Near the top a live book usually has a level at every tick, so a price d ticks behind the best is
    // first looked for d levels behind it: one load and one comparison instead of the search. The distance
    // is taken in unsigned arithmetic, so a price better than the best (or any overflow) wraps to a huge
    // value and skips the guess.
    const std::uint64_t best = static_cast<std::uint64_t>(levels[n - 1].ticks);
    const std::uint64_t behind =
        side == OrderSide::Buy ? best - static_cast<std::uint64_t>(ticks) : static_cast<std::uint64_t>(ticks) - best;
    if (behind < n) {
      const auto guess = levels.begin() + static_cast<std::ptrdiff_t>(n - 1 - behind);
      if (guess->ticks == ticks) {
        if (size.is_zero()) {
          levels.erase(guess);
        } else {
          guess->size = size;
        }
        return;
      }
    }
  }
  const std::size_t at =
      side == OrderSide::Buy ? lower_bound_from_top<true>(levels, ticks) : lower_bound_from_top<false>(levels, ticks);
  const auto it = levels.begin() + static_cast<std::ptrdiff_t>(at);
  if (it != levels.end() && it->ticks == ticks) {
    if (size.is_zero()) {
      levels.erase(it);
    } else {
      it->size = size;
    }
  } else if (!size.is_zero()) {
    levels.insert(it, Level{ticks, size});
  }
}

void OrderBook::clear() {
  bids_.clear();
  asks_.clear();
  update_id_ = 0;
  needs_resync_ = true;
}

BookLevel OrderBook::level(OrderSide side, std::size_t i) const {
  const Levels& levels = side_levels(side);
  BALLAST_REQUIRE(i < levels.size(), fmt::format("level {} requested from a book side with {} levels", i, levels.size()));
  return to_book_level(levels[levels.size() - 1 - i]);
}

Quantity OrderBook::size_at(OrderSide side, const Price& price) const {
  auto ticks = ticks_of(price);
  if (!ticks) return Quantity();
  const Levels& levels = side_levels(side);
  const std::size_t i = find_level(levels, side, *ticks);
  return i < levels.size() && levels[i].ticks == *ticks ? levels[i].size : Quantity();
}

std::optional<BookLevel> OrderBook::best_bid() const {
  if (bids_.empty()) return std::nullopt;
  return to_book_level(bids_.back());
}

std::optional<BookLevel> OrderBook::best_ask() const {
  if (asks_.empty()) return std::nullopt;
  return to_book_level(asks_.back());
}

std::optional<Price> OrderBook::best_bid_price() const {
  if (bids_.empty()) return std::nullopt;
  return price_of(bids_.back().ticks);
}

std::optional<Price> OrderBook::best_ask_price() const {
  if (asks_.empty()) return std::nullopt;
  return price_of(asks_.back().ticks);
}

std::optional<Price> OrderBook::mid() const {
  if (bids_.empty() || asks_.empty()) return std::nullopt;
  const Int128 sum = (static_cast<Int128>(bids_.back().ticks) + asks_.back().ticks) * tick_raw_;
  Int128 raw = 0;
  int scale = tick_scale_;
  if (sum % 2 == 0) {
    raw = sum / 2;
  } else if (tick_scale_ < core::Decimal::kMaxScale) {
    raw = sum * 5;  // sum / 2 exactly, one decimal place further
    scale = tick_scale_ + 1;
  } else {
    raw = core::div_round(sum, 2, RoundingMode::HalfEven);
  }
  BALLAST_REQUIRE(fits_i64(raw), "order book mid price overflows");
  return Price::from_raw(static_cast<std::int64_t>(raw), scale);
}

std::optional<std::int64_t> OrderBook::spread_ticks() const {
  if (bids_.empty() || asks_.empty()) return std::nullopt;
  return asks_.back().ticks - bids_.back().ticks;
}

std::optional<Price> OrderBook::spread() const {
  const auto ticks = spread_ticks();
  if (!ticks) return std::nullopt;
  return price_of(*ticks);
}

std::optional<core::Decimal> OrderBook::spread_bps(int scale) const {
  BALLAST_REQUIRE(scale >= 0 && scale <= 10, fmt::format("spread_bps scale {} outside 0..10", scale));
  if (bids_.empty() || asks_.empty()) return std::nullopt;
  // 10'000 · (a − b) / ((a + b) / 2) with a, b in ticks: the tick size cancels, so this is exact
  // integer arithmetic rounded once.
  const Int128 a = asks_.back().ticks;
  const Int128 b = bids_.back().ticks;
  const Int128 den = a + b;
  if (den <= 0) return std::nullopt;
  const Int128 num = 20'000 * (a - b) * core::pow10_i64(scale);
  const Int128 q = core::div_round(num, den, RoundingMode::HalfEven);
  if (!fits_i64(q)) return std::nullopt;
  return core::Decimal::from_raw(static_cast<std::int64_t>(q), scale);
}

bool OrderBook::is_crossed() const {
  return !bids_.empty() && !asks_.empty() && bids_.back().ticks > asks_.back().ticks;
}

bool OrderBook::is_locked() const {
  return !bids_.empty() && !asks_.empty() && bids_.back().ticks == asks_.back().ticks;
}

BookDepth OrderBook::depth(std::size_t n) const {
  BookDepth out;
  const auto copy_side = [&](const Levels& levels, std::vector<BookLevel>& dst) {
    const std::size_t count = std::min(n, levels.size());
    dst.reserve(count);
    for (std::size_t i = 0; i < count; ++i) dst.push_back(to_book_level(levels[levels.size() - 1 - i]));
  };
  copy_side(bids_, out.bids);
  copy_side(asks_, out.asks);
  return out;
}

Quantity OrderBook::cumulative_size(OrderSide side, const Price& limit) const {
  // Bound in ticks: bids at or above ceil(limit / tick), asks at or below floor(limit / tick).
  const core::Decimal& v = limit.value();
  Int128 num = v.raw();
  Int128 den = tick_raw_;
  if (v.scale() < tick_scale_) {
    num *= core::pow10_i64(tick_scale_ - v.scale());
  } else if (v.scale() > tick_scale_) {
    den *= core::pow10_i64(v.scale() - tick_scale_);
  }
  const bool bid = side == OrderSide::Buy;
  const std::int64_t bound = clamp_i64(core::div_round(num, den, bid ? RoundingMode::Up : RoundingMode::Down));
  const Levels& levels = side_levels(side);
  core::Decimal total;
  for (auto it = levels.rbegin(); it != levels.rend(); ++it) {
    if (bid ? it->ticks < bound : it->ticks > bound) break;
    total += it->size.value();
  }
  return Quantity(total);
}

Quantity OrderBook::cumulative_size(OrderSide side, std::size_t n_levels) const {
  const Levels& levels = side_levels(side);
  const std::size_t count = std::min(n_levels, levels.size());
  core::Decimal total;
  for (std::size_t i = 0; i < count; ++i) total += levels[levels.size() - 1 - i].size.value();
  return Quantity(total);
}

}  // namespace ballast::model
