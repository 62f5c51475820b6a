#include "ballast/strategy/signal_strategy.hpp"

#include <algorithm>
#include <cmath>

namespace ballast::strategy {

using core::Decimal;
using model::OrderSide;

std::string_view to_string(Target target) noexcept {
  switch (target) {
    case Target::Long: return "LONG";
    case Target::Short: return "SHORT";
    case Target::Flat: return "FLAT";
  }
  return "FLAT";
}

SignalStrategy::SignalStrategy(core::InstrumentId instrument_id, StrategyParameters parameters)
    : instrument_id_(std::move(instrument_id)), parameters_(std::move(parameters)) {}

void SignalStrategy::on_bar(StrategyContext& context, const core::InstrumentId& instrument_id, const model::Bar& bar) {
  if (instrument_id != instrument_id_) return;
  ++bars_seen_;
  reported_ = false;
  auto target = signal(bar);  // indicators advance on every bar, also while an order is pending
  if (!reported_) indicators_.clear();  // (kept otherwise: the same slots are written again on every bar)
  warm_ = !reported_ || reported_finite_;  // every reported value finite (none reported: nothing to wait for)
  if (target) on_signal(context, *target, bar);
}

void SignalStrategy::on_signal(StrategyContext& context, Target target, const model::Bar& bar) {
  if (target == Target::Short && parameters_.get_bool("long_only")) target = Target::Flat;
  // A new record, its indicator list in the last record's storage (no allocation per signal).
  std::vector<IndicatorValue> values = last_signal_ ? std::move(last_signal_->indicators) : std::vector<IndicatorValue>{};
  values.assign(indicators_.begin(), indicators_.end());
  last_signal_ = SignalRecord{target, bar.ts_recv, bar.close, false, std::move(values)};
  if (!pending_.empty()) return;
  last_signal_->acted = trade_to(context, target, bar);
}

void SignalStrategy::on_fill(StrategyContext&, const model::Fill& fill) {
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->id != fill.client_order_id) continue;
    it->left -= fill.last_qty.value();
    if (!it->left.is_positive()) pending_.erase(it);
    return;
  }
}

void SignalStrategy::on_order_event(StrategyContext&, const model::OrderEvent& event) {
  const bool terminal = std::holds_alternative<model::OrderRejected>(event) ||
                        std::holds_alternative<model::OrderCanceled>(event) ||
                        std::holds_alternative<model::OrderExpired>(event) ||
                        std::holds_alternative<model::OrderDenied>(event);
  if (!terminal) return;
  const auto& id = model::event_base(event).client_order_id;
  std::erase_if(pending_, [&](const Pending& p) { return p.id == id; });
}

bool SignalStrategy::trade_to(StrategyContext& context, Target target, const model::Bar& bar) {
  const Decimal position = context.position(instrument_id_);
  const bool long_now = position.is_positive();
  const bool short_now = position.is_negative();
  if ((target == Target::Long && long_now) || (target == Target::Short && short_now) ||
      (target == Target::Flat && position.is_zero())) {
    return false;
  }
  bool acted = false;
  // Close what points the wrong way.
  if ((long_now && target != Target::Long) || (short_now && target != Target::Short)) {
    OrderIntent close;
    close.instrument_id = instrument_id_;
    close.side = long_now ? OrderSide::Sell : OrderSide::Buy;
    close.quantity = model::Quantity(position.abs());
    close.reduce_only = true;
    close.tag = "exit";
    const auto id = context.submit(close);
    if (!id) return false;  // the gate refused even a close: try again next bar
    pending_.push_back({*id, position.abs()});
    acted = true;
  }
  if (target == Target::Flat) return acted;
  SizingRequest request;
  request.instrument_id = instrument_id_;
  request.side = target == Target::Long ? OrderSide::Buy : OrderSide::Sell;
  request.entry_price = bar.close;
  const auto size = context.size_position(request);
  if (!size || size->is_zero()) return acted;
  OrderIntent entry;
  entry.instrument_id = instrument_id_;
  entry.side = request.side;
  entry.quantity = *size;
  entry.tag = "entry";
  const auto id = context.submit(entry);
  if (!id) return acted;
  pending_.push_back({*id, size->value()});
  return true;
}

}  // namespace ballast::strategy
