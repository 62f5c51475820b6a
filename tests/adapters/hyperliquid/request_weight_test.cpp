// Request weights against the table of the docs page "Rate limits and user limits"
// (https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/rate-limits-and-user-limits), values by
// hand from it: /exchange 1 + floor(batch/40) ("a batched order request of length 79 has weight 2"), /info
// 2 / 60 / 20, plus one per 20 (or, candleSnapshot, 60) items returned.
#include "ballast/adapters/hyperliquid/request_weight.hpp"

#include "ballast/adapters/hyperliquid/actions.hpp"

#include <gtest/gtest.h>

namespace ballast::adapters::hyperliquid {
namespace {

WireValue orders(std::size_t n) {
  std::vector<OrderRequest> list;
  for (std::size_t i = 0; i < n; ++i) {
    OrderRequest o;
    o.asset = AssetSpec{0, 3, MarketKind::Perp};
    o.limit_px = *core::Decimal::parse("100");
    o.size = *core::Decimal::parse("0.001");
    list.push_back(o);
  }
  return *order_action(list);
}

WireValue cancels(std::size_t n) {
  std::vector<CancelRequest> list;
  for (std::size_t i = 0; i < n; ++i) list.push_back(CancelRequest{0, 1000 + i});
  return cancel_action(list);
}

TEST(RequestWeight, WeighsInfoRequestsByTheirType) {
  for (const char* light :
       {"l2Book", "allMids", "clearinghouseState", "orderStatus", "spotClearinghouseState", "exchangeStatus"}) {
    EXPECT_EQ(info_request_weight(light), 2) << light;
  }
  EXPECT_EQ(info_request_weight("userRole"), 60);
  for (const char* other : {"meta", "openOrders", "frontendOpenOrders", "userFills", "userFillsByTime",
                            "candleSnapshot", "metaAndAssetCtxs"}) {
    EXPECT_EQ(info_request_weight(other), 20) << other;
  }
}

TEST(RequestWeight, AddsOnePerTwentyOrSixtyItemsReturned) {
  EXPECT_EQ(info_item_weight("userFills", 19), 0);
  EXPECT_EQ(info_item_weight("userFills", 20), 1);
  EXPECT_EQ(info_item_weight("userFillsByTime", 45), 2);
  EXPECT_EQ(info_item_weight("recentTrades", 2000), 100);
  EXPECT_EQ(info_item_weight("validatorStats", 40), 2);
  EXPECT_EQ(info_item_weight("candleSnapshot", 59), 0);
  EXPECT_EQ(info_item_weight("candleSnapshot", 130), 2);
  EXPECT_EQ(info_item_weight("candleSnapshot", 5000), 83);
  EXPECT_EQ(info_item_weight("openOrders", 500), 0);  // not in the docs' per-item list
  EXPECT_EQ(info_item_weight("l2Book", 100), 0);
  EXPECT_EQ(info_items_per_weight("historicalOrders"), 20U);
  EXPECT_EQ(info_items_per_weight("candleSnapshot"), 60U);
  EXPECT_EQ(info_items_per_weight("meta"), 0U);
}

TEST(RequestWeight, WeighsAnExchangeActionByItsBatchLength) {
  EXPECT_EQ(exchange_action_weight(orders(1)), 1);
  EXPECT_EQ(exchange_action_weight(orders(39)), 1);
  EXPECT_EQ(exchange_action_weight(orders(40)), 2);
  EXPECT_EQ(exchange_action_weight(orders(79)), 2);  // the docs' own example
  EXPECT_EQ(exchange_action_weight(orders(80)), 3);
  EXPECT_EQ(exchange_action_weight(cancels(2)), 1);
  EXPECT_EQ(exchange_action_weight(cancels(120)), 4);
  EXPECT_EQ(exchange_action_weight(schedule_cancel_action(std::nullopt)), 1);  // unbatched
  EXPECT_EQ(exchange_action_weight(update_leverage_action(1, true, 10)), 1);
}

TEST(RequestWeight, CountsTheElementsOfAJsonArrayAnswer) {
  EXPECT_EQ(top_level_array_size("[]"), 0U);
  EXPECT_EQ(top_level_array_size(" [ ] "), 0U);
  EXPECT_EQ(top_level_array_size("[1,2,3]"), 3U);
  // Commas inside nested values and strings (with an escaped quote) are not separators.
  EXPECT_EQ(top_level_array_size(R"([{"a":[1,2],"b":"x,]\",}"},["p","q"],"s,t"])"), 3U);
  EXPECT_EQ(top_level_array_size(R"({"a":[1,2]})"), std::nullopt);
  EXPECT_EQ(top_level_array_size("[1,2"), std::nullopt);
  EXPECT_EQ(top_level_array_size(""), std::nullopt);
}

}  // namespace
}  // namespace ballast::adapters::hyperliquid
