// json_views::order_text (the order view written without a DOM) against json_views::order, the nlohmann
// view it replaces on the order path: parsed back with nlohmann, every field must be equal; and since both
// write the keys in sorted order, the text must be byte-identical to nlohmann's dump.

#include "ballast/server/internal/json_views.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ballast::server {
namespace {

namespace jv = json_views;
using Json = nlohmann::json;

core::UnixNanos at(std::int64_t seconds) { return core::UnixNanos::from_seconds(seconds); }
model::Price px(std::string_view text) { return model::Price::parse(text).value(); }
model::Quantity qty(std::string_view text) { return model::Quantity::parse(text).value(); }

model::OrderSpec spec(model::OrderType type) {
  model::OrderSpec s;
  s.client_order_id = core::ClientOrderId("O-1");
  s.strategy_id = core::StrategyId("API:admin");
  s.account_id = core::AccountId("PAPER-1");
  s.instrument_id = core::InstrumentId::parse("BTCUSDT.PAPER").value();
  s.side = model::OrderSide::Sell;
  s.type = type;
  s.quantity = qty("0.004");
  s.ts_init = at(1'700'000'000);
  return s;
}

// Field by field, so a failure names the field; then the whole document and the bytes.
void expect_same_as_nlohmann(const model::Order& order) {
  const std::string text = jv::order_text(order);
  const Json parsed = Json::parse(text);
  const Json expected = jv::order(order);
  ASSERT_TRUE(parsed.is_object()) << text;
  EXPECT_EQ(parsed.size(), expected.size()) << text;
  for (const auto& [key, value] : expected.items()) {
    ASSERT_TRUE(parsed.contains(key)) << "missing " << key << " in " << text;
    EXPECT_EQ(parsed.at(key), value) << key;
  }
  EXPECT_EQ(parsed, expected);
  EXPECT_EQ(text, expected.dump());
}

TEST(OrderText, WritesAnOrderWithoutOptionalFieldsAsTheNlohmannViewDoes) {
  const model::Order order = model::Order::create(spec(model::OrderType::Market)).value();
  expect_same_as_nlohmann(order);
  const Json parsed = Json::parse(jv::order_text(order));
  // Absent optionals are JSON null, not missing keys; the flags are booleans (docs/api.md).
  EXPECT_TRUE(parsed.at("price").is_null());
  EXPECT_TRUE(parsed.at("trigger_price").is_null());
  EXPECT_TRUE(parsed.at("avg_fill_price").is_null());
  EXPECT_TRUE(parsed.at("venue_order_id").is_null());
  EXPECT_EQ(parsed.at("reduce_only"), false);
  EXPECT_EQ(parsed.at("status"), "INITIALIZED");
  EXPECT_EQ(parsed.at("quantity"), "0.004");
  EXPECT_EQ(parsed.at("symbol"), "BTCUSDT");
  EXPECT_EQ(parsed.at("venue"), "PAPER");
  // 1 700 000 000 s after the epoch is 2023-11-14 22:13:20 UTC (date -u -d @1700000000).
  EXPECT_EQ(parsed.at("created").get<std::string>().substr(0, 19), "2023-11-14T22:13:20");
}

TEST(OrderText, WritesEveryOptionalFieldAndAReasonThatNeedsEscaping) {
  model::OrderSpec s = spec(model::OrderType::StopLimit);
  s.side = model::OrderSide::Buy;
  s.price = px("30000.5");
  s.trigger_price = px("29950");
  s.quantity = qty("0.010");
  s.reduce_only = true;
  model::Order order = model::Order::create(s).value();
  ASSERT_TRUE(order.on_submitted(at(1'700'000'001)));
  ASSERT_TRUE(order.on_accepted(core::VenueOrderId("V-77"), at(1'700'000'002)));
  model::Fill fill;
  fill.trade_id = core::TradeId("T-1");
  fill.client_order_id = order.client_order_id();
  fill.venue_order_id = core::VenueOrderId("V-77");
  fill.instrument_id = order.instrument_id();
  fill.account_id = order.account_id();
  fill.side = model::OrderSide::Buy;
  fill.last_qty = qty("0.004");
  fill.last_px = px("30000.25");
  fill.commission = model::Money::parse("0.01", model::Currency::USDT()).value();
  fill.ts_event = at(1'700'000'003);
  fill.ts_recv = at(1'700'000'003);
  ASSERT_TRUE(order.on_fill(fill));
  ASSERT_TRUE(order.on_pending_cancel(at(1'700'000'004)));
  // Quote, backslash, newline, tab, a C0 control and UTF-8 (é) in the venue's text.
  const std::string reason = "cancel refused: \"unknown\" \\ order\n\tcode \x01 é";
  ASSERT_TRUE(order.on_cancel_rejected(reason, at(1'700'000'005)));
  ASSERT_EQ(order.status_reason(), reason);

  expect_same_as_nlohmann(order);
  const Json parsed = Json::parse(jv::order_text(order));
  EXPECT_EQ(parsed.at("reason"), reason);
  EXPECT_EQ(parsed.at("price"), "30000.5");
  EXPECT_EQ(parsed.at("trigger_price"), "29950");
  EXPECT_EQ(parsed.at("venue_order_id"), "V-77");
  EXPECT_EQ(parsed.at("filled_quantity"), "0.004");
  EXPECT_EQ(parsed.at("leaves_quantity"), "0.006");  // 0.010 − 0.004
  EXPECT_EQ(parsed.at("avg_fill_price"), "30000.25");  // one fill: its price
  EXPECT_EQ(parsed.at("reduce_only"), true);
  EXPECT_EQ(parsed.at("post_only"), false);
  EXPECT_EQ(parsed.at("type"), "STOP_LIMIT");
}

TEST(OrderText, WritesAPostOnlyLimitOrder) {
  model::OrderSpec s = spec(model::OrderType::Limit);  // post_only is for LIMIT orders only
  s.price = px("90000");
  s.post_only = true;
  const model::Order order = model::Order::create(s).value();
  expect_same_as_nlohmann(order);
  const Json parsed = Json::parse(jv::order_text(order));
  EXPECT_EQ(parsed.at("post_only"), true);
  EXPECT_EQ(parsed.at("price"), "90000");
  EXPECT_TRUE(parsed.at("trigger_price").is_null());
}

TEST(OrderText, EscapesADeleteCharacterThatNlohmannWritesRaw) {
  // The one byte where the texts differ: json_escape writes DEL (0x7f) as \u007f, nlohmann raw. Both parse
  // to the same string.
  model::Order order = model::Order::create(spec(model::OrderType::Market)).value();
  ASSERT_TRUE(order.on_submitted(at(1'700'000'001)));
  ASSERT_TRUE(order.on_rejected("bad\x7f" "byte", at(1'700'000'002)));
  const std::string text = jv::order_text(order);
  EXPECT_NE(text.find("bad\\u007fbyte"), std::string::npos) << text;
  EXPECT_EQ(Json::parse(text), jv::order(order));
}

TEST(OrderText, WrapsTheOrderInTheOrdersChannelMessage) {
  const model::Order order = model::Order::create(spec(model::OrderType::Market)).value();
  const std::string text = jv::order_message_text("OrderSubmitted", jv::order_text(order));
  const Json expected{{"type", "order"}, {"event", "OrderSubmitted"}, {"data", jv::order(order)}};
  EXPECT_EQ(Json::parse(text), expected);
  EXPECT_EQ(text, expected.dump());
}

}  // namespace
}  // namespace ballast::server
