#pragma once
// Input files of `ballast risk …` (docs/cli.md, section "ballast risk"):
//  - a portfolio / positions snapshot (JSON): wallet balance, positions with entry and mark, marks of
//    other instruments, leverage, open orders, trading state, optional covariance for VaR;
//  - an order (JSON): instrument, side, type, quantity, price, trigger_price, reduce_only, post_only;
//  - the built-in instrument set: BTCUSDT.BINANCE, ETHUSDT.BINANCE, SOLUSDT.BINANCE USDT-margined
//    perpetuals with Binance-like trading rules, fees (maker 0.02 %, taker 0.05 %) and margin brackets.
// Numbers may be JSON numbers or decimal strings ("0.1"); a JSON number is read through its shortest
// round-trip text, so 0.1 is exactly 0.1. Errors name the file and the JSON field
// ("portfolio.json: positions[1].entry_price: required, a positive number").

#include <Eigen/Core>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/price.hpp"
#include "ballast/portfolio/margin_state.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_types.hpp"

namespace ballast::cli {

// Instruments with stable addresses (books and snapshots point at them).
struct InstrumentSet {
  std::vector<std::unique_ptr<model::Instrument>> items;

  // By full id ("BTCUSDT.BINANCE") or by symbol alone ("BTCUSDT") when it is unique.
  const model::Instrument* find(std::string_view text) const;
  std::vector<const model::Instrument*> pointers() const;
};

// The built-in perpetuals (see the header comment).
InstrumentSet builtin_instruments();

struct PositionEntry {
  const model::Instrument* instrument{nullptr};
  core::Decimal quantity{};  // signed
  model::Price entry_price{};
  model::Price mark_price{};  // the position's mark, or the snapshot's "marks" entry
  model::MarginMode mode{model::MarginMode::Cross};
  core::Decimal leverage{core::Decimal::from_int(1)};
  core::Decimal isolated_margin{};
  std::optional<model::Price> stop{};
};

struct OpenOrderEntry {
  const model::Instrument* instrument{nullptr};
  model::OrderSide side{model::OrderSide::Buy};
  core::Decimal quantity{};
  model::Price price{};
};

struct Quote {
  std::optional<model::Price> bid;
  std::optional<model::Price> ask;
};

struct PortfolioInput {
  std::string path;
  InstrumentSet instruments;
  core::Decimal wallet_balance{};                     // total wallet (cross + isolated margins)
  std::map<std::string, model::Price> marks;          // by instrument id
  std::map<std::string, core::Decimal> leverage;      // by instrument id (positions' leverage wins)
  std::map<std::string, Quote> quotes;                // by instrument id
  std::vector<PositionEntry> positions;
  std::vector<OpenOrderEntry> open_orders;
  risk::TradingState trading_state{risk::TradingState::Active};
  std::optional<core::UnixNanos> time;
  // Daily covariance of simple returns for the portfolio VaR limit: instruments[k] ↔ row/column k.
  std::vector<const model::Instrument*> covariance_instruments;
  Eigen::MatrixXd covariance;
};

core::Result<PortfolioInput> read_portfolio_file(const std::string& path);

// Leverage of an instrument: its position's, else the "leverage" map's, else 1.
core::Decimal leverage_of(const PortfolioInput& input, const model::Instrument& instrument);

// Margin snapshot: cross wallet = wallet balance − Σ isolated margins; open orders at the leverage above.
portfolio::MarginAccountState margin_state_of(const PortfolioInput& input);

// A PortfolioBook in USDT with every instrument of the set, marks, quotes, leverage, positions and open
// orders. Errors name the entry ("portfolio.json: positions[0]: …").
core::Result<portfolio::PortfolioBook> book_of(const PortfolioInput& input);

struct OrderInput {
  std::string instrument;
  model::OrderSide side{model::OrderSide::Buy};
  model::OrderType type{model::OrderType::Market};
  model::Quantity quantity{};
  std::optional<model::Price> price{};
  std::optional<model::Price> trigger_price{};
  bool reduce_only{false};
  bool post_only{false};
};

core::Result<OrderInput> read_order_file(const std::string& path);

// Reads a text file ("cannot open file" errors name it).
core::Result<std::string> read_text_file(const std::string& path);

}  // namespace ballast::cli
