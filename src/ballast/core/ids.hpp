#pragma once
// Strong identifiers. Each id is a distinct type so an AccountId can never be passed where a
// ClientOrderId is expected. Ids are non-empty and contain no whitespace or control characters.
// InstrumentId is "SYMBOL.VENUE" (e.g. "BTCUSDT.BINANCE"); the venue is the part after the last '.'.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include "ballast/core/require.hpp"
#include "ballast/core/result.hpp"

namespace ballast::core {

// True when text can be an identifier: non-empty, at most 128 bytes, printable, no spaces.
bool is_valid_identifier(std::string_view text) noexcept;

namespace detail {

inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  return x;
}

// Whether two ids' texts are equal. Inline, eight bytes at a time (the last eight overlapping): ids are
// short, and std::string's == calls memcmp, which costs more than the comparison on the paths that compare
// an id on every bar.
inline bool same_text(const std::string& a, const std::string& b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (load8(p + i) != load8(q + i)) return false;
    }
    return load8(p + n - 8) == load8(q + n - 8);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

}  // namespace detail

template <class Tag>
class Id {
 public:
  Id() = default;  // empty id: "not set"; every constructed id is valid
  explicit Id(std::string value) : value_(std::move(value)) {
    BALLAST_REQUIRE(is_valid_identifier(value_), std::string(Tag::kName) + " is not a valid identifier: '" + value_ + "'");
  }
  static Result<Id> parse(std::string_view text) {
    if (!is_valid_identifier(text)) {
      return Error(ErrorCode::InvalidArgument,
                   std::string(Tag::kName) + " must be 1-128 printable characters without spaces, got '" +
                       std::string(text) + "'");
    }
    return Id(std::string(text));
  }

  const std::string& value() const noexcept { return value_; }
  const std::string& to_string() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }

  friend auto operator<=>(const Id&, const Id&) = default;
  friend bool operator==(const Id& a, const Id& b) noexcept { return detail::same_text(a.value_, b.value_); }

 private:
  std::string value_;
};

struct VenueIdTag { static constexpr std::string_view kName = "VenueId"; };
struct AccountIdTag { static constexpr std::string_view kName = "AccountId"; };
struct ClientOrderIdTag { static constexpr std::string_view kName = "ClientOrderId"; };
struct VenueOrderIdTag { static constexpr std::string_view kName = "VenueOrderId"; };
struct StrategyIdTag { static constexpr std::string_view kName = "StrategyId"; };
struct TradeIdTag { static constexpr std::string_view kName = "TradeId"; };
struct PositionIdTag { static constexpr std::string_view kName = "PositionId"; };

using VenueId = Id<VenueIdTag>;
using AccountId = Id<AccountIdTag>;
using ClientOrderId = Id<ClientOrderIdTag>;
using VenueOrderId = Id<VenueOrderIdTag>;
using StrategyId = Id<StrategyIdTag>;
using TradeId = Id<TradeIdTag>;
using PositionId = Id<PositionIdTag>;

class InstrumentId {
 public:
  InstrumentId() = default;
  InstrumentId(std::string_view symbol, const VenueId& venue);
  // Parses "SYMBOL.VENUE"; both parts must be valid identifiers.
  static Result<InstrumentId> parse(std::string_view text);

  const std::string& value() const noexcept { return value_; }
  const std::string& to_string() const noexcept { return value_; }
  std::string_view symbol() const noexcept { return std::string_view(value_).substr(0, dot_); }
  // An unset (default) id has an empty symbol and venue.
  VenueId venue() const { return empty() ? VenueId() : VenueId(value_.substr(dot_ + 1)); }
  std::string_view venue_name() const noexcept {
    return empty() ? std::string_view() : std::string_view(value_).substr(dot_ + 1);
  }
  bool empty() const noexcept { return value_.empty(); }

  friend auto operator<=>(const InstrumentId& a, const InstrumentId& b) { return a.value_ <=> b.value_; }
  friend bool operator==(const InstrumentId& a, const InstrumentId& b) noexcept {
    return detail::same_text(a.value_, b.value_);
  }

 private:
  std::string value_;
  std::size_t dot_ = 0;
};

}  // namespace ballast::core

template <class Tag>
struct std::hash<ballast::core::Id<Tag>> {
  std::size_t operator()(const ballast::core::Id<Tag>& id) const noexcept { return std::hash<std::string>{}(id.value()); }
};

template <>
struct std::hash<ballast::core::InstrumentId> {
  std::size_t operator()(const ballast::core::InstrumentId& id) const noexcept {
    return std::hash<std::string>{}(id.value());
  }
};
