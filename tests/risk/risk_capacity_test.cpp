#include "ballast/risk/risk_capacity.hpp"

#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <memory>

namespace ballast::risk {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::px;
using model::test::qty;

const core::UnixNanos kNow = core::UnixNanos::from_seconds(1'717'243'200);  // 2024-06-01T12:00:00Z

// One BTCUSDT-like perpetual (tests/model/test_support.hpp: step 0.001, min quantity 0.001, min notional
// 100 USDT, first margin tier up to 50 000 at 125x) marked at 50 000, in a USDT book.
class CapacityTest : public ::testing::Test {
 protected:
  model::Instrument btc_ = model::test::linear_perp();

  portfolio::PortfolioBook book(std::string_view wallet, const model::Instrument* instrument = nullptr) {
    const std::array<const model::Instrument*, 1> instruments{instrument != nullptr ? instrument : &btc_};
    auto b = portfolio::PortfolioBook::create(model::Currency::USDT(), instruments, dec(wallet));
    EXPECT_TRUE(b) << b.error().to_string();
    auto book = std::move(*b);
    EXPECT_TRUE(book.set_mark(0, px("50000"), kNow));
    return book;
  }

  // Every limit off and no margin check: tests switch on the one they are about.
  static RiskConfig bare_config() {
    RiskConfig c;
    c.check_margin = false;
    return c;
  }

  static RiskEngine engine(RiskConfig config, const portfolio::PortfolioBook& b) {
    auto e = RiskEngine::create(std::move(config), b, kNow);
    EXPECT_TRUE(e) << e.error().to_string();
    return std::move(*e);
  }

  static RiskDecision evaluate(const RiskEngine& e, OrderSide side, std::string_view quantity) {
    OrderRequest r;
    r.slot = 0;
    r.side = side;
    r.type = model::OrderType::Market;
    r.quantity = qty(quantity);
    return e.evaluate(r, kNow);
  }
};

TEST_F(CapacityTest, PositionNotionalLimitBindsAfterPositionAndSameSideWorkingOrders) {
  // Long 0.1 at the mark 50 000 (notional 5 000) and a working buy of 0.05 @ 49 000 (2 450).
  // Buy side: 5 000 + 2 450 + q × 50 000 <= 20 000  →  q <= 12 550 / 50 000 = 0.251.
  auto b = book("100000");
  ASSERT_TRUE(b.set_position(0, dec("0.1"), dec("50000")));
  ASSERT_TRUE(b.add_open_order(0, OrderSide::Buy, dec("0.05"), px("49000")));
  RiskConfig config = bare_config();
  config.instrument.max_position_notional = DecimalLimit{true, dec("20000")};
  const RiskEngine e = engine(config, b);

  auto cap = capacity(e, CapacityQuery{0, OrderSide::Buy}, kNow);
  ASSERT_TRUE(cap) << cap.error().to_string();
  EXPECT_TRUE(cap->bounded);
  EXPECT_EQ(cap->max_quantity, qty("0.251"));
  EXPECT_EQ(cap->notional.amount(), dec("12550"));  // 0.251 × 50 000
  ASSERT_TRUE(cap->binding.has_value());
  EXPECT_EQ(cap->binding_quantity, qty("0.252"));
  EXPECT_EQ(cap->binding->reason, DenyReason::PositionNotionalExceedsMax);

  // Independently: the capacity passes, one step more is denied.
  EXPECT_EQ(evaluate(e, OrderSide::Buy, "0.251").verdict, Verdict::Approved);
  const RiskDecision over = evaluate(e, OrderSide::Buy, "0.252");
  EXPECT_EQ(over.verdict, Verdict::Denied);
  EXPECT_EQ(over.reason, DenyReason::PositionNotionalExceedsMax);

  // Used and left of the limit on the buy side: used 7 450, left 12 550, utilisation 0.3725.
  const auto row = std::find_if(cap->limits.begin(), cap->limits.end(),
                                [](const LimitUsage& u) { return u.check == RiskCheck::MaxPositionNotional; });
  ASSERT_NE(row, cap->limits.end());
  EXPECT_EQ(row->used, dec("7450"));
  EXPECT_EQ(row->left, dec("12550"));
  EXPECT_EQ(row->utilisation, dec("0.3725"));
  EXPECT_FALSE(row->breached);
}

TEST_F(CapacityTest, SellCapacityClosesTheLongThenFlipsUpToTheLimit) {
  // Long 0.1 (5 000): a sell reduces up to 0.1, then |−5 000 + q × 50 000| <= 20 000  →  q <= 0.5.
  auto b = book("100000");
  ASSERT_TRUE(b.set_position(0, dec("0.1"), dec("50000")));
  RiskConfig config = bare_config();
  config.instrument.max_position_notional = DecimalLimit{true, dec("20000")};
  const RiskEngine e = engine(config, b);

  auto cap = capacity(e, CapacityQuery{0, OrderSide::Sell}, kNow);
  ASSERT_TRUE(cap) << cap.error().to_string();
  EXPECT_EQ(cap->max_quantity, qty("0.5"));
  EXPECT_EQ(cap->binding_quantity, qty("0.501"));
  EXPECT_EQ(cap->binding->reason, DenyReason::PositionNotionalExceedsMax);
  EXPECT_EQ(evaluate(e, OrderSide::Sell, "0.501").verdict, Verdict::Denied);
}

TEST_F(CapacityTest, AvailableMarginBindsAtTenTimesLeverage) {
  // Wallet 1 000, leverage 10, flat: a market buy needs q × 50 000 / 10 <= 1 000  →  q <= 0.2.
  auto b = book("1000");
  ASSERT_TRUE(b.set_leverage(0, dec("10")));
  RiskConfig config = bare_config();
  config.check_margin = true;
  const RiskEngine e = engine(config, b);

  auto cap = capacity(e, CapacityQuery{0, OrderSide::Buy}, kNow);
  ASSERT_TRUE(cap) << cap.error().to_string();
  EXPECT_EQ(cap->max_quantity, qty("0.2"));
  EXPECT_EQ(cap->binding->reason, DenyReason::InsufficientMargin);
  EXPECT_EQ(evaluate(e, OrderSide::Buy, "0.2").verdict, Verdict::Approved);
  EXPECT_EQ(evaluate(e, OrderSide::Buy, "0.201").reason, DenyReason::InsufficientMargin);
  // The search is a bisection, not a scan of 200 steps.
  EXPECT_LT(cap->evaluations, 40);
}

TEST_F(CapacityTest, CapacityIsZeroWhenEvenTheMinimumOrderIsDenied) {
  // Wallet 5 at 10x: the smallest order the instrument accepts is 100 USDT / (50 000 × 0.001) = 2 steps
  // = 0.002 (notional 100), which needs 10 of margin.
  auto b = book("5");
  ASSERT_TRUE(b.set_leverage(0, dec("10")));
  RiskConfig config = bare_config();
  config.check_margin = true;
  const RiskEngine e = engine(config, b);

  auto cap = capacity(e, CapacityQuery{0, OrderSide::Buy}, kNow);
  ASSERT_TRUE(cap) << cap.error().to_string();
  EXPECT_TRUE(cap->max_quantity.is_zero());
  EXPECT_EQ(cap->binding_quantity, qty("0.002"));
  EXPECT_EQ(cap->binding->reason, DenyReason::InsufficientMargin);
}

TEST_F(CapacityTest, InstrumentMaxQuantityBindsWhenNoLimitIsConfigured) {
  // The reference perpetual's max quantity is 1 000; the engine enforces it as a per-order limit.
  const auto b = book("100000");
  const RiskEngine e = engine(bare_config(), b);
  auto cap = capacity(e, CapacityQuery{0, OrderSide::Buy}, kNow);
  ASSERT_TRUE(cap) << cap.error().to_string();
  EXPECT_TRUE(cap->bounded);
  EXPECT_EQ(cap->max_quantity, qty("1000"));
  EXPECT_EQ(cap->binding_quantity, qty("1000.001"));
  EXPECT_EQ(cap->binding->reason, DenyReason::QuantityExceedsMaxPerOrder);
}

TEST_F(CapacityTest, WithoutAnyLimitTheSearchStopsAtItsCeilingAndSaysSo) {
  // No instrument max quantity and no limit: the ceiling is 1 000 000 000 / 50 000 = 20 000 BTC.
  model::InstrumentSpec spec = model::test::linear_perp_spec();
  spec.max_quantity = std::nullopt;
  const model::Instrument unbounded = model::Instrument::create(spec).value();
  const auto b = book("100000", &unbounded);
  const RiskEngine e = engine(bare_config(), b);
  auto cap = capacity(e, CapacityQuery{0, OrderSide::Buy}, kNow);
  ASSERT_TRUE(cap) << cap.error().to_string();
  EXPECT_FALSE(cap->bounded);
  EXPECT_EQ(cap->max_quantity, qty("20000"));
  EXPECT_FALSE(cap->binding.has_value());
}

TEST_F(CapacityTest, LimitOrderWithoutPriceIsRejected) {
  const auto b = book("100000");
  const RiskEngine e = engine(bare_config(), b);
  CapacityQuery q{0, OrderSide::Buy, model::OrderType::Limit};
  auto cap = capacity(e, q, kNow);
  ASSERT_FALSE(cap);
  EXPECT_EQ(cap.error().where(), "price");
}

class AssessmentTest : public CapacityTest {
 protected:
  // Long `quantity` BTC at 50 000 with gross exposure limit 25 000 (warning at the default 80 %).
  RiskAssessment assess_with_long(std::string_view quantity, TradingState state = TradingState::Active) {
    book_ = std::make_unique<portfolio::PortfolioBook>(book("100000"));
    EXPECT_TRUE(book_->set_position(0, dec(quantity), dec("50000")));
    RiskConfig config = bare_config();
    config.max_gross_exposure = DecimalLimit{true, dec("25000")};
    engine_ = std::make_unique<RiskEngine>(engine(config, *book_));
    engine_->set_trading_state(state);
    auto a = assess(*engine_, kNow);
    EXPECT_TRUE(a) << a.error().to_string();
    return *a;
  }

  std::unique_ptr<portfolio::PortfolioBook> book_;
  std::unique_ptr<RiskEngine> engine_;
};

TEST_F(AssessmentTest, LowWhenEveryLimitIsBelowHalf) {
  // 0.2 × 50 000 = 10 000 of 25 000 = 40 %.
  const RiskAssessment a = assess_with_long("0.2");
  EXPECT_EQ(a.level, RiskLevel::Low);
  EXPECT_TRUE(a.findings.empty());
  ASSERT_EQ(a.limits.size(), 1u);
  EXPECT_EQ(a.limits[0].utilisation, dec("0.4"));
}

TEST_F(AssessmentTest, ModerateWhenALimitIsAtLeastHalfUsed) {
  // 0.3 × 50 000 = 15 000 of 25 000 = 60 %.
  const RiskAssessment a = assess_with_long("0.3");
  EXPECT_EQ(a.level, RiskLevel::Moderate);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].reason, AssessmentReason::LimitAboveHalf);
  EXPECT_EQ(a.findings[0].check, RiskCheck::MaxGrossExposure);
}

TEST_F(AssessmentTest, HighWhenALimitIsAboveTheWarningUtilisation) {
  // 0.45 × 50 000 = 22 500 of 25 000 = 90 % >= 80 %.
  const RiskAssessment a = assess_with_long("0.45");
  EXPECT_EQ(a.level, RiskLevel::High);
  EXPECT_EQ(a.findings[0].reason, AssessmentReason::LimitNearWarning);
}

TEST_F(AssessmentTest, CriticalWhenALimitIsBreached) {
  // 0.6 × 50 000 = 30 000 > 25 000; left 0.
  const RiskAssessment a = assess_with_long("0.6");
  EXPECT_EQ(a.level, RiskLevel::Critical);
  EXPECT_EQ(a.findings[0].reason, AssessmentReason::LimitBreached);
  EXPECT_TRUE(a.limits[0].breached);
  EXPECT_EQ(a.limits[0].left, dec("0"));
  EXPECT_EQ(a.findings[0].message, "MAX_GROSS_EXPOSURE: used 30000 > limit 25000 (120% of the limit)");
}

TEST_F(AssessmentTest, CriticalWhenTradingIsHaltedEvenWithLowUsage) {
  const RiskAssessment a = assess_with_long("0.2", TradingState::Halted);
  EXPECT_EQ(a.level, RiskLevel::Critical);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].reason, AssessmentReason::TradingHalted);
}

TEST_F(AssessmentTest, CriticalOnMarginCall) {
  // Wallet 100, long 1 BTC at 50 000 and 125x: maintenance 50 000 × 0.004 = 200 against a margin balance
  // of 100 → ratio 2 >= 0.8.
  auto b = book("100");
  ASSERT_TRUE(b.set_leverage(0, dec("125")));
  ASSERT_TRUE(b.set_position(0, dec("1"), dec("50000")));
  const RiskEngine e = engine(bare_config(), b);
  auto a = assess(e, kNow);
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_EQ(a->level, RiskLevel::Critical);
  EXPECT_TRUE(a->margin_call);
  EXPECT_EQ(a->cross_margin_ratio, dec("2"));
  EXPECT_EQ(a->findings[0].reason, AssessmentReason::MarginCall);
}

TEST(RiskLevel, CodesRoundTripAndOrderBySeverity) {
  for (RiskLevel l : {RiskLevel::Low, RiskLevel::Moderate, RiskLevel::High, RiskLevel::Critical}) {
    auto parsed = parse_risk_level(to_string(l));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, l);
  }
  EXPECT_LT(RiskLevel::High, RiskLevel::Critical);
  EXPECT_FALSE(parse_risk_level("SEVERE"));
}

TEST(AssessmentReason, CodesRoundTripAndMapToTheirLevel) {
  for (AssessmentReason r :
       {AssessmentReason::LimitBreached, AssessmentReason::MarginCall, AssessmentReason::TradingHalted,
        AssessmentReason::NonPositiveEquity, AssessmentReason::LimitNearWarning, AssessmentReason::TradingReducing,
        AssessmentReason::CooldownActive, AssessmentReason::LimitAboveHalf}) {
    auto parsed = parse_assessment_reason(to_string(r));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_EQ(level_of(AssessmentReason::MarginCall), RiskLevel::Critical);
  EXPECT_EQ(level_of(AssessmentReason::CooldownActive), RiskLevel::High);
  EXPECT_EQ(level_of(AssessmentReason::LimitAboveHalf), RiskLevel::Moderate);
}

}  // namespace
}  // namespace ballast::risk
