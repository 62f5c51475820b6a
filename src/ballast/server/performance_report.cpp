// Performance attribution by average cost and the equity grid (conventions in performance_report.hpp).

#include "ballast/server/performance_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

namespace ballast::server {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using core::Int128;

// Scale of the amounts derived by a division (released cost, fee split, averages).
constexpr int kMinDivisionScale = 8;

int division_scale(const Decimal& d) { return std::min(Decimal::kMaxScale, std::max(kMinDivisionScale, d.scale())); }

core::Result<Decimal> product(const Decimal& a, const Decimal& b) {
  return a.checked_mul(b, std::min(Decimal::kMaxScale, a.scale() + b.scale()));
}

// a × b / c rounded half-even once, at `scale` places (128-bit intermediates).
core::Result<Decimal> mul_div(const Decimal& a, const Decimal& b, const Decimal& c, int scale) {
  if (c.is_zero()) return Error(ErrorCode::InvalidArgument, "division by zero");
  constexpr Int128 kHeadroom = (static_cast<Int128>(1) << 122);
  Int128 numerator = static_cast<Int128>(a.raw()) * static_cast<Int128>(b.raw());
  Int128 denominator = c.raw();
  for (int e = scale + c.scale() - a.scale() - b.scale(); e != 0; e += e > 0 ? -1 : 1) {
    Int128& grow = e > 0 ? numerator : denominator;
    if (grow > kHeadroom || grow < -kHeadroom) {
      return Error(ErrorCode::Overflow, fmt::format("{} × {} / {} overflows", a.to_string(), b.to_string(), c.to_string()));
    }
    grow *= 10;
  }
  const Int128 q = core::div_round(numerator, denominator, core::RoundingMode::HalfEven);
  if (q > std::numeric_limits<std::int64_t>::max() || q < std::numeric_limits<std::int64_t>::min()) {
    return Error(ErrorCode::Overflow, fmt::format("{} × {} / {} overflows", a.to_string(), b.to_string(), c.to_string()));
  }
  return Decimal::from_raw(static_cast<std::int64_t>(q), scale);
}

// The running average-cost book of one (group, instrument) and its current round trip.
struct Book {
  Decimal quantity{};   // signed
  Decimal open_cost{};  // entry value of the open quantity, ≥ 0
  Decimal trip_realized{};
  Decimal trip_fees{};
};

// Everything accumulated for one group.
struct Accumulator {
  PerformanceMetrics m;
  std::map<std::string, Book, std::less<>> books;  // by instrument id
  std::map<std::string, std::pair<Decimal, std::size_t>, std::less<>> uncounted;  // currency → (amount, fills)
};

void record_trip(PerformanceMetrics& m, const Decimal& pnl) {
  ++m.round_trips;
  if (pnl.is_positive()) {
    ++m.wins;
    m.gross_profit += pnl;
    if (!m.largest_win || pnl > *m.largest_win) m.largest_win = pnl;
  } else if (pnl.is_negative()) {
    ++m.losses;
    m.gross_loss += pnl;
    if (!m.largest_loss || pnl < *m.largest_loss) m.largest_loss = pnl;
  } else {
    ++m.breakeven;
  }
}

// Ratios and averages from the counts and sums (shared by groups and the total).
core::Status finish_ratios(PerformanceMetrics& m) {
  m.net_pnl = m.realized_pnl - m.fees;
  m.win_rate.reset();
  m.profit_factor.reset();
  m.average_win.reset();
  m.average_loss.reset();
  if (m.round_trips > 0) m.win_rate = static_cast<double>(m.wins) / static_cast<double>(m.round_trips);
  if (m.losses > 0) m.profit_factor = m.gross_profit.to_double() / (-m.gross_loss).to_double();
  if (m.wins > 0) {
    auto avg = m.gross_profit.checked_div(Decimal::from_int(static_cast<std::int64_t>(m.wins)), division_scale(m.gross_profit));
    if (!avg) return avg.error();
    m.average_win = *avg;
  }
  if (m.losses > 0) {
    auto avg = m.gross_loss.checked_div(Decimal::from_int(static_cast<std::int64_t>(m.losses)), division_scale(m.gross_loss));
    if (!avg) return avg.error();
    m.average_loss = *avg;
  }
  return {};
}

}  // namespace

std::string_view to_string(PerformanceGrouping grouping) noexcept {
  return grouping == PerformanceGrouping::Strategy ? "strategy" : "symbol";
}

std::string_view to_string(PerformanceTimeframe timeframe) noexcept {
  switch (timeframe) {
    case PerformanceTimeframe::Day: return "day";
    case PerformanceTimeframe::Week: return "week";
    case PerformanceTimeframe::Month: return "month";
    case PerformanceTimeframe::All: break;
  }
  return "all";
}

core::Result<PerformanceGrouping> parse_grouping(std::string_view text) {
  if (text == "strategy") return PerformanceGrouping::Strategy;
  if (text == "symbol") return PerformanceGrouping::Symbol;
  return Error(ErrorCode::InvalidArgument, fmt::format("must be strategy or symbol, got '{}'", text), "by");
}

core::Result<PerformanceTimeframe> parse_timeframe(std::string_view text) {
  for (const auto t : {PerformanceTimeframe::Day, PerformanceTimeframe::Week, PerformanceTimeframe::Month,
                       PerformanceTimeframe::All}) {
    if (text == to_string(t)) return t;
  }
  return Error(ErrorCode::InvalidArgument, fmt::format("must be day, week, month or all, got '{}'", text), "timeframe");
}

std::optional<core::Duration> timeframe_length(PerformanceTimeframe timeframe) noexcept {
  switch (timeframe) {
    case PerformanceTimeframe::Day: return core::Duration(core::kNanosPerDay);
    case PerformanceTimeframe::Week: return core::Duration(7 * core::kNanosPerDay);
    case PerformanceTimeframe::Month: return core::Duration(30 * core::kNanosPerDay);
    case PerformanceTimeframe::All: break;
  }
  return std::nullopt;
}

core::Result<PerformanceReport> attribute_performance(const PerformanceInput& input) {
  std::vector<const AttributedFill*> fills;
  fills.reserve(input.fills.size());
  for (const auto& f : input.fills) {
    if (f.ts >= input.to) continue;
    if (!f.quantity.is_positive() || !f.price.is_positive()) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("fill {} needs a positive quantity and price, got {} @ {}", f.trade_id,
                               f.quantity.to_string(), f.price.to_string()),
                   "fills");
    }
    fills.push_back(&f);
  }
  std::stable_sort(fills.begin(), fills.end(), [](const AttributedFill* a, const AttributedFill* b) { return a->ts < b->ts; });

  PerformanceReport report;
  report.to = input.to;
  report.from = input.from ? input.from : (fills.empty() ? std::nullopt : std::optional(fills.front()->ts));
  report.covers_all_history = !input.from || fills.empty() || *input.from <= fills.front()->ts;

  const auto in_window = [&input](core::UnixNanos ts) { return !input.from || ts >= *input.from; };
  std::map<std::string, Accumulator, std::less<>> groups;
  const InstrumentTerms default_terms;

  for (const AttributedFill* f : fills) {
    const std::string& key = input.by == PerformanceGrouping::Strategy ? f->strategy_id : f->instrument_id;
    auto group_it = groups.find(key);
    if (group_it == groups.end()) group_it = groups.emplace(key, Accumulator{}).first;
    Accumulator& acc = group_it->second;
    auto book_it = acc.books.find(f->instrument_id);
    if (book_it == acc.books.end()) book_it = acc.books.emplace(f->instrument_id, Book{}).first;
    Book& book = book_it->second;
    const auto terms_it = input.instruments.find(f->instrument_id);
    const InstrumentTerms& terms = terms_it == input.instruments.end() ? default_terms : terms_it->second;
    if (!terms.multiplier.is_positive()) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("instrument {} (fill {}) has a non-positive multiplier {}", f->instrument_id, f->trade_id,
                               terms.multiplier.to_string()),
                   "multiplier");
    }
    const bool inside = in_window(f->ts);
    const bool counted = f->fee.is_zero() || f->fee_currency == input.currency;
    const Decimal fee = counted ? f->fee : Decimal{};

    auto value = product(f->price, f->quantity);
    if (!value) return value.error();
    auto notional = product(*value, terms.multiplier);
    if (!notional) return notional.error();
    const Decimal signed_qty = f->side == model::OrderSide::Buy ? f->quantity : -f->quantity;

    Decimal realized{};
    std::optional<Decimal> closed_trip;  // a fill closes at most one round trip
    if (book.quantity.is_zero() || book.quantity.sign() == signed_qty.sign()) {
      if (book.quantity.is_zero()) book.trip_realized = book.trip_fees = Decimal{};
      book.open_cost += *notional;
      book.quantity += signed_qty;
      book.trip_fees += fee;
    } else {
      const Decimal open = book.quantity.abs();
      const Decimal closed = std::min(f->quantity, open);
      Decimal released = book.open_cost;
      if (closed < open) {
        auto part = mul_div(book.open_cost, closed, open, division_scale(book.open_cost));
        if (!part) return part.error();
        released = *part;
      }
      auto exit_value = product(f->price, closed);
      if (!exit_value) return exit_value.error();
      auto exit_notional = product(*exit_value, terms.multiplier);
      if (!exit_notional) return exit_notional.error();
      realized = book.quantity.is_positive() ? *exit_notional - released : released - *exit_notional;
      book.trip_realized += realized;
      if (f->quantity < open) {
        book.open_cost -= released;
        book.quantity += signed_qty;
        book.trip_fees += fee;
      } else if (f->quantity == open) {
        book.trip_fees += fee;
        closed_trip = book.trip_realized - book.trip_fees;
        book.quantity = Decimal{};
        book.open_cost = Decimal{};
      } else {
        // Flip: the closing share of the fee ends this trip, the rest opens the next.
        auto fee_closing = mul_div(fee, open, f->quantity, division_scale(fee));
        if (!fee_closing) return fee_closing.error();
        book.trip_fees += *fee_closing;
        closed_trip = book.trip_realized - book.trip_fees;
        const Decimal reopened = f->quantity - open;
        auto reopen_value = product(f->price, reopened);
        if (!reopen_value) return reopen_value.error();
        auto reopen_notional = product(*reopen_value, terms.multiplier);
        if (!reopen_notional) return reopen_notional.error();
        book.open_cost = *reopen_notional;
        book.quantity = signed_qty.is_positive() ? reopened : -reopened;
        book.trip_realized = Decimal{};
        book.trip_fees = fee - *fee_closing;
      }
    }

    if (!inside) continue;
    PerformanceMetrics& m = acc.m;
    ++m.fills;
    m.realized_pnl += realized;
    m.fees += fee;
    m.traded_notional += notional->abs();
    if (!counted) {
      auto& [amount, count] = acc.uncounted[f->fee_currency];
      amount += f->fee;
      ++count;
    }
    if (closed_trip) record_trip(m, *closed_trip);
  }

  // Open positions at the marks.
  for (auto& [key, acc] : groups) {
    for (const auto& [instrument, book] : acc.books) {
      if (book.quantity.is_zero()) continue;
      const auto terms_it = input.instruments.find(instrument);
      const InstrumentTerms& terms = terms_it == input.instruments.end() ? default_terms : terms_it->second;
      OpenPosition p;
      p.instrument_id = instrument;
      p.quantity = book.quantity;
      auto contracts = product(book.quantity.abs(), terms.multiplier);
      if (!contracts) return contracts.error();
      auto avg = book.open_cost.checked_div(*contracts, division_scale(book.open_cost));
      if (!avg) return avg.error();
      p.avg_entry_price = *avg;
      p.mark = terms.mark;
      PerformanceMetrics& m = acc.m;
      if (terms.mark) {
        auto current = product(*terms.mark, *contracts);
        if (!current) return current.error();
        p.unrealized_pnl = book.quantity.is_positive() ? *current - book.open_cost : book.open_cost - *current;
        if (m.unrealized_pnl) *m.unrealized_pnl += *p.unrealized_pnl;
      } else {
        m.unrealized_pnl.reset();
      }
      m.positions.push_back(std::move(p));
    }
  }

  // Groups in key order, then the total as their sum.
  PerformanceMetrics& t = report.total;
  std::map<std::string, std::pair<Decimal, std::size_t>, std::less<>> all_uncounted;
  for (auto& [key, acc] : groups) {
    PerformanceMetrics& m = acc.m;
    for (const auto& [currency, entry] : acc.uncounted) {
      m.fees_uncounted.push_back(UncountedFee{currency, entry.first, entry.second});
      auto& [amount, count] = all_uncounted[currency];
      amount += entry.first;
      count += entry.second;
    }
    if (auto s = finish_ratios(m); !s) return s.error();
    if (report.covers_all_history && m.unrealized_pnl) m.total_pnl = m.net_pnl + *m.unrealized_pnl;

    t.realized_pnl += m.realized_pnl;
    t.fees += m.fees;
    t.traded_notional += m.traded_notional;
    if (t.unrealized_pnl && m.unrealized_pnl) {
      *t.unrealized_pnl += *m.unrealized_pnl;
    } else {
      t.unrealized_pnl.reset();
    }
    t.fills += m.fills;
    t.round_trips += m.round_trips;
    t.wins += m.wins;
    t.losses += m.losses;
    t.breakeven += m.breakeven;
    t.gross_profit += m.gross_profit;
    t.gross_loss += m.gross_loss;
    if (m.largest_win && (!t.largest_win || *m.largest_win > *t.largest_win)) t.largest_win = m.largest_win;
    if (m.largest_loss && (!t.largest_loss || *m.largest_loss < *t.largest_loss)) t.largest_loss = m.largest_loss;
    report.groups.push_back(PerformanceGroup{key, std::move(m)});
  }
  for (const auto& [currency, entry] : all_uncounted) t.fees_uncounted.push_back(UncountedFee{currency, entry.first, entry.second});
  if (auto s = finish_ratios(t); !s) return s.error();
  if (report.covers_all_history && t.unrealized_pnl) t.total_pnl = t.net_pnl + *t.unrealized_pnl;
  return report;
}

core::Result<EquityGrid> equity_grid(std::span<const EquityPoint> points, core::Duration snapshot_interval) {
  if (snapshot_interval.count() <= 0) {
    return Error(ErrorCode::InvalidArgument, "the snapshot interval must be positive", "snapshot_interval");
  }
  for (std::size_t i = 1; i < points.size(); ++i) {
    if (points[i].ts < points[i - 1].ts) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("equity point {} ({}) is before point {} ({})", i, core::format_iso8601(points[i].ts),
                               i - 1, core::format_iso8601(points[i - 1].ts)),
                   "snapshots");
    }
  }
  EquityGrid grid;
  grid.snapshots = points.size();
  if (points.empty()) {
    grid.interval = snapshot_interval;
    return grid;
  }
  const core::Duration two_days(2 * core::kNanosPerDay);
  grid.interval = points.back().ts - points.front().ts >= two_days ? core::Duration(core::kNanosPerDay) : snapshot_interval;
  std::optional<std::int64_t> previous_bucket;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::int64_t bucket = core::floor_div(points[i].ts.value, grid.interval.count());
    const bool last_in_bucket =
        i + 1 == points.size() || core::floor_div(points[i + 1].ts.value, grid.interval.count()) != bucket;
    if (!last_in_bucket) continue;
    if (previous_bucket) grid.empty_buckets += static_cast<std::size_t>(bucket - *previous_bucket - 1);
    previous_bucket = bucket;
    grid.ts.push_back(points[i].ts);
    grid.equity.push_back(points[i].equity.to_double());
  }
  return grid;
}

}  // namespace ballast::server
