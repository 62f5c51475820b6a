#include "ballast/execution/execution_algorithm.hpp"

#include "ballast/core/require.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ballast::execution {

using core::Decimal;
using core::RoundingMode;
using model::OrderSide;
using model::Price;

namespace {

core::Error invalid(std::string message, std::string where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

// p × (1 + sign·bps/10⁴), rounded to the tick in `mode`.
Price shifted(const model::Instrument& instrument, const Price& p, const Decimal& bps, int sign, RoundingMode mode) {
  const Decimal fraction = Decimal::from_raw(bps.raw(), std::min(Decimal::kMaxScale, bps.scale() + 4));
  const Decimal factor = sign > 0 ? Decimal::from_int(1) + fraction : Decimal::from_int(1) - fraction;
  const int scale = std::min(Decimal::kMaxScale, p.precision() + fraction.scale());
  const Decimal raw = p.value().mul(factor, scale, mode);
  return instrument.round_price(Price(raw), mode).value();
}

}  // namespace

core::Status ExecutionAlgorithm::validate_parent(const ParentOrder& parent, const model::Instrument& instrument) {
  std::vector<std::string> errors;
  if (parent.id.empty()) errors.emplace_back("id: must be set");
  if (parent.instrument_id != instrument.id()) {
    errors.push_back(fmt::format("instrument_id: {} does not match the instrument {}", parent.instrument_id.to_string(),
                                 instrument.id().to_string()));
  }
  if (!parent.quantity.is_positive()) errors.emplace_back("quantity: must be > 0");
  if (!instrument.check_quantity_on_step(parent.quantity)) {
    errors.push_back(fmt::format("quantity: {} is not a multiple of the step {}", parent.quantity.to_string(),
                                 instrument.step_size().to_string()));
  }
  if (parent.quantity < instrument.min_quantity()) {
    errors.push_back(fmt::format("quantity: {} is below the minimum {}", parent.quantity.to_string(),
                                 instrument.min_quantity().to_string()));
  }
  if (!(parent.start < parent.end)) errors.emplace_back("end: must be after start");
  if (parent.limit_price && !parent.limit_price->is_positive()) errors.emplace_back("limit_price: must be > 0");
  if (parent.max_deviation_bps && !parent.max_deviation_bps->is_positive()) {
    errors.emplace_back("max_deviation_bps: must be > 0");
  }
  if (parent.aggressive_slippage_bps.is_negative()) errors.emplace_back("aggressive_slippage_bps: must be >= 0");
  if (errors.empty()) return core::ok();
  std::string message;
  for (const auto& e : errors) message += (message.empty() ? "" : "; ") + e;
  return invalid("parent order: " + message, "parent");
}

ExecutionAlgorithm::ExecutionAlgorithm(ParentOrder parent, const model::Instrument& instrument)
    : parent_(std::move(parent)), instrument_(&instrument) {
  progress_.quantity = parent_.quantity;
}

Decimal ExecutionAlgorithm::remaining() const { return parent_.quantity.value() - progress_.filled; }

Decimal ExecutionAlgorithm::unplaced() const {
  const Decimal left = remaining() - progress_.working;
  return left.is_negative() ? Decimal{} : left;
}

std::optional<Price> ExecutionAlgorithm::protection_price() const {
  const bool buy = parent_.side == OrderSide::Buy;
  std::optional<Price> cap = parent_.limit_price;
  if (parent_.max_deviation_bps && progress_.arrival_price) {
    const Price deviation = shifted(*instrument_, *progress_.arrival_price, *parent_.max_deviation_bps, buy ? 1 : -1,
                                    buy ? RoundingMode::Down : RoundingMode::Up);
    cap = !cap ? deviation : (buy ? std::min(*cap, deviation) : std::max(*cap, deviation));
  }
  return cap;
}

std::optional<Price> ExecutionAlgorithm::child_price(ChildPricing pricing, const MarketState& market) const {
  const bool buy = parent_.side == OrderSide::Buy;
  const auto& near = buy ? market.best_bid : market.best_ask;
  const auto& far = buy ? market.best_ask : market.best_bid;
  std::optional<Price> price;
  if (pricing == ChildPricing::Passive) {
    price = near ? near : market.last;
  } else {
    const auto& touch = far ? far : market.last;
    if (touch) {
      price = shifted(*instrument_, *touch, parent_.aggressive_slippage_bps, buy ? 1 : -1,
                      buy ? RoundingMode::Up : RoundingMode::Down);
    }
  }
  if (!price || !price->is_positive()) return std::nullopt;
  if (const auto cap = protection_price()) price = buy ? std::min(*price, *cap) : std::max(*price, *cap);
  return price;
}

Decimal ExecutionAlgorithm::submit_child(const Decimal& quantity, ChildPricing pricing, const MarketState& market,
                                         std::vector<AlgoAction>& actions) {
  Decimal q = std::min(quantity, unplaced());
  if (!q.is_positive()) return Decimal{};
  q = q.round_to_increment(instrument_->step_size().value(), RoundingMode::Down).value();
  if (q < instrument_->min_quantity().value() || !q.is_positive()) return Decimal{};
  const auto price = child_price(pricing, market);
  if (!price) return Decimal{};
  return submit_child_at(q, *price,
                         pricing == ChildPricing::Passive ? model::TimeInForce::Gtc : model::TimeInForce::Ioc, market,
                         actions);
}

Decimal ExecutionAlgorithm::submit_child_at(const Decimal& quantity, const Price& price, model::TimeInForce tif,
                                            const MarketState& market, std::vector<AlgoAction>& actions) {
  Decimal q = std::min(quantity, unplaced());
  if (!q.is_positive()) return Decimal{};
  q = q.round_to_increment(instrument_->step_size().value(), RoundingMode::Down).value();
  if (q < instrument_->min_quantity().value() || !q.is_positive()) return Decimal{};
  if (instrument_->min_notional() && !instrument_->check_min_notional(price, model::Quantity(q))) return Decimal{};

  model::OrderSpec child;
  child.client_order_id = core::ClientOrderId(fmt::format("{}-{}", parent_.id.value(), next_child_++));
  child.strategy_id = parent_.strategy_id;
  child.account_id = parent_.account_id;
  child.instrument_id = parent_.instrument_id;
  child.side = parent_.side;
  child.type = model::OrderType::Limit;
  child.quantity = model::Quantity(q);
  child.price = price;
  child.time_in_force = tif;
  child.ts_init = market.now;
  working_.push_back(WorkingChild{child.client_order_id, q, false});
  progress_.working += q;
  ++progress_.children;
  AlgoAction action;
  action.kind = AlgoAction::Kind::Submit;
  action.child = std::move(child);
  actions.push_back(std::move(action));
  return q;
}

void ExecutionAlgorithm::cancel_working(std::vector<AlgoAction>& actions) {
  for (auto& w : working_) {
    if (w.cancel_sent) continue;
    w.cancel_sent = true;
    AlgoAction action;
    action.kind = AlgoAction::Kind::Cancel;
    action.cancel_id = w.id;
    actions.push_back(std::move(action));
  }
}

std::vector<AlgoAction> ExecutionAlgorithm::update(const MarketState& market) {
  std::vector<AlgoAction> actions;
  if (progress_.done) return actions;
  if (!progress_.arrival_price) {
    if (market.best_bid && market.best_ask) {
      const Decimal sum = market.best_bid->value() + market.best_ask->value();
      progress_.arrival_price = Price(sum.div(Decimal::from_int(2), sum.scale() + 1, RoundingMode::HalfEven));
    } else if (market.last) {
      progress_.arrival_price = market.last;
    }
  }
  if (market.now < parent_.end) {
    decide(market, actions);
    return actions;
  }
  // At or after the end: stop working passively, catch up once, then finish.
  cancel_working(actions);
  if (parent_.catch_up_at_end && !caught_up_ && working_.empty()) {  // after the cancels are confirmed
    caught_up_ = true;
    set_scheduled(parent_.quantity.value());
    submit_child(unplaced(), ChildPricing::Aggressive, market, actions);
  }
  if (working_.empty() && (caught_up_ || !parent_.catch_up_at_end)) {
    progress_.done = true;
    progress_.residual = remaining();
  }
  return actions;
}

void ExecutionAlgorithm::on_child_fill(const model::Fill& fill) {
  const auto it = std::find_if(working_.begin(), working_.end(),
                               [&](const WorkingChild& w) { return w.id == fill.client_order_id; });
  if (it == working_.end()) return;
  const Decimal q = std::min(fill.last_qty.value(), it->leaves);
  it->leaves -= q;
  progress_.working -= q;
  progress_.filled += q;
  progress_.fill_value += fill.last_px.value().mul(fill.last_qty.value(),
                                                   std::min(Decimal::kMaxScale, fill.last_px.precision() +
                                                                                    fill.last_qty.precision()));
  if (fill.commission.currency() == instrument_->settlement_currency()) progress_.fees += fill.commission.amount();
  if (!it->leaves.is_positive()) working_.erase(it);
  finish_if_complete();
}

void ExecutionAlgorithm::on_child_closed(const core::ClientOrderId& child_id) {
  const auto it =
      std::find_if(working_.begin(), working_.end(), [&](const WorkingChild& w) { return w.id == child_id; });
  if (it == working_.end()) return;
  progress_.working -= it->leaves;
  working_.erase(it);
  finish_if_complete();
}

void ExecutionAlgorithm::finish_if_complete() {
  if (!remaining().is_positive()) {
    progress_.done = true;
    progress_.residual = Decimal{};
  }
}

}  // namespace ballast::execution
