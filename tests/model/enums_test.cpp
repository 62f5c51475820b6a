// Every model enum's stable code is part of the file/API contract, so the expected strings are written
// out here rather than read from the implementation's tables.

#include "ballast/model/enums.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ballast::model {
namespace {

template <class E>
using Codes = std::vector<std::pair<E, std::string_view>>;

// Checks to_string and parse<E> both ways for every listed enumerator, and that the list is complete
// (the enums are dense from 0, so the last enumerator's value + 1 is the count).
template <class E>
void expect_round_trip(const Codes<E>& codes, E last) {
  ASSERT_EQ(codes.size(), static_cast<std::size_t>(last) + 1) << "list every enumerator";
  for (const auto& [value, code] : codes) {
    EXPECT_EQ(to_string(value), code);
    auto parsed = parse<E>(code);
    ASSERT_TRUE(parsed.has_value()) << code;
    EXPECT_EQ(*parsed, value) << code;
    EXPECT_EQ(parse<E>(to_string(value)).value(), value) << code;
  }
}

TEST(Enums, OrderSideRoundTrips) {
  expect_round_trip<OrderSide>({{OrderSide::Buy, "BUY"}, {OrderSide::Sell, "SELL"}}, OrderSide::Sell);
}

TEST(Enums, OrderTypeRoundTrips) {
  expect_round_trip<OrderType>({{OrderType::Market, "MARKET"},
                                {OrderType::Limit, "LIMIT"},
                                {OrderType::StopMarket, "STOP_MARKET"},
                                {OrderType::StopLimit, "STOP_LIMIT"},
                                {OrderType::TakeProfit, "TAKE_PROFIT"}},
                               OrderType::TakeProfit);
}

TEST(Enums, TimeInForceRoundTrips) {
  expect_round_trip<TimeInForce>(
      {{TimeInForce::Gtc, "GTC"}, {TimeInForce::Ioc, "IOC"}, {TimeInForce::Fok, "FOK"}, {TimeInForce::Gtd, "GTD"}},
      TimeInForce::Gtd);
}

TEST(Enums, OrderStatusRoundTrips) {
  expect_round_trip<OrderStatus>({{OrderStatus::Initialized, "INITIALIZED"},
                                  {OrderStatus::Submitted, "SUBMITTED"},
                                  {OrderStatus::Accepted, "ACCEPTED"},
                                  {OrderStatus::PartiallyFilled, "PARTIALLY_FILLED"},
                                  {OrderStatus::Filled, "FILLED"},
                                  {OrderStatus::Denied, "DENIED"},
                                  {OrderStatus::Rejected, "REJECTED"},
                                  {OrderStatus::Canceled, "CANCELED"},
                                  {OrderStatus::Expired, "EXPIRED"},
                                  {OrderStatus::PendingCancel, "PENDING_CANCEL"},
                                  {OrderStatus::PendingUpdate, "PENDING_UPDATE"}},
                                 OrderStatus::PendingUpdate);
}

TEST(Enums, PositionSideRoundTrips) {
  expect_round_trip<PositionSide>(
      {{PositionSide::Flat, "FLAT"}, {PositionSide::Long, "LONG"}, {PositionSide::Short, "SHORT"}},
      PositionSide::Short);
}

TEST(Enums, AggressorSideRoundTrips) {
  expect_round_trip<AggressorSide>({{AggressorSide::NoAggressor, "NO_AGGRESSOR"},
                                    {AggressorSide::Buyer, "BUYER"},
                                    {AggressorSide::Seller, "SELLER"}},
                                   AggressorSide::Seller);
}

TEST(Enums, LiquiditySideRoundTrips) {
  expect_round_trip<LiquiditySide>({{LiquiditySide::Maker, "MAKER"}, {LiquiditySide::Taker, "TAKER"}},
                                   LiquiditySide::Taker);
}

TEST(Enums, MarginModeRoundTrips) {
  expect_round_trip<MarginMode>({{MarginMode::Cross, "CROSS"}, {MarginMode::Isolated, "ISOLATED"}},
                                MarginMode::Isolated);
}

TEST(Enums, InstrumentKindRoundTrips) {
  expect_round_trip<InstrumentKind>({{InstrumentKind::Spot, "SPOT"},
                                     {InstrumentKind::Perpetual, "PERPETUAL"},
                                     {InstrumentKind::DatedFuture, "DATED_FUTURE"},
                                     {InstrumentKind::Equity, "EQUITY"}},
                                    InstrumentKind::Equity);
}

TEST(Enums, ParseErrorNamesTheTypeAndListsAllowedValues) {
  auto side = parse<OrderSide>("HOLD");
  ASSERT_FALSE(side.has_value());
  EXPECT_EQ(side.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(side.error().message(), "OrderSide 'HOLD' is not one of BUY, SELL");

  auto tif = parse<TimeInForce>("DAY");
  ASSERT_FALSE(tif.has_value());
  EXPECT_EQ(tif.error().message(), "TimeInForce 'DAY' is not one of GTC, IOC, FOK, GTD");

  auto status = parse<OrderStatus>("");
  ASSERT_FALSE(status.has_value());
  const std::string& msg = status.error().message();
  for (std::string_view code : {"INITIALIZED", "PARTIALLY_FILLED", "PENDING_CANCEL", "PENDING_UPDATE"}) {
    EXPECT_NE(msg.find(code), std::string::npos) << msg;
  }
}

TEST(Enums, ParseIsCaseSensitiveAndExact) {
  EXPECT_FALSE(parse<OrderSide>("buy").has_value());
  EXPECT_FALSE(parse<OrderSide>("Buy").has_value());
  EXPECT_FALSE(parse<OrderSide>(" BUY").has_value());
  EXPECT_FALSE(parse<OrderType>("STOP-LIMIT").has_value());
  // A code of one enum is not accepted by another.
  EXPECT_FALSE(parse<OrderSide>("LONG").has_value());
  EXPECT_FALSE(parse<PositionSide>("BUY").has_value());
}

TEST(Enums, ToStringIsUsableAtCompileTime) {
  static_assert(to_string(OrderSide::Buy) == "BUY");
  static_assert(to_string(InstrumentKind::DatedFuture) == "DATED_FUTURE");
  SUCCEED();
}

TEST(Enums, OppositeSwapsBuyAndSell) {
  EXPECT_EQ(opposite(OrderSide::Buy), OrderSide::Sell);
  EXPECT_EQ(opposite(OrderSide::Sell), OrderSide::Buy);
  static_assert(opposite(opposite(OrderSide::Buy)) == OrderSide::Buy);
}

}  // namespace
}  // namespace ballast::model
