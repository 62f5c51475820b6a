#include "ballast/system/kernel.hpp"

#include "ballast/core/log.hpp"
#include "ballast/core/require.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>

namespace ballast::system {

using core::Decimal;
using core::UnixNanos;
using model::OrderSide;

namespace {

const core::StrategyId& risk_strategy() {
  static const core::StrategyId id("RISK");
  return id;
}

bool is_terminal_event(const model::OrderEvent& e) {
  return std::holds_alternative<model::OrderRejected>(e) || std::holds_alternative<model::OrderCanceled>(e) ||
         std::holds_alternative<model::OrderExpired>(e) || std::holds_alternative<model::OrderDenied>(e);
}

}  // namespace

// ---- strategy context ----------------------------------------------------------------------------------

class Kernel::StrategyContextImpl final : public strategy::StrategyContext {
 public:
  StrategyContextImpl(Kernel& kernel, core::StrategyId id, const risk::PositionSizer* sizer = nullptr)
      : kernel_(&kernel), id_(std::move(id)), sizer_(sizer) {}

  UnixNanos now() const override { return kernel_->clock_->now(); }
  const model::Instrument* instrument(const core::InstrumentId& id) const override {
    for (const auto* i : kernel_->instruments_) {
      if (i->id() == id) return i;
    }
    return nullptr;
  }
  Decimal position(const core::InstrumentId& id) const override {
    const auto slot = kernel_->book_->find(id);
    return slot ? kernel_->book_->slot(*slot).quantity : Decimal{};
  }
  Decimal equity() const override { return kernel_->book_->equity(); }
  core::Result<model::Quantity> size_position(const strategy::SizingRequest& request) override {
    return sizer_ != nullptr ? kernel_->size_for(request, sizer_) : kernel_->size_for(request);
  }
  core::Result<core::ClientOrderId> submit(const strategy::OrderIntent& intent) override {
    model::OrderSpec spec;
    spec.strategy_id = id_;
    spec.instrument_id = intent.instrument_id;
    spec.side = intent.side;
    spec.type = intent.type;
    spec.quantity = intent.quantity;
    spec.price = intent.price;
    spec.trigger_price = intent.trigger_price;
    spec.time_in_force = intent.time_in_force;
    spec.reduce_only = intent.reduce_only;
    spec.post_only = intent.post_only;
    return kernel_->submit_internal(std::move(spec), false);
  }
  core::Status cancel_all(const core::InstrumentId& id) override { return kernel_->cancel_all(id, id_); }
  core::Status set_timer(std::string name, UnixNanos at, std::optional<core::Duration> interval) override {
    if (interval && interval->count() <= 0) {
      return core::Error(core::ErrorCode::InvalidArgument, "timer interval must be > 0", "interval");
    }
    timers.push_back({std::move(name), at, interval});
    ++kernel_->timers_;
    return core::ok();
  }

  struct Timer {
    std::string name;
    UnixNanos at;
    std::optional<core::Duration> interval;
  };
  std::vector<Timer> timers;

 private:
  Kernel* kernel_;
  core::StrategyId id_;
  const risk::PositionSizer* sizer_;  // the strategy's own sizer (nullptr: the kernel's)
};

// ---- construction --------------------------------------------------------------------------------------

Kernel::Kernel(KernelConfig config, const core::Clock& clock, runtime::MessageBus& bus,
               std::unique_ptr<risk::PositionSizer> sizer)
    : config_(std::move(config)), clock_(&clock), bus_(&bus), sizer_(std::move(sizer)) {}

Kernel::~Kernel() = default;

core::Result<std::unique_ptr<Kernel>> Kernel::create(KernelConfig config,
                                                     std::span<const model::Instrument* const> instruments,
                                                     const core::Clock& clock, runtime::MessageBus& bus,
                                                     std::unique_ptr<risk::PositionSizer> sizer) {
  if (config.order_id_prefix.empty()) {
    return core::Error(core::ErrorCode::InvalidArgument, "kernel: order_id_prefix must not be empty", "order_id_prefix");
  }
  if (config.account_id.empty()) {
    return core::Error(core::ErrorCode::InvalidArgument, "kernel: account_id must be set", "account_id");
  }
  auto kernel = std::unique_ptr<Kernel>(new Kernel(std::move(config), clock, bus, std::move(sizer)));
  kernel->instruments_.assign(instruments.begin(), instruments.end());
  auto book = portfolio::PortfolioBook::create(kernel->config_.settlement_currency, instruments,
                                               kernel->config_.starting_balance);
  if (!book) return book.error().with_context("kernel: portfolio book");
  kernel->book_ = std::make_unique<portfolio::PortfolioBook>(std::move(*book));
  auto engine = risk::RiskEngine::create(kernel->config_.risk, *kernel->book_, clock.now());
  if (!engine) return engine.error().with_context("kernel: risk engine");
  kernel->engine_ = std::make_unique<risk::RiskEngine>(std::move(*engine));
  kernel->emergency_ = std::make_unique<risk::EmergencyStop>(*kernel->engine_, std::vector<runtime::ExecutionClient*>{},
                                                             bus, clock, kernel->book_.get());
  auto monitor = risk::RiskMonitor::create(kernel->config_.monitor, *kernel->book_, *kernel->engine_, bus, *kernel,
                                           clock, kernel->emergency_.get());
  if (!monitor) return monitor.error().with_context("kernel: risk monitor");
  kernel->monitor_ = std::move(*monitor);
  if (const std::size_t n = kernel->config_.order_capacity; n > 0) {
    kernel->orders_.reserve(n);
    kernel->open_order_ids_.reserve(n);
    kernel->monitor_->reserve_orders(n);
  }
  return kernel;
}

core::Status Kernel::add_execution_client(runtime::ExecutionClient& client) {
  const std::string venue = client.venue().value();
  if (!clients_.emplace(venue, &client).second) {
    return core::Error(core::ErrorCode::AlreadyExists, fmt::format("a client for venue {} is already added", venue),
                       "venue");
  }
  emergency_->add_client(client);
  return client.connect();
}

core::Result<risk::EmergencyStopped> Kernel::engage_emergency_stop(const risk::EmergencyStopRequest& request) {
  auto stopped = emergency_->engage(request);
  if (stopped) {
    // The kill switch sends straight to the venues; our own cached orders learn their fate from the venue's
    // cancel events like any other.
    core::logger().warn("kernel: emergency stop engaged by {}: {}", request.operator_name, request.reason);
  }
  return stopped;
}

core::Status Kernel::restore_position(const core::InstrumentId& instrument, const Decimal& quantity,
                                      const Decimal& avg_entry) {
  const auto slot = book_->find(instrument);
  if (!slot) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("unknown instrument {}", instrument.to_string()),
                       "instrument_id");
  }
  monitor_->settle();  // the book changes outside the monitor
  BALLAST_TRY(book_->set_position(*slot, quantity, avg_entry));
  engine_->refresh_exposure(*slot);
  return core::ok();
}

void Kernel::restore_wallet_balance(const Decimal& balance) {
  monitor_->settle();  // the book changes outside the monitor
  book_->set_wallet_balance(balance);
}

core::Status Kernel::reset_emergency_stop(std::string_view operator_name, std::string_view reason) {
  return emergency_->reset(operator_name, reason);
}

void Kernel::add_strategy(std::unique_ptr<strategy::Strategy> strategy) {
  core::StrategyId id(fmt::format("{}-{}", strategy->name(), strategies_.size() + 1));
  if (auto s = add_strategy(std::move(strategy), id, nullptr, true); !s) {
    core::logger().warn("kernel: strategy not added: {}", s.error().message());
  }
}

core::Status Kernel::add_strategy(std::unique_ptr<strategy::Strategy> strategy, core::StrategyId id,
                                  std::unique_ptr<risk::PositionSizer> sizer, bool running) {
  BALLAST_REQUIRE(strategy != nullptr, "kernel: add_strategy needs a strategy");
  if (id.empty()) return core::Error(core::ErrorCode::InvalidArgument, "a strategy id must not be empty", "strategy_id");
  if (owner_of(id) != nullptr) {
    return core::Error(core::ErrorCode::AlreadyExists, fmt::format("a strategy '{}' is already added", id.value()),
                       "strategy_id");
  }
  auto context = std::make_unique<StrategyContextImpl>(*this, id, sizer.get());
  StrategySlot slot;
  slot.strategy = std::move(strategy);
  slot.context = std::move(context);
  slot.id = std::move(id);
  slot.sizer = std::move(sizer);
  slot.running = running;
  if (started_ && running) slot.strategy->on_start(*slot.context);
  strategies_.push_back(std::move(slot));
  return core::ok();
}

core::Status Kernel::start_strategy(const core::StrategyId& id) {
  StrategySlot* slot = owner_of(id);
  if (slot == nullptr) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("no strategy '{}'", id.value()), "strategy_id");
  }
  if (slot->running) {
    return core::Error(core::ErrorCode::InvalidState, fmt::format("strategy '{}' is already running", id.value()),
                       "strategy_id");
  }
  slot->running = true;
  if (started_) slot->strategy->on_start(*slot->context);
  return core::ok();
}

core::Status Kernel::stop_strategy(const core::StrategyId& id) {
  StrategySlot* slot = owner_of(id);
  if (slot == nullptr) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("no strategy '{}'", id.value()), "strategy_id");
  }
  if (!slot->running) {
    return core::Error(core::ErrorCode::InvalidState, fmt::format("strategy '{}' is already stopped", id.value()),
                       "strategy_id");
  }
  slot->running = false;
  // Its working orders go first: a stopped strategy must not keep trading through orders it left behind.
  const core::Status canceled = cancel_all(std::nullopt, id);
  if (started_) slot->strategy->on_stop(*slot->context);
  return canceled;
}

const strategy::Strategy* Kernel::strategy(const core::StrategyId& id) const {
  const StrategySlot* slot = owner_of(id);
  return slot == nullptr ? nullptr : slot->strategy.get();
}

bool Kernel::strategy_running(const core::StrategyId& id) const {
  const StrategySlot* slot = owner_of(id);
  return slot != nullptr && slot->running;
}

std::vector<core::StrategyId> Kernel::strategy_ids() const {
  std::vector<core::StrategyId> out;
  out.reserve(strategies_.size());
  for (const auto& s : strategies_) out.push_back(s.id);
  return out;
}

const model::Position* Kernel::strategy_position(const core::StrategyId& id, const core::InstrumentId& instrument) const {
  const StrategySlot* slot = owner_of(id);
  if (slot == nullptr) return nullptr;
  for (const auto& p : slot->positions) {
    if (p.instrument_id() == instrument) return &p;
  }
  return nullptr;
}

std::size_t Kernel::strategy_orders(const core::StrategyId& id) const {
  const auto it = submitted_by_strategy_.find(id.value());
  return it == submitted_by_strategy_.end() ? 0 : it->second;
}

model::Order& Kernel::hold(const std::string& id, model::Order order, UnixNanos now) {
  auto& slot = orders_[id];
  slot = std::make_unique<model::Order>(std::move(order));
  forget_queue_.emplace_back(now, id);
  return *slot;
}

std::size_t Kernel::forget_closed_orders(core::UnixNanos before) {
  // Visits only the queue's entries due before the horizon, not every order: a sweep over all of them held the
  // kernel thread for tens of milliseconds with a few hundred thousand orders resting.
  const UnixNanos now = clock_->now();
  std::size_t n = 0;
  for (std::size_t examined = 0, due = forget_queue_.size();
       examined < due && !forget_queue_.empty() && forget_queue_.front().first < before; ++examined) {
    std::string id = std::move(forget_queue_.front().second);
    forget_queue_.pop_front();
    const auto it = orders_.find(id);
    if (it == orders_.end()) continue;
    const model::Order& o = *it->second;
    if (!o.is_closed() || o.ts_last() >= before || open_order_ids_.contains(id)) {
      // Still open (look again a horizon from now) or closed too recently (once the horizon passes its end).
      forget_queue_.emplace_back(o.is_closed() ? o.ts_last() : now, std::move(id));
      continue;
    }
    adopted_orders_.erase(id);
    closed_by_reconciliation_.erase(id);
    orders_.erase(it);
    ++n;
  }
  if (n > 0) {
    std::erase_if(adopted_by_venue_order_, [this](const auto& entry) { return !orders_.contains(entry.second); });
  }
  return n;
}

void Kernel::track_strategy_fill(StrategySlot& slot, const model::Fill& fill) {
  model::Position* position = nullptr;
  for (auto& p : slot.positions) {
    if (p.instrument_id() == fill.instrument_id) position = &p;
  }
  if (position == nullptr) {
    const model::Instrument* instrument = nullptr;
    for (const auto* i : instruments_) {
      if (i->id() == fill.instrument_id) instrument = i;
    }
    if (instrument == nullptr) return;
    position = &slot.positions.emplace_back(*instrument, config_.account_id);
  }
  if (auto applied = position->apply(fill); !applied) {
    core::logger().warn("kernel: fill {} not applied to the position of strategy {}: {}", fill.trade_id.value(),
                        slot.id.value(), applied.error().message());
  }
}

void Kernel::start() {
  if (started_) return;
  started_ = true;
  for (auto& s : strategies_) {
    if (s.running) s.strategy->on_start(*s.context);
  }
}

void Kernel::stop() {
  for (auto& s : strategies_) {
    if (s.running) s.strategy->on_stop(*s.context);
  }
}

runtime::ExecutionClient* Kernel::client_for(const core::InstrumentId& instrument) const {
  const auto it = clients_.find(instrument.venue_name());
  return it == clients_.end() ? nullptr : it->second;
}

Kernel::StrategySlot* Kernel::owner_of(const core::StrategyId& id) {
  for (auto& s : strategies_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const Kernel::StrategySlot* Kernel::owner_of(const core::StrategyId& id) const {
  for (const auto& s : strategies_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

// ---- market data ---------------------------------------------------------------------------------------

void Kernel::fire_due_timers() {
  for (auto& s : strategies_) {
    if (s.running && !s.context->timers.empty()) fire_timers(s);  // a stopped strategy's wait for its start
  }
}

void Kernel::fire_timers(StrategySlot& s) {
  const UnixNanos now = clock_->now();
  // Timers due by now, earliest first; a repeating timer is re-armed after it fires.
  while (true) {
    auto& timers = s.context->timers;
    auto due = std::min_element(timers.begin(), timers.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    if (due == timers.end() || now < due->at) break;
    const std::string name = due->name;
    const UnixNanos at = due->at;
    if (due->interval) {
      due->at = due->at + *due->interval;
    } else {
      timers.erase(due);
      --timers_;
    }
    s.strategy->on_timer(*s.context, name, at);
  }
}

core::Status Kernel::on_bar(const core::InstrumentId& instrument_id, const model::Bar& bar) {
  BALLAST_TRY(monitor_->on_bar(instrument_id, bar));
  on_time();
  for (auto& s : strategies_) {
    if (s.running) s.strategy->on_bar(*s.context, instrument_id, bar);
  }
  return core::ok();
}

core::Status Kernel::on_trade(const model::TradeTick& trade) {
  BALLAST_TRY(monitor_->on_trade_tick(trade));
  on_time();
  for (auto& s : strategies_) {
    if (s.running) s.strategy->on_trade(*s.context, trade);
  }
  return core::ok();
}

core::Status Kernel::on_book(const model::OrderBook& book) {
  const auto bid = book.best_bid();
  const auto ask = book.best_ask();
  if (bid && ask && bid->price < ask->price) {
    const model::QuoteTick top{book.instrument_id(), bid->price, ask->price, bid->size, ask->size, book.ts_event(),
                               book.ts_event()};
    BALLAST_TRY(monitor_->on_quote_tick(top));
  } else if (!book_->find(book.instrument_id())) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("book of unknown instrument {}", book.instrument_id().value()));
  }
  on_time();
  for (auto& s : strategies_) {
    if (s.running) s.strategy->on_book(*s.context, book);
  }
  return core::ok();
}

core::Status Kernel::on_quote(const model::QuoteTick& quote) {
  BALLAST_TRY(monitor_->on_quote_tick(quote));
  on_time();
  return core::ok();
}

// ---- orders --------------------------------------------------------------------------------------------

core::Result<core::ClientOrderId> Kernel::submit(model::OrderSpec spec) { return submit_internal(std::move(spec), false); }

core::Result<model::Quantity> Kernel::size_for(const strategy::SizingRequest& request) const {
  return size_for(request, sizer_.get());
}

core::Result<model::Quantity> Kernel::size_for(const strategy::SizingRequest& request,
                                               const risk::PositionSizer* sizer) const {
  if (sizer == nullptr) {
    return core::Error(core::ErrorCode::InvalidState, "no position sizer is configured for strategies", "sizer");
  }
  const model::Instrument* instrument = nullptr;
  for (const auto* i : instruments_) {
    if (i->id() == request.instrument_id) instrument = i;
  }
  if (instrument == nullptr) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("unknown instrument {}", request.instrument_id.to_string()),
                       "instrument_id");
  }
  risk::SizingContext c;
  c.instrument = instrument;
  c.side = request.side;
  c.entry_price = request.entry_price;
  c.equity = model::Money(book_->equity(), config_.settlement_currency);
  c.stop_price = request.stop_price;
  auto sized = sizer->size(c);
  if (!sized) return sized.error();
  return sized->quantity;
}

void Kernel::deny(const model::Order& order, const risk::RiskDecision& decision) {
  ++denied_;
  last_denial_ = decision;
  model::OrderDenied e;
  e.client_order_id = order.client_order_id();
  e.strategy_id = order.strategy_id();
  e.account_id = order.account_id();
  e.instrument_id = order.instrument_id();
  e.ts_event = clock_->now();
  e.ts_init = e.ts_event;
  e.reason_code = std::string(risk::to_string(decision.reason));
  e.message = decision.message();
  on_order_event(model::OrderEvent(std::move(e)));
}

core::Result<core::ClientOrderId> Kernel::submit_internal(model::OrderSpec spec, bool risk_initiated) {
  // An unreconciled venue's state is not trusted: only the risk system's own closes go out (see the header).
  if (!risk_initiated && !unreconciled_venues_.empty()) BALLAST_TRY(check_reconciled(spec.instrument_id));
  const UnixNanos now = clock_->now();
  spec.client_order_id = core::ClientOrderId(fmt::format(FMT_COMPILE("{}-{}"), config_.order_id_prefix, next_order_++));
  spec.account_id = config_.account_id;
  spec.ts_init = now;
  auto created = model::Order::create(std::move(spec));  // the order holds the spec from here on
  if (!created) return created.error();
  auto request = engine_->request_for(*created);
  if (!request) return request.error();
  risk::RiskDecision decision = engine_->submit(*request, now);
  if (!decision.approved() && risk_initiated &&
      (decision.reason == risk::DenyReason::TradingHalted || decision.reason == risk::DenyReason::ReducingOnly)) {
    // A close the risk system itself sends: the halt must not stop it (see the header).
    decision = engine_->evaluate(*request, now);
    if (decision.reason == risk::DenyReason::TradingHalted || decision.reason == risk::DenyReason::ReducingOnly) {
      decision.verdict = risk::Verdict::Approved;
      decision.reason = risk::DenyReason::None;
      decision.quantity = request->quantity;
    }
    if (decision.approved()) engine_->record_external_order(now);
  }
  if (decision.verdict == risk::Verdict::ApprovedReduced) {
    model::OrderSpec reduced = created->spec();
    reduced.quantity = decision.quantity;
    created = model::Order::create(std::move(reduced));
    if (!created) return created.error();
  }
  const std::string id = created->client_order_id().value();
  ++submitted_by_strategy_[created->strategy_id().value()];
  model::Order& order = hold(id, std::move(*created), now);
  if (!decision.approved()) {
    deny(order, decision);
    return core::Error(core::ErrorCode::InvalidState,
                       fmt::format("order denied by the risk engine: {}", decision.message()), "risk");
  }
  open_order_ids_.add(id);
  model::OrderSubmitted submitted;
  submitted.client_order_id = order.client_order_id();
  submitted.strategy_id = order.strategy_id();
  submitted.account_id = order.account_id();
  submitted.instrument_id = order.instrument_id();
  submitted.ts_event = now;
  submitted.ts_init = now;
  on_order_event(model::OrderEvent(std::move(submitted)));

  runtime::ExecutionClient* client = client_for(order.instrument_id());
  core::Status sent = client != nullptr
                          ? client->submit_order(model::SubmitOrder{order, now})
                          : core::Status(core::Error(core::ErrorCode::NotFound,
                                                     fmt::format("no execution client for venue {}",
                                                                 order.instrument_id().venue_name()),
                                                     "venue"));
  if (!sent) {
    model::OrderRejected rejected;
    rejected.client_order_id = order.client_order_id();
    rejected.strategy_id = order.strategy_id();
    rejected.account_id = order.account_id();
    rejected.instrument_id = order.instrument_id();
    rejected.ts_event = now;
    rejected.ts_init = now;
    rejected.reason = sent.error().message();
    on_order_event(model::OrderEvent(std::move(rejected)));
  }
  return order.client_order_id();
}

core::Status Kernel::cancel(const core::ClientOrderId& id) {
  const auto it = orders_.find(id.value());
  if (it == orders_.end()) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("unknown order {}", id.value()), "client_order_id");
  }
  model::Order& order = *it->second;
  if (!order.is_open()) {
    return core::Error(core::ErrorCode::InvalidState,
                       fmt::format("order {} is {}: nothing to cancel", id.value(), model::to_string(order.status())),
                       "client_order_id");
  }
  runtime::ExecutionClient* client = client_for(order.instrument_id());
  if (client == nullptr) {
    return core::Error(core::ErrorCode::NotFound,
                       fmt::format("no execution client for venue {}", order.instrument_id().venue_name()), "venue");
  }
  model::CancelOrder cmd;
  cmd.client_order_id = order.client_order_id();
  cmd.venue_order_id = order.venue_order_id();
  cmd.strategy_id = order.strategy_id();
  cmd.account_id = order.account_id();
  cmd.instrument_id = order.instrument_id();
  cmd.ts_init = clock_->now();
  return client->cancel_order(cmd);
}

core::Status Kernel::cancel_all(const std::optional<core::InstrumentId>& instrument, const core::StrategyId& strategy_id) {
  const std::vector<std::string> ids = open_order_ids_.ids();
  for (const auto& id : ids) {
    const model::Order& o = *orders_.at(id);
    if (!o.is_open()) continue;
    if (instrument && o.instrument_id() != *instrument) continue;
    if (!strategy_id.empty() && o.strategy_id() != strategy_id) continue;
    BALLAST_TRY(cancel(o.client_order_id()));
  }
  return core::ok();
}

const model::Order* Kernel::order(const core::ClientOrderId& id) const {
  const auto it = orders_.find(id.value());
  return it == orders_.end() ? nullptr : it->second.get();
}

std::vector<const model::Order*> Kernel::open_orders() const {
  std::vector<const model::Order*> out;
  for (const auto& [seq, id] : open_order_ids_.in_order()) {
    const auto* o = orders_.at(id).get();
    if (o->is_open()) out.push_back(o);
  }
  return out;
}

// ---- venue events --------------------------------------------------------------------------------------

void Kernel::on_order_event(const model::OrderEvent& event) {
  const model::OrderEventBase& base = model::event_base(event);
  const auto it = orders_.find(base.client_order_id.value());
  if (it == orders_.end()) {
    // Not ours (the emergency stop's closes, orders placed outside Ballast): the book must still see the
    // fills, once each (reconciliation.cpp).
    on_unknown_order_event(event);
    return;
  }
  model::Order& order = *it->second;
  // A cancel or amend that crossed the order's fill, expiry or cancel at the venue comes back refused after
  // the order ended: expected, and nothing to apply (the order keeps its final status).
  if (order.is_closed() && (std::holds_alternative<model::OrderCancelRejected>(event) ||
                            std::holds_alternative<model::OrderModifyRejected>(event))) {
    core::logger().debug("kernel: {} for order {} after it ended ({})", model::event_name(event),
                         base.client_order_id.value(), model::to_string(order.status()));
    return;
  }
  if (auto applied = order.apply(event); !applied) {
    core::logger().warn("kernel: {} for order {} ignored: {}", model::event_name(event), base.client_order_id.value(),
                    applied.error().message());
    on_refused_fill(event, order);
    return;
  }
  if (auto s = monitor_->on_order_event(event, order); !s) {
    core::logger().warn("kernel: risk monitor refused {} of {}: {}", model::event_name(event), base.client_order_id.value(),
                    s.error().message());
  }
  if (observer_) observer_(event);
  if (order.is_closed() || is_terminal_event(event)) {
    open_order_ids_.remove(base.client_order_id.value());
  }
  if (StrategySlot* owner = owner_of(order.strategy_id())) {
    if (const auto* filled = std::get_if<model::OrderFilled>(&event)) {
      track_strategy_fill(*owner, filled->fill);
      owner->strategy->on_fill(*owner->context, filled->fill);
    }
    owner->strategy->on_order_event(*owner->context, event);
  }
}

void Kernel::on_disconnected(const core::VenueId& venue, const core::Error& reason) {
  core::logger().warn("kernel: venue {} disconnected: {}; orders for it are refused until it is reconciled",
                      venue.value(), reason.message());
  mark_needs_reconciliation(venue);
}

// ---- breaker actions -----------------------------------------------------------------------------------

risk::ActionResult Kernel::cancel_orders(const std::optional<core::InstrumentId>& instrument, std::string_view reason,
                                         UnixNanos) {
  risk::ActionResult result;
  const std::vector<std::string> ids = open_order_ids_.ids();
  for (const auto& id : ids) {
    const model::Order& o = *orders_.at(id);
    if (!o.is_open() || (instrument && o.instrument_id() != *instrument)) continue;
    if (auto s = cancel(o.client_order_id()); !s) {
      result.ok = false;
      result.error += (result.error.empty() ? "" : "; ") + s.error().message();
      continue;
    }
    ++result.orders_affected;
  }
  core::logger().debug("kernel: canceled {} order(s) ({})", result.orders_affected, reason);
  return result;
}

risk::ActionResult Kernel::close_position(const core::InstrumentId& instrument, std::string_view reason, UnixNanos now) {
  risk::ActionResult result = cancel_orders(instrument, reason, now);
  const auto slot = book_->find(instrument);
  if (!slot) return risk::ActionResult::failed(fmt::format("unknown instrument {}", instrument.to_string()));
  const Decimal position = book_->slot(*slot).quantity;
  if (position.is_zero()) return result;
  model::OrderSpec spec;
  spec.strategy_id = risk_strategy();
  spec.instrument_id = instrument;
  spec.side = position.is_positive() ? OrderSide::Sell : OrderSide::Buy;
  spec.type = model::OrderType::Market;
  spec.quantity = model::Quantity(position.abs());
  spec.reduce_only = true;
  auto sent = submit_internal(std::move(spec), true);
  if (!sent) {
    result.ok = false;
    result.error += (result.error.empty() ? "" : "; ") + sent.error().message();
    return result;
  }
  ++result.positions_affected;
  return result;
}

risk::ActionResult Kernel::flatten_all(std::string_view reason, UnixNanos now) {
  risk::ActionResult result = cancel_orders(std::nullopt, reason, now);
  for (const auto& slot : book_->slots()) {
    if (slot.quantity.is_zero()) continue;
    const auto r = close_position(slot.instrument->id(), reason, now);
    result.ok = result.ok && r.ok;
    if (!r.error.empty()) result.error += (result.error.empty() ? "" : "; ") + r.error;
    result.positions_affected += r.positions_affected;
  }
  return result;
}

}  // namespace ballast::system
