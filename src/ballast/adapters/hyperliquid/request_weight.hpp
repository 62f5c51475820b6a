#pragma once
// The request weights Hyperliquid charges against its REST limit, from the docs page "Rate limits and user
// limits" (https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/rate-limits-and-user-limits,
// read 2026-11): per IP, REST requests share an aggregated weight of 1200 per minute.
//  - /exchange: 1 + floor(batch_length / 40), batch_length = the length of the action's array (the orders of
//    an "order", the cancels of a "cancel"/"cancelByCloid", the modifies of a "batchModify"); an unbatched
//    action weighs 1, a batch of 79 orders 2.
//  - /info: 2 for l2Book, allMids, clearinghouseState, orderStatus, spotClearinghouseState, exchangeStatus;
//    60 for userRole; 20 for every other request. On top of that some requests cost more with the size of
//    their answer: recentTrades, historicalOrders, userFills, userFillsByTime, fundingHistory, userFunding,
//    nonUserFundingUpdates, twapHistory, userTwapSliceFills, userTwapSliceFillsByTime, delegatorHistory,
//    delegatorRewards, validatorStats one per 20 items returned, candleSnapshot one per 60 items. The docs
//    say "per 20 items" without a rounding rule; whole groups are counted (floor), so 19 items add nothing.
// Weights are plain integers (units of the venue's budget).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ballast/adapters/hyperliquid/wire_value.hpp"

namespace ballast::adapters::hyperliquid {

inline constexpr std::int64_t kRestWeightPerMinute = 1200;

// The weight of an /info request of this "type", charged before it is sent.
std::int64_t info_request_weight(std::string_view type) noexcept;
// How many returned items add one unit of weight: 20 or 60 for the types listed above, 0 (never) for the others.
std::size_t info_items_per_weight(std::string_view type) noexcept;
// The weight added after the answer arrives: floor(items / info_items_per_weight(type)), 0 for other types.
std::int64_t info_item_weight(std::string_view type, std::size_t items) noexcept;
// 1 + floor(batch_length / 40) for an /exchange action (the value of the request's "action").
std::int64_t exchange_action_weight(const WireValue& action) noexcept;

// The number of elements of a JSON document that is an array ("[{…},{…}]" → 2), counted without building
// it; nullopt when the document is not an array or the array is not closed.
std::optional<std::size_t> top_level_array_size(std::string_view json) noexcept;

}  // namespace ballast::adapters::hyperliquid
