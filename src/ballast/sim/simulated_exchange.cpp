#include "ballast/sim/simulated_exchange.hpp"

#include "ballast/sim/internal/exchange_state.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <utility>

namespace ballast::sim {

using core::Decimal;
using core::RoundingMode;
using core::UnixNanos;
using model::LiquiditySide;
using model::OrderSide;
using model::OrderType;
using model::Price;
using model::Quantity;
using model::TimeInForce;

namespace {

bool is_buy(OrderSide side) { return side == OrderSide::Buy; }

}  // namespace

SimulatedExchange::SimulatedExchange(SimulatedExchangeConfig config, std::unique_ptr<SlippageModel> slippage,
                                     std::unique_ptr<LatencyModel> latency, runtime::ExecutionEventSink& sink)
    : config_(std::move(config)), slippage_(std::move(slippage)), latency_(std::move(latency)), sink_(&sink) {}

SimulatedExchange::SimulatedExchange(SimulatedExchange&&) noexcept = default;
SimulatedExchange& SimulatedExchange::operator=(SimulatedExchange&&) noexcept = default;
SimulatedExchange::~SimulatedExchange() = default;

core::Result<SimulatedExchange> SimulatedExchange::create(SimulatedExchangeConfig config,
                                                          std::span<const model::Instrument* const> instruments,
                                                          std::unique_ptr<SlippageModel> slippage,
                                                          std::unique_ptr<LatencyModel> latency,
                                                          runtime::ExecutionEventSink& sink) {
  std::vector<std::string> errors;
  if (config.venue.empty()) errors.push_back("venue: must be set");
  if (config.account_id.empty()) errors.push_back("account_id: must be set");
  if (const auto& share = config.max_volume_participation;
      share && (!share->is_positive() || *share > Decimal::from_int(1))) {
    errors.push_back(fmt::format("max_volume_participation: must be in (0, 1], got {}", share->to_string_trimmed()));
  }
  if (!slippage) errors.push_back("slippage: a model is required (NoSlippage for none)");
  if (!latency) errors.push_back("latency: a model is required (FixedLatency of 0 for none)");
  SimulatedExchange exchange(std::move(config), std::move(slippage), std::move(latency), sink);
  for (std::size_t i = 0; i < instruments.size(); ++i) {
    const model::Instrument* instrument = instruments[i];
    if (instrument == nullptr) {
      errors.push_back(fmt::format("instruments[{}]: null", i));
      continue;
    }
    if (instrument->id().venue_name() != exchange.config_.venue.value()) {
      errors.push_back(fmt::format("instruments[{}]: {} is not on venue {}", i, instrument->id().to_string(),
                                   exchange.config_.venue.value()));
      continue;
    }
    if (!exchange.book_index_.emplace(instrument->id().to_string(), exchange.books_.size()).second) {
      errors.push_back(fmt::format("instruments[{}]: {} listed twice", i, instrument->id().to_string()));
      continue;
    }
    auto book = std::make_unique<Book>();
    book->instrument = instrument;
    exchange.books_.push_back(std::move(book));
    exchange.listed_ids_.push_back(&instrument->id());
  }
  if (exchange.config_.order_capacity > 0) exchange.working_.reserve(exchange.config_.order_capacity);
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) message += (message.empty() ? "" : "; ") + e;
    return core::Error(core::ErrorCode::InvalidArgument, "simulated exchange: " + message, "config");
  }
  return exchange;
}

std::size_t SimulatedExchange::book_index_by_value(const core::InstrumentId& id) const {
  // A venue of a few instruments (every backtest): comparing the ids beats hashing one per event.
  if (books_.size() <= 8) {
    for (std::size_t b = 0; b < books_.size(); ++b) {
      if (books_[b]->instrument->id() == id) return b;
    }
    return kNoBook;
  }
  const auto it = book_index_.find(id.to_string());
  return it == book_index_.end() ? kNoBook : it->second;
}

// ---- requests ----------------------------------------------------------------------------------

core::Status SimulatedExchange::enqueue(model::TradingCommand command, UnixNanos now) {
  Pending request{now + latency_->next(), next_sequence_++, std::move(command)};
  const auto later = [](const Pending& a, const Pending& b) {
    return a.arrival != b.arrival ? a.arrival < b.arrival : a.sequence < b.sequence;
  };
  pending_.insert(std::upper_bound(pending_.begin(), pending_.end(), request, later), std::move(request));
  return core::ok();
}

core::Status SimulatedExchange::submit(const model::SubmitOrder& command, UnixNanos now) {
  if (command.order.account_id() != config_.account_id) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("order {} is for account {}, this venue serves {}",
                                   command.order.client_order_id().value(), command.order.account_id().value(),
                                   config_.account_id.value()),
                       "account_id");
  }
  return enqueue(command, now);
}

core::Status SimulatedExchange::cancel(const model::CancelOrder& command, UnixNanos now) {
  return enqueue(command, now);
}

core::Status SimulatedExchange::cancel_all(const model::CancelAllOrders& command, UnixNanos now) {
  return enqueue(command, now);
}

core::Status SimulatedExchange::modify(const model::ModifyOrder& command, UnixNanos now) {
  return enqueue(command, now);
}

void SimulatedExchange::process_pending(UnixNanos up_to) {
  while (!pending_.empty() && pending_.front().arrival <= up_to) {
    const Pending request = std::move(pending_.front());
    pending_.pop_front();
    handle(request);  // may enqueue more (a strategy answering an event): it lands behind, in time order
  }
}

void SimulatedExchange::advance_to(UnixNanos now) {
  // Most steps have nothing due and no working order: no call for either.
  if (!pending_.empty() && pending_.front().arrival <= now) process_pending(now);
  if (!working_.empty()) expire_gtd(now);  // (working_ indexes every book's working orders)
}

void SimulatedExchange::handle(const Pending& request) {
  const UnixNanos at = request.arrival;
  std::visit(
      [&](const auto& command) {
        using T = std::decay_t<decltype(command)>;
        if constexpr (std::is_same_v<T, model::SubmitOrder>) {
          accept(command, at);
        } else if constexpr (std::is_same_v<T, model::CancelOrder>) {
          const auto b = book_of(command.instrument_id);
          if (b) {
            if (const auto index = working_index(*b, command.client_order_id)) {
              cancel_working(*b, *index, at);
              return;
            }
          }
          model::OrderCancelRejected e;
          e.client_order_id = command.client_order_id;
          e.strategy_id = command.strategy_id;
          e.account_id = command.account_id;
          e.instrument_id = command.instrument_id;
          e.ts_event = at;
          e.ts_init = at;
          e.reason = "unknown order (filled, canceled or never accepted)";
          sink_->on_order_event(model::OrderEvent(std::move(e)));
        } else if constexpr (std::is_same_v<T, model::CancelAllOrders>) {
          for (std::size_t b = 0; b < books_.size(); ++b) {
            if (command.instrument_id && books_[b]->instrument->id() != *command.instrument_id) continue;
            auto& orders = books_[b]->orders;
            for (std::size_t i = orders.size(); i-- > 0;) {
              if (command.side && orders[i].spec.side != *command.side) continue;
              if (!command.strategy_id.empty() && orders[i].spec.strategy_id != command.strategy_id) continue;
              cancel_working(b, i, at);
            }
          }
        } else if constexpr (std::is_same_v<T, model::ModifyOrder>) {
          const auto b = book_of(command.instrument_id);
          std::string reason = "unknown order (filled, canceled or never accepted)";
          if (const auto i = b ? working_index(*b, command.client_order_id) : std::nullopt) {
            auto& orders = books_[*b]->orders;
            WorkingOrder& o = orders[*i];
            const model::Instrument& instrument = *books_[*b]->instrument;
            if (command.quantity && !(*command.quantity > o.filled)) {
              reason = fmt::format("new quantity {} is not above the filled {}", command.quantity->to_string(),
                                   o.filled.to_string());
            } else if (command.quantity && !instrument.check_quantity_on_step(*command.quantity)) {
              reason = instrument.check_quantity_on_step(*command.quantity).error().message();
            } else if (command.price && (!o.spec.price || !instrument.check_price_on_tick(*command.price))) {
              reason = o.spec.price ? instrument.check_price_on_tick(*command.price).error().message()
                                    : "this order type has no limit price";
            } else if (command.trigger_price && !o.spec.trigger_price) {
              reason = "this order type has no trigger price";
            } else {
              WorkingOrder updated = o;
              if (command.quantity) {
                updated.spec.quantity = *command.quantity;
                updated.leaves = Quantity(command.quantity->value() - o.filled.value());
              }
              if (command.price) updated.spec.price = *command.price;
              if (command.trigger_price) updated.spec.trigger_price = *command.trigger_price;
              updated.sequence = next_sequence_++;  // a modified order loses its time priority
              orders.erase(orders.begin() + static_cast<std::ptrdiff_t>(*i));
              orders.push_back(updated);
              working_[updated.spec.client_order_id.value()] = updated.sequence;
              auto e = internal::stamp<model::OrderUpdated>(updated.spec, at);
              e.venue_order_id = updated.venue_order_id;
              e.quantity = updated.spec.quantity;
              e.price = updated.spec.price;
              e.trigger_price = updated.spec.trigger_price;
              sink_->on_order_event(model::OrderEvent(std::move(e)));
              return;
            }
          }
          model::OrderModifyRejected e;
          e.client_order_id = command.client_order_id;
          e.strategy_id = command.strategy_id;
          e.account_id = command.account_id;
          e.instrument_id = command.instrument_id;
          e.ts_event = at;
          e.ts_init = at;
          e.reason = reason;
          sink_->on_order_event(model::OrderEvent(std::move(e)));
        }
      },
      request.command);
}

void SimulatedExchange::accept(const model::SubmitOrder& command, UnixNanos at) {
  model::OrderSpec spec = command.order.spec();

  const auto reject = [&](std::string reason) {
    auto e = internal::stamp<model::OrderRejected>(spec, at);
    e.reason = std::move(reason);
    sink_->on_order_event(model::OrderEvent(std::move(e)));
  };
  const auto b = book_of(spec.instrument_id);
  if (!b) return reject(fmt::format("unknown instrument {} on {}", spec.instrument_id.to_string(), config_.venue.value()));
  const model::Instrument& instrument = *books_[*b]->instrument;
  if (auto s = instrument.check_quantity_on_step(spec.quantity); !s) return reject(s.error().message());
  if (auto s = instrument.check_quantity_limits(spec.quantity); !s) return reject(s.error().message());
  for (const auto& p : {spec.price, spec.trigger_price}) {
    if (p) {
      if (auto s = instrument.check_price_on_tick(*p); !s) return reject(s.error().message());
    }
  }
  if (spec.price) {
    if (auto s = instrument.check_min_notional(*spec.price, spec.quantity); !s) return reject(s.error().message());
  }
  if (instrument.is_expired_at(at)) return reject(fmt::format("{} has expired", spec.instrument_id.to_string()));
  if (working_.contains(spec.client_order_id.value())) {
    return reject(fmt::format("duplicate client order id {}", spec.client_order_id.value()));
  }
  if (spec.expire_time && *spec.expire_time <= at) return reject("expire time has passed on arrival");

  WorkingOrder w;
  w.sequence = next_sequence_++;
  // Ids in compiled formats (a run-time format string is parsed again for every order of a backtest).
  w.venue_order_id = core::VenueOrderId(fmt::format(FMT_COMPILE("{}-O-{}"), config_.id_prefix, next_order_id_++));
  w.leaves = spec.quantity;
  w.filled = Quantity(Decimal::from_raw(0, spec.quantity.precision()));
  auto e = internal::stamp<model::OrderAccepted>(spec, at);
  e.venue_order_id = w.venue_order_id;
  working_.emplace(spec.client_order_id.value(), w.sequence);
  w.spec = std::move(spec);  // (last: the event and the index took what they need of it)
  books_[*b]->orders.push_back(std::move(w));
  sink_->on_order_event(model::OrderEvent(std::move(e)));
}

void SimulatedExchange::remove_working(std::size_t book, std::size_t index) {
  auto& orders = books_[book]->orders;
  const auto it = orders.begin() + static_cast<std::ptrdiff_t>(index);
  working_.erase(it->spec.client_order_id.value());
  orders.erase(it);
}

std::optional<std::size_t> SimulatedExchange::working_index(std::size_t book, const core::ClientOrderId& id) {
  const auto known = working_.find(id.value());
  if (known == working_.end()) return std::nullopt;
  Book& b = *books_[book];
  const auto it = b.find(known->second);
  if (it == b.orders.end()) return std::nullopt;  // working, but on another instrument
  return static_cast<std::size_t>(it - b.orders.begin());
}

void SimulatedExchange::cancel_working(std::size_t book, std::size_t index, UnixNanos at) {
  auto& orders = books_[book]->orders;
  const WorkingOrder o = orders[index];
  remove_working(book, index);
  auto e = internal::stamp<model::OrderCanceled>(o.spec, at);
  e.venue_order_id = o.venue_order_id;
  sink_->on_order_event(model::OrderEvent(std::move(e)));
}

void SimulatedExchange::expire_working(std::size_t book, std::size_t index, UnixNanos at) {
  auto& orders = books_[book]->orders;
  const WorkingOrder o = orders[index];
  remove_working(book, index);
  auto e = internal::stamp<model::OrderExpired>(o.spec, at);
  e.venue_order_id = o.venue_order_id;
  sink_->on_order_event(model::OrderEvent(std::move(e)));
}

void SimulatedExchange::expire_gtd(UnixNanos now) {
  for (std::size_t b = 0; b < books_.size(); ++b) {
    auto& orders = books_[b]->orders;
    for (std::size_t i = orders.size(); i-- > 0;) {
      const auto& expiry = orders[i].spec.expire_time;
      if (expiry && *expiry <= now) expire_working(b, i, *expiry);
    }
  }
}

// ---- market data -------------------------------------------------------------------------------

core::Status SimulatedExchange::on_bar(const core::InstrumentId& instrument_id, const model::Bar& bar) {
  const std::size_t b = book_index(instrument_id);
  if (b == kNoBook) {
    return core::Error(core::ErrorCode::NotFound,
                       fmt::format("bar for {}, which this venue does not list", instrument_id.to_string()),
                       "instrument_id");
  }
  if (!bar.is_consistent()) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("bar at {} is not consistent (low <= open, close <= high)",
                                   core::format_iso8601(bar.ts_event)),
                       "bar");
  }
  advance_to(bar.ts_event);
  if (!books_[b]->orders.empty()) match(b, bar_path(bar), bar.volume, bar.ts_event, bar.ts_recv);
  return core::ok();
}

core::Status SimulatedExchange::on_trade(const model::TradeTick& trade) {
  const auto b = book_of(trade.instrument_id);
  if (!b) {
    return core::Error(core::ErrorCode::NotFound,
                       fmt::format("trade for {}, which this venue does not list", trade.instrument_id.to_string()),
                       "instrument_id");
  }
  advance_to(trade.ts_event);
  if (books_[*b]->has_book) match_trade_queue(*b, trade);
  BarPath path;
  path.points = {trade.price, trade.price, trade.price, trade.price};
  match(*b, path, trade.size, trade.ts_event, trade.ts_event);
  return core::ok();
}

void SimulatedExchange::on_quote(const model::QuoteTick& quote) {
  const auto b = book_of(quote.instrument_id);
  if (!b) return;
  books_[*b]->best_bid = quote.bid_price;
  books_[*b]->best_ask = quote.ask_price;
}

void SimulatedExchange::set_impact_inputs(const core::InstrumentId& instrument_id, ImpactInputs inputs) {
  if (const auto b = book_of(instrument_id)) books_[*b]->impact = inputs;
}

void SimulatedExchange::match(std::size_t b, const BarPath& path, const Quantity& volume, UnixNanos ts_open,
                              UnixNanos ts_close) {
  Book& book = *books_[b];
  if (book.orders.empty()) return;
  const model::Instrument& instrument = *book.instrument;
  // Our share of the event's volume, down to the step (no limit without a participation cap).
  Decimal pool = Decimal::from_int(std::numeric_limits<std::int32_t>::max());
  if (config_.max_volume_participation) {
    const Decimal share = volume.value().mul(*config_.max_volume_participation,
                                             std::min(Decimal::kMaxScale, volume.precision() + 6), RoundingMode::Down);
    pool = share.round_to_increment(instrument.step_size().value(), RoundingMode::Down).value();
  }

  // Iterate by sequence over a snapshot: fills and expiries remove orders from the live vector. The snapshot
  // of a few orders (a backtest's usual book) is on the stack.
  std::array<std::uint64_t, 8> few{};
  std::vector<std::uint64_t> many;
  std::span<const std::uint64_t> sequence;
  if (book.orders.size() <= few.size()) {
    for (std::size_t i = 0; i < book.orders.size(); ++i) few[i] = book.orders[i].sequence;
    sequence = std::span<const std::uint64_t>(few.data(), book.orders.size());
  } else {
    many.reserve(book.orders.size());
    for (const auto& o : book.orders) many.push_back(o.sequence);
    sequence = many;
  }
  for (const std::uint64_t seq : sequence) {
    const auto it = book.find(seq);
    if (it == book.orders.end()) continue;
    const auto index = static_cast<std::size_t>(it - book.orders.begin());
    WorkingOrder& o = *it;
    if (o.queue_ahead) continue;  // a resting limit in L2 mode: match_trade_queue decides
    const bool first_opportunity = !o.had_opportunity;
    o.had_opportunity = true;
    // The event's volume is used up: an order that has met the market before and waits for no trigger can
    // neither fill nor change state here (every step below would end in `continue`), so the path is not
    // priced for it. With thousands of orders waiting for volume that was most of the event's cost.
    if (!pool.is_positive() && !first_opportunity && (o.triggered || !o.spec.trigger_price) && !o.spec.post_only &&
        !o.spec.reduce_only && o.spec.time_in_force != TimeInForce::Ioc &&
        o.spec.time_in_force != TimeInForce::Fok) {
      continue;
    }

    BarOrderTerms terms;
    terms.side = o.spec.side;
    terms.type = o.spec.type;
    terms.price = o.spec.price;
    terms.trigger_price = o.spec.trigger_price;
    terms.triggered = o.triggered;
    terms.resting = !first_opportunity;
    const auto m = match_on_bar(terms, path, config_.bar);
    if (!m) {  // accept() admitted only complete orders; keep going with the others
      expire_working(b, index, ts_close);
      continue;
    }
    if (m->triggered) o.triggered = true;
    const TimeInForce tif = o.spec.time_in_force;
    const bool immediate = tif == TimeInForce::Ioc || tif == TimeInForce::Fok;
    if (!m->fills) {
      if (immediate && first_opportunity) expire_working(b, index, ts_close);
      continue;
    }
    if (o.spec.post_only && m->liquidity == LiquiditySide::Taker) {
      expire_working(b, index, ts_open);
      continue;
    }
    Decimal quantity = o.leaves.value();
    if (o.spec.reduce_only) {
      const bool reduces = is_buy(o.spec.side) ? book.position.is_negative() : book.position.is_positive();
      if (!reduces) {
        expire_working(b, index, ts_open);
        continue;
      }
      quantity = std::min(quantity, book.position.abs());
    }
    quantity = std::min(quantity, pool);
    if (tif == TimeInForce::Fok && quantity < o.leaves.value()) {
      expire_working(b, index, ts_open);
      continue;
    }
    if (!quantity.is_positive()) {  // the volume is used up: try again on the next event
      if (immediate && first_opportunity) expire_working(b, index, ts_open);
      continue;
    }
    const bool at_open = m->liquidity == LiquiditySide::Taker && m->price == path.points[0];
    const UnixNanos ts = at_open ? ts_open : ts_close;
    auto fill = make_fill(b, o, Quantity(quantity), m->price, m->liquidity, ts);
    if (!fill) {  // slippage would push a price out of range: the venue cannot fill it
      expire_working(b, index, ts);
      continue;
    }
    pool -= quantity;
    book.position += fill->signed_qty();
    o.filled = Quantity(o.filled.value() + quantity);
    o.leaves = Quantity(o.leaves.value() - quantity);
    auto e = internal::stamp<model::OrderFilled>(o.spec, ts);
    fills_.push_back(*fill);
    e.fill = std::move(*fill);
    const bool done = o.leaves.is_zero();
    const bool expire_rest = !done && tif == TimeInForce::Ioc;
    const bool reduce_only_exhausted = !done && o.spec.reduce_only && book.position.is_zero();
    if (done) remove_working(b, index);
    sink_->on_order_event(model::OrderEvent(std::move(e)));
    if (expire_rest || reduce_only_exhausted) {
      const auto again = book.find(seq);
      if (again != book.orders.end()) expire_working(b, static_cast<std::size_t>(again - book.orders.begin()), ts);
    }
  }
}

core::Result<model::Fill> SimulatedExchange::make_fill(std::size_t b, WorkingOrder& order, const Quantity& quantity,
                                                       const Price& path_price, LiquiditySide liquidity,
                                                       UnixNanos ts, bool apply_slippage) {
  const Book& book = *books_[b];
  const model::Instrument& instrument = *book.instrument;
  Price price = path_price;
  if (liquidity == LiquiditySide::Taker && apply_slippage) {
    SlippageContext c;
    c.instrument = &instrument;
    c.side = order.spec.side;
    c.price = path_price;
    c.quantity = quantity;
    c.limit_price = order.spec.price;
    c.best_bid = book.best_bid;
    c.best_ask = book.best_ask;
    c.daily_volatility = book.impact.daily_volatility;
    c.daily_volume = book.impact.daily_volume;
    auto slipped = slippage_->apply(c);
    if (!slipped) return slipped.error();
    price = *slipped;
  }
  const std::optional<Decimal>& override_rate =
      liquidity == LiquiditySide::Maker ? config_.maker_fee_rate : config_.taker_fee_rate;
  model::Money commission = instrument.commission(price, quantity, liquidity);
  if (override_rate) {
    const model::Money notional = instrument.notional(price, quantity);
    const int precision = instrument.settlement_currency().precision();
    commission = model::Money(notional.amount().mul(*override_rate, precision, RoundingMode::Up),
                              instrument.settlement_currency());
  }
  model::Fill fill;
  fill.trade_id = core::TradeId(fmt::format(FMT_COMPILE("{}-{}"), config_.id_prefix, next_trade_id_++));
  fill.client_order_id = order.spec.client_order_id;
  fill.venue_order_id = order.venue_order_id;
  fill.instrument_id = order.spec.instrument_id;
  fill.account_id = order.spec.account_id;
  fill.side = order.spec.side;
  fill.last_qty = quantity;
  fill.last_px = price;
  fill.commission = commission;
  fill.liquidity_side = liquidity;
  fill.ts_event = ts;
  fill.ts_recv = ts;
  return fill;
}

core::Result<FundingPayment> SimulatedExchange::apply_funding(const core::InstrumentId& instrument_id,
                                                               const Decimal& rate, const Price& mark, UnixNanos ts) {
  const auto b = book_of(instrument_id);
  if (!b) {
    return core::Error(core::ErrorCode::NotFound,
                       fmt::format("funding for {}, which this venue does not list", instrument_id.to_string()),
                       "instrument_id");
  }
  const model::Instrument& instrument = *books_[*b]->instrument;
  if (instrument.kind() != model::InstrumentKind::Perpetual) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("{} is not a perpetual: it has no funding", instrument_id.to_string()),
                       "instrument_id");
  }
  if (!mark.is_positive()) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("funding mark price must be > 0, got {}", mark.to_string()), "mark");
  }
  advance_to(ts);
  const Decimal position = books_[*b]->position;
  FundingPayment payment;
  payment.instrument_id = instrument_id;
  payment.position = position;
  payment.mark = mark;
  payment.rate = rate;
  payment.ts = ts;
  // |position| valued at the mark (Instrument::notional handles linear and inverse), signed, × −rate.
  const model::Money value = instrument.notional(mark, Quantity(position.abs()), RoundingMode::HalfEven);
  const int precision = instrument.settlement_currency().precision();
  const Decimal signed_value = position.is_negative() ? -value.amount() : value.amount();
  payment.amount = model::Money((-signed_value).mul(rate, precision, RoundingMode::HalfEven),
                                instrument.settlement_currency());
  return payment;
}

// ---- queries -----------------------------------------------------------------------------------

std::vector<runtime::OrderStatusReport> SimulatedExchange::open_orders(
    const std::optional<core::InstrumentId>& instrument_id) const {
  std::vector<runtime::OrderStatusReport> out;
  for (const auto& book : books_) {
    if (instrument_id && book->instrument->id() != *instrument_id) continue;
    for (const auto& o : book->orders) {
      runtime::OrderStatusReport r;
      r.client_order_id = o.spec.client_order_id;
      r.venue_order_id = o.venue_order_id;
      r.account_id = o.spec.account_id;
      r.instrument_id = o.spec.instrument_id;
      r.side = o.spec.side;
      r.type = o.spec.type;
      r.status = o.filled.is_zero() ? model::OrderStatus::Accepted : model::OrderStatus::PartiallyFilled;
      r.quantity = o.spec.quantity;
      r.filled_qty = o.filled;
      r.price = o.spec.price;
      r.trigger_price = o.spec.trigger_price;
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::vector<runtime::PositionStatusReport> SimulatedExchange::positions(UnixNanos now) const {
  std::vector<runtime::PositionStatusReport> out;
  for (const auto& book : books_) {
    if (book->position.is_zero()) continue;
    runtime::PositionStatusReport r;
    r.account_id = config_.account_id;
    r.instrument_id = book->instrument->id();
    r.quantity = book->position;
    r.ts_event = now;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<model::Fill> SimulatedExchange::fills_since(UnixNanos since) const {
  std::vector<model::Fill> out;
  for (const auto& f : fills_) {
    if (f.ts_event >= since) out.push_back(f);
  }
  return out;
}

Decimal SimulatedExchange::position(const core::InstrumentId& instrument_id) const {
  const auto b = book_of(instrument_id);
  return b ? books_[*b]->position : Decimal{};
}

core::Status SimulatedExchange::restore_position(const core::InstrumentId& instrument_id, const Decimal& quantity) {
  const auto b = book_of(instrument_id);
  if (!b) {
    return core::Error(core::ErrorCode::NotFound,
                       fmt::format("position for {}, which this venue does not list", instrument_id.to_string()),
                       "instrument_id");
  }
  books_[*b]->position = quantity;
  return core::ok();
}

}  // namespace ballast::sim
