// VenueService: a live venue account's kernel thread, its clients, reconciliation and persistence
// (see venue_service.hpp).

#include "ballast/server/venue_service.hpp"

#include "ballast/core/log.hpp"
#include "ballast/risk/risk_events.hpp"
#include "ballast/runtime/message_bus.hpp"
#include "ballast/server/internal/json_views.hpp"
#include "ballast/server/internal/venue_connection.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace ballast::server {

namespace jv = json_views;
using core::Decimal;
using core::UnixNanos;
using Json = nlohmann::json;

namespace {

constexpr auto kTick = std::chrono::milliseconds(250);           // on_time, reconciliation retry, flush
constexpr auto kSnapshotInterval = std::chrono::seconds(10);     // risk and position history
constexpr auto kClosedOrderRetention = std::chrono::hours(48);   // Kernel::forget_closed_orders
// The first liquidation check after a reconciliation waits this long, so the marks of the market stream
// (subscribed after the reconciliation at start) are in the book.
constexpr auto kLiquidationSettle = std::chrono::seconds(5);

core::Duration duration(std::chrono::seconds s) { return std::chrono::duration_cast<core::Duration>(s); }

Json opt_price(const std::optional<model::Price>& p) { return p ? Json(jv::decimal_text(p->value())) : Json(nullptr); }

Json comparison_json(const system::LiquidationComparison& c) {
  return Json{{"instrument", c.instrument.value()},
              {"venue_quantity", jv::decimal_text(c.venue_quantity)},
              {"book_quantity", jv::decimal_text(c.book_quantity)},
              {"venue_margin_mode", c.venue_margin_mode ? Json(model::to_string(*c.venue_margin_mode)) : Json(nullptr)},
              {"book_margin_mode", model::to_string(c.book_margin_mode)},
              {"venue_liquidation_price", opt_price(c.venue_price)},
              {"our_liquidation_price", opt_price(c.our_price)},
              {"our_outcome", c.our_outcome ? Json(portfolio::to_string(*c.our_outcome)) : Json(nullptr)},
              {"difference_bps", c.difference_bps ? Json(jv::decimal_text(*c.difference_bps)) : Json(nullptr)},
              {"verdict", system::to_string(c.verdict)},
              {"note", c.note}};
}

Json correction_json(const system::ReconciliationCorrection& c) {
  Json j{{"kind", system::to_string(c.kind)},
         {"venue", c.venue.value()},
         {"instrument", c.instrument.value()},
         {"detail", c.detail},
         {"at", jv::time_text(c.ts)}};
  j["client_order_id"] = c.client_order_id ? Json(c.client_order_id->value()) : Json(nullptr);
  j["venue_order_id"] = c.venue_order_id ? Json(c.venue_order_id->value()) : Json(nullptr);
  j["trade_id"] = c.trade_id ? Json(c.trade_id->value()) : Json(nullptr);
  return j;
}

}  // namespace

Json reconciliation_json(const system::ReconciliationReport& report) {
  Json corrections = Json::array();
  Json counts = Json::object();
  for (const auto& c : report.corrections) {
    corrections.push_back(correction_json(c));
    const std::string kind(system::to_string(c.kind));
    counts[kind] = counts.value(kind, 0) + 1;
  }
  return Json{{"venue", report.venue.value()},
              {"at", jv::time_text(report.ts)},
              {"venue_open_orders", report.venue_open_orders},
              {"venue_fills", report.venue_fills},
              {"venue_positions", report.venue_positions},
              {"fills_skipped", report.fills_skipped},
              {"counts", std::move(counts)},
              {"corrections", std::move(corrections)},
              {"warnings", report.warnings}};
}

struct VenueDesk::Impl {
  runtime::ExecutionClient* execution{nullptr};
  runtime::DataClient* data{nullptr};
};

const model::Instrument* VenueDesk::find_instrument(std::string_view text) const {
  for (const auto* i : instruments_) {
    if (i->id().value() == text || i->id().symbol() == text) return i;
  }
  return nullptr;
}

bool VenueDesk::execution_connected() const { return impl_ != nullptr && impl_->execution->is_connected(); }
bool VenueDesk::data_connected() const { return impl_ != nullptr && impl_->data != nullptr && impl_->data->is_connected(); }

void VenueDesk::flush(persistence::CommitCallback done) {
  persistence::WriteBatch batch;
  std::swap(batch, batch_);
  store_->commit_async(std::move(batch), std::move(done));
}

void VenueDesk::audit(std::string_view user, std::string_view action, std::string_view target, std::string details,
                      std::string_view remote) {
  batch_.audit.push_back(jv::audit_row(now(), user, action, target, std::move(details), remote));
}

void VenueDesk::publish(std::string_view channel, std::string json) const {
  if (publisher_) publisher_(channel, std::move(json));
}

struct VenueService::Impl final : runtime::ExecutionEventSink {
  VenueConfig config;
  persistence::Store* store{nullptr};
  const core::Clock* wall{nullptr};
  risk::RiskConfig risk;
  VenueDesk desk;
  VenueDesk::Impl desk_impl;
  runtime::MessageBus bus;
  VenueConnection connection;

  // The kernel refers to the bus and the execution client: it goes first.
  ~Impl() override { desk.kernel_.reset(); }

  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void(VenueDesk&)>> tasks;
  bool running{false};
  bool stopping{false};
  std::thread thread;
  risk::TradingState persisted_state{risk::TradingState::Active};
  UnixNanos next_snapshot{};
  std::string session;
  core::VenueId venue_id{};  // the venue's id on its instruments (set at start)
  std::chrono::steady_clock::time_point last_status{};
  bool status_due_pending{false};  // under `mutex`: a task other than market data was queued
  bool status_due{false};          // venue thread: such a task ran in this batch
  mutable std::mutex status_mutex;
  Json status;
  // Liquidation check (venue thread): when it runs next, the instruments whose prices differed at the
  // last check (an alert is raised when one starts to differ), and the last result for the status.
  UnixNanos next_liquidation_check{};
  std::set<std::string> liquidation_differs;
  Json liquidation_status;

  Json base_status() const {
    return Json{{"name", config.name},
                {"kind", config.kind},
                {"network", config.network},
                {"account_id", effective_account_id(config)},
                {"read_only", config.read_only}};
  }
  void refresh_status();

  // --- the clients' threads: everything is queued for the venue thread ---
  void on_order_event(const model::OrderEvent& event) override {
    enqueue([event](VenueDesk& d) { d.kernel().on_order_event(event); });
  }
  void on_disconnected(const core::VenueId& venue, const core::Error& reason) override {
    enqueue([this, venue, reason](VenueDesk& d) {
      ++d.disconnects_;
      d.kernel().on_disconnected(venue, reason);
      record_event("VenueDisconnected", Json{{"reason", reason.message()}});
      d.publish("venues", Json{{"type", "disconnected"}, {"data", {{"venue", config.name}, {"reason", reason.message()}}}}.dump());
    });
  }
  // The data client reports here (a data drop does not make the venue's orders untrusted).
  struct DataSink final : runtime::MarketDataSink {
    Impl* m;
    explicit DataSink(Impl* owner) : m(owner) {}
    void on_quote(const model::QuoteTick& quote) override { m->on_quote(quote); }
    void on_trade(const model::TradeTick& trade) { m->on_trade(trade); }
    void on_bar(const core::InstrumentId& instrument, core::Duration interval, const model::Bar& bar) override {
      m->on_bar(instrument, interval, bar);
    }
    // Books are not subscribed by the service (quotes and trades give the marks).
    void on_book_snapshot(const core::InstrumentId&, const model::BookSnapshot&) override {}
    void on_book_deltas(const core::InstrumentId&, const model::BookUpdate&, std::span<const model::BookDelta>) override {}
    void on_disconnected(const core::VenueId&, const core::Error& reason) override {
      m->enqueue([m = m, reason](VenueDesk& d) {
        m->record_event("MarketDataDisconnected", Json{{"reason", reason.message()}});
        d.publish("venues", Json{{"type", "market_data_disconnected"},
                                 {"data", {{"venue", m->config.name}, {"reason", reason.message()}}}}.dump());
      });
    }
  };
  DataSink data_sink{this};
  std::set<std::string> recorded_trades;  // venue trade ids of the fills in the store (24 h at start) and since

  void on_quote(const model::QuoteTick& quote) {
    enqueue([quote](VenueDesk& d) {
      if (auto s = d.kernel().on_quote(quote); !s) core::logger().debug("venue: quote not applied: {}", s.error().message());
    }, true);
  }
  void on_trade(const model::TradeTick& trade) {
    enqueue([trade](VenueDesk& d) {
      if (auto s = d.kernel().on_trade(trade); !s) core::logger().debug("venue: trade not applied: {}", s.error().message());
    }, true);
  }
  void on_bar(const core::InstrumentId& instrument, core::Duration, const model::Bar& bar) {
    enqueue([instrument, bar](VenueDesk& d) {
      if (auto s = d.kernel().on_bar(instrument, bar); !s) core::logger().debug("venue: bar not applied: {}", s.error().message());
    }, true);
  }
  // `market_data`: a quote, trade or bar; any other task (an order event, an API call) makes the API's
  // status due at once, market data only once per tick.
  void enqueue(std::function<void(VenueDesk&)> task, bool market_data = false) {
    {
      std::lock_guard lock(mutex);
      if (stopping) return;
      tasks.push_back(std::move(task));
      if (!market_data) status_due_pending = true;
    }
    wake.notify_one();
  }

  void record_event(std::string type, Json payload) {
    runtime::EventRecord record;
    record.stream = "venue." + desk.account_id_;
    record.type = std::move(type);
    payload["venue"] = config.name;
    record.payload = payload.dump();
    record.ts_event = wall->now();
    record.ts_init = record.ts_event;
    desk.batch_.events.push_back(std::move(record));
  }

  // An alert about the venue account that is not the risk monitor's (a margin call, a liquidation price
  // that differs): stored, and published on "alerts" like a risk alert.
  void raise_alert(std::string_view severity, std::string kind, std::string message, std::string details) {
    persistence::AlertRow row;
    row.account_id = desk.account_id_;
    row.severity = std::string(severity);
    row.kind = kind;
    row.message = message;
    row.details = std::move(details);
    row.ts = desk.now();
    desk.batch_.alerts.push_back(std::move(row));
    desk.publish("alerts", Json{{"type", "alert"},
                                {"venue", config.name},
                                {"data", {{"severity", severity}, {"code", std::move(kind)}, {"message", std::move(message)},
                                          {"at", jv::time_text(desk.now())}}}}.dump());
  }

  core::Status build_kernel();
  void check_liquidation_prices();
  void subscribe_bus();
  void observe(const model::OrderEvent& event);
  void position_snapshot(const core::InstrumentId& instrument);
  core::Status reconcile(bool at_start);
  void close_earlier_orders(std::map<std::string, persistence::OrderRow>& earlier, system::ReconciliationReport& report);
  void after_tasks();
  void loop();
};

core::Status VenueService::Impl::build_kernel() {
  const std::string account = effective_account_id(config);
  // The stored risk configuration of this account wins: it is what an operator last activated.
  std::string config_name = "default";
  if (auto active = store->active_risk_configuration(account); !active) {
    return active.error();
  } else if (active->has_value()) {
    auto parsed = risk::parse_risk_config_json((*active)->document, fmt::format("risk configuration '{}'", (*active)->name));
    if (!parsed) return parsed.error();
    risk = std::move(*parsed);
    config_name = (*active)->name;
  } else {
    persistence::RiskConfigurationRow row;
    row.account_id = account;
    row.name = config_name;
    row.document = risk::to_json(risk);
    row.active = true;
    row.updated = wall->now();
    row.updated_by = "system";
    BALLAST_TRY(store->save_risk_configuration(row));
  }
  // Client order ids must never repeat at the venue (Binance rejects a duplicate among open orders and
  // idempotent retries depend on them): "<NAME>-<session>-<n>", the session counted in the store.
  runtime::EventQuery previous_sessions;
  previous_sessions.stream = "venue." + account;
  auto events = store->events().load(previous_sessions);
  if (!events) return events.error();
  std::size_t sessions = 1;
  for (const auto& e : *events) sessions += e.type == "VenueSessionStarted" ? 1 : 0;
  session = std::to_string(sessions);

  system::KernelConfig kc;
  kc.account_id = core::AccountId(account);
  kc.settlement_currency = connection.settlement_currency;
  kc.starting_balance = connection.wallet_balance;
  kc.risk = risk;
  std::string prefix = config.name;
  for (char& ch : prefix) ch = ch == '_' ? '-' : ch;
  kc.order_id_prefix = prefix + "-" + session;
  for (const auto& i : connection.instruments) desk.instruments_.push_back(&i);
  auto kernel = system::Kernel::create(std::move(kc), desk.instruments_, *wall, bus, nullptr);
  if (!kernel) return kernel.error();
  desk.kernel_ = std::move(*kernel);
  desk.kernel_->set_order_event_observer([this](const model::OrderEvent& e) { observe(e); });
  desk.kernel_->set_reconciliation_observer([this](const system::ReconciliationCorrection& c) {
    Json j = correction_json(c);
    record_event("ReconciliationCorrection", j);
    desk.publish("venues", Json{{"type", "correction"}, {"data", std::move(j)}}.dump());
  });
  subscribe_bus();

  // A halt or an engaged emergency stop of an earlier run stays in force.
  auto state = store->trading_state(account);
  if (!state) return state.error();
  if (state->has_value()) jv::restore_trading_state(*desk.kernel_, **state);
  persisted_state = desk.kernel_->engine().trading_state();
  record_event("VenueSessionStarted", Json{{"session", session},
                                           {"account_id", account},
                                           {"wallet_balance", jv::decimal_text(connection.wallet_balance)},
                                           {"risk_configuration", config_name}});
  return core::ok();
}

// Our liquidation prices against the venue's (system/liquidation_check.hpp); blocks on one positions
// query. An instrument that starts to differ raises a WARNING alert and an event; one that agrees again
// records an event. The result is in the status ("liquidation_check") and on the "venues" channel.
void VenueService::Impl::check_liquidation_prices() {
  const UnixNanos now = wall->now();
  next_liquidation_check =
      config.liquidation_check_seconds == 0 ? UnixNanos{} : now + duration(std::chrono::seconds(config.liquidation_check_seconds));
  const Decimal tolerance =
      Decimal::from_double(config.liquidation_tolerance_bps, 2).value_or(Decimal::from_int(50));
  auto checked = desk.kernel_->check_liquidation_prices(venue_id, tolerance);
  if (!checked) {
    core::logger().warn("venue {}: liquidation check failed: {}", config.name, checked.error().message());
    return;
  }
  Json positions = Json::array();
  std::set<std::string> differs;
  for (const auto& c : *checked) {
    positions.push_back(comparison_json(c));
    if (c.verdict != system::LiquidationVerdict::Differs) {
      if (liquidation_differs.contains(c.instrument.value())) {
        record_event("LiquidationPriceAgrees", comparison_json(c));
      }
      continue;
    }
    differs.insert(c.instrument.value());
    if (liquidation_differs.contains(c.instrument.value())) continue;
    const std::string message =
        fmt::format("{} {}: our liquidation price differs from the venue's: {}", config.name, c.instrument.value(), c.note);
    core::logger().warn("venue {}", message);
    raise_alert("WARNING", "LIQUIDATION_PRICE_MISMATCH", message, comparison_json(c).dump());
    record_event("LiquidationPriceMismatch", comparison_json(c));
  }
  liquidation_differs = std::move(differs);
  liquidation_status = Json{{"at", jv::time_text(now)},
                            {"tolerance_bps", jv::decimal_text(tolerance)},
                            {"positions", std::move(positions)}};
  desk.publish("venues", Json{{"type", "liquidation_check"}, {"data", {{"venue", config.name}, {"check", liquidation_status}}}}.dump());
  status_due = true;
}

void VenueService::Impl::subscribe_bus() {
  const std::string account = desk.account_id_;
  bus.subscribe<risk::CircuitBreakerEvent>(risk::CircuitBreakerEvent::kTopic, [this, account](const risk::CircuitBreakerEvent& e) {
    desk.batch_.breaker_events.push_back(jv::breaker_event_row(e, account));
    desk.publish("circuit_breakers", Json{{"type", "event"}, {"venue", config.name}, {"data", jv::breaker_event(e)}}.dump());
  });
  bus.subscribe<risk::Alert>(risk::Alert::kTopic, [this, account](const risk::Alert& a) {
    desk.batch_.alerts.push_back(jv::alert_row(a, account));
    desk.publish("alerts", Json{{"type", "alert"}, {"venue", config.name}, {"data", jv::alert(a)}}.dump());
  });
}

void VenueService::Impl::observe(const model::OrderEvent& event) {
  const model::OrderEventBase& base = model::event_base(event);
  runtime::EventRecord record;
  record.stream = "order." + base.client_order_id.value();
  record.type = std::string(model::event_name(event));
  record.ts_event = base.ts_event;
  record.ts_init = base.ts_init;
  if (const model::Order* order = desk.kernel_->order(base.client_order_id)) {
    desk.batch_.orders.push_back(jv::order_row(*order));
    Json j = jv::order(*order);
    record.payload = j.dump();
    desk.publish("orders", Json{{"type", "order"}, {"venue", config.name}, {"event", record.type}, {"data", std::move(j)}}.dump());
  } else {
    record.payload = Json{{"order_id", base.client_order_id.value()}, {"event", record.type}}.dump();
  }
  desk.batch_.events.push_back(std::move(record));
  if (const auto* filled = std::get_if<model::OrderFilled>(&event)) {
    const model::Fill& f = filled->fill;
    desk.batch_.fills.push_back(jv::fill_row(f, model::to_string(f.side)));
    recorded_trades.insert(f.trade_id.value());
    desk.publish("orders", Json{{"type", "fill"}, {"venue", config.name}, {"data", jv::fill(f)}}.dump());
    position_snapshot(f.instrument_id);
  }
}

void VenueService::Impl::position_snapshot(const core::InstrumentId& instrument) {
  const auto& book = desk.kernel_->book();
  for (std::size_t i = 0; i < book.size(); ++i) {
    const auto& slot = book.slot(static_cast<portfolio::SlotIndex>(i));
    if (slot.instrument->id() != instrument) continue;
    persistence::PositionSnapshotRow row;
    row.account_id = desk.account_id_;
    row.instrument_id = instrument.value();
    row.quantity = slot.quantity;
    row.avg_entry_price = slot.avg_entry;
    row.realized_pnl = slot.realized_pnl;
    row.unrealized_pnl = slot.unrealized_pnl;
    row.mark_price = slot.has_mark ? slot.mark.value() : Decimal{};
    row.ts = wall->now();
    desk.batch_.positions.push_back(std::move(row));
  }
}

// Reconciles the venue into the kernel (system/reconciliation.hpp). Fills already in the store are
// skipped by trade id (the fills table ignores a duplicate trade id anyway).
core::Status VenueService::Impl::reconcile(bool at_start) {
  system::ReconcileInputs inputs;
  // The venue's fills of the last 24 h that the store does not have yet (an order filled while the service
  // was down or the stream was): the store's trade ids are loaded once at start, then kept up to date.
  inputs.fills_since = wall->now() - core::Duration(std::chrono::hours(24));
  if (at_start) {
    persistence::TimeQuery q;
    q.account_id = desk.account_id_;
    q.from = inputs.fills_since;
    q.limit = 1000000;
    auto stored = store->query_fills(q);
    if (!stored) return stored.error();
    for (const auto& row : *stored) recorded_trades.insert(row.trade_id);
  }
  inputs.already_recorded = [this](const model::Fill& fill) { return recorded_trades.contains(fill.trade_id.value()); };
  // Orders an earlier session left open in the store: the venue's still open ones are restored under their
  // strategy (not adopted as EXTERNAL); the others are closed in the store below.
  std::map<std::string, persistence::OrderRow> earlier;
  std::map<std::string, std::string> by_reported;  // the id the venue reports → Ballast's
  if (at_start) {
    persistence::OrderQuery q;
    q.account_id = desk.account_id_;
    q.open_only = true;
    q.limit = 1000000;
    auto open = store->query_orders(q);
    if (!open) return open.error();
    for (auto& row : *open) {
      const std::string id = row.client_order_id;
      by_reported[connection.reported_client_order_id ? connection.reported_client_order_id(id) : id] = id;
      earlier.emplace(id, std::move(row));
    }
  }
  inputs.issued_earlier = [&](const core::ClientOrderId& reported) -> std::optional<system::ReconcileInputs::EarlierOrder> {
    const auto id = by_reported.find(reported.value());
    if (id == by_reported.end()) return std::nullopt;
    return system::ReconcileInputs::EarlierOrder{core::ClientOrderId(id->second),
                                                 core::StrategyId(earlier.at(id->second).strategy_id)};
  };
  auto report = desk.kernel_->reconcile(venue_id, inputs);
  if (!report) return report.error();
  close_earlier_orders(earlier, *report);
  Json summary = reconciliation_json(*report);
  summary.erase("corrections");  // each correction is its own event (the observer)
  record_event("Reconciled", std::move(summary));
  desk.last_reconciliation_ = std::move(*report);
  next_liquidation_check = wall->now() + duration(kLiquidationSettle);
  if (!desk.last_reconciliation_->corrections.empty()) {
    core::logger().warn("venue {}: reconciliation made {} correction(s)", config.name,
                        desk.last_reconciliation_->corrections.size());
  }
  return core::ok();
}

// An order an earlier session left open that the venue no longer lists (it filled, expired or was canceled
// while the service was down; its fills in the window were recovered by trade id) is closed in the store as
// CANCELED, the way reconciliation closes a known order, and the correction is recorded.
void VenueService::Impl::close_earlier_orders(std::map<std::string, persistence::OrderRow>& earlier,
                                              system::ReconciliationReport& report) {
  const UnixNanos now = wall->now();
  for (auto& [id, row] : earlier) {
    if (desk.kernel_->order(core::ClientOrderId(id)) != nullptr) continue;  // restored
    system::ReconciliationCorrection c;
    c.kind = system::CorrectionKind::OrderClosed;
    c.venue = venue_id;
    if (auto instrument = core::InstrumentId::parse(row.instrument_id)) c.instrument = *instrument;
    c.client_order_id = core::ClientOrderId(id);
    if (!row.venue_order_id.empty()) c.venue_order_id = core::VenueOrderId(row.venue_order_id);
    c.detail = fmt::format("order {} of an earlier session ({}, strategy {}) is not open at the venue: closed as "
                           "CANCELED in the store (was {}, filled {} of {})",
                           id, row.side, row.strategy_id, row.status, jv::decimal_text(row.filled_quantity),
                           jv::decimal_text(row.quantity));
    c.ts = now;
    row.status = "CANCELED";
    row.reason = "closed by reconciliation: not open at the venue when the service started";
    row.updated = now;
    desk.batch_.orders.push_back(std::move(row));
    Json j = correction_json(c);
    record_event("ReconciliationCorrection", j);
    desk.publish("venues", Json{{"type", "correction"}, {"data", std::move(j)}}.dump());
    report.corrections.push_back(std::move(c));
  }
}

void VenueService::Impl::refresh_status() {
  const system::Kernel& kernel = *desk.kernel_;
  const auto& book = kernel.book();
  Json j = base_status();
  j["venue"] = desk.venue_id_;
  j["connected"] = desk.execution_connected();
  j["market_data_connected"] = desk.data_connected();
  j["trading_state"] = risk::to_string(kernel.engine().trading_state());
  j["emergency_stop"] = kernel.emergency_stop_state().engaged;
  j["currency"] = std::string(book.settlement_currency().code());
  j["wallet_balance"] = jv::decimal_text(book.wallet_balance());
  j["equity"] = jv::decimal_text(book.equity());
  j["unrealized_pnl"] = jv::decimal_text(book.unrealized_pnl());
  j["available_margin"] = jv::decimal_text(book.available_margin());
  j["positions"] = jv::positions(book, desk.venue_id_, false);
  Json orders = Json::array();
  for (const model::Order* o : kernel.open_orders()) orders.push_back(jv::order(*o));
  j["open_orders"] = std::move(orders);
  j["disconnects"] = desk.disconnects_;
  if (connection.request_weight) {
    const auto [used, limit] = connection.request_weight();
    j["request_weight"] = Json{{"used", used}, {"limit", limit}};
  }
  j["needs_reconciliation"] = kernel.needs_reconciliation(venue_id);
  j["reconciliation"] = desk.last_reconciliation_ ? reconciliation_json(*desk.last_reconciliation_) : Json(nullptr);
  j["liquidation_check"] = liquidation_status;
  last_status = std::chrono::steady_clock::now();
  std::lock_guard lock(status_mutex);
  status = std::move(j);
}

void VenueService::Impl::after_tasks() {
  system::Kernel& kernel = *desk.kernel_;
  if (kernel.needs_reconciliation(venue_id) && desk_impl.execution->is_connected()) {
    if (auto s = reconcile(false); !s) core::logger().warn("venue {}: reconciliation failed: {}", config.name, s.error().message());
  }
  if (kernel.engine().trading_state() != persisted_state) {
    desk.batch_.trading_states.push_back(
        jv::trading_state_row(kernel, desk.account_id_, "circuit breaker or operator", "risk-monitor", wall->now()));
    persisted_state = kernel.engine().trading_state();
  }
  const UnixNanos now = wall->now();
  if (next_liquidation_check != UnixNanos{} && now >= next_liquidation_check && !kernel.needs_reconciliation(venue_id) &&
      desk_impl.execution->is_connected()) {
    check_liquidation_prices();
  }
  if (now >= next_snapshot) {
    next_snapshot = now + core::Duration(std::chrono::duration_cast<core::Duration>(kSnapshotInterval));
    const auto& book = kernel.book();
    desk.batch_.risk_snapshots.push_back(
        jv::risk_snapshot_row(book, kernel.engine().portfolio_var(), desk.account_id_, now,
                              Json{{"venue", config.name},
                                   {"trading_state", risk::to_string(kernel.engine().trading_state())},
                                   {"open_orders", book.open_orders()},
                                   {"positions_open", book.positions_open()}}
                                  .dump()));
    // Closed orders are in the store; the kernel forgets them after the fill window reconciliation reads
    // (24 h) and then some, so a late or replayed fill still finds its order.
    kernel.forget_closed_orders(now - core::Duration(kClosedOrderRetention));
  }
  // The API's view: rebuilt after orders, API calls and venue events, and once per tick for market data
  // (not after every batch of trades and quotes).
  if (status_due || std::chrono::steady_clock::now() - last_status >= kTick) refresh_status();
  status_due = false;
  if (!desk.batch_.empty()) {
    desk.flush([name = config.name](core::Status s) {
      if (!s) core::logger().error("venue {}: store commit failed: {}", name, s.error().to_string());
    });
  }
}

void VenueService::Impl::loop() {
  std::unique_lock lock(mutex);
  while (!stopping) {
    if (tasks.empty()) wake.wait_for(lock, kTick, [&] { return stopping || !tasks.empty(); });
    if (stopping) break;
    std::deque<std::function<void(VenueDesk&)>> batch;
    std::swap(batch, tasks);
    status_due = status_due_pending;
    status_due_pending = false;
    lock.unlock();
    for (auto& task : batch) {
      try {
        task(desk);
      } catch (const std::exception& e) {
        core::logger().error("venue {}: task failed: {}", config.name, e.what());
      }
    }
    desk.kernel_->on_time();
    after_tasks();
    lock.lock();
  }
}

// ---- VenueService ------------------------------------------------------------------------------------

VenueService::VenueService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

VenueService::~VenueService() { stop(); }

core::Result<std::unique_ptr<VenueService>> VenueService::create(const VenueConfig& venue, risk::RiskConfig risk,
                                                                 persistence::Store& store, const core::Clock& wall,
                                                                 Publisher publisher) {
  auto impl = std::make_unique<Impl>();
  impl->config = venue;
  impl->store = &store;
  impl->wall = &wall;
  impl->risk = std::move(risk);
  impl->desk.config_ = &impl->config;
  impl->desk.account_id_ = effective_account_id(venue);
  impl->desk.store_ = &store;
  impl->desk.clock_ = &wall;
  impl->desk.publisher_ = std::move(publisher);
  Impl* m = impl.get();
  impl->desk.reconcile_ = [m]() -> core::Result<system::ReconciliationReport> {
    BALLAST_TRY(m->reconcile(false));
    return *m->desk.last_reconciliation_;
  };
  return std::unique_ptr<VenueService>(new VenueService(std::move(impl)));
}

core::Status VenueService::start() {
  Impl& m = *impl_;
  if (m.running) return core::Error(core::ErrorCode::InvalidState, "venue " + m.config.name + " already started");
  const auto failed = [&](const core::Error& e) {
    return core::Error(e.code(), fmt::format("venue '{}': {}", m.config.name, e.message()), e.where());
  };
  Impl* self = &m;
  auto opened = open_venue(m.config, m, m.data_sink, *m.wall, [self](std::string kind, std::string message, std::string details) {
    self->enqueue([self, kind, message, details](VenueDesk&) {
      // A venue's own warning about the account (a margin call): a critical alert.
      self->raise_alert("CRITICAL", kind, message, details);
      self->record_event("VenueNotice", Json{{"kind", kind}, {"message", message}});
    });
  });
  if (!opened) return failed(opened.error());
  m.connection = std::move(*opened);
  m.desk.venue_id_ = m.connection.venue.value();
  m.venue_id = m.connection.venue;
  m.desk_impl.execution = m.connection.execution.get();
  m.desk_impl.data = m.connection.data.get();
  m.desk.impl_ = &m.desk_impl;
  if (auto s = m.build_kernel(); !s) return failed(s.error());
  // add_execution_client connects (the user stream included); reconciliation comes before any order.
  if (auto s = m.desk.kernel_->add_execution_client(*m.connection.execution); !s) return failed(s.error());
  if (auto s = m.reconcile(true); !s) {
    m.connection.execution->disconnect();
    return failed(core::Error(s.error().code(), "reconciliation at start failed: " + s.error().message(), s.error().where()));
  }
  if (m.connection.data) {
    if (auto s = m.connection.data->connect(); !s) {
      m.connection.execution->disconnect();
      return failed(core::Error(s.error().code(), "market data: " + s.error().message(), s.error().where()));
    }
    for (const auto* instrument : m.desk.instruments_) {
      for (auto sub : {&runtime::DataClient::subscribe_trades, &runtime::DataClient::subscribe_quotes}) {
        if (auto s = (m.connection.data.get()->*sub)(instrument->id()); !s) {
          core::logger().warn("venue {}: subscription for {} refused: {}", m.config.name, instrument->id().value(),
                              s.error().message());
        }
      }
    }
  }
  // What start() found is durable before the service reports running.
  persistence::WriteBatch first;
  std::swap(first, m.desk.batch_);
  if (auto s = m.store->commit(std::move(first)); !s) return failed(s.error());
  {
    std::lock_guard lock(m.mutex);
    m.running = true;
    m.stopping = false;
  }
  m.desk.kernel_->start();
  m.refresh_status();
  m.thread = std::thread([this] { impl_->loop(); });
  core::logger().info("venue {}: {} ({}) connected as account {}, {} instrument(s), reconciled", m.config.name,
                      m.config.kind, m.config.network, m.desk.account_id_, m.desk.instruments_.size());
  return core::ok();
}

void VenueService::stop() {
  Impl& m = *impl_;
  {
    std::lock_guard lock(m.mutex);
    if (!m.running) return;
    m.stopping = true;
    m.tasks.clear();
  }
  m.wake.notify_all();
  if (m.thread.joinable()) m.thread.join();
  if (m.connection.data) m.connection.data->disconnect();
  m.connection.execution->disconnect();
  m.desk.kernel_->stop();
  persistence::WriteBatch rest;
  std::swap(rest, m.desk.batch_);
  if (!rest.empty()) {
    if (auto s = m.store->commit(std::move(rest)); !s) {
      core::logger().error("venue {}: final commit failed: {}", m.config.name, s.error().to_string());
    }
  }
  std::lock_guard lock(m.mutex);
  m.running = false;
}

bool VenueService::running() const noexcept {
  std::lock_guard lock(impl_->mutex);
  return impl_->running && !impl_->stopping;
}

const VenueConfig& VenueService::config() const noexcept { return impl_->config; }

Json VenueService::status() const {
  std::lock_guard lock(impl_->status_mutex);
  if (impl_->status.is_null()) {
    Json j = impl_->base_status();
    j["connected"] = false;
    return j;
  }
  return impl_->status;
}
const std::string& VenueService::account_id() const noexcept { return impl_->desk.account_id_; }

void VenueService::post(std::function<void(VenueDesk&)> task) { impl_->enqueue(std::move(task)); }

bool VenueService::run(const std::function<void(VenueDesk&)>& task) {
  if (!running()) return false;
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  post([task, done = std::move(done)](VenueDesk& d) {
    task(d);
    done->set_value();
  });
  // A stop() between the post and the run drops the task (and its promise: broken_promise).
  try {
    finished.get();
    return true;
  } catch (const std::future_error&) {
    return false;
  }
}

}  // namespace ballast::server
