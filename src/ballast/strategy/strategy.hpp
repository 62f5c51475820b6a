#pragma once
// Strategy: the C++ API trading logic is written against, identical in backtest, paper and live
// (DESIGN.md §1). A strategy reacts to callbacks (on_start, on_bar, on_trade, on_book, on_fill,
// on_timer, on_stop) and acts only through its StrategyContext: read positions, equity and instruments,
// ask the risk engine's position sizer for a quantity, submit and cancel orders, set timers. Every order
// it submits passes the risk engine like any other; a denial comes back as a failed submit.
//
// Parameters are declared (name, default, range, integer or not) and set by name; an unknown name or an
// out-of-range value is an error that lists what exists ("unknown parameter 'fats' for sma_cross; known:
// fast, slow, long_only").

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/events.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/order_book.hpp"
#include "ballast/model/price.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::strategy {

struct ParameterSpec {
  std::string_view name;
  double default_value{0.0};
  double min{0.0};
  double max{0.0};
  bool integer{false};
  std::string_view description;
};

// A validated set of parameter values for one strategy.
class StrategyParameters {
 public:
  // All defaults.
  explicit StrategyParameters(std::string strategy, std::span<const ParameterSpec> specs);

  // Errors: unknown name (listing the known ones), out of range, not an integer where one is needed.
  core::Status set(std::string_view name, double value);
  // "fast=10" — the value parsed as a number.
  core::Status set_from_text(std::string_view assignment);
  double get(std::string_view name) const;  // a declared name (broken invariant otherwise)
  int get_int(std::string_view name) const;
  bool get_bool(std::string_view name) const { return get(name) != 0.0; }
  const std::map<std::string, double, std::less<>>& values() const noexcept { return values_; }
  std::span<const ParameterSpec> specs() const noexcept { return specs_; }
  const std::string& strategy() const noexcept { return strategy_; }

 private:
  std::string strategy_;
  std::span<const ParameterSpec> specs_;
  std::map<std::string, double, std::less<>> values_;
};

// What a strategy asks the sizer (the kernel answers with the risk engine's configured PositionSizer,
// rounded to the step and clipped to the limits).
struct SizingRequest {
  core::InstrumentId instrument_id{};
  model::OrderSide side{model::OrderSide::Buy};
  model::Price entry_price{};
  std::optional<model::Price> stop_price{};
};

struct OrderIntent {
  core::InstrumentId instrument_id{};
  model::OrderSide side{model::OrderSide::Buy};
  model::OrderType type{model::OrderType::Market};
  model::Quantity quantity{};
  std::optional<model::Price> price{};
  std::optional<model::Price> trigger_price{};
  model::TimeInForce time_in_force{model::TimeInForce::Gtc};
  bool reduce_only{false};
  bool post_only{false};
  std::string tag{};  // free text kept with the order (e.g. "entry", "exit")
};

class StrategyContext {
 public:
  virtual ~StrategyContext() = default;
  virtual core::UnixNanos now() const = 0;
  virtual const model::Instrument* instrument(const core::InstrumentId& id) const = 0;
  // Signed net position (long > 0).
  virtual core::Decimal position(const core::InstrumentId& id) const = 0;
  virtual core::Decimal equity() const = 0;
  // The quantity the configured sizer gives (0 = do not trade).
  virtual core::Result<model::Quantity> size_position(const SizingRequest& request) = 0;
  // Submits through the risk engine; a denial is an error carrying the deny reason.
  virtual core::Result<core::ClientOrderId> submit(const OrderIntent& intent) = 0;
  virtual core::Status cancel_all(const core::InstrumentId& id) = 0;
  // Calls on_timer(name) at `at` (and then every `interval` when given).
  virtual core::Status set_timer(std::string name, core::UnixNanos at, std::optional<core::Duration> interval) = 0;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::string_view name() const noexcept = 0;
  virtual const StrategyParameters& parameters() const noexcept = 0;

  virtual void on_start(StrategyContext&) {}
  virtual void on_bar(StrategyContext&, const core::InstrumentId&, const model::Bar&) {}
  virtual void on_trade(StrategyContext&, const model::TradeTick&) {}
  virtual void on_book(StrategyContext&, const model::OrderBook&) {}
  virtual void on_fill(StrategyContext&, const model::Fill&) {}
  // Every event of the strategy's own orders (accepted, rejected, canceled, expired, denied, …).
  virtual void on_order_event(StrategyContext&, const model::OrderEvent&) {}
  virtual void on_timer(StrategyContext&, std::string_view, core::UnixNanos) {}
  virtual void on_stop(StrategyContext&) {}
};

}  // namespace ballast::strategy
