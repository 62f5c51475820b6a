#include "ballast/model/currency.hpp"

#include <fmt/format.h>

namespace ballast::model {
namespace {
struct KnownCurrency {
  std::string_view code;
  int precision;
};
constexpr std::array<KnownCurrency, 17> kKnown{{{"USD", 2},  {"EUR", 2},  {"GBP", 2},  {"JPY", 0},  {"CHF", 2},
                                                {"USDT", 8}, {"USDC", 8}, {"BUSD", 8}, {"FDUSD", 8}, {"BTC", 8},
                                                {"ETH", 8},  {"SOL", 8},  {"BNB", 8},  {"XRP", 6},  {"DOGE", 8},
                                                {"ADA", 6},  {"HYPE", 8}}};

bool valid_code(std::string_view code) {
  if (code.empty() || code.size() > 15) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}
}  // namespace

Currency::Currency(std::string_view code, int precision) {
  BALLAST_REQUIRE(valid_code(code), fmt::format("currency code must be 1-15 of A-Z/0-9, got '{}'", code));
  BALLAST_REQUIRE(precision >= 0 && precision <= 18, fmt::format("currency precision {} outside 0..18", precision));
  code.copy(code_.data(), code.size());
  length_ = static_cast<std::uint8_t>(code.size());
  precision_ = static_cast<std::uint8_t>(precision);
}

core::Result<Currency> Currency::parse(std::string_view code) {
  if (!valid_code(code)) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("currency code must be 1-15 upper-case letters or digits, got '{}'", code));
  }
  for (const auto& k : kKnown) {
    if (k.code == code) return Currency(code, k.precision);
  }
  return Currency(code, 8);
}

}  // namespace ballast::model
