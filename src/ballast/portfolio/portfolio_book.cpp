#include "ballast/portfolio/portfolio_book.hpp"

#include "ballast/portfolio/internal/exact_math.hpp"
#include "ballast/portfolio/internal/position_figures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <utility>

namespace ballast::portfolio {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using core::RoundingMode;

// Extra places of the average entry beyond the tick, as model::Position::avg_px_open().
constexpr int kAvgEntryExtraDigits = 4;

Decimal zero_at(int scale) { return Decimal::from_raw(0, scale); }

Error bad_slot(SlotIndex index, std::size_t size) {
  return Error(ErrorCode::OutOfRange, fmt::format("slot {} out of range for a book of {} instruments", index, size),
               "slot");
}

const Decimal& larger(const Decimal& a, const Decimal& b) { return a >= b ? a : b; }

}  // namespace

core::Result<PortfolioBook> PortfolioBook::create(model::Currency settlement,
                                                  std::span<const model::Instrument* const> instruments,
                                                  core::Decimal wallet_balance) {
  if (settlement.empty()) return Error(ErrorCode::InvalidArgument, "settlement currency must be set", "settlement");
  PortfolioBook book;
  book.settlement_ = settlement;
  const int p = settlement.precision();
  book.slots_.reserve(instruments.size());
  for (std::size_t i = 0; i < instruments.size(); ++i) {
    const std::string where = fmt::format("instruments[{}]", i);
    const model::Instrument* instrument = instruments[i];
    if (instrument == nullptr) return Error(ErrorCode::InvalidArgument, "instrument must be set", where);
    if (instrument->is_inverse()) {
      return Error(ErrorCode::Unsupported,
                   fmt::format("inverse contract {} is not supported by the portfolio book (linear only)",
                               instrument->id().value()),
                   where);
    }
    if (!(instrument->settlement_currency() == settlement)) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("{} settles in {}, the book in {}", instrument->id().value(),
                               instrument->settlement_currency().code(), settlement.code()),
                   where);
    }
    const auto index = static_cast<SlotIndex>(i);
    if (!book.index_.emplace(instrument->id().value(), index).second) {
      return Error(ErrorCode::AlreadyExists, fmt::format("instrument {} appears twice", instrument->id().value()),
                   where);
    }
    InstrumentSlot slot;
    slot.instrument = instrument;
    slot.quantity = zero_at(instrument->quantity_precision());
    slot.avg_entry = zero_at(instrument->price_precision());
    for (Decimal* d : {&slot.isolated_margin, &slot.open_buy_notional, &slot.open_sell_notional, &slot.notional,
                       &slot.unrealized_pnl, &slot.initial_margin, &slot.open_order_margin, &slot.realized_pnl,
                       &slot.open_cost}) {
      *d = zero_at(p);
    }
    slot.open_buy_quantity = zero_at(instrument->quantity_precision());
    slot.open_sell_quantity = zero_at(instrument->quantity_precision());
    book.slots_.push_back(slot);
  }
  book.lines_.resize(book.slots_.size());
  book.wallet_ = wallet_balance;
  for (Decimal* d : {&book.isolated_total_, &book.unrealized_total_, &book.cross_unrealized_total_,
                     &book.realized_total_, &book.gross_total_, &book.net_total_, &book.cross_im_total_,
                     &book.oom_total_}) {
    *d = zero_at(p);
  }
  return book;
}

SlotIndex PortfolioBook::slot_index_by_value(const core::InstrumentId& id) const noexcept {
  // A book of a few instruments (every backtest, most accounts): comparing the ids beats hashing one.
  if (slots_.size() <= kScanLimit) {
    for (SlotIndex i = 0; i < slots_.size(); ++i) {
      if (slots_[i].instrument->id() == id) return i;
    }
    return kNoSlot;
  }
  const auto it = index_.find(id.value());
  return it == index_.end() ? kNoSlot : it->second;
}

void PortfolioBook::remove_derived(const InstrumentSlot& s) {
  unrealized_total_ -= s.unrealized_pnl;
  gross_total_ -= s.notional.abs();
  net_total_ -= s.notional;
  oom_total_ -= s.open_order_margin;
  open_orders_total_ -= s.open_orders;
  if (!s.quantity.is_zero()) --positions_open_;
  if (s.margin_mode == model::MarginMode::Cross) {
    cross_unrealized_total_ -= s.unrealized_pnl;
    cross_im_total_ -= s.initial_margin;
  } else {
    isolated_total_ -= s.isolated_margin;
  }
}

void PortfolioBook::add_derived(const InstrumentSlot& s) {
  unrealized_total_ += s.unrealized_pnl;
  gross_total_ += s.notional.abs();
  net_total_ += s.notional;
  oom_total_ += s.open_order_margin;
  open_orders_total_ += s.open_orders;
  if (!s.quantity.is_zero()) ++positions_open_;
  if (s.margin_mode == model::MarginMode::Cross) {
    cross_unrealized_total_ += s.unrealized_pnl;
    cross_im_total_ += s.initial_margin;
  } else {
    isolated_total_ += s.isolated_margin;
  }
}

void PortfolioBook::recompute(InstrumentSlot& s) {
  const int p = settlement_.precision();
  // Open-order margin does not depend on the mark: Σ order notional at the order prices per side.
  const Decimal buy = s.open_buy_notional.div(s.leverage, p, RoundingMode::Up);
  const Decimal sell = s.open_sell_notional.div(s.leverage, p, RoundingMode::Up);
  s.open_order_margin = larger(buy, sell);
  recompute_position(s);
}

void PortfolioBook::recompute_position(InstrumentSlot& s) {
  const int p = settlement_.precision();
  const model::Instrument& instrument = *s.instrument;
  if (!s.has_mark || s.quantity.is_zero()) {
    s.notional = zero_at(p);
    s.unrealized_pnl = zero_at(p);
    s.initial_margin = zero_at(p);
    return;
  }
  // The position's line, formed again only when the position, its leverage or the mark's scale changed: a
  // mark of a held position evaluates it (internal::position_figures, in two steps).
  const Decimal& mark = s.mark.value();
  internal::PositionLine& line = lines_[static_cast<std::size_t>(&s - slots_.data())];
  if (!line.formed_from(s.quantity, s.avg_entry, s.leverage, mark.scale())) [[unlikely]] {
    line = internal::position_line(s.quantity, instrument.multiplier(), s.avg_entry, s.leverage, mark.scale(), p);
  }
  std::int64_t notional = 0;
  std::int64_t pnl = 0;
  std::int64_t margin = 0;
  if (line.valid && internal::line_figures(line, mark.raw(), notional, pnl, margin)) [[likely]] {
    s.notional = Decimal::from_raw(notional, p);
    s.unrealized_pnl = Decimal::from_raw(pnl, p);
    s.initial_margin = Decimal::from_raw(margin, p);
    return;
  }
  const internal::PositionFigures f =
      internal::position_figures_reference(s.quantity, instrument.multiplier(), mark, s.avg_entry, s.leverage, p);
  s.notional = f.notional;
  s.unrealized_pnl = f.unrealized_pnl;
  s.initial_margin = f.initial_margin;
}

core::Status PortfolioBook::mark_position(SlotIndex index, const model::Price& mark, core::UnixNanos ts) {
  ++version_;
  if (index >= slots_.size()) return bad_slot(index, slots_.size());
  InstrumentSlot& s = slots_[index];
  // A new mark moves the position's notional, P&L and margin only (not the quantity, the open-order margin,
  // the order count or an isolated margin): the totals take the change of those (exact decimal sums, so the
  // same values as taking the slot out and putting it back).
  const Decimal notional = s.notional;
  const Decimal pnl = s.unrealized_pnl;
  const Decimal margin = s.initial_margin;
  s.mark = mark;
  s.has_mark = true;
  s.ts_mark = ts;
  recompute_position(s);
  const Decimal pnl_change = s.unrealized_pnl - pnl;
  unrealized_total_ += pnl_change;
  gross_total_ += s.notional.abs() - notional.abs();
  net_total_ += s.notional - notional;
  if (s.margin_mode == model::MarginMode::Cross) {
    cross_unrealized_total_ += pnl_change;
    cross_im_total_ += s.initial_margin - margin;
  }
  return core::ok();
}

void PortfolioBook::set_quote(SlotIndex index, std::optional<model::Price> bid, std::optional<model::Price> ask) {
  BALLAST_REQUIRE(index < slots_.size(), fmt::format("slot {} out of range", index));
  slots_[index].best_bid = bid;
  slots_[index].best_ask = ask;
}

core::Result<FillEffect> PortfolioBook::apply_fill(SlotIndex index, model::OrderSide side,
                                                   const core::Decimal& quantity, const model::Price& price,
                                                   const core::Decimal& fee) {
  ++version_;
  if (index >= slots_.size()) return bad_slot(index, slots_.size());
  if (!quantity.is_positive() || !price.is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("a fill needs a positive quantity and price, got {} @ {}", quantity.to_string(),
                             price.to_string()),
                 "fill");
  }
  InstrumentSlot& s = slots_[index];
  const model::Instrument& instrument = *s.instrument;
  const int p = settlement_.precision();
  const Decimal signed_qty = side == model::OrderSide::Buy ? quantity : -quantity;
  const Decimal before = s.quantity;

  // Cost basis as model::Position: opening adds price × qty × multiplier; closing c of |q| releases
  // cost × c / |q| (all of it on a full close) and realises exit value − released cost.
  auto value_at = [&](const Decimal& qty) -> core::Result<Decimal> {
    auto contracts = internal::multiply(qty, instrument.multiplier());
    if (!contracts) return contracts.error();
    return internal::multiply(*contracts, price.value());
  };
  Decimal new_cost;
  Decimal gross_pnl = zero_at(p);
  bool closed_some = false;
  bool flipped = false;
  if (before.is_zero() || before.sign() == signed_qty.sign()) {
    auto added = value_at(quantity);
    if (!added) return added.error();
    auto cost = s.open_cost.checked_add(*added);
    if (!cost) return cost.error();
    new_cost = *cost;
  } else {
    closed_some = true;
    const Decimal open = before.abs();
    const Decimal closed = std::min(quantity, open);
    Decimal released = s.open_cost;
    if (closed < open) {
      // cost × closed / open, rounded once (128-bit intermediate) at the basis' scale or finer.
      const int scale = std::max(s.open_cost.scale(), p);
      const core::Int128 num = static_cast<core::Int128>(s.open_cost.rescale(scale).raw()) *
                               closed.rescale(std::max(closed.scale(), open.scale())).raw();
      const core::Int128 den = open.rescale(std::max(closed.scale(), open.scale())).raw();
      released = Decimal::from_raw(static_cast<std::int64_t>(core::div_round(num, den, RoundingMode::HalfEven)), scale);
    }
    auto exit_value = value_at(closed);
    if (!exit_value) return exit_value.error();
    auto gain = exit_value->checked_sub(released);
    if (!gain) return gain.error();
    gross_pnl = (before.is_positive() ? *gain : -*gain).rescale(p, RoundingMode::HalfEven);
    new_cost = s.open_cost - released;
    if (quantity > open) {
      flipped = true;
      auto reopened = value_at(quantity - open);
      if (!reopened) return reopened.error();
      new_cost = *reopened;
    }
  }
  auto after = before.checked_add(signed_qty);
  if (!after) return after.error();
  const Decimal net_pnl = gross_pnl - fee;

  // Commit.
  remove_derived(s);
  s.quantity = *after;
  s.open_cost = after->is_zero() ? zero_at(p) : new_cost;
  if (after->is_zero()) {
    s.avg_entry = zero_at(instrument.price_precision());
  } else {
    const int scale = std::min(Decimal::kMaxScale, instrument.price_precision() + kAvgEntryExtraDigits);
    const Decimal contracts = internal::multiply(after->abs(), instrument.multiplier()).value();
    s.avg_entry = s.open_cost.div(contracts, scale, RoundingMode::HalfEven);
  }
  s.realized_pnl += net_pnl;
  recompute(s);
  add_derived(s);
  realized_total_ += net_pnl;
  wallet_ += net_pnl;
  return FillEffect{before, *after, net_pnl, closed_some, flipped};
}

core::Status PortfolioBook::set_position(SlotIndex index, const core::Decimal& quantity,
                                         const core::Decimal& avg_entry) {
  ++version_;
  if (index >= slots_.size()) return bad_slot(index, slots_.size());
  InstrumentSlot& s = slots_[index];
  if (!quantity.is_zero() && !avg_entry.is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("average entry of an open position must be positive, got {}", avg_entry.to_string()),
                 "avg_entry");
  }
  Decimal cost = zero_at(settlement_.precision());
  if (!quantity.is_zero()) {
    auto contracts = internal::multiply(quantity.abs(), s.instrument->multiplier());
    if (!contracts) return contracts.error();
    auto value = internal::multiply(*contracts, avg_entry);
    if (!value) return value.error();
    cost = *value;
  }
  remove_derived(s);
  s.quantity = quantity;
  s.avg_entry = quantity.is_zero() ? zero_at(s.instrument->price_precision()) : avg_entry;
  s.open_cost = cost;
  recompute(s);
  add_derived(s);
  return core::ok();
}

core::Status PortfolioBook::set_leverage(SlotIndex index, const core::Decimal& leverage) {
  ++version_;
  if (index >= slots_.size()) return bad_slot(index, slots_.size());
  if (leverage < Decimal::from_int(1)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("leverage must be at least 1, got {}", leverage.to_string_trimmed()), "leverage");
  }
  InstrumentSlot& s = slots_[index];
  remove_derived(s);
  s.leverage = leverage;
  recompute(s);
  add_derived(s);
  return core::ok();
}

core::Status PortfolioBook::set_margin_mode(SlotIndex index, model::MarginMode mode,
                                            const core::Decimal& isolated_margin) {
  ++version_;
  if (index >= slots_.size()) return bad_slot(index, slots_.size());
  if (isolated_margin.is_negative()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("isolated margin must be >= 0, got {}", isolated_margin.to_string()), "isolated_margin");
  }
  InstrumentSlot& s = slots_[index];
  remove_derived(s);
  s.margin_mode = mode;
  s.isolated_margin = mode == model::MarginMode::Isolated ? isolated_margin : zero_at(settlement_.precision());
  recompute(s);
  add_derived(s);
  return core::ok();
}

core::Status PortfolioBook::add_open_order(SlotIndex index, model::OrderSide side, const core::Decimal& quantity,
                                           const model::Price& price) {
  ++version_;
  if (index >= slots_.size()) return bad_slot(index, slots_.size());
  if (!quantity.is_positive() || !price.is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("a working order needs a positive quantity and price, got {} @ {}",
                             quantity.to_string(), price.to_string()),
                 "order");
  }
  InstrumentSlot& s = slots_[index];
  auto contracts = internal::multiply(quantity, s.instrument->multiplier());
  if (!contracts) return contracts.error();
  auto notional = internal::multiply(*contracts, price.value());
  if (!notional) return notional.error();
  remove_derived(s);
  if (side == model::OrderSide::Buy) {
    s.open_buy_quantity += quantity;
    s.open_buy_notional += *notional;
  } else {
    s.open_sell_quantity += quantity;
    s.open_sell_notional += *notional;
  }
  ++s.open_orders;
  recompute(s);
  add_derived(s);
  return core::ok();
}

core::Status PortfolioBook::remove_open_order(SlotIndex index, model::OrderSide side, const core::Decimal& quantity,
                                              const model::Price& price, bool order_done) {
  ++version_;
  if (index >= slots_.size()) return bad_slot(index, slots_.size());
  InstrumentSlot& s = slots_[index];
  if (quantity.is_negative() || !price.is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("cannot remove {} @ {} from the working orders", quantity.to_string(), price.to_string()),
                 "order");
  }
  auto contracts = internal::multiply(quantity, s.instrument->multiplier());
  if (!contracts) return contracts.error();
  auto notional = internal::multiply(*contracts, price.value());
  if (!notional) return notional.error();
  const bool buy = side == model::OrderSide::Buy;
  const Decimal& held_qty = buy ? s.open_buy_quantity : s.open_sell_quantity;
  const Decimal& held_notional = buy ? s.open_buy_notional : s.open_sell_notional;
  if (quantity > held_qty || *notional > held_notional) {
    return Error(ErrorCode::InvalidState,
                 fmt::format("removing {} @ {} exceeds the working {} orders of {} ({} for {})", quantity.to_string(),
                             price.to_string(), to_string(side), s.instrument->id().value(), held_qty.to_string(),
                             held_notional.to_string()),
                 "order");
  }
  if (order_done && s.open_orders <= 0) {
    return Error(ErrorCode::InvalidState,
                 fmt::format("no working order of {} left to remove", s.instrument->id().value()), "order");
  }
  remove_derived(s);
  if (buy) {
    s.open_buy_quantity -= quantity;
    s.open_buy_notional -= *notional;
  } else {
    s.open_sell_quantity -= quantity;
    s.open_sell_notional -= *notional;
  }
  if (order_done) --s.open_orders;
  recompute(s);
  add_derived(s);
  return core::ok();
}

void PortfolioBook::adjust_wallet(const core::Decimal& amount) {
  ++version_;
  wallet_ += amount;
}

void PortfolioBook::set_wallet_balance(const core::Decimal& amount) {
  ++version_;
  wallet_ = amount;
}

core::Decimal PortfolioBook::available_margin() const {
  return wallet_ - isolated_total_ + cross_unrealized_total_ - cross_im_total_ - oom_total_;
}

namespace {

// One side's working orders as at most two MarginOrders whose notionals sum exactly to `notional`: with
// A = notional / multiplier = Σ q·p over the orders, a price grid of 10^-s where s = scale(A) − scale(Q),
// the lower price p_lo = floor(A / Q) on that grid and q_hi = (A − Q·p_lo) / 10^-s units at p_lo + 10^-s.
// q_hi has the quantity's scale, so both parts are exact and MarginManager reproduces the notional.
void append_side(std::vector<MarginOrder>& out, const InstrumentSlot& s, model::OrderSide side, const Decimal& qty,
                 const Decimal& notional) {
  if (!qty.is_positive()) return;
  const model::Instrument& instrument = *s.instrument;
  auto emit = [&](const Decimal& q, const Decimal& price) {
    out.push_back(MarginOrder{&instrument, side, model::Quantity(q), model::Price(price), s.leverage});
  };
  const Decimal& m = instrument.multiplier();
  const int wide = std::min(Decimal::kMaxScale, notional.scale() + m.scale());
  auto a = notional.checked_div(m, wide, RoundingMode::HalfEven);
  if (a && internal::multiply(*a, m).value() == notional) {
    const int price_scale = std::max(0, a->scale() - qty.scale());
    auto lo = a->checked_div(qty, price_scale, RoundingMode::Down);
    if (lo && lo->is_positive()) {
      auto at_lo = qty.checked_mul(*lo, a->scale(), RoundingMode::HalfEven);
      if (at_lo) {
        const Decimal ulp = Decimal::from_raw(1, price_scale);
        const Decimal remainder = *a - *at_lo;  // < Q × ulp
        auto q_hi = remainder.checked_div(ulp, qty.scale(), RoundingMode::HalfEven);
        if (q_hi && internal::multiply(*q_hi, ulp).value() == remainder) {
          const Decimal q_lo = qty - *q_hi;
          if (q_lo.is_positive()) emit(q_lo, *lo);
          if (q_hi->is_positive()) emit(*q_hi, *lo + ulp);
          return;
        }
      }
    }
  }
  // Not representable exactly (an unusual multiplier): one order at the average price, rounded up.
  const Decimal contracts = internal::multiply(qty, m).value();
  emit(qty, notional.div(contracts, std::min(Decimal::kMaxScale, instrument.price_precision() + kAvgEntryExtraDigits),
                         RoundingMode::Up));
}

}  // namespace

MarginAccountState PortfolioBook::margin_state() const {
  MarginAccountState state;
  state.settlement_currency = settlement_;
  state.cross_wallet_balance = model::Money(wallet_ - isolated_total_, settlement_);
  for (const InstrumentSlot& s : slots_) {
    if (!s.quantity.is_zero() && s.has_mark) {
      state.positions.push_back(MarginPosition{s.instrument, s.quantity, model::Price(s.avg_entry), s.mark,
                                               s.margin_mode, s.leverage,
                                               model::Money(s.isolated_margin, settlement_)});
    }
    append_side(state.open_orders, s, model::OrderSide::Buy, s.open_buy_quantity, s.open_buy_notional);
    append_side(state.open_orders, s, model::OrderSide::Sell, s.open_sell_quantity, s.open_sell_notional);
  }
  return state;
}

}  // namespace ballast::portfolio
