#pragma once
// How an order trades against one OHLC bar when only the bar is known (the simulated venue's bar mode).
//
// The intra-bar path. A bar says where the price started, how far it went each way and where it ended,
// not in which order. We assume the path open → nearer extreme → farther extreme → close, moving
// continuously along each segment: the extreme nearer the open is visited first (a tie visits the high
// first). So an order triggered by the first extreme can still fill on the way to the second.
//
// Rules on the path (buy side; sells mirror them, exchanging high/low and the inequalities):
//   MARKET       fills at the open (the first price the order can meet). Taker.
//   LIMIT L      arriving (first bar after it reached the venue) with open <= L: marketable, fills at
//                the open (taker; better than L). Otherwise fills at L when the path reaches L, i.e.
//                low <= L (touching counts; BarFillOptions::limit_needs_trade_through makes it low < L).
//                Maker. A RESTING limit (already in the book before this bar) that the bar opens
//                beyond also fills at L, as maker: in a continuous market the price trades through the
//                book level on its way to the open, and a resting order gets its own price.
//   STOP_MARKET S   triggers when the price reaches S: open >= S gaps through and fills at the open;
//                otherwise fills at S where the path crosses it. Taker.
//   STOP_LIMIT S/L  triggers like STOP_MARKET at price t = max(open, S) (buy); from there it is a limit
//                L on the rest of the path: t <= L fills at t (taker), otherwise at L when the rest of
//                the path reaches L (maker), else it rests as a triggered limit (resting from the next
//                bar on).
//   TAKE_PROFIT T   (buy: the price falls to T) triggers when the path reaches T: open <= T fills at the
//                open, otherwise at T. Without a price it executes as a market order (taker); with a
//                price L it then acts as a limit L like STOP_LIMIT.
// A triggered order that did not fill stays triggered for the next bar. Prices returned are path prices
// before slippage (slippage_model.hpp applies to taker fills). Quantities are not decided here: the
// venue limits each fill by the bar's volume.

#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/price.hpp"

#include <array>
#include <optional>

namespace ballast::sim {

// open, first extreme, second extreme, close.
struct BarPath {
  std::array<model::Price, 4> points{};
  bool high_first{true};
};

// The assumed path of `bar` (see above). Requires low <= open, close <= high (validated bars).
BarPath bar_path(const model::Bar& bar);

struct BarFillOptions {
  // A resting limit fills only when the price trades through it (low < L for a buy), a conservative
  // stand-in for queue position: touching the level may leave the order unfilled behind the queue.
  bool limit_needs_trade_through{false};
};

// The part of an order the rules need.
struct BarOrderTerms {
  model::OrderSide side{model::OrderSide::Buy};
  model::OrderType type{model::OrderType::Market};
  std::optional<model::Price> price{};          // limit price
  std::optional<model::Price> trigger_price{};  // stop / take-profit trigger
  bool triggered{false};                         // a stop or take-profit already triggered on an earlier bar
  bool resting{false};                           // the order was working at the venue before this bar
};

struct BarMatch {
  bool triggered{false};  // the order is (now) triggered
  bool fills{false};
  model::Price price{};   // path price of the fill
  model::LiquiditySide liquidity{model::LiquiditySide::Taker};
};

// Errors: an order type without the price or trigger it needs.
core::Result<BarMatch> match_on_bar(const BarOrderTerms& order, const BarPath& path, const BarFillOptions& options = {});

}  // namespace ballast::sim
