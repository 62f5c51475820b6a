#include "ballast/risk/sizing_reason.hpp"

#include <gtest/gtest.h>

namespace ballast::risk {
namespace {

TEST(SizingReason, EveryCodeRoundTrips) {
  for (SizingReason r : {SizingReason::ClippedToMaxQuantity, SizingReason::ClippedToInstrumentMaxQuantity,
                         SizingReason::ClippedToMaxNotional, SizingReason::BelowMinQuantity,
                         SizingReason::BelowMinNotional, SizingReason::NegativeEdge, SizingReason::KellyFractionCapped,
                         SizingReason::ScaledForCorrelation, SizingReason::ZeroTarget}) {
    EXPECT_EQ(parse_sizing_reason(to_string(r)).value(), r) << to_string(r);
  }
  EXPECT_EQ(to_string(SizingReason::NegativeEdge), "NEGATIVE_EDGE");
  EXPECT_EQ(to_string(SizingReason::BelowMinNotional), "BELOW_MIN_NOTIONAL");
}

TEST(SizingReason, ParseNamesTheAllowedCodesOnAnUnknownOne) {
  auto r = parse_sizing_reason("TOO_BIG");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("CLIPPED_TO_MAX_NOTIONAL"), std::string::npos);
}

TEST(SizingReason, SeparatesLimitReasonsFromRuleReasons) {
  EXPECT_TRUE(is_limit_reason(SizingReason::ClippedToMaxNotional));
  EXPECT_TRUE(is_limit_reason(SizingReason::BelowMinQuantity));
  EXPECT_FALSE(is_limit_reason(SizingReason::NegativeEdge));
  EXPECT_FALSE(is_limit_reason(SizingReason::ScaledForCorrelation));
}

}  // namespace
}  // namespace ballast::risk
