#pragma once
// Currency: an ISO-4217 or crypto asset code (up to 15 ASCII characters) and the number of decimal
// places its amounts carry. Well-known codes have fixed precisions (USD 2, USDT 8, BTC 8, …);
// Currency::parse gives unknown codes 8 places, enough for any crypto quote asset we trade.

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "ballast/core/result.hpp"

namespace ballast::model {

class Currency {
 public:
  constexpr Currency() = default;
  // Requires a 1-15 character code of A-Z, 0-9 and precision 0..18.
  Currency(std::string_view code, int precision);
  // Known code → its precision; unknown but well-formed code → 8 places; otherwise an error.
  static core::Result<Currency> parse(std::string_view code);

  static Currency USD() { return Currency("USD", 2); }
  static Currency USDT() { return Currency("USDT", 8); }
  static Currency USDC() { return Currency("USDC", 8); }
  static Currency EUR() { return Currency("EUR", 2); }
  static Currency BTC() { return Currency("BTC", 8); }
  static Currency ETH() { return Currency("ETH", 8); }

  std::string_view code() const noexcept { return std::string_view(code_.data(), length_); }
  int precision() const noexcept { return precision_; }
  bool empty() const noexcept { return length_ == 0; }
  std::string to_string() const { return std::string(code()); }

  friend bool operator==(const Currency& a, const Currency& b) noexcept { return a.code() == b.code(); }

 private:
  std::array<char, 15> code_{};
  std::uint8_t length_ = 0;
  std::uint8_t precision_ = 0;
};

}  // namespace ballast::model
