#include "ballast/risk/risk_types.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace ballast::risk {
namespace {

using model::test::dec;

// Every enumerator of E (0 … count−1) maps to a distinct UPPER_SNAKE code that parses back to it.
template <class E>
void expect_round_trip(int count) {
  std::set<std::string> seen;
  for (int i = 0; i < count; ++i) {
    const auto v = static_cast<E>(i);
    const std::string code(to_string(v));
    EXPECT_NE(code, "UNKNOWN") << i;
    EXPECT_TRUE(seen.insert(code).second) << code << " appears twice";
    for (char c : code) EXPECT_TRUE((c >= 'A' && c <= 'Z') || c == '_') << code;
    auto back = parse<E>(code);
    ASSERT_TRUE(back.has_value()) << code;
    EXPECT_EQ(*back, v) << code;
  }
}

TEST(RiskTypes, EveryEnumRoundTripsThroughItsStableCode) {
  expect_round_trip<TradingState>(3);
  expect_round_trip<RiskCheck>(static_cast<int>(kRiskCheckCount));
  expect_round_trip<DenyReason>(static_cast<int>(DenyReason::OutsideTradingHours) + 1);
  expect_round_trip<Verdict>(3);
  expect_round_trip<CheckStatus>(5);
}

TEST(RiskTypes, WarningsRoundTripByTheirBitValues) {
  for (RiskWarning w : {RiskWarning::OrderRateAboveNorm, RiskWarning::NearLimit}) {
    EXPECT_EQ(parse<RiskWarning>(to_string(w)).value(), w);
  }
  EXPECT_EQ(to_string(RiskWarning::OrderRateAboveNorm), "ORDER_RATE_ABOVE_NORM");
}

TEST(RiskTypes, KeepsTheDocumentedCodesStable) {
  EXPECT_EQ(to_string(DenyReason::NotionalExceedsMaxPerOrder), "NOTIONAL_EXCEEDS_MAX_PER_ORDER");
  EXPECT_EQ(to_string(DenyReason::LeverageExceedsTierMax), "LEVERAGE_EXCEEDS_TIER_MAX");
  EXPECT_EQ(to_string(DenyReason::PostOnlyWouldTake), "POST_ONLY_WOULD_TAKE");
  EXPECT_EQ(to_string(TradingState::Halted), "HALTED");
  EXPECT_EQ(to_string(RiskCheck::PortfolioVar), "PORTFOLIO_VAR");
  EXPECT_EQ(to_string(Verdict::ApprovedReduced), "APPROVED_REDUCED");
}

TEST(RiskTypes, ParseErrorNamesTheTypeAndListsTheValidCodes) {
  const auto r = parse<TradingState>("PAUSED");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_NE(r.error().message().find("TradingState 'PAUSED'"), std::string::npos);
  EXPECT_NE(r.error().message().find("ACTIVE, REDUCING, HALTED"), std::string::npos);
  EXPECT_FALSE(parse<DenyReason>("notional_exceeds_max_per_order").has_value());  // codes are case-sensitive
}

TEST(RiskTypes, MessageStatesReasonLimitAndValueWithTheirLabels) {
  RiskDecision d;
  d.verdict = Verdict::Denied;
  d.reason = DenyReason::NotionalExceedsMaxPerOrder;
  d.check = RiskCheck::MaxOrderNotional;
  d.limit = dec("10000.00");
  d.value = dec("12500.50");
  EXPECT_EQ(d.message(), "NOTIONAL_EXCEEDS_MAX_PER_ORDER: max=10000, notional=12500.5");
  EXPECT_FALSE(d.approved());

  d.reason = DenyReason::TradingHalted;
  EXPECT_EQ(d.message(), "TRADING_HALTED");

  d.reason = DenyReason::InvalidQuantity;
  d.value = dec("0");
  EXPECT_EQ(d.message(), "INVALID_QUANTITY: quantity=0");

  RiskDecision reduced;
  reduced.verdict = Verdict::ApprovedReduced;
  reduced.reason = DenyReason::PositionQuantityExceedsMax;
  reduced.limit = dec("3");
  reduced.value = dec("3.5");
  reduced.quantity = model::test::qty("1.500");
  EXPECT_EQ(reduced.message(), "APPROVED_REDUCED quantity=1.5 (POSITION_QUANTITY_EXCEEDS_MAX: max=3, position=3.5)");
  EXPECT_TRUE(reduced.approved());
  EXPECT_EQ(RiskDecision{}.message(), "APPROVED");
}

TEST(RiskTypes, LabelsNameTheNumbersOfEachReason) {
  EXPECT_EQ(labels_of(DenyReason::InsufficientMargin).limit, "available");
  EXPECT_EQ(labels_of(DenyReason::InsufficientMargin).value, "required");
  EXPECT_EQ(labels_of(DenyReason::PriceOutsideCollar).value, "deviation_bps");
  EXPECT_TRUE(labels_of(DenyReason::None).limit.empty());
}

TEST(RiskTypes, WarningBitsAreReadFromTheDecision) {
  RiskDecision d;
  d.warnings = static_cast<std::uint32_t>(RiskWarning::NearLimit);
  EXPECT_TRUE(d.has_warning(RiskWarning::NearLimit));
  EXPECT_FALSE(d.has_warning(RiskWarning::OrderRateAboveNorm));
}

}  // namespace
}  // namespace ballast::risk
