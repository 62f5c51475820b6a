// Kernel::reconcile against a scripted venue: each rule of system/reconciliation.hpp, with quantities and
// prices worked out by hand in the comments.
#include "ballast/system/reconciliation.hpp"

#include "ballast/system/kernel.hpp"
#include "model/test_support.hpp"
#include "system/scripted_venue.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace ballast::system {
namespace {

using model::OrderSide;
using model::OrderStatus;
using model::OrderType;
using model::test::dec;
using model::test::px;
using model::test::qty;
using test::ScriptedVenue;

constexpr std::int64_t kMinute = 60'000'000'000;

model::Bar bar(int minute, std::string_view price) {
  return {core::UnixNanos(minute * kMinute),
          core::UnixNanos((minute + 1) * kMinute),
          px(price),
          px(price),
          px(price),
          px(price),
          qty("100")};
}

// A kernel over the scripted venue, BTCUSDT-PERP.BINANCE marked at 30,000, no circuit breakers unless given.
struct Desk {
  explicit Desk(std::vector<risk::CircuitBreakerConfig> breakers = {}) : clock(core::UnixNanos(kMinute)) {
    KernelConfig kc;
    kc.account_id = core::AccountId("ACC");
    kc.starting_balance = dec("100000");
    kc.risk.circuit_breakers = std::move(breakers);
    const model::Instrument* list[] = {&instrument};
    kernel = Kernel::create(kc, list, clock, bus, nullptr).value();
    EXPECT_TRUE(kernel->add_execution_client(venue));
    kernel->set_order_event_observer([this](const model::OrderEvent& e) {
      events.push_back(std::string(model::event_name(e)) + " " + model::event_base(e).client_order_id.value());
    });
    kernel->set_reconciliation_observer([this](const ReconciliationCorrection& c) { observed.push_back(c); });
    EXPECT_TRUE(kernel->on_bar(instrument.id(), bar(0, "30000")));
  }

  core::Result<ReconciliationReport> reconcile(
      std::function<bool(const model::Fill&)> recorded = {},
      std::function<std::optional<ReconcileInputs::EarlierOrder>(const core::ClientOrderId&)> issued_earlier = {}) {
    ReconcileInputs inputs;
    inputs.fills_since = core::UnixNanos(0);
    inputs.already_recorded = std::move(recorded);
    inputs.issued_earlier = std::move(issued_earlier);
    return kernel->reconcile(core::VenueId("BINANCE"), inputs);
  }

  model::OrderSpec limit(OrderSide side, std::string_view quantity, std::string_view price) const {
    model::OrderSpec spec;
    spec.strategy_id = core::StrategyId("TEST");
    spec.instrument_id = instrument.id();
    spec.side = side;
    spec.type = OrderType::Limit;
    spec.quantity = qty(quantity);
    spec.price = px(price);
    return spec;
  }

  model::Fill fill(std::string_view trade, std::string_view client_id, std::string_view venue_id, OrderSide side,
                   std::string_view quantity, std::string_view price) const {
    model::Fill f;
    f.trade_id = core::TradeId(std::string(trade));
    if (!client_id.empty()) f.client_order_id = core::ClientOrderId(std::string(client_id));
    f.venue_order_id = core::VenueOrderId(std::string(venue_id));
    f.instrument_id = instrument.id();
    f.account_id = core::AccountId("ACC");
    f.side = side;
    f.last_qty = qty(quantity);
    f.last_px = px(price);
    f.ts_event = core::UnixNanos(kMinute);
    return f;
  }

  runtime::OrderStatusReport venue_order(std::optional<std::string_view> client_id, std::string_view venue_id,
                                         OrderSide side, std::string_view quantity, std::string_view filled,
                                         std::string_view price) const {
    runtime::OrderStatusReport r;
    if (client_id) r.client_order_id = core::ClientOrderId(std::string(*client_id));
    r.venue_order_id = core::VenueOrderId(std::string(venue_id));
    r.account_id = core::AccountId("ACC");
    r.instrument_id = instrument.id();
    r.side = side;
    r.type = OrderType::Limit;
    r.status = qty(filled).is_zero() ? OrderStatus::Accepted : OrderStatus::PartiallyFilled;
    r.quantity = qty(quantity);
    r.filled_qty = qty(filled);
    r.price = px(price);
    return r;
  }

  runtime::PositionStatusReport venue_position(std::string_view quantity, std::string_view avg,
                                               std::string_view instrument_id = "BTCUSDT-PERP.BINANCE") const {
    runtime::PositionStatusReport p;
    p.account_id = core::AccountId("ACC");
    p.instrument_id = model::test::instrument_id(instrument_id);
    p.quantity = dec(quantity);
    p.avg_px_open = px(avg);
    return p;
  }

  // The venue's acknowledgement of an order the kernel sent.
  void accept(const core::ClientOrderId& id, std::string_view venue_id) {
    const model::Order& o = *kernel->order(id);
    model::OrderAccepted e;
    e.client_order_id = id;
    e.strategy_id = o.strategy_id();
    e.account_id = o.account_id();
    e.instrument_id = o.instrument_id();
    e.venue_order_id = core::VenueOrderId(std::string(venue_id));
    e.ts_event = clock.now();
    kernel->on_order_event(e);
  }

  // A fill pushed by the venue's live stream.
  void stream_fill(const model::Fill& f) {
    model::OrderFilled e;
    e.client_order_id = f.client_order_id;
    e.account_id = f.account_id;
    e.instrument_id = f.instrument_id;
    e.fill = f;
    e.ts_event = f.ts_event;
    kernel->on_order_event(e);
  }

  const portfolio::InstrumentSlot& slot() const { return kernel->book().slot(0); }
  bool has_correction(CorrectionKind kind, std::string_view text) const {
    return std::any_of(observed.begin(), observed.end(), [&](const ReconciliationCorrection& c) {
      return c.kind == kind && c.detail.find(text) != std::string::npos;
    });
  }

  model::Instrument instrument = model::test::linear_perp();
  core::TestClock clock;
  runtime::MessageBus bus;
  ScriptedVenue venue;
  std::unique_ptr<Kernel> kernel;
  std::vector<std::string> events;
  std::vector<ReconciliationCorrection> observed;
};

TEST(CorrectionKind, EveryKindRoundTripsThroughItsStableCode) {
  for (const auto kind :
       {CorrectionKind::OrderAdopted, CorrectionKind::OrderUpdated, CorrectionKind::OrderClosed,
        CorrectionKind::FillRecovered, CorrectionKind::PositionCorrected, CorrectionKind::UnknownInstrument}) {
    EXPECT_EQ(parse_correction_kind(to_string(kind)).value(), kind);
  }
  EXPECT_EQ(to_string(CorrectionKind::PositionCorrected), "POSITION_CORRECTED");
  const auto bad = parse_correction_kind("POSITION");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("POSITION_CORRECTED"), std::string::npos);
}

TEST(Reconciliation, AVenuePositionThatDiffersReplacesTheBooksQuantityAndAveragePrice) {
  Desk d;
  ASSERT_TRUE(d.kernel->restore_position(d.instrument.id(), dec("0.2"), dec("29000")));
  d.venue.positions = std::vector{d.venue_position("0.5", "30000")};
  const auto report = d.reconcile();
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(d.slot().quantity, dec("0.5"));
  EXPECT_EQ(d.slot().avg_entry, dec("30000"));
  // Marked at 30,000: notional 0.5 × 30,000 = 15,000; unrealised 0.5 × (30,000 − 30,000) = 0.
  EXPECT_EQ(d.slot().notional, dec("15000"));
  EXPECT_TRUE(d.slot().unrealized_pnl.is_zero());
  ASSERT_EQ(report->count(CorrectionKind::PositionCorrected), 1u);
  EXPECT_EQ(report->corrections.size(), 1u);
  EXPECT_TRUE(d.has_correction(CorrectionKind::PositionCorrected, "book 0.2 @ 29000 → venue 0.5 @ 30000"));
  ASSERT_EQ(d.observed.size(), 1u);
  EXPECT_EQ(d.observed[0].instrument, d.instrument.id());
  EXPECT_EQ(report->venue_positions, 1u);
}

TEST(Reconciliation, ABookPositionTheVenueDoesNotListIsSetFlat) {
  Desk d;
  ASSERT_TRUE(d.kernel->restore_position(d.instrument.id(), dec("-0.3"), dec("31000")));
  const auto report = d.reconcile();
  ASSERT_TRUE(report);
  EXPECT_TRUE(d.slot().quantity.is_zero());
  EXPECT_TRUE(d.has_correction(CorrectionKind::PositionCorrected, "book -0.3 @ 31000 → venue flat"));
  EXPECT_EQ(d.kernel->book().positions_open(), 0);
}

TEST(Reconciliation, AVenuePositionInAnInstrumentTheKernelDoesNotHaveIsReportedNotDropped) {
  Desk d;
  d.venue.positions = std::vector{d.venue_position("1.5", "2000", "ETHUSDT-PERP.BINANCE")};
  const auto report = d.reconcile();
  ASSERT_TRUE(report);
  ASSERT_EQ(report->count(CorrectionKind::UnknownInstrument), 1u);
  EXPECT_EQ(report->corrections[0].instrument.value(), "ETHUSDT-PERP.BINANCE");
  EXPECT_TRUE(d.has_correction(CorrectionKind::UnknownInstrument, "1.5 @ 2000"));
  EXPECT_TRUE(d.slot().quantity.is_zero());
}

TEST(Reconciliation, AKnownOrderWhoseAcknowledgementWasLostIsAcceptedAndGetsItsMissedFills) {
  Desk d;
  const auto id = d.kernel->submit(d.limit(OrderSide::Buy, "0.5", "30000")).value();
  ASSERT_EQ(d.kernel->order(id)->status(), OrderStatus::Submitted);
  d.venue.open_orders = std::vector{d.venue_order(id.value(), "V-1", OrderSide::Buy, "0.5", "0.2", "30000")};
  d.venue.fills = std::vector{d.fill("T-1", id.value(), "V-1", OrderSide::Buy, "0.2", "30000")};
  d.venue.positions = std::vector{d.venue_position("0.2", "30000")};
  d.events.clear();
  const auto report = d.reconcile();
  ASSERT_TRUE(report) << report.error().message();
  const model::Order& o = *d.kernel->order(id);
  EXPECT_EQ(o.status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(o.venue_order_id()->value(), "V-1");
  EXPECT_EQ(o.filled_qty(), qty("0.2"));
  EXPECT_EQ(o.leaves_qty(), qty("0.3"));  // 0.5 − 0.2
  EXPECT_EQ(d.slot().quantity, dec("0.2"));
  EXPECT_EQ(d.slot().avg_entry, dec("30000"));
  // The observer heard what a live stream would have told it.
  EXPECT_EQ(d.events, (std::vector<std::string>{"OrderAccepted O-1", "OrderFilled O-1"}));
  EXPECT_TRUE(d.has_correction(CorrectionKind::OrderUpdated, "SUBMITTED → ACCEPTED"));
  EXPECT_TRUE(d.has_correction(CorrectionKind::FillRecovered, "filled 0 → 0.2 of 0.5"));
  // The book already matches the venue's position after the fill: no position correction.
  EXPECT_EQ(report->count(CorrectionKind::PositionCorrected), 0u);
  // The working part (0.3 @ 30,000) counts in the book.
  EXPECT_EQ(d.slot().open_buy_quantity, dec("0.3"));
}

TEST(Reconciliation, AFillSeenOnTheStreamAndInTheQueryIsAppliedOnce) {
  Desk d;
  const auto id = d.kernel->submit(d.limit(OrderSide::Buy, "0.5", "30000")).value();
  d.accept(id, "V-1");
  const model::Fill f = d.fill("T-1", id.value(), "V-1", OrderSide::Buy, "0.1", "30000");
  d.stream_fill(f);
  ASSERT_EQ(d.slot().quantity, dec("0.1"));
  d.venue.open_orders = std::vector{d.venue_order(id.value(), "V-1", OrderSide::Buy, "0.5", "0.1", "30000")};
  d.venue.fills = std::vector{f};
  d.venue.positions = std::vector{d.venue_position("0.1", "30000")};
  const auto report = d.reconcile();
  ASSERT_TRUE(report);
  EXPECT_EQ(d.slot().quantity, dec("0.1"));  // not 0.2
  EXPECT_EQ(d.kernel->order(id)->filled_qty(), qty("0.1"));
  EXPECT_EQ(report->fills_skipped, 1u);
  EXPECT_TRUE(report->corrections.empty());
  // The stream repeats it after the reconciliation: still once.
  d.stream_fill(f);
  EXPECT_EQ(d.slot().quantity, dec("0.1"));
}

TEST(Reconciliation, AFillTheQueryRecoveredIsNotAppliedAgainWhenTheStreamDeliversItLate) {
  Desk d;
  const auto id = d.kernel->submit(d.limit(OrderSide::Sell, "0.4", "30000")).value();
  d.accept(id, "V-2");
  const model::Fill f = d.fill("T-9", id.value(), "V-2", OrderSide::Sell, "0.4", "30000");
  d.venue.fills = std::vector{f};
  d.venue.positions = std::vector{d.venue_position("-0.4", "30000")};
  ASSERT_TRUE(d.reconcile());
  EXPECT_EQ(d.kernel->order(id)->status(), OrderStatus::Filled);
  EXPECT_EQ(d.slot().quantity, dec("-0.4"));
  d.stream_fill(f);
  EXPECT_EQ(d.slot().quantity, dec("-0.4"));
  EXPECT_TRUE(d.kernel->open_orders().empty());
}

TEST(Reconciliation, AFillWithoutAKnownOrderReachesTheBookOnceFromTheStreamAndTheQuery) {
  Desk d;
  // Placed outside Ballast and filled completely: never an open order.
  const model::Fill f = d.fill("T-5", "", "V-50", OrderSide::Buy, "0.3", "29000");
  d.stream_fill(f);
  ASSERT_EQ(d.slot().quantity, dec("0.3"));
  d.venue.fills = std::vector{f, d.fill("T-6", "", "V-51", OrderSide::Buy, "0.1", "31000")};
  d.venue.positions = std::vector{d.venue_position("0.4", "29500")};
  const auto report = d.reconcile();
  ASSERT_TRUE(report);
  // T-5 skipped, T-6 applied: 0.3 + 0.1 = 0.4 at (0.3 × 29,000 + 0.1 × 31,000) / 0.4 = 29,500.
  EXPECT_EQ(report->fills_skipped, 1u);
  EXPECT_EQ(report->count(CorrectionKind::FillRecovered), 1u);
  EXPECT_EQ(d.slot().quantity, dec("0.4"));
  EXPECT_EQ(d.slot().avg_entry, dec("29500"));
  EXPECT_EQ(report->count(CorrectionKind::PositionCorrected), 0u);
  EXPECT_TRUE(d.has_correction(CorrectionKind::FillRecovered, "applied to the book only; position 0.3 → 0.4"));
}

TEST(Reconciliation, FillsTheHostAlreadyRecordedAreSkippedAndThePositionComesFromTheVenue) {
  Desk d;
  // An earlier session stored T-1 (0.2 long at 30,000); the book was restored from the store.
  ASSERT_TRUE(d.kernel->restore_position(d.instrument.id(), dec("0.2"), dec("30000")));
  d.venue.fills = std::vector{d.fill("T-1", "OLD-1", "V-1", OrderSide::Buy, "0.2", "30000")};
  d.venue.positions = std::vector{d.venue_position("0.2", "30000")};
  const auto report = d.reconcile([](const model::Fill& f) { return f.trade_id.value() == "T-1"; });
  ASSERT_TRUE(report);
  EXPECT_EQ(report->fills_skipped, 1u);
  EXPECT_TRUE(report->corrections.empty());
  EXPECT_EQ(d.slot().quantity, dec("0.2"));
}

TEST(Reconciliation, AnExternalOrderIsAdoptedAndCanceledThroughTheVenueByABreaker) {
  risk::CircuitBreakerConfig move;
  move.name = "rapid-move";
  move.condition = risk::BreakerCondition::RapidMove;
  move.scope = risk::BreakerScope::Instrument;
  move.threshold = dec("0.05");
  move.window = std::chrono::minutes(5);
  move.action = risk::BreakerAction::CancelOrders;
  Desk d({move});
  // Placed on the venue's web page: no client order id.
  d.venue.open_orders = std::vector{d.venue_order(std::nullopt, "777", OrderSide::Sell, "0.3", "0", "31000")};
  const auto report = d.reconcile();
  ASSERT_TRUE(report) << report.error().message();
  ASSERT_EQ(report->count(CorrectionKind::OrderAdopted), 1u);
  const auto open = d.kernel->open_orders();
  ASSERT_EQ(open.size(), 1u);
  const model::Order& o = *open[0];
  EXPECT_EQ(o.client_order_id().value(), "EXT-777");
  EXPECT_EQ(o.strategy_id().value(), "EXTERNAL");
  EXPECT_EQ(o.status(), OrderStatus::Accepted);
  EXPECT_EQ(o.venue_order_id()->value(), "777");
  EXPECT_EQ(o.leaves_qty(), qty("0.3"));
  EXPECT_EQ(o.price(), px("31000"));
  EXPECT_EQ(d.slot().open_sell_quantity, dec("0.3"));
  EXPECT_TRUE(d.has_correction(CorrectionKind::OrderAdopted, "no client order id"));
  EXPECT_TRUE(d.venue.submitted.empty());

  // 30,000 → 28,000 within five minutes: |−2,000| / 30,000 = 6.7 % > 5 %: the breaker cancels the orders.
  d.clock.set_time(core::UnixNanos(2 * kMinute));
  ASSERT_TRUE(d.kernel->on_bar(d.instrument.id(), bar(1, "28000")));
  ASSERT_EQ(d.venue.canceled.size(), 1u);
  EXPECT_EQ(d.venue.canceled[0].client_order_id.value(), "EXT-777");
  ASSERT_TRUE(d.venue.canceled[0].venue_order_id);
  EXPECT_EQ(d.venue.canceled[0].venue_order_id->value(), "777");

  // The venue confirms under its own id for the order (not EXT-777): the adopted order is found by 777.
  model::OrderCanceled confirmed;
  confirmed.client_order_id = core::ClientOrderId("web_8ac1");
  confirmed.instrument_id = d.instrument.id();
  confirmed.venue_order_id = core::VenueOrderId("777");
  d.kernel->on_order_event(confirmed);
  EXPECT_EQ(d.kernel->order(core::ClientOrderId("EXT-777"))->status(), OrderStatus::Canceled);
  EXPECT_TRUE(d.kernel->open_orders().empty());
  EXPECT_TRUE(d.slot().open_sell_quantity.is_zero());
}

TEST(Reconciliation, AStreamFillOfAnAdoptedOrderReachesItByVenueOrderId) {
  Desk d;
  d.venue.open_orders = std::vector{d.venue_order(std::nullopt, "777", OrderSide::Sell, "0.3", "0", "31000")};
  ASSERT_TRUE(d.reconcile());
  // The venue's stream knows the order only by its venue order id.
  d.stream_fill(d.fill("T-11", "", "777", OrderSide::Sell, "0.1", "31000"));
  const model::Order& o = *d.kernel->order(core::ClientOrderId("EXT-777"));
  EXPECT_EQ(o.filled_qty(), qty("0.1"));
  EXPECT_EQ(o.status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(d.slot().quantity, dec("-0.1"));
  EXPECT_EQ(d.slot().open_sell_quantity, dec("0.2"));  // 0.3 − 0.1 still working
  EXPECT_EQ(d.events.back(), "OrderFilled EXT-777");
}

TEST(Reconciliation, AnExternalOrderKeepsTheVenuesClientOrderIdAndOnlyItsWindowFillsCount) {
  Desk d;
  // 0.5 ordered, 0.3 filled: 0.1 in the fills window (T-7), 0.2 before it.
  d.venue.open_orders = std::vector{d.venue_order("web_abc", "888", OrderSide::Buy, "0.5", "0.3", "30000")};
  d.venue.fills = std::vector{d.fill("T-7", "web_abc", "888", OrderSide::Buy, "0.1", "30000")};
  d.venue.positions = std::vector{d.venue_position("0.3", "30000")};
  const auto report = d.reconcile();
  ASSERT_TRUE(report);
  const model::Order* o = d.kernel->order(core::ClientOrderId("web_abc"));
  ASSERT_NE(o, nullptr);
  // Adopted quantity = fills replayed (0.1) + unfilled at the venue (0.5 − 0.3 = 0.2) = 0.3.
  EXPECT_EQ(o->quantity(), qty("0.3"));
  EXPECT_EQ(o->filled_qty(), qty("0.1"));
  EXPECT_EQ(o->leaves_qty(), qty("0.2"));
  EXPECT_EQ(o->status(), OrderStatus::PartiallyFilled);
  EXPECT_TRUE(d.has_correction(CorrectionKind::OrderAdopted, "0.2 filled outside the fills window"));
  // Book: 0.1 from T-7, then set to the venue's 0.3.
  EXPECT_TRUE(d.has_correction(CorrectionKind::PositionCorrected, "book 0.1 @ 30000 → venue 0.3 @ 30000"));
  EXPECT_EQ(d.slot().quantity, dec("0.3"));
}

TEST(Reconciliation, AnOrderOfAnEarlierSessionIsRestoredUnderItsStrategyAndTakesAFillBeyondItsWindow) {
  Desk d;
  // Sent by the previous run as BINANCE-1-4 (strategy "momentum"): 0.5 ordered, 0.2 filled before the
  // fills window, nothing in it; the store knows the id, the kernel does not.
  d.venue.open_orders = std::vector{d.venue_order("BINANCE-1-4", "901", OrderSide::Buy, "0.5", "0.2", "29500")};
  d.venue.positions = std::vector{d.venue_position("0.2", "29500")};
  const auto report = d.reconcile({}, [](const core::ClientOrderId& id) -> std::optional<ReconcileInputs::EarlierOrder> {
    if (id.value() == "BINANCE-1-4") return ReconcileInputs::EarlierOrder{id, core::StrategyId("momentum")};
    return std::nullopt;
  });
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(report->count(CorrectionKind::OrderAdopted), 1u);
  const model::Order* o = d.kernel->order(core::ClientOrderId("BINANCE-1-4"));
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->strategy_id().value(), "momentum");
  EXPECT_EQ(o->quantity(), qty("0.3"));  // 0 replayed + 0.5 − 0.2 unfilled
  EXPECT_TRUE(d.has_correction(CorrectionKind::OrderAdopted,
                               "restored (issued by an earlier session, strategy momentum) venue order 901"));
  // The stream fills 0.3, then 0.1 more than the restored quantity knows (an old fill reported late): both
  // reach the book, 0.2 + 0.3 + 0.1 = 0.6.
  d.stream_fill(d.fill("T-21", "BINANCE-1-4", "901", OrderSide::Buy, "0.3", "29500"));
  EXPECT_EQ(o->status(), OrderStatus::Filled);
  d.stream_fill(d.fill("T-22", "BINANCE-1-4", "901", OrderSide::Buy, "0.1", "29500"));
  EXPECT_EQ(d.slot().quantity, dec("0.6"));
}

TEST(Reconciliation, AVenueThatReportsItsOwnIdForAnEarlierOrderGetsItBackUnderBallastsId) {
  Desk d;
  // Hyperliquid reports the cloid it was given; the host knows which of its earlier ids that was.
  d.venue.open_orders = std::vector{d.venue_order("0x5f1e0000000000000000000000000abc", "903", OrderSide::Sell,
                                                  "0.2", "0", "31500")};
  ASSERT_TRUE(d.reconcile({}, [](const core::ClientOrderId& reported) -> std::optional<ReconcileInputs::EarlierOrder> {
    if (reported.value() != "0x5f1e0000000000000000000000000abc") return std::nullopt;
    return ReconcileInputs::EarlierOrder{core::ClientOrderId("HL-2-7"), core::StrategyId("api:alice")};
  }));
  const model::Order* o = d.kernel->order(core::ClientOrderId("HL-2-7"));
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->strategy_id().value(), "api:alice");
  EXPECT_EQ(o->venue_order_id()->value(), "903");
  EXPECT_EQ(d.kernel->order(core::ClientOrderId("0x5f1e0000000000000000000000000abc")), nullptr);
  EXPECT_EQ(d.kernel->open_orders().size(), 1u);
}

TEST(Reconciliation, AVenueOrderTheHostDoesNotNameIsStillAdoptedAsExternal) {
  Desk d;
  d.venue.open_orders = std::vector{d.venue_order("web_1", "902", OrderSide::Sell, "0.1", "0", "31000")};
  ASSERT_TRUE(d.reconcile({}, [](const core::ClientOrderId&) { return std::optional<ReconcileInputs::EarlierOrder>{}; }));
  EXPECT_EQ(d.kernel->order(core::ClientOrderId("web_1"))->strategy_id().value(), "EXTERNAL");
  EXPECT_TRUE(d.has_correction(CorrectionKind::OrderAdopted, "adopted venue order 902"));
}

TEST(Reconciliation, AnOpenOrderTheVenueNoLongerHasIsClosedAsCanceled) {
  Desk d;
  const auto id = d.kernel->submit(d.limit(OrderSide::Buy, "0.1", "29000")).value();
  d.accept(id, "V-3");
  ASSERT_EQ(d.kernel->book().open_orders(), 1);
  d.events.clear();
  const auto report = d.reconcile();
  ASSERT_TRUE(report);
  EXPECT_EQ(d.kernel->order(id)->status(), OrderStatus::Canceled);
  EXPECT_TRUE(d.kernel->open_orders().empty());
  EXPECT_EQ(d.kernel->book().open_orders(), 0);
  EXPECT_EQ(d.events, (std::vector<std::string>{"OrderCanceled O-1"}));
  ASSERT_EQ(report->count(CorrectionKind::OrderClosed), 1u);
  EXPECT_TRUE(d.has_correction(CorrectionKind::OrderClosed, "closed by reconciliation: the venue no longer has"));
}

TEST(Reconciliation, AnUnlistedOrderIsFirstGivenItsFillsThenClosedWithWhatItFilled) {
  Desk d;
  const auto done = d.kernel->submit(d.limit(OrderSide::Buy, "0.1", "30000")).value();
  const auto part = d.kernel->submit(d.limit(OrderSide::Buy, "0.2", "30000")).value();
  d.accept(done, "V-4");
  d.accept(part, "V-5");
  d.venue.fills = std::vector{d.fill("T-1", done.value(), "V-4", OrderSide::Buy, "0.1", "30000"),
                              d.fill("T-2", part.value(), "V-5", OrderSide::Buy, "0.05", "30000")};
  d.venue.positions = std::vector{d.venue_position("0.15", "30000")};
  const auto report = d.reconcile();
  ASSERT_TRUE(report);
  EXPECT_EQ(d.kernel->order(done)->status(), OrderStatus::Filled);
  EXPECT_EQ(d.kernel->order(part)->status(), OrderStatus::Canceled);
  EXPECT_EQ(d.kernel->order(part)->filled_qty(), qty("0.05"));
  EXPECT_EQ(report->count(CorrectionKind::FillRecovered), 2u);
  EXPECT_EQ(report->count(CorrectionKind::OrderClosed), 1u);
  EXPECT_TRUE(d.has_correction(CorrectionKind::OrderClosed, "filled 0.05 of 0.2"));
  EXPECT_EQ(d.slot().quantity, dec("0.15"));  // 0.1 + 0.05
  EXPECT_EQ(report->count(CorrectionKind::PositionCorrected), 0u);
}

TEST(Reconciliation, AFillOfAnOrderReconciliationClosedStillReachesTheBook) {
  Desk d;
  const auto id = d.kernel->submit(d.limit(OrderSide::Buy, "0.1", "30000")).value();
  ASSERT_TRUE(d.reconcile());  // not listed: closed
  ASSERT_EQ(d.kernel->order(id)->status(), OrderStatus::Canceled);
  // It was in flight after all and traded.
  d.stream_fill(d.fill("T-3", id.value(), "V-6", OrderSide::Buy, "0.1", "30000"));
  EXPECT_EQ(d.slot().quantity, dec("0.1"));
}

TEST(Reconciliation, AClosedOrderTheVenueListsAgainIsAdoptedAnewWithoutReplayingItsFills) {
  Desk d;
  const auto id = d.kernel->submit(d.limit(OrderSide::Buy, "0.5", "30000")).value();
  d.accept(id, "V-1");
  d.stream_fill(d.fill("T-1", id.value(), "V-1", OrderSide::Buy, "0.1", "30000"));
  d.venue.positions = std::vector{d.venue_position("0.1", "30000")};
  ASSERT_TRUE(d.reconcile());  // the venue's list missed it (a lagging replica): closed
  ASSERT_EQ(d.kernel->order(id)->status(), OrderStatus::Canceled);
  // The venue lists it again; its fill comes by venue order id only.
  d.venue.open_orders = std::vector{d.venue_order(id.value(), "V-1", OrderSide::Buy, "0.5", "0.1", "30000")};
  d.venue.fills = std::vector{d.fill("T-1", "", "V-1", OrderSide::Buy, "0.1", "30000")};
  const auto report = d.reconcile();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->fills_skipped, 1u);
  EXPECT_EQ(d.slot().quantity, dec("0.1"));  // T-1 once
  const model::Order* again = d.kernel->order(core::ClientOrderId("EXT-V-1"));
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->leaves_qty(), qty("0.4"));  // 0.5 − 0.1 still working at the venue
  EXPECT_TRUE(d.has_correction(CorrectionKind::OrderAdopted, "Ballast had O-1 as CANCELED"));
}

TEST(Reconciliation, AKnownOrderWithOtherVenueTermsIsUpdated) {
  Desk d;
  const auto id = d.kernel->submit(d.limit(OrderSide::Buy, "0.5", "30000")).value();
  d.accept(id, "V-7");
  // Amended at the venue (the answer was lost): 0.4 @ 30,100, nothing filled.
  d.venue.open_orders = std::vector{d.venue_order(id.value(), "V-7", OrderSide::Buy, "0.4", "0", "30100")};
  d.events.clear();
  const auto report = d.reconcile();
  ASSERT_TRUE(report);
  const model::Order& o = *d.kernel->order(id);
  EXPECT_EQ(o.quantity(), qty("0.4"));
  EXPECT_EQ(o.price(), px("30100"));
  EXPECT_EQ(o.status(), OrderStatus::Accepted);
  EXPECT_EQ(d.events, (std::vector<std::string>{"OrderUpdated O-1"}));
  EXPECT_TRUE(d.has_correction(CorrectionKind::OrderUpdated, "quantity 0.5 → 0.4"));
  EXPECT_TRUE(d.has_correction(CorrectionKind::OrderUpdated, "price 30000 → 30100"));
  // The book's working buy follows: 0.4 at 30,100.
  EXPECT_EQ(d.slot().open_buy_quantity, dec("0.4"));
  EXPECT_EQ(d.slot().open_buy_notional, dec("12040"));  // 0.4 × 30,100
}

TEST(Reconciliation, AQueryErrorChangesNothingAndLeavesTheVenueMarked) {
  Desk d;
  ASSERT_TRUE(d.kernel->restore_position(d.instrument.id(), dec("0.2"), dec("29000")));
  const auto id = d.kernel->submit(d.limit(OrderSide::Buy, "0.1", "29000")).value();
  d.accept(id, "V-8");
  d.kernel->on_disconnected(core::VenueId("BINANCE"), core::Error(core::ErrorCode::IoError, "socket closed"));
  d.venue.positions = std::vector{d.venue_position("0.5", "30000")};
  d.venue.fills = core::Error(core::ErrorCode::IoError, "GET /fapi/v1/userTrades timed out");
  const auto report = d.reconcile();
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message().find("timed out"), std::string::npos);
  EXPECT_NE(report.error().message().find("query_fills_since"), std::string::npos);
  EXPECT_TRUE(d.kernel->needs_reconciliation(core::VenueId("BINANCE")));
  EXPECT_TRUE(d.observed.empty());
  EXPECT_EQ(d.slot().quantity, dec("0.2"));
  EXPECT_EQ(d.kernel->order(id)->status(), OrderStatus::Accepted);  // not closed though the venue listed nothing
}

TEST(Reconciliation, AQueryErrorMarksAVenueThatWasNotMarked) {
  Desk d;
  d.venue.open_orders = core::Error(core::ErrorCode::IoError, "connection reset");
  ASSERT_FALSE(d.reconcile());
  EXPECT_EQ(d.kernel->venues_needing_reconciliation(), std::vector<core::VenueId>{core::VenueId("BINANCE")});
}

TEST(Reconciliation, AfterADisconnectOrdersAreRefusedUntilTheReconnectedVenueIsReconciled) {
  Desk d;
  ASSERT_TRUE(d.kernel->restore_position(d.instrument.id(), dec("0.2"), dec("30000")));
  const auto resting = d.kernel->submit(d.limit(OrderSide::Buy, "0.1", "29000")).value();
  d.accept(resting, "V-9");
  d.kernel->on_disconnected(core::VenueId("BINANCE"), core::Error(core::ErrorCode::IoError, "socket closed"));
  d.venue.connected = false;
  EXPECT_EQ(d.kernel->venues_needing_reconciliation(), std::vector<core::VenueId>{core::VenueId("BINANCE")});

  const auto refused = d.kernel->submit(d.limit(OrderSide::Buy, "0.1", "29000"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::InvalidState);
  EXPECT_NE(refused.error().message().find("needs reconciliation"), std::string::npos);
  // Reducing orders too: their size comes from the book, which may be wrong.
  auto reduce = d.limit(OrderSide::Sell, "0.2", "31000");
  reduce.reduce_only = true;
  EXPECT_FALSE(d.kernel->submit(reduce));
  EXPECT_EQ(d.venue.submitted.size(), 1u);  // only the resting order from before
  // Cancels still go out, and so does the risk system's own reduce-only close.
  EXPECT_TRUE(d.kernel->cancel(resting));
  EXPECT_EQ(d.venue.canceled.size(), 1u);
  const auto close = d.kernel->close_position(d.instrument.id(), "breaker", d.clock.now());
  EXPECT_TRUE(close.ok) << close.error;
  EXPECT_EQ(d.venue.submitted.size(), 2u);

  // Still disconnected: nothing is reconciled on the timer.
  ReconcileInputs inputs;
  const int queries = d.venue.queries;
  const auto none = d.kernel->reconcile_pending(inputs);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(d.venue.queries, queries);
  EXPECT_TRUE(d.kernel->needs_reconciliation(core::VenueId("BINANCE")));

  // Reconnected: reconciled (the position 0.2 is still there, the two orders gone) and trading resumes.
  d.venue.connected = true;
  d.venue.positions = std::vector{d.venue_position("0.2", "30000")};
  inputs.fills_since = core::UnixNanos(42);
  const auto done = d.kernel->reconcile_pending(inputs);
  ASSERT_TRUE(done) << done.error().message();
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ((*done)[0].venue.value(), "BINANCE");
  EXPECT_EQ(d.venue.fills_asked_since, core::UnixNanos(42));
  EXPECT_TRUE(d.kernel->venues_needing_reconciliation().empty());
  EXPECT_EQ((*done)[0].count(CorrectionKind::OrderClosed), 2u);  // the canceled resting order, the close
  EXPECT_TRUE(d.kernel->submit(d.limit(OrderSide::Buy, "0.1", "29000")));
}

TEST(Reconciliation, AVenueWithoutAClientCannotBeReconciled) {
  Desk d;
  ReconcileInputs inputs;
  const auto r = d.kernel->reconcile(core::VenueId("HYPERLIQUID"), inputs);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::NotFound);
}

}  // namespace
}  // namespace ballast::system
