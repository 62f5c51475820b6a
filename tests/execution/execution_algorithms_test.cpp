#include "ballast/execution/participation_algorithms.hpp"
#include "ballast/execution/schedule_algorithms.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

namespace ballast::execution {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;

constexpr std::int64_t kMinute = 60'000'000'000;
constexpr std::int64_t kHour = 60 * kMinute;

ParentOrder parent(std::string_view quantity, std::int64_t minutes, const model::Instrument& instrument) {
  ParentOrder p;
  p.id = core::ClientOrderId("P1");
  p.strategy_id = core::StrategyId("S");
  p.account_id = core::AccountId("A");
  p.instrument_id = instrument.id();
  p.side = OrderSide::Buy;
  p.quantity = qty(quantity);
  p.start = core::UnixNanos(0);
  p.end = core::UnixNanos(minutes * kMinute);
  return p;
}

MarketState market(std::int64_t at_ns, std::string_view bid = "49999.9", std::string_view ask = "50000.1",
                   std::string_view volume = "0") {
  MarketState m;
  m.now = core::UnixNanos(at_ns);
  m.best_bid = px(bid);
  m.best_ask = px(ask);
  m.volume = dec(volume);
  return m;
}

model::Fill fill_of(const AlgoAction& action, std::string_view quantity, std::string_view price) {
  model::Fill f;
  f.client_order_id = action.child.client_order_id;
  f.instrument_id = action.child.instrument_id;
  f.side = action.child.side;
  f.last_qty = qty(quantity);
  f.last_px = px(price);
  f.commission = usdt("0.1");
  return f;
}

TEST(Twap, SplitsTheParentIntoEqualSlicesPricedAtTheNearTouch) {
  const auto instrument = model::test::linear_perp();
  TwapConfig config;
  config.slices = 4;
  auto algo = TwapAlgorithm::create(parent("1", 4, instrument), instrument, config).value();
  ASSERT_EQ(algo->schedule().size(), 4u);
  EXPECT_EQ(algo->schedule()[2].start, core::UnixNanos(2 * kMinute));
  for (int k = 0; k < 4; ++k) {
    const auto actions = algo->update(market(k * kMinute));
    ASSERT_FALSE(actions.empty()) << "slice " << k;
    const AlgoAction& child = actions.back();
    ASSERT_EQ(child.kind, AlgoAction::Kind::Submit);
    EXPECT_EQ(child.child.quantity, qty("0.25"));
    EXPECT_EQ(*child.child.price, px("49999.9"));  // passive: join the bid
    EXPECT_EQ(child.child.time_in_force, model::TimeInForce::Gtc);
    algo->on_child_fill(fill_of(child, "0.25", "49999.9"));
    // Q·(k+1)/4 scheduled by slice k.
    EXPECT_EQ(algo->progress().scheduled, dec("0.25").mul(core::Decimal::from_int(k + 1), 8));
  }
  EXPECT_TRUE(algo->done());
  EXPECT_EQ(algo->progress().children, 4);
  EXPECT_EQ(algo->progress().fees, dec("0.4"));
}

TEST(Twap, CancelsAndRepricesUnfilledChildrenAtEachSliceAndNeverOverPlaces) {
  const auto instrument = model::test::linear_perp();
  TwapConfig config;
  config.slices = 2;
  auto algo = TwapAlgorithm::create(parent("1", 2, instrument), instrument, config).value();
  const auto first = algo->update(market(0));
  ASSERT_EQ(first.size(), 1u);
  const auto second = algo->update(market(kMinute, "50010.0", "50010.2"));
  // Cancel the first child, then place only what is not already working: 1.0 − 0.5 working = 0.5.
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].kind, AlgoAction::Kind::Cancel);
  EXPECT_EQ(second[0].cancel_id, first[0].child.client_order_id);
  EXPECT_EQ(second[1].child.quantity, qty("0.5"));
  EXPECT_EQ(*second[1].child.price, px("50010.0"));
  // The canceled child had filled 0.2 before the cancel landed.
  algo->on_child_fill(fill_of(first[0], "0.2", "49999.9"));
  algo->on_child_closed(first[0].child.client_order_id);
  const auto top_up = algo->update(market(kMinute + 1000, "50010.0", "50010.2"));
  ASSERT_EQ(top_up.size(), 1u);
  EXPECT_EQ(top_up[0].child.quantity, qty("0.3"));  // 1 − 0.2 filled − 0.5 working
  EXPECT_LE(algo->progress().filled + algo->progress().working, dec("1"));
}

TEST(Twap, CatchesUpAggressivelyAtTheEndWithinTheProtectionPrice) {
  const auto instrument = model::test::linear_perp();
  TwapConfig config;
  config.slices = 1;
  auto p = parent("1", 1, instrument);
  p.max_deviation_bps = dec("10");  // arrival mid 50,000.0 → never above 50,050.0
  auto algo = TwapAlgorithm::create(p, instrument, config).value();
  const auto first = algo->update(market(0));
  ASSERT_EQ(first.size(), 1u);
  const auto end = algo->update(market(kMinute, "50099.9", "50100.1"));
  ASSERT_EQ(end.size(), 1u);  // cancel; the catch-up waits for the cancel to be confirmed
  EXPECT_EQ(end[0].kind, AlgoAction::Kind::Cancel);
  algo->on_child_closed(first[0].child.client_order_id);
  const auto catch_up = algo->update(market(kMinute + 1, "50099.9", "50100.1"));
  ASSERT_EQ(catch_up.size(), 1u);
  EXPECT_EQ(catch_up[0].child.time_in_force, model::TimeInForce::Ioc);
  EXPECT_EQ(catch_up[0].child.quantity, qty("1"));
  // Aggressive would be 50,100.1 × 1.0005 → 50,125.2; the protection price 50,050.0 caps it.
  EXPECT_EQ(*catch_up[0].child.price, px("50050.0"));
  algo->on_child_closed(catch_up[0].child.client_order_id);  // expired unfilled
  EXPECT_TRUE(algo->update(market(kMinute + 2)).empty());
  EXPECT_TRUE(algo->done());
  EXPECT_EQ(algo->progress().residual, dec("1"));
}

TEST(Twap, RandomisedScheduleIsReproducibleOrderedAndSumsToOne) {
  const auto instrument = model::test::linear_perp();
  TwapConfig config;
  config.slices = 20;
  config.size_randomisation = 0.3;
  config.timing_randomisation = 0.5;
  config.seed = 7;
  const auto a = TwapAlgorithm::create(parent("1", 60, instrument), instrument, config).value();
  const auto b = TwapAlgorithm::create(parent("1", 60, instrument), instrument, config).value();
  double total = 0.0;
  for (std::size_t k = 0; k < a->schedule().size(); ++k) {
    EXPECT_EQ(a->schedule()[k].start, b->schedule()[k].start);
    EXPECT_EQ(a->schedule()[k].weight, b->schedule()[k].weight);
    EXPECT_GE(a->schedule()[k].weight, 0.7 / 1.3 / 20.0);
    if (k > 0) {
      EXPECT_LE(a->schedule()[k - 1].start, a->schedule()[k].start);
    }
    EXPECT_LT(a->schedule()[k].start, core::UnixNanos(60 * kMinute));
    total += a->schedule()[k].weight;
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_EQ(a->schedule()[0].start, core::UnixNanos(0));
}

TEST(Vwap, SizesSlicesByTheVolumeProfile) {
  const auto instrument = model::test::linear_perp();
  std::array<double, 24> hourly{};
  hourly.fill(1.0);
  hourly[1] = 3.0;  // hour 01 trades three times hour 00
  VwapConfig config;
  config.slices = 2;
  config.profile = data::IntradayVolumeProfile::from_hourly(hourly).value();
  auto p = parent("1", 120, instrument);
  auto algo = VwapAlgorithm::create(p, instrument, config).value();
  ASSERT_EQ(algo->schedule().size(), 2u);
  EXPECT_NEAR(algo->schedule()[0].weight, 0.25, 1e-12);
  EXPECT_NEAR(algo->schedule()[1].weight, 0.75, 1e-12);
  const auto first = algo->update(market(0));
  EXPECT_EQ(first.back().child.quantity, qty("0.25"));
}

TEST(Vwap, SpreadsAShortfallOverTheRemainingSlices) {
  const auto instrument = model::test::linear_perp();
  VwapConfig config;
  config.slices = 3;
  config.profile = data::IntradayVolumeProfile::flat();
  auto algo = VwapAlgorithm::create(parent("0.9", 180, instrument), instrument, config).value();
  const auto first = algo->update(market(0));
  EXPECT_EQ(first.back().child.quantity, qty("0.3"));
  algo->on_child_closed(first.back().child.client_order_id);  // nothing filled
  const auto second = algo->update(market(60 * kMinute));
  // 0.9 left over two equal slices: 0.45 now (a TWAP would want 0.6 by now).
  EXPECT_EQ(second.back().child.quantity, qty("0.45"));
}

TEST(Vwap, CapsChildrenAtTheParticipationOfObservedVolume) {
  const auto instrument = model::test::linear_perp();
  VwapConfig config;
  config.slices = 2;
  config.profile = data::IntradayVolumeProfile::flat();
  config.max_participation = 0.1;
  auto algo = VwapAlgorithm::create(parent("1", 120, instrument), instrument, config).value();
  const auto first = algo->update(market(0));
  algo->on_child_closed(first.back().child.client_order_id);
  // Still in slice 1 (no volume seen before it, so no cap yet): the unfilled half is sent again.
  const auto again = algo->update(market(30 * kMinute, "49999.9", "50000.1", "2"));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].child.quantity, qty("0.5"));
  // Slice 2: 2 units traded in slice 1 → at most 10 % × 2 = 0.2 this slice (the 0.5 child is canceled).
  const auto second = algo->update(market(60 * kMinute));
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(second.back().child.quantity, qty("0.2"));
}

TEST(Pov, FollowsTheObservedVolumeAtItsRate) {
  const auto instrument = model::test::linear_perp();
  PovConfig config;
  config.rate = 0.1;
  auto algo = PovAlgorithm::create(parent("1", 60, instrument), instrument, config).value();
  auto a = algo->update(market(0, "49999.9", "50000.1", "2"));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].child.quantity, qty("0.2"));
  algo->on_child_fill(fill_of(a[0], "0.2", "49999.9"));
  auto b = algo->update(market(kMinute, "49999.9", "50000.1", "3"));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].child.quantity, qty("0.3"));  // 10 % of 5 = 0.5, 0.2 done
}

TEST(Iceberg, ShowsOnlyTheDisplayQuantityAndRefillsAfterEachFill) {
  const auto instrument = model::test::linear_perp();
  auto p = parent("0.25", 60, instrument);
  p.limit_price = px("49990.0");
  IcebergConfig config;
  config.display_quantity = qty("0.1");
  auto algo = IcebergAlgorithm::create(p, instrument, config).value();
  std::vector<std::string> shown;
  for (int i = 0; i < 3; ++i) {
    const auto actions = algo->update(market(i * kMinute));
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(*actions[0].child.price, px("49990.0"));
    shown.push_back(actions[0].child.quantity.to_string());
    EXPECT_TRUE(algo->update(market(i * kMinute + 1)).empty());  // nothing new while one is showing
    algo->on_child_fill(fill_of(actions[0], actions[0].child.quantity.to_string(), "49990.0"));
  }
  EXPECT_EQ(shown, (std::vector<std::string>{"0.100", "0.100", "0.050"}));
  EXPECT_TRUE(algo->done());
}

TEST(Iceberg, NeedsALimitPrice) {
  const auto instrument = model::test::linear_perp();
  IcebergConfig config;
  config.display_quantity = qty("0.1");
  EXPECT_FALSE(IcebergAlgorithm::create(parent("1", 60, instrument), instrument, config));
}

TEST(ExecutionAlgorithm, RefusesAParentOffTheStep) {
  const auto instrument = model::test::linear_perp();
  EXPECT_FALSE(TwapAlgorithm::create(parent("0.0005", 60, instrument), instrument, TwapConfig{}));
}

}  // namespace
}  // namespace ballast::execution
