#pragma once
// Closed enums of the trading model, each with a stable upper-snake-case code (used in files, the
// API and the store) and to_string()/parse() that round-trip.

#include <array>
#include <string_view>
#include <utility>

#include "ballast/core/result.hpp"

namespace ballast::model {

enum class OrderSide { Buy, Sell };
enum class OrderType { Market, Limit, StopMarket, StopLimit, TakeProfit };
enum class TimeInForce { Gtc, Ioc, Fok, Gtd };
enum class OrderStatus {
  Initialized,
  Submitted,
  Accepted,
  PartiallyFilled,
  Filled,
  Denied,
  Rejected,
  Canceled,
  Expired,
  PendingCancel,
  PendingUpdate,
};
enum class PositionSide { Flat, Long, Short };
enum class AggressorSide { NoAggressor, Buyer, Seller };
enum class LiquiditySide { Maker, Taker };
enum class MarginMode { Cross, Isolated };
enum class InstrumentKind { Spot, Perpetual, DatedFuture, Equity };

namespace detail {
template <class E, std::size_t N>
using EnumNames = std::array<std::pair<E, std::string_view>, N>;

template <class E, std::size_t N>
constexpr std::string_view enum_to_string(const EnumNames<E, N>& names, E v) noexcept {
  for (const auto& [e, s] : names) {
    if (e == v) return s;
  }
  return "UNKNOWN";
}

template <class E, std::size_t N>
core::Result<E> enum_parse(const EnumNames<E, N>& names, std::string_view text, std::string_view type) {
  for (const auto& [e, s] : names) {
    if (s == text) return e;
  }
  std::string allowed;
  for (const auto& [e, s] : names) {
    if (!allowed.empty()) allowed += ", ";
    allowed += s;
  }
  return core::Error(core::ErrorCode::InvalidArgument,
                     std::string(type) + " '" + std::string(text) + "' is not one of " + allowed);
}

inline constexpr EnumNames<OrderSide, 2> kOrderSide{{{OrderSide::Buy, "BUY"}, {OrderSide::Sell, "SELL"}}};
inline constexpr EnumNames<OrderType, 5> kOrderType{{{OrderType::Market, "MARKET"},
                                                     {OrderType::Limit, "LIMIT"},
                                                     {OrderType::StopMarket, "STOP_MARKET"},
                                                     {OrderType::StopLimit, "STOP_LIMIT"},
                                                     {OrderType::TakeProfit, "TAKE_PROFIT"}}};
inline constexpr EnumNames<TimeInForce, 4> kTimeInForce{
    {{TimeInForce::Gtc, "GTC"}, {TimeInForce::Ioc, "IOC"}, {TimeInForce::Fok, "FOK"}, {TimeInForce::Gtd, "GTD"}}};
inline constexpr EnumNames<OrderStatus, 11> kOrderStatus{{{OrderStatus::Initialized, "INITIALIZED"},
                                                          {OrderStatus::Submitted, "SUBMITTED"},
                                                          {OrderStatus::Accepted, "ACCEPTED"},
                                                          {OrderStatus::PartiallyFilled, "PARTIALLY_FILLED"},
                                                          {OrderStatus::Filled, "FILLED"},
                                                          {OrderStatus::Denied, "DENIED"},
                                                          {OrderStatus::Rejected, "REJECTED"},
                                                          {OrderStatus::Canceled, "CANCELED"},
                                                          {OrderStatus::Expired, "EXPIRED"},
                                                          {OrderStatus::PendingCancel, "PENDING_CANCEL"},
                                                          {OrderStatus::PendingUpdate, "PENDING_UPDATE"}}};
inline constexpr EnumNames<PositionSide, 3> kPositionSide{
    {{PositionSide::Flat, "FLAT"}, {PositionSide::Long, "LONG"}, {PositionSide::Short, "SHORT"}}};
inline constexpr EnumNames<AggressorSide, 3> kAggressorSide{{{AggressorSide::NoAggressor, "NO_AGGRESSOR"},
                                                             {AggressorSide::Buyer, "BUYER"},
                                                             {AggressorSide::Seller, "SELLER"}}};
inline constexpr EnumNames<LiquiditySide, 2> kLiquiditySide{
    {{LiquiditySide::Maker, "MAKER"}, {LiquiditySide::Taker, "TAKER"}}};
inline constexpr EnumNames<MarginMode, 2> kMarginMode{{{MarginMode::Cross, "CROSS"}, {MarginMode::Isolated, "ISOLATED"}}};
inline constexpr EnumNames<InstrumentKind, 4> kInstrumentKind{{{InstrumentKind::Spot, "SPOT"},
                                                               {InstrumentKind::Perpetual, "PERPETUAL"},
                                                               {InstrumentKind::DatedFuture, "DATED_FUTURE"},
                                                               {InstrumentKind::Equity, "EQUITY"}}};
}  // namespace detail

#define BALLAST_MODEL_ENUM_IO(Enum, table)                                                                   \
  constexpr std::string_view to_string(Enum v) noexcept { return detail::enum_to_string(detail::table, v); } \
  template <class T>                                                                                         \
    requires std::is_same_v<T, Enum>                                                                         \
  core::Result<T> parse(std::string_view text) {                                                             \
    return detail::enum_parse(detail::table, text, #Enum);                                                   \
  }

BALLAST_MODEL_ENUM_IO(OrderSide, kOrderSide)
BALLAST_MODEL_ENUM_IO(OrderType, kOrderType)
BALLAST_MODEL_ENUM_IO(TimeInForce, kTimeInForce)
BALLAST_MODEL_ENUM_IO(OrderStatus, kOrderStatus)
BALLAST_MODEL_ENUM_IO(PositionSide, kPositionSide)
BALLAST_MODEL_ENUM_IO(AggressorSide, kAggressorSide)
BALLAST_MODEL_ENUM_IO(LiquiditySide, kLiquiditySide)
BALLAST_MODEL_ENUM_IO(MarginMode, kMarginMode)
BALLAST_MODEL_ENUM_IO(InstrumentKind, kInstrumentKind)

#undef BALLAST_MODEL_ENUM_IO

constexpr OrderSide opposite(OrderSide s) noexcept { return s == OrderSide::Buy ? OrderSide::Sell : OrderSide::Buy; }

}  // namespace ballast::model
