// TradingService: the kernel thread, the paper venue and its market, persistence and event fan-out
// (see trading_service.hpp).

#include "ballast/server/trading_service.hpp"

#include "ballast/analytics/covariance.hpp"
#include "ballast/analytics/returns.hpp"
#include "ballast/core/log.hpp"
#include "ballast/risk/risk_events.hpp"
#include "ballast/runtime/message_bus.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"
#include "ballast/server/internal/strategy_desk.hpp"
#include "ballast/server/paced_clock.hpp"
#include "ballast/server/paper_market.hpp"
#include "ballast/server/session_manager.hpp"
#include "ballast/sim/sim_execution_client.hpp"
#include "ballast/sim/simulated_exchange.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace ballast::server {

namespace jv = json_views;
using core::Decimal;
using core::UnixNanos;
using Json = nlohmann::json;

// ---- Desk --------------------------------------------------------------------------------------------

const model::Instrument* Desk::find_instrument(std::string_view text) const {
  for (const auto* i : instruments_) {
    if (i->id().value() == text || i->id().symbol() == text) return i;
  }
  return nullptr;
}

std::optional<std::size_t> Desk::index_of(const core::InstrumentId& id) const {
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    if (instruments_[i]->id() == id) return i;
  }
  return std::nullopt;
}

core::Result<Eigen::MatrixXd> Desk::return_panel(std::size_t max_rows) const {
  const std::size_t n = instruments_.size();
  std::size_t closes = max_rows + 1;
  for (std::size_t i = 0; i < n; ++i) closes = std::min(closes, closes_[i].size());
  if (n == 0 || closes < 2) return Eigen::MatrixXd(0, static_cast<Eigen::Index>(n));
  Eigen::MatrixXd panel(static_cast<Eigen::Index>(closes - 1), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const auto& all = closes_[i];
    const std::vector<double> prices(all.end() - static_cast<std::ptrdiff_t>(closes), all.end());
    const auto r = analytics::simple_returns(prices);
    if (!r) return r.error();
    for (std::size_t t = 0; t < r->size(); ++t) {
      panel(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(i)) = (*r)[t];
    }
  }
  return panel;
}

void Desk::flush(persistence::CommitCallback done) {
  persistence::WriteBatch batch;
  std::swap(batch, batch_);
  if (metrics_ == nullptr) {
    store_->commit_async(std::move(batch), std::move(done));
    return;
  }
  const auto started = std::chrono::steady_clock::now();
  store_->commit_async(std::move(batch), [metrics = metrics_, started, done = std::move(done)](core::Status s) {
    metrics->observe_commit(std::chrono::steady_clock::now() - started);
    if (done) done(std::move(s));
  });
}

void Desk::audit(std::string_view user, std::string_view action, std::string_view target, std::string details,
                 std::string_view remote) {
  batch_.audit.push_back(jv::audit_row(now(), user, action, target, std::move(details), remote));
}

void Desk::publish(std::string_view channel, std::string json) const {
  if (publisher_) publisher_(channel, std::move(json));
}

std::string Desk::snapshot(std::string_view channel) {
  const system::Kernel& kernel = *kernel_;
  const auto& book = kernel.book();
  Json data;
  if (channel == "prices") {
    data = Json::array();
    for (std::size_t i = 0; i < instruments_.size(); ++i) {
      if (last_bars_[i]) data.push_back(jv::bar(instruments_[i]->id(), *last_bars_[i]));
    }
  } else if (channel == "positions") {
    data = jv::positions(book, venue_, false);
  } else if (channel == "account") {
    data = Json{{"account_id", config_->account_id},
                {"currency", std::string(book.settlement_currency().code())},
                {"wallet_balance", jv::decimal_text(book.wallet_balance())},
                {"equity", jv::decimal_text(book.equity())},
                {"unrealized_pnl", jv::decimal_text(book.unrealized_pnl())},
                {"available_margin", jv::decimal_text(book.available_margin())},
                {"initial_margin", jv::decimal_text(book.initial_margin())},
                {"open_order_margin", jv::decimal_text(book.open_order_margin())}};
  } else if (channel == "risk") {
    data = Json{{"trading_state", risk::to_string(kernel.engine().trading_state())},
                {"emergency_stop", kernel.emergency_stop_state().engaged},
                {"gross_exposure", jv::decimal_text(book.gross_exposure())},
                {"net_exposure", jv::decimal_text(book.net_exposure())},
                {"portfolio_var", kernel.engine().portfolio_var()},
                {"performance", jv::performance(kernel_->monitor().performance())}};
  } else if (channel == "session") {
    data = session_json(*this);
  } else if (channel == "orders") {
    data = Json::array();
    for (const model::Order* o : kernel.open_orders()) data.push_back(jv::order(*o));
  } else if (channel == "circuit_breakers") {
    data = Json::array();
    for (const auto& s : kernel_->monitor().breaker_statuses()) data.push_back(jv::breaker_status(s));
  } else if (channel == "signals") {
    data = signals_json(*this);  // latest signal of every running strategy (strategy_desk.hpp)
  } else if (channel == "alerts") {
    data = Json::array();
    persistence::TimeQuery q;
    q.account_id = config_->account_id;
    q.limit = 50;
    if (auto rows = store_->query_alerts(q)) {
      for (const auto& r : *rows) data.push_back(jv::alert(r));
    }
  }
  return Json{{"type", "snapshot"}, {"data", std::move(data)}}.dump();
}

// ---- Impl ----------------------------------------------------------------------------------------------

struct TradingService::Impl {
  ServiceConfig config;
  persistence::Store* store{nullptr};
  const core::Clock* wall{nullptr};
  std::unique_ptr<PacedClock> clock;
  runtime::MessageBus bus;
  std::vector<std::unique_ptr<model::Instrument>> owned_instruments;
  std::unique_ptr<Desk> desk;
  std::unique_ptr<sim::SimulatedExchange> exchange;
  std::unique_ptr<sim::SimExecutionClient> client;
  std::unique_ptr<PaperMarket> market;
  std::vector<Decimal> realized_offset;  // realised P&L before this session, per instrument
  risk::TradingState persisted_state{risk::TradingState::Active};
  std::optional<risk::PerformanceUpdated> performance;

  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void(Desk&)>> tasks;
  bool stopping{false};
  bool running{false};
  std::thread thread;
  std::thread::id kernel_thread_id;

  std::chrono::steady_clock::time_point last_publish{};
  UnixNanos next_snapshot{};

  core::Status build(risk::RiskConfig risk);
  core::Status restore();
  void subscribe();
  void observe(const model::OrderEvent& event);
  void loop();
  void step_market();
  void refresh_var_model();
  static constexpr std::size_t kVarModelRefreshBars = 60;
  static constexpr std::size_t kVarModelWindow = 1440;
  static constexpr std::size_t kVarModelMinReturns = 30;
  void after_step();
  void publish_snapshots();
  void position_snapshot(std::size_t index);
  void record_trading_state(std::string_view changed_by, std::string reason);
};

namespace {

// Kernel::forget_closed_orders: the paper venue never reports on a closed order, so only the API's and the
// algorithms' lookups need a closed order for a while.
constexpr core::Duration kClosedOrderRetention = std::chrono::minutes(10);

std::string session_prefix(persistence::Store& store) {
  // One "SessionStarted" record per start on the "service.session" stream numbers the sessions: order
  // ids "O<session>-<n>" and venue ids "PAPER<session>-…" never repeat across restarts.
  auto previous = store.events().load_stream("service.session");
  const std::size_t session = (previous ? previous->size() : 0) + 1;
  return std::to_string(session);
}

}  // namespace

core::Status TradingService::Impl::build(risk::RiskConfig risk) {
  auto instruments = paper_instruments(config);
  if (!instruments) return instruments.error();
  owned_instruments = std::move(*instruments);
  desk = std::make_unique<Desk>(config, *store, *wall);
  desk->venue_ = std::string(kPaperVenue);
  for (const auto& i : owned_instruments) desk->instruments_.push_back(i.get());
  desk->last_bars_.assign(owned_instruments.size(), std::nullopt);
  desk->closes_.assign(owned_instruments.size(), {});
  realized_offset.assign(owned_instruments.size(), Decimal{});

  // The stored risk configuration wins over the file's: it is what an operator last activated.
  if (auto active = store->active_risk_configuration(config.account_id); !active) {
    return active.error();
  } else if (active->has_value()) {
    auto parsed = risk::parse_risk_config_json((*active)->document, fmt::format("risk configuration '{}'", (*active)->name));
    if (!parsed) return parsed.error();
    risk = std::move(*parsed);
    desk->active_config_name_ = (*active)->name;
  } else {
    persistence::RiskConfigurationRow row;
    row.account_id = config.account_id;
    row.name = "default";
    row.document = risk::to_json(risk);
    row.active = true;
    row.updated = wall->now();
    row.updated_by = "system";
    BALLAST_TRY(store->save_risk_configuration(row));
  }

  market = nullptr;
  auto made = make_paper_market(config, desk->instruments_, wall->now());
  if (!made) return made.error();
  market = std::move(*made);
  clock = std::make_unique<PacedClock>(*wall, market->start(), config.speed);
  desk->clock_ = clock.get();

  const std::string session = session_prefix(*store);
  system::KernelConfig kc;
  kc.account_id = core::AccountId(config.account_id);
  kc.settlement_currency = owned_instruments.empty() ? model::Currency::USDT()
                                                     : owned_instruments.front()->spec().settlement_currency;
  kc.starting_balance = config.starting_balance;
  kc.risk = std::move(risk);
  kc.order_id_prefix = "O" + session;
  kc.order_capacity = config.order_capacity;
  auto kernel = system::Kernel::create(std::move(kc), desk->instruments_, *clock, bus, nullptr);
  if (!kernel) return kernel.error();
  desk->kernel_ = std::move(*kernel);

  sim::SimulatedExchangeConfig ec;
  ec.venue = core::VenueId(std::string(kPaperVenue));
  ec.account_id = core::AccountId(config.account_id);
  ec.id_prefix = "PAPER" + session;
  ec.order_capacity = config.order_capacity;
  auto made_exchange = sim::SimulatedExchange::create(ec, desk->instruments_, std::make_unique<sim::NoSlippage>(),
                                                 std::make_unique<sim::FixedLatency>(
                                                     sim::FixedLatency::create(core::Duration(0)).value()),
                                                 *desk->kernel_);
  if (!made_exchange) return made_exchange.error();
  exchange = std::make_unique<sim::SimulatedExchange>(std::move(*made_exchange));
  client = std::make_unique<sim::SimExecutionClient>(*exchange, *clock);
  BALLAST_TRY(desk->kernel_->add_execution_client(*client));
  desk->kernel_->set_order_event_observer([this](const model::OrderEvent& e) { observe(e); });
  subscribe();
  BALLAST_TRY(install_strategies(*desk));  // [[strategies]] (internal/strategy_desk.hpp)

  runtime::EventRecord started;
  started.stream = "service.session";
  started.type = "SessionStarted";
  started.payload = Json{{"session", session}, {"account_id", config.account_id}, {"feed", config.feed}}.dump();
  started.ts_event = clock->now();
  started.ts_init = wall->now();
  desk->batch_.events.push_back(std::move(started));
  return restore();
}

core::Status TradingService::Impl::restore() {
  system::Kernel& kernel = *desk->kernel_;
  auto positions = store->latest_positions(config.account_id);
  if (!positions) return positions.error();
  Decimal wallet = config.starting_balance;
  for (const auto& row : *positions) {
    const auto id = core::InstrumentId::parse(row.instrument_id);
    const auto index = id ? desk->index_of(*id) : std::nullopt;
    if (!index) {
      core::logger().warn("serve: stored position in {} is not listed on the paper venue; left out", row.instrument_id);
      continue;
    }
    realized_offset[*index] = row.realized_pnl;
    wallet = wallet + row.realized_pnl;
    if (row.quantity.is_zero()) continue;
    BALLAST_TRY(kernel.restore_position(*id, row.quantity, row.avg_entry_price));
    BALLAST_TRY(exchange->restore_position(*id, row.quantity));
    core::logger().info("serve: restored position {} {} @ {}", row.instrument_id, row.quantity.to_string_trimmed(),
                        row.avg_entry_price.to_string_trimmed());
  }
  kernel.restore_wallet_balance(wallet);

  // Open orders of an earlier session lived on a paper venue that no longer exists (its book was in
  // memory): they are recorded as CANCELED with the reason, so the history stays true.
  persistence::OrderQuery open;
  open.account_id = config.account_id;
  open.open_only = true;
  open.limit = 100000;
  auto orders = store->query_orders(open);
  if (!orders) return orders.error();
  for (auto row : *orders) {
    row.status = "CANCELED";
    row.reason = "paper venue restarted: resting orders do not survive a restart of the simulated venue";
    row.updated = clock->now();
    desk->batch_.orders.push_back(std::move(row));
  }

  auto state = store->trading_state(config.account_id);
  if (!state) return state.error();
  if (state->has_value()) {
    jv::restore_trading_state(kernel, **state);
    if (kernel.emergency_stop_state().engaged) {
      core::logger().warn("serve: the emergency stop engaged by {} is still in force (HALTED)",
                          kernel.emergency_stop_state().engaged_by);
    }
    persisted_state = kernel.engine().trading_state();
  }
  // The trading session (session_manager.hpp): stopped before the restart, or autostart = false.
  BALLAST_TRY(restore_session(*desk, *store));
  return store->commit([&] {
    persistence::WriteBatch b;
    std::swap(b, desk->batch_);
    return b;
  }());
}

void TradingService::Impl::subscribe() {
  bus.subscribe<risk::CircuitBreakerEvent>(risk::CircuitBreakerEvent::kTopic, [this](const risk::CircuitBreakerEvent& e) {
    desk->batch_.breaker_events.push_back(jv::breaker_event_row(e, config.account_id));
    if (desk->metrics_ != nullptr && e.kind == risk::BreakerEventKind::Triggered) desk->metrics_->breaker_triggered(e.breaker);
    desk->publish("circuit_breakers", Json{{"type", "event"}, {"data", jv::breaker_event(e)}}.dump());
  });
  bus.subscribe<risk::Alert>(risk::Alert::kTopic, [this](const risk::Alert& a) {
    persistence::AlertRow row = jv::alert_row(a, config.account_id);
    desk->batch_.alerts.push_back(row);
    desk->publish("alerts", Json{{"type", "alert"}, {"data", jv::alert(a)}}.dump());
  });
  bus.subscribe<risk::PerformanceUpdated>(risk::PerformanceUpdated::kTopic,
                                          [this](const risk::PerformanceUpdated& p) { performance = p; });
  // POST /api/paper/shock reaches the market, which this service owns, through the kernel's bus.
  (void)bus.register_responder<PaperShock, PaperShockReply>(kPaperShockEndpoint, [this](const PaperShock& shock) {
    PaperShockReply reply;
    if (auto applied = market->shock(shock.instrument, shock.move)) {
      reply.applied = *applied;
    } else {
      reply.error = applied.error();
    }
    return reply;
  });
}

void TradingService::Impl::position_snapshot(std::size_t index) {
  const auto& slot = desk->kernel_->book().slot(static_cast<portfolio::SlotIndex>(index));
  persistence::PositionSnapshotRow row;
  row.account_id = config.account_id;
  row.instrument_id = slot.instrument->id().value();
  row.quantity = slot.quantity;
  row.avg_entry_price = slot.avg_entry;
  row.realized_pnl = realized_offset[index] + slot.realized_pnl;
  row.unrealized_pnl = slot.unrealized_pnl;
  row.mark_price = slot.has_mark ? slot.mark.value() : Decimal{};
  row.ts = clock->now();
  desk->batch_.positions.push_back(std::move(row));
}

void TradingService::Impl::observe(const model::OrderEvent& event) {
  const model::OrderEventBase& base = model::event_base(event);
  runtime::EventRecord record;
  record.stream = "order." + base.client_order_id.value();
  record.type = std::string(model::event_name(event));
  record.ts_event = base.ts_event;
  record.ts_init = base.ts_init;
  if (const model::Order* order = desk->kernel_->order(base.client_order_id)) {
    desk->batch_.orders.push_back(jv::order_row(*order));
    record.payload = jv::order_text(*order);
    desk->publish("orders", jv::order_message_text(record.type, record.payload));
  } else {
    record.payload = Json{{"order_id", base.client_order_id.value()}, {"event", record.type}}.dump();
  }
  desk->batch_.events.push_back(std::move(record));
  if (const auto* filled = std::get_if<model::OrderFilled>(&event)) {
    const model::Fill& f = filled->fill;
    desk->batch_.fills.push_back(jv::fill_row(f, model::to_string(f.side)));
    desk->publish("orders", Json{{"type", "fill"}, {"data", jv::fill(f)}}.dump());
    if (const auto index = desk->index_of(f.instrument_id)) position_snapshot(*index);
  }
  desk->mark_dirty();
  desk->algos_.on_order_event(*desk, event);  // children of execution algorithms (algo_desk.hpp)
}

void TradingService::Impl::record_trading_state(std::string_view changed_by, std::string reason) {
  const system::Kernel& kernel = *desk->kernel_;
  desk->batch_.trading_states.push_back(
      jv::trading_state_row(kernel, config.account_id, std::move(reason), changed_by, clock->now()));
  persisted_state = kernel.engine().trading_state();
  desk->publish("risk", Json{{"type", "trading_state"}, {"data", {{"state", risk::to_string(persisted_state)}}}}.dump());
}

// The risk engine's portfolio VaR model (the PORTFOLIO_VAR pre-trade check, /api/risk's portfolio_var):
// the sample covariance of the paper instruments' simple bar returns over the latest kVarModelWindow
// bars, scaled to one day by the number of bars in a day (returns taken as i.i.d. with zero mean, so
// variance grows linearly with time; the engine scales to its horizon by √days). Refreshed every
// kVarModelRefreshBars bars once kVarModelMinReturns returns exist.
void TradingService::Impl::refresh_var_model() {
  auto panel = desk->return_panel(kVarModelWindow);
  if (!panel || static_cast<std::size_t>(panel->rows()) < kVarModelMinReturns) return;
  auto covariance = analytics::sample_covariance(*panel);
  if (!covariance) return;
  const double bars_per_day = 86'400'000.0 / static_cast<double>(desk->config().bar_interval.count());
  std::vector<portfolio::SlotIndex> slots;
  slots.reserve(desk->instruments_.size());
  system::Kernel& kernel = *desk->kernel_;
  for (const auto* instrument : desk->instruments_) {
    const auto slot = kernel.engine().book().find(instrument->id());
    if (!slot) return;
    slots.push_back(*slot);
  }
  Eigen::MatrixXd daily = *covariance * bars_per_day;
  std::vector<double> sigma(slots.size());
  for (std::size_t i = 0; i < sigma.size(); ++i) sigma[i] = std::sqrt(daily(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i)));
  if (auto s = kernel.engine().set_var_model(std::move(daily), std::move(slots)); !s) {
    core::logger().warn("serve: portfolio VaR model not updated: {}", s.error().message());
    return;
  }
  desk->var_model_ = Desk::VarModelInfo{static_cast<std::size_t>(panel->rows()), desk->bars_seen_, std::move(sigma)};
}

void TradingService::Impl::step_market() {
  system::Kernel& kernel = *desk->kernel_;
  const auto& step = market->next();
  Json prices = Json::array();
  for (const auto& [index, bar] : step) {
    const model::Instrument& instrument = *desk->instruments_[index];
    if (auto s = exchange->on_bar(instrument.id(), bar); !s) {
      core::logger().warn("serve: paper venue refused a bar of {}: {}", instrument.id().value(), s.error().message());
      continue;
    }
    if (auto s = kernel.on_bar(instrument.id(), bar); !s) {
      core::logger().warn("serve: bar of {} not applied: {}", instrument.id().value(), s.error().message());
    }
    desk->last_bars_[index] = bar;
    auto& closes = desk->closes_[index];
    closes.push_back(bar.close.as_double());
    if (closes.size() > Desk::kHistoryBars) closes.pop_front();
    prices.push_back(jv::bar(instrument.id(), bar));
  }
  ++desk->bars_seen_;
  if (desk->bars_seen_ % kVarModelRefreshBars == 0) refresh_var_model();
  desk->algos_.on_step(*desk);  // execution algorithms decide on the new bars (algo_desk.hpp)
  publish_new_signals(*desk);   // strategies' signals taken on these bars (strategy_desk.hpp)
  desk->publish("prices", Json{{"type", "bars"}, {"data", std::move(prices)}}.dump());
  desk->mark_dirty();
}

void TradingService::Impl::after_step() {
  system::Kernel& kernel = *desk->kernel_;
  if (kernel.engine().trading_state() != persisted_state) {
    record_trading_state("risk-monitor", "circuit breaker or operator");
  }
  const UnixNanos now = clock->now();
  if (now >= next_snapshot) {
    next_snapshot = now + core::Duration(std::chrono::duration_cast<core::Duration>(config.snapshot_interval));
    const auto& book = kernel.book();
    desk->batch_.risk_snapshots.push_back(
        jv::risk_snapshot_row(book, kernel.engine().portfolio_var(), config.account_id, now,
                              Json{{"trading_state", risk::to_string(kernel.engine().trading_state())},
                                   {"open_orders", book.open_orders()},
                                   {"positions_open", book.positions_open()}}
                                  .dump()));
    // Closed orders live on in the store; the kernel keeps them for a while (late API lookups, algos'
    // children) and then forgets them, so memory does not grow with every order ever sent.
    kernel.forget_closed_orders(now - kClosedOrderRetention);
  }
  if (!desk->batch_.empty()) {
    desk->flush([](core::Status s) {
      if (!s) core::logger().error("serve: store commit failed: {}", s.error().to_string());
    });
  }
}

void TradingService::Impl::publish_snapshots() {
  const auto now = std::chrono::steady_clock::now();
  if (!desk->dirty_ || now - last_publish < std::chrono::milliseconds(100)) return;
  desk->dirty_ = false;
  last_publish = now;
  for (const std::string_view channel : {"positions", "account", "risk"}) desk->publish(channel, desk->snapshot(channel));
}

void TradingService::Impl::loop() {
  kernel_thread_id = std::this_thread::get_id();
  std::unique_lock lock(mutex);
  while (!stopping) {
    // Wait for a task, the next bar or the next snapshot publication.
    std::int64_t wait_ns = 1'000'000'000;
    const auto step_end = market->next_step_end();
    if (desk->feed_running_ && step_end) wait_ns = std::min(wait_ns, clock->wall_nanos_until(*step_end));
    if (desk->dirty_) wait_ns = std::min<std::int64_t>(wait_ns, 100'000'000);
    if (tasks.empty() && wait_ns > 0) {
      wake.wait_for(lock, std::chrono::nanoseconds(wait_ns), [&] { return stopping || !tasks.empty(); });
    }
    if (stopping) break;
    std::deque<std::function<void(Desk&)>> batch;
    std::swap(batch, tasks);
    lock.unlock();
    for (auto& task : batch) {
      try {
        task(*desk);
      } catch (const std::exception& e) {
        core::logger().error("serve: kernel task failed: {}", e.what());
      }
    }
    // Market steps that are due (several when the machine was busy or the speed is high).
    for (int k = 0; k < 64 && desk->feed_running_; ++k) {
      const auto end = market->next_step_end();
      if (!end || *end > clock->now()) break;
      step_market();
    }
    desk->kernel_->on_time();
    after_step();
    publish_snapshots();
    lock.lock();
  }
}

// ---- TradingService ------------------------------------------------------------------------------------

TradingService::TradingService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TradingService::~TradingService() { stop(); }

core::Result<std::unique_ptr<TradingService>> TradingService::create(const ServiceConfig& config,
                                                                     risk::RiskConfig risk,
                                                                     persistence::Store& store,
                                                                     const core::Clock& wall) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->store = &store;
  impl->wall = &wall;
  BALLAST_TRY(impl->build(std::move(risk)));
  return std::unique_ptr<TradingService>(new TradingService(std::move(impl)));
}

void TradingService::set_publisher(Publisher publisher) { impl_->desk->publisher_ = std::move(publisher); }
void TradingService::set_metrics(ServiceMetrics* metrics) { impl_->desk->metrics_ = metrics; }

void TradingService::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->running) return;
  impl_->running = true;
  impl_->stopping = false;
  impl_->desk->kernel_->start();
  impl_->thread = std::thread([this] { impl_->loop(); });
}

void TradingService::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->running) return;
    impl_->stopping = true;
    impl_->tasks.clear();
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->running = false;
  impl_->desk->kernel_->stop();
  // What the last step produced, made durable before the service reports stopped.
  persistence::WriteBatch rest;
  std::swap(rest, impl_->desk->batch_);
  if (!rest.empty()) {
    if (auto s = impl_->store->commit(std::move(rest)); !s) {
      core::logger().error("serve: final store commit failed: {}", s.error().to_string());
    }
  }
}

bool TradingService::running() const noexcept { return impl_->running; }

void TradingService::post(std::function<void(Desk&)> task) {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping || !impl_->running) return;
    impl_->tasks.push_back(std::move(task));
  }
  impl_->wake.notify_one();
}

void TradingService::run(const std::function<void(Desk&)>& task) {
  BALLAST_REQUIRE(std::this_thread::get_id() != impl_->kernel_thread_id, "TradingService::run from the kernel thread");
  // The promise lives in the task: a task dropped by stop() breaks it, which wakes the caller.
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  bool posted = false;
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->stopping && impl_->running) {
      impl_->tasks.push_back([&task, done](Desk& desk) {
        task(desk);
        done->set_value();
      });
      posted = true;
    }
  }
  if (!posted) {
    task(*impl_->desk);  // not running: the caller owns the kernel
    return;
  }
  impl_->wake.notify_one();
  future.wait();
}

const core::Clock& TradingService::clock() const noexcept { return *impl_->clock; }
const ServiceConfig& TradingService::config() const noexcept { return impl_->config; }

}  // namespace ballast::server
