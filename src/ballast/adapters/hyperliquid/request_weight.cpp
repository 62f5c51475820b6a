#include "ballast/adapters/hyperliquid/request_weight.hpp"

#include <array>

namespace ballast::adapters::hyperliquid {
namespace {

constexpr std::array<std::string_view, 6> kLightInfo{
    "l2Book", "allMids", "clearinghouseState", "orderStatus", "spotClearinghouseState", "exchangeStatus"};
constexpr std::array<std::string_view, 13> kPer20Items{
    "recentTrades",     "historicalOrders",      "userFills",     "userFillsByTime",    "fundingHistory",
    "userFunding",      "nonUserFundingUpdates", "twapHistory",   "userTwapSliceFills", "userTwapSliceFillsByTime",
    "delegatorHistory", "delegatorRewards",      "validatorStats"};

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& names, std::string_view type) noexcept {
  for (std::string_view n : names) {
    if (n == type) return true;
  }
  return false;
}

}  // namespace

std::int64_t info_request_weight(std::string_view type) noexcept {
  if (listed(kLightInfo, type)) return 2;
  if (type == "userRole") return 60;
  return 20;
}

std::size_t info_items_per_weight(std::string_view type) noexcept {
  if (listed(kPer20Items, type)) return 20;
  if (type == "candleSnapshot") return 60;
  return 0;
}

std::int64_t info_item_weight(std::string_view type, std::size_t items) noexcept {
  const std::size_t per = info_items_per_weight(type);
  return per == 0 ? 0 : static_cast<std::int64_t>(items / per);
}

std::int64_t exchange_action_weight(const WireValue& action) noexcept {
  std::size_t batch = 0;
  if (action.kind() == WireValue::Kind::Map) {
    for (const char* field : {"orders", "cancels", "modifies"}) {
      const WireValue* list = action.find(field);
      if (list != nullptr && list->kind() == WireValue::Kind::Array) {
        batch = list->as_array().size();
        break;
      }
    }
  }
  return 1 + static_cast<std::int64_t>(batch / 40);
}

std::optional<std::size_t> top_level_array_size(std::string_view json) noexcept {
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < json.size() && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) ++i;
  };
  skip_space();
  if (i >= json.size() || json[i] != '[') return std::nullopt;
  ++i;
  skip_space();
  if (i < json.size() && json[i] == ']') return 0;
  // Commas at depth 1 separate the elements; brackets and braces inside strings do not count.
  std::size_t commas = 0;
  int depth = 1;
  bool in_string = false;
  for (; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{': ++depth; break;
      case ']':
      case '}':
        if (--depth == 0) return commas + 1;
        break;
      case ',':
        if (depth == 1) ++commas;
        break;
      default: break;
    }
  }
  return std::nullopt;
}

}  // namespace ballast::adapters::hyperliquid
