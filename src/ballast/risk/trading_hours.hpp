#pragma once
// Trading hours: when an account or an instrument may open or add to positions. A list of
// TradingSession windows (UTC, [start, end) minutes after midnight, on the weekdays whose bit is set;
// a window with end < start runs past midnight and belongs to the weekday it starts on, so a FRI
// 22:00–02:00 window covers Friday 22:00 to Saturday 02:00). The hours are open at `t` when any window
// contains t; an empty list is always open.
//
// An opening is a window start at which the hours were closed the minute before (a window that starts
// inside another is no opening); a closing is a window end at which no window is open. Both are
// searched over the next eight days, so every valid list (some weekday set) has an opening unless it
// never closes. None of these functions allocates (the risk engine calls them on the order path).

#include "ballast/core/time.hpp"
#include "ballast/risk/circuit_breaker_config.hpp"

#include <optional>
#include <span>

namespace ballast::risk {

// Open at `t` (an empty list is always open).
bool trading_hours_open(std::span<const TradingSession> hours, core::UnixNanos t) noexcept;
// The first opening strictly after `t`; none for an empty list or hours that never close.
std::optional<core::UnixNanos> next_trading_open(std::span<const TradingSession> hours, core::UnixNanos t) noexcept;
// The first closing strictly after `t`; none for an empty list or hours that never close.
std::optional<core::UnixNanos> next_trading_close(std::span<const TradingSession> hours, core::UnixNanos t) noexcept;

}  // namespace ballast::risk
