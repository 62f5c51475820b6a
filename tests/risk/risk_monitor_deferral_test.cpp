// RiskMonitor's quiet marks (RiskMonitorConfig::defer_quiet_marks): a monitor that leaves quiet marks
// unmeasured until something else happens must publish exactly what a monitor measuring every mark
// publishes, hold the same trading state after every step, and read the same statuses and figures.
// Random walks of two instruments with jumps, fills, working orders, clock ticks across days, resets and
// configuration changes, run side by side on two identical desks.
#include "ballast/risk/risk_monitor.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/model/order.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "ballast/runtime/message_bus.hpp"
#include "model/test_support.hpp"
#include "portfolio/portfolio_test_support.hpp"
#include "risk/monitor_test_support.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace ballast::risk {
namespace {

using core::Decimal;
using model::OrderSide;
using model::test::dec;
using namespace std::chrono_literals;

using test::NullSink;

std::string text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }
std::string text(const std::optional<core::InstrumentId>& id) { return id ? id->value() : "-"; }

CircuitBreakerConfig breaker(std::string name, BreakerCondition condition, std::string_view threshold,
                             BreakerAction action) {
  CircuitBreakerConfig c;
  c.name = std::move(name);
  c.condition = condition;
  c.scope = condition == BreakerCondition::PositionDrawdown ? BreakerScope::Instrument : BreakerScope::Account;
  c.threshold = dec(threshold);
  c.action = action;
  c.cooldown = 20min;
  return c;
}

// `thin`: an account of a few thousand under positions of up to 120,000, where the margin ratio swings through
// the call level: no breakers (they would stop measuring quiet marks there) and no leverage watch.
RiskConfig risk_config(std::string_view gross, bool thin) {
  RiskConfig c;
  c.max_gross_exposure = {true, dec(gross)};
  c.max_net_exposure = {true, dec("100000")};
  c.max_leverage = {!thin, dec("1.5")};
  c.daily_loss_limit = {true, dec("900")};
  c.warning_utilisation = dec("0.8");
  c.circuit_breakers = {
      breaker("account-dd", BreakerCondition::AccountDrawdown, "0.04", BreakerAction::Alert),
      breaker("daily-loss", BreakerCondition::DailyLoss, "1500", BreakerAction::ReduceOnly),
      breaker("position-dd", BreakerCondition::PositionDrawdown, "0.015", BreakerAction::Alert),
      breaker("loss-streak", BreakerCondition::LossStreak, "3", BreakerAction::Halt),
  };
  auto off = breaker("position-dd-off", BreakerCondition::PositionDrawdown, "0.005", BreakerAction::Halt);
  off.enabled = false;
  c.circuit_breakers.push_back(off);
  c.circuit_breakers[1].reset = ResetPolicy::Manual;
  if (thin) c.circuit_breakers.clear();
  return c;
}

// One account: book, engine, monitor, and everything it publishes as text.
struct Desk {
  // `config`: the engine's configuration; by default risk_config() for the wallet.
  Desk(bool defer, bool performance_listener, std::string_view wallet,
       const std::vector<const model::Instrument*>& instruments, core::UnixNanos start,
       std::optional<RiskConfig> config = std::nullopt)
      : clock(start), thin(dec(wallet) < dec("10000")) {
    book.emplace(portfolio::PortfolioBook::create(model::Currency::USDT(), instruments, dec(wallet)).value());
    engine.emplace(RiskEngine::create(config ? *config : risk_config("150000", thin), *book, clock.now()).value());
    RiskMonitorConfig mc;
    mc.defer_quiet_marks = defer;
    mc.performance_interval = 10min;
    monitor = RiskMonitor::create(mc, *book, *engine, bus, sink, clock).value();
    bus.subscribe<CircuitBreakerEvent>(CircuitBreakerEvent::kTopic, [this](const CircuitBreakerEvent& e) {
      log.push_back(fmt::format("breaker {} {} {} value={} state={} trading={} at {}", static_cast<int>(e.kind),
                                e.breaker, text(e.instrument), e.value.to_string(), static_cast<int>(e.state),
                                static_cast<int>(e.trading_state), e.ts_event.value));
    });
    bus.subscribe<RiskLimitReached>(RiskLimitReached::kTopic, [this](const RiskLimitReached& e) {
      log.push_back(fmt::format("limit {} {} at {}", static_cast<int>(e.limit), e.value.to_string(), e.ts_event.value));
    });
    bus.subscribe<PortfolioRiskHigh>(PortfolioRiskHigh::kTopic, [this](const PortfolioRiskHigh& e) {
      log.push_back(fmt::format("high {} {} at {}", static_cast<int>(e.limit), e.value.to_string(), e.ts_event.value));
    });
    bus.subscribe<MarginCallWarning>(MarginCallWarning::kTopic, [this](const MarginCallWarning& e) {
      log.push_back(fmt::format("margin {} {} {} at {}", text(e.margin_ratio), e.maintenance_margin.to_string(),
                                e.margin_balance.to_string(), e.ts_event.value));
    });
    bus.subscribe<TradeCompleted>(TradeCompleted::kTopic, [this](const TradeCompleted& e) {
      log.push_back(fmt::format("trade {} {} at {}", e.instrument.value(), e.realized_pnl.to_string(), e.ts_event.value));
    });
    bus.subscribe<Alert>(Alert::kTopic, [this](const Alert& e) {
      log.push_back(fmt::format("alert {} {} at {}", static_cast<int>(e.code), e.message, e.ts_event.value));
    });
    if (performance_listener) {
      bus.subscribe<PerformanceUpdated>(PerformanceUpdated::kTopic, [this](const PerformanceUpdated& e) {
        log.push_back(performance_text(e));
      });
    }
  }
  static std::string performance_text(const PerformanceUpdated& e) {
    return fmt::format("performance {} {} {} {} {} {} at {}", e.equity.to_string(), e.peak_equity.to_string(),
                       e.drawdown.to_string(), e.daily_pnl.to_string(), e.leverage.to_string(), text(e.margin_ratio),
                       e.ts_event.value);
  }
  // Everything a caller can read, as text (reading settles deferred measurements).
  std::string reading() {
    std::string out = fmt::format("margin ratio {} peak {} mm {} | ", text(monitor->margin_ratio()),
                                  monitor->peak_equity().to_string(), monitor->cross_maintenance_margin().to_string());
    for (const auto& s : monitor->breaker_statuses()) {
      out += fmt::format("{} {} state={} last={} trip={} trips={}; ", s.name, text(s.instrument),
                         static_cast<int>(s.state), s.last_measurement ? s.last_measurement->value.to_string() : "-",
                         s.trip_measurement ? s.trip_measurement->value.to_string() : "-", s.trips);
    }
    PerformanceUpdated p = monitor->performance();
    return out + performance_text(p);
  }

  core::TestClock clock;
  bool thin;  // see risk_config()
  runtime::MessageBus bus;
  NullSink sink;
  std::optional<portfolio::PortfolioBook> book;
  std::optional<RiskEngine> engine;
  std::unique_ptr<RiskMonitor> monitor;
  std::vector<std::string> log;
};

std::string first_difference(const Desk& a, const Desk& b) {
  for (std::size_t i = 0; i < std::max(a.log.size(), b.log.size()); ++i) {
    const std::string x = i < a.log.size() ? a.log[i] : "(none)";
    const std::string y = i < b.log.size() ? b.log[i] : "(none)";
    if (x != y) return fmt::format("event {} measuring every mark: {}\n          deferring quiet marks: {}", i, x, y);
  }
  return "no difference";
}

// Runs `steps` random steps on both desks and compares them after each; adds the margin calls raised to
// `margin_calls`.
// `stay`: the chance that a step is of the instrument of the step before (0.6 of BTC otherwise).
void run_side_by_side(std::uint64_t seed, bool performance_listener, std::string_view wallet, int steps,
                      std::size_t* margin_calls = nullptr, double stay = 0.0,
                      std::uint64_t* range_marks = nullptr) {
  const model::Instrument btc = model::test::linear_perp();
  const model::Instrument eth = portfolio::test::alt_perp("ETHUSDT-PERP.BINANCE");
  const std::vector<const model::Instrument*> instruments = {&btc, &eth};
  const core::UnixNanos start = core::UnixNanos::from_seconds(1'704'067'200);  // 2024-01-01 00:00 UTC
  Desk every(false, performance_listener, wallet, instruments, start);
  Desk deferring(true, performance_listener, wallet, instruments, start);
  Desk* desks[] = {&every, &deferring};

  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  double prices[] = {40000.0, 2000.0};
  const int price_places[] = {1, 2};
  std::int64_t now = start.value;
  int fills = 0;
  int orders = 0;
  std::vector<model::Order> working;
  int marks = 0;
  int last = 0;

  const auto price_text = [&](int i) { return fmt::format("{:.{}f}", prices[i], price_places[i]); };
  for (int step = 0; step < steps; ++step) {
    now += static_cast<std::int64_t>(unit(rng) * 240.0) * core::kNanosPerSecond;
    for (Desk* d : desks) d->clock.set_time(core::UnixNanos(now));
    const double u = unit(rng);
    const int i = unit(rng) < stay ? last : (unit(rng) < 0.6 ? 0 : 1);
    last = i;
    const model::Instrument& inst = *instruments[static_cast<std::size_t>(i)];
    if (u < 0.72) {
      // A mark: small steps, now and then a jump that trips something.
      const double jump = unit(rng) < 0.01 ? normal(rng) * 0.03 : 0.0;
      prices[i] *= std::exp(normal(rng) * 0.0015 + jump);
      const model::Price mark = model::test::px(price_text(i));
      for (Desk* d : desks) ASSERT_TRUE(d->monitor->on_mark_price(inst.id(), mark));
      ++marks;
    } else if (u < 0.80) {
      // A fill at the mark: opens, adds, reduces or flips.
      // Positions stay within about ±1.5 BTC and ±30 ETH (40,000 and 2,000 a unit at the start).
      const double held = every.book->slot(static_cast<portfolio::SlotIndex>(i)).quantity.to_double();
      const double cap = i == 0 ? 1.5 : 30.0;
      const OrderSide side = held > cap     ? OrderSide::Sell
                             : held < -cap  ? OrderSide::Buy
                             : unit(rng) < 0.5 ? OrderSide::Buy
                                               : OrderSide::Sell;
      const double size = (i == 0 ? 0.05 : 1.0) * std::ceil(unit(rng) * 20.0);
      const std::string quantity = fmt::format("{:.3f}", size);
      const auto fill = model::test::make_fill(inst, side, quantity, price_text(i), model::test::usdt("1.5"), ++fills);
      for (Desk* d : desks) ASSERT_TRUE(d->monitor->on_fill(fill));
    } else if (u < 0.86) {
      for (Desk* d : desks) d->monitor->on_time();
    } else if (u < 0.92) {
      // A working limit order accepted, or one of them canceled.
      if (working.empty() || unit(rng) < 0.5) {
        model::OrderSpec spec;
        spec.client_order_id = core::ClientOrderId(fmt::format("W-{}", ++orders));
        spec.strategy_id = core::StrategyId("S-1");
        spec.account_id = core::AccountId("ACC-1");
        spec.instrument_id = inst.id();
        spec.side = unit(rng) < 0.5 ? OrderSide::Buy : OrderSide::Sell;
        spec.type = model::OrderType::Limit;
        spec.quantity = model::test::qty(i == 0 ? "0.5" : "5");
        spec.price = model::test::px(price_text(i));
        spec.ts_init = core::UnixNanos(now);
        auto order = model::Order::create(spec).value();
        ASSERT_TRUE(order.on_submitted(core::UnixNanos(now)));
        model::OrderAccepted e;
        e.client_order_id = order.client_order_id();
        e.strategy_id = order.strategy_id();
        e.account_id = order.account_id();
        e.instrument_id = order.instrument_id();
        e.venue_order_id = core::VenueOrderId(fmt::format("V-{}", orders));
        e.ts_event = core::UnixNanos(now);
        e.ts_init = core::UnixNanos(now);
        ASSERT_TRUE(order.apply(e));
        for (Desk* d : desks) ASSERT_TRUE(d->monitor->on_order_event(e, order));
        working.push_back(std::move(order));
      } else {
        model::Order order = std::move(working.back());
        working.pop_back();
        model::OrderCanceled e;
        e.client_order_id = order.client_order_id();
        e.strategy_id = order.strategy_id();
        e.account_id = order.account_id();
        e.instrument_id = order.instrument_id();
        e.ts_event = core::UnixNanos(now);
        e.ts_init = core::UnixNanos(now);
        ASSERT_TRUE(order.apply(e));
        for (Desk* d : desks) ASSERT_TRUE(d->monitor->on_order_event(e, order));
      }
    } else if (u < 0.93) {
      for (Desk* d : desks) {
        (void)d->monitor->reset_breaker("daily-loss", std::nullopt, "ops", "test");
      }
    } else if (u < 0.94) {
      // A new gross limit moves the warning level (and the engine's configuration generation).
      const std::string gross = unit(rng) < 0.5 ? "150000" : "120000";
      for (Desk* d : desks) {
        d->monitor->settle();  // as every caller changing the engine's configuration under a monitor
        ASSERT_TRUE(d->engine->set_config(risk_config(gross, d->thin)));
      }
    } else if (u < 0.95) {
      ASSERT_EQ(every.reading(), deferring.reading()) << "step " << step;
    }
    ASSERT_EQ(every.engine->trading_state(), deferring.engine->trading_state()) << "step " << step;
    ASSERT_EQ(every.log.size(), deferring.log.size()) << "step " << step << ": " << first_difference(every, deferring);
  }
  EXPECT_EQ(every.log, deferring.log);
  EXPECT_EQ(every.reading(), deferring.reading());

  // Not vacuous: many marks were deferred, and the run tripped breakers, crossed limits and closed trades.
  EXPECT_GT(deferring.monitor->quiet_marks(), static_cast<std::uint64_t>(marks) / 6);
  EXPECT_EQ(every.monitor->quiet_marks(), 0U);
  // Some of them by the quiet range alone (consecutive marks of one instrument).
  EXPECT_GT(deferring.monitor->range_quiet_marks(), static_cast<std::uint64_t>(marks) * (stay > 0.5 ? 3 : 1) / 20);
  if (range_marks != nullptr) *range_marks += deferring.monitor->range_quiet_marks();
  const auto count = [&](std::string_view prefix) {
    std::size_t n = 0;
    for (const auto& line : every.log) n += line.starts_with(prefix) ? 1 : 0;
    return n;
  };
  if (!every.thin) {
    EXPECT_GT(count("breaker"), 10U);
  }
  EXPECT_GT(count("high") + count("limit"), 5U);
  EXPECT_GT(count("trade"), 10U);
  if (margin_calls != nullptr) *margin_calls += count("margin");
}

TEST(RiskMonitorDeferral, QuietMarksLeaveEveryEventStatusAndFigureAsMeasuringEachMarkDoes) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    run_side_by_side(seed, false, "100000", 10000);
  }
}

// Runs of marks of one instrument, most of them inside the quiet range of the mark before (the fast path of
// apply_mark, which leaves the figures quiet() tests unformed): the same events, states and figures.
TEST(RiskMonitorDeferral, RunsOfMarksOfOneInstrumentComeOutAsWhenMeasuringEachMark) {
  std::uint64_t range_marks = 0;
  std::size_t calls = 0;
  for (std::uint64_t seed = 31; seed <= 36; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    run_side_by_side(seed, false, "100000", 8000, nullptr, 0.9, &range_marks);
    run_side_by_side(seed, false, "4000", 6000, &calls, 0.9, &range_marks);
  }
  EXPECT_GT(range_marks, 6U * 2000U);
  EXPECT_GT(calls, 4U);
}

TEST(RiskMonitorDeferral, WithAPerformanceListenerSnapshotsAreTheSame) {
  for (std::uint64_t seed = 11; seed <= 13; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    run_side_by_side(seed, true, "100000", 6000);
  }
}

TEST(RiskMonitorDeferral, OnAThinAccountMarginCallsComeAsWhenMeasuringEachMark) {
  // 4,000 of wallet under positions of up to 120,000: the margin ratio swings through the call level.
  std::size_t calls = 0;
  for (std::uint64_t seed = 21; seed <= 24; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    run_side_by_side(seed, false, "4000", 6000, &calls);
  }
  EXPECT_GT(calls, 8U);
}

// Two desks on a wallet of 1,000 with every limit and breaker off (only the margin call speaks), one measuring
// every mark and one deferring, and a clock that moves a minute before each step.
struct MarginCallDesks {
  explicit MarginCallDesks(const std::vector<const model::Instrument*>& instruments)
      : every(false, false, "1000", instruments, start, no_limits()),
        deferring(true, false, "1000", instruments, start, no_limits()) {}
  static RiskConfig no_limits() {
    RiskConfig config;
    config.circuit_breakers.clear();
    return config;
  }
  void next_minute() {
    now += 60 * core::kNanosPerSecond;
    for (Desk* d : {&every, &deferring}) d->clock.set_time(core::UnixNanos(now));
  }
  core::UnixNanos start = core::UnixNanos::from_seconds(1'704'067'200);
  std::int64_t now = start.value;
  Desk every;
  Desk deferring;
};

// A margin call that only the maintenance margin raises. Long 1 of one perpetual and short 1 of another that is
// marked at the same prices: the P&L cancels, so the margin balance stays at the wallet (1,000, give or take the
// one leg marked before the other), while the maintenance margin of both legs grows with the price — Binance's
// BTCUSDT tiers: 0.4 % to 50,000 of notional, then 0.5 % less 50. The ratio 2 × (0.005 P − 50) / 1,000 reaches the
// call level 0.8 at P = 90,000. The price climbs from 40,000 to 100,000 by 0.05 % a step and falls back below
// the re-arm level (0.75, P = 85,000), twice. Only the maintenance ceiling of the quiet bands can make these
// marks measured (the balance never nears its floor), so each call must come at the same mark as when every
// mark is measured — a ceiling set too high would let the crossing pass as quiet.
TEST(RiskMonitorDeferral, AMarginCallOnlyTheMaintenanceMarginRaisesComesAtTheSameMark) {
  model::InstrumentSpec spec = model::test::linear_perp_spec();
  const model::Instrument a = model::Instrument::create(spec).value();
  spec.id = model::test::instrument_id("BTCUSDT-PERP.OTHER");
  const model::Instrument b = model::Instrument::create(spec).value();
  MarginCallDesks desks({&a, &b});
  Desk& every = desks.every;
  Desk& deferring = desks.deferring;
  const auto mark_both = [&](double price) {
    desks.next_minute();
    const model::Price mark = model::test::px(fmt::format("{:.1f}", price));
    for (Desk* d : {&every, &deferring}) {
      ASSERT_TRUE(d->monitor->on_mark_price(a.id(), mark));
      ASSERT_TRUE(d->monitor->on_mark_price(b.id(), mark));
    }
  };
  mark_both(40000.0);
  for (Desk* d : {&every, &deferring}) {
    ASSERT_TRUE(d->monitor->on_fill(model::test::make_fill(a, OrderSide::Buy, "1", "40000.0", model::test::usdt("0"), 1)));
    ASSERT_TRUE(d->monitor->on_fill(model::test::make_fill(b, OrderSide::Sell, "1", "40000.0", model::test::usdt("0"), 2)));
  }
  int marks = 0;
  for (int round = 0; round < 2; ++round) {
    for (double p = 40000.0; p < 100000.0; p *= 1.0005, ++marks) {
      mark_both(p);
      ASSERT_EQ(every.log.size(), deferring.log.size()) << "at " << p << ": " << first_difference(every, deferring);
    }
    for (double p = 100000.0; p > 40000.0; p /= 1.0005, ++marks) {
      mark_both(p);
      ASSERT_EQ(every.log.size(), deferring.log.size()) << "at " << p << ": " << first_difference(every, deferring);
    }
  }
  EXPECT_EQ(every.log, deferring.log);
  EXPECT_EQ(every.reading(), deferring.reading());
  // Two calls, at the crossings of 0.8 on the way up, and nearly every mark deferred.
  std::size_t calls = 0;
  for (const auto& line : every.log) calls += line.starts_with("margin") ? 1 : 0;
  EXPECT_EQ(calls, 2U);
  EXPECT_GT(deferring.monitor->quiet_marks(), static_cast<std::uint64_t>(marks));  // of 2 × marks
}

// A margin call on one short position, marked alone so that most marks fall in the quiet range of the mark
// before. Short 1 at 40,000 on a wallet of 1,000 (BTCUSDT tiers: 0.4 % to 50,000 of notional): at price P the
// maintenance margin is 0.004 P and the balance 1,000 − (P − 40,000), so the ratio 0.004 P / (41,000 − P) reaches
// the call level 0.8 at P = 32,800 / 0.804 = 40,796.02 and falls below the re-arm level 0.75 under
// P = 30,750 / 0.754 = 40,782.49. The price climbs from 40,000 to 40,900 by 0.1 a step and back, twice: two calls,
// each at the first mark at or above 40,796.1, whether or not the marks before were measured.
TEST(RiskMonitorDeferral, AShortPositionsMarginCallComesAtTheSameMarkThroughTheQuietRange) {
  const model::Instrument a = model::Instrument::create(model::test::linear_perp_spec()).value();
  MarginCallDesks desks({&a});
  Desk& every = desks.every;
  Desk& deferring = desks.deferring;
  const auto mark = [&](int tenths) {
    desks.next_minute();
    const model::Price price = model::test::px(fmt::format("{}.{}", tenths / 10, tenths % 10));
    for (Desk* d : {&every, &deferring}) ASSERT_TRUE(d->monitor->on_mark_price(a.id(), price));
  };
  mark(400'000);
  for (Desk* d : {&every, &deferring}) {
    ASSERT_TRUE(d->monitor->on_fill(model::test::make_fill(a, OrderSide::Sell, "1", "40000.0", model::test::usdt("0"), 1)));
  }
  int marks = 0;
  std::vector<std::string> first_calls;
  for (int round = 0; round < 2; ++round) {
    for (int p = 400'000; p <= 409'000; ++p, ++marks) {
      mark(p);
      ASSERT_EQ(every.log.size(), deferring.log.size()) << "at " << p << ": " << first_difference(every, deferring);
    }
    for (int p = 409'000; p >= 400'000; --p, ++marks) {
      mark(p);
      ASSERT_EQ(every.log.size(), deferring.log.size()) << "at " << p << ": " << first_difference(every, deferring);
    }
  }
  EXPECT_EQ(every.log, deferring.log);
  EXPECT_EQ(every.reading(), deferring.reading());
  std::vector<std::string> calls;
  for (const auto& line : every.log) {
    if (line.starts_with("margin")) calls.push_back(line);
  }
  ASSERT_EQ(calls.size(), 2U);
  // At 40,796.1: maintenance 0.004 × 40,796.1 = 163.1844, balance 1,000 − 796.1 = 203.9, ratio 163.1844 / 203.9 =
  // 0.800315841… → 0.80031585 (rounded up at 8 places); at 40,796.0 it is 163.184 / 204 = 0.79992157.
  EXPECT_TRUE(calls[0].starts_with("margin 0.80031585 163.18440000 203.90000000 at ")) << calls[0];
  EXPECT_TRUE(calls[1].starts_with("margin 0.80031585 163.18440000 203.90000000 at ")) << calls[1];
  // Most marks by the quiet range (not near the call, where the margin call stops deferral).
  EXPECT_GT(deferring.monitor->range_quiet_marks(), static_cast<std::uint64_t>(marks) * 3 / 4);
}

// A position whose P&L sets a new best on most marks: those marks move the position drawdown meter's best in the
// quiet range (RangeMark::NewBest) instead of being measured in full, and the drawdown must trip at the same mark.
// Long 1 BTC at 40,000 with a fee of 2,000 (the equity, 98,000 and up, stays below its peak of 100,000: a new
// equity peak would be measured in full); position drawdown 0.015 of the entry notional 40,000 = 600. The price
// climbs from 40,000 to 41,000 by 1 a minute (best P&L 1,000), falls to 40,000 (the breaker trips at the first
// P&L at or below 1,000 − 600 = 400: at 40,400.0, drawdown 600 / 40,000 = 0.015), climbs to 41,500 (above 40,400
// the breaker re-arms, its 20-minute cool-down from the trip long over; new bests from 41,001, up to 1,500) and
// falls again (trips at 1,500 − 600 = 900: at 40,900.0).
TEST(RiskMonitorDeferral, NewBestPnlMarksMoveTheDrawdownMeterAndItTripsAtTheSameMark) {
  const model::Instrument a = model::Instrument::create(model::test::linear_perp_spec()).value();
  RiskConfig config;
  config.circuit_breakers = {breaker("position-dd", BreakerCondition::PositionDrawdown, "0.015", BreakerAction::Alert)};
  const core::UnixNanos start = core::UnixNanos::from_seconds(1'704'067'200);
  Desk every(false, false, "100000", {&a}, start, config);
  Desk deferring(true, false, "100000", {&a}, start, config);
  std::int64_t now = start.value;
  const auto mark = [&](int price) {
    now += 60 * core::kNanosPerSecond;
    for (Desk* d : {&every, &deferring}) {
      d->clock.set_time(core::UnixNanos(now));
      ASSERT_TRUE(d->monitor->on_mark_price(a.id(), model::test::px(fmt::format("{}.0", price))));
    }
  };
  mark(40000);
  for (Desk* d : {&every, &deferring}) {
    ASSERT_TRUE(d->monitor->on_fill(model::test::make_fill(a, OrderSide::Buy, "1", "40000.0", model::test::usdt("2000"), 1)));
  }
  int marks = 0;
  const auto walk = [&](int from, int to) {
    const int step = from < to ? 1 : -1;
    for (int p = from; p != to + step; p += step, ++marks) {
      mark(p);
      ASSERT_EQ(every.log.size(), deferring.log.size()) << "at " << p << ": " << first_difference(every, deferring);
    }
  };
  walk(40001, 41000);
  walk(40999, 40000);
  walk(40001, 41500);
  walk(41499, 40000);
  EXPECT_EQ(every.log, deferring.log);
  EXPECT_EQ(every.reading(), deferring.reading());
  std::vector<std::string> trips;
  for (const auto& line : every.log) {
    if (line.starts_with("breaker 0 ")) trips.push_back(line);  // BreakerEventKind::Triggered
  }
  ASSERT_EQ(trips.size(), 2U) << fmt::format("{}", fmt::join(every.log, "\n"));
  // Marks at 40,400.0 and 40,900.0, the 600th of each fall.
  const std::int64_t first_fall = start.value + 60 * core::kNanosPerSecond * (1 + 1000 + 600);
  const std::int64_t second_fall = first_fall + 60 * core::kNanosPerSecond * (400 + 1500 + 600);
  const auto trip = [](std::int64_t at) {
    return fmt::format("breaker 0 position-dd BTCUSDT-PERP.BINANCE value=0.015000000000 state=1 trading=0 at {}", at);
  };
  EXPECT_EQ(trips[0], trip(first_fall));
  EXPECT_EQ(trips[1], trip(second_fall));
  // Nearly all of the 1,500 marks at a new best (1,000 on the first climb, 500 above 41,000 on the second) went
  // without a measurement in full (the first after the fill cannot).
  EXPECT_GT(deferring.monitor->new_best_marks(), 1490U);
  EXPECT_EQ(every.monitor->new_best_marks(), 0U);
}

}  // namespace
}  // namespace ballast::risk
