#pragma once
// ExecutionAlgorithm: works a large parent order as a series of child orders (TWAP, VWAP, POV, Iceberg).
// An algorithm is a pure decision-maker: the caller feeds it time and market state (update()) and the
// outcomes of its children (on_child_fill / on_child_closed), and carries out the AlgoActions it returns
// — every child submission goes through the risk engine like any other order (DESIGN.md §1–3). So the
// same algorithm runs unchanged on the simulated venue, on paper and live.
//
// Invariants: filled + working (children not yet confirmed closed) never exceeds the parent quantity,
// whatever order fills and cancel confirmations arrive in; a child is never priced beyond the parent's
// limit price or its maximum deviation from the arrival price. Quantities are rounded DOWN to the
// instrument's step; a remainder below the instrument's minimum quantity is carried to the next child and,
// at the end, reported as residual.
//
// Child pricing (buy side; sells mirror it):
//   PASSIVE     a GTC limit joining the best bid (maker); unfilled children are canceled and re-priced at
//               the next decision point.
//   AGGRESSIVE  an IOC limit at the best ask moved up by `aggressive_slippage_bps` (marketable, taker);
//               what does not fill expires and is picked up at the next decision point.
// Both are capped by the protection price: min(parent limit, arrival × (1 + max_deviation_bps/10⁴)).
// When the touch is beyond the protection price, the child rests AT the protection price (it waits for
// the market to come back rather than chasing it). At the parent's end time every algorithm makes one
// catch-up child for what is left, priced AGGRESSIVE (subject to the same protection), unless
// catch_up_at_end is off.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/order.hpp"
#include "ballast/model/price.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::execution {

enum class ChildPricing { Passive, Aggressive };

struct ParentOrder {
  core::ClientOrderId id{};  // children are "<id>-1", "<id>-2", …
  core::StrategyId strategy_id{};
  core::AccountId account_id{};
  core::InstrumentId instrument_id{};
  model::OrderSide side{model::OrderSide::Buy};
  model::Quantity quantity{};
  core::UnixNanos start{};
  core::UnixNanos end{};                                // > start
  std::optional<model::Price> limit_price{};            // never trade beyond
  std::optional<core::Decimal> max_deviation_bps{};     // from the arrival price, > 0
  ChildPricing pricing{ChildPricing::Passive};
  core::Decimal aggressive_slippage_bps{core::Decimal::from_int(5)};  // how far past the touch an aggressive child may go
  bool catch_up_at_end{true};
};

// What the algorithm sees at each update. volume is the market volume traded since the previous
// update (instrument units; 0 when unknown).
struct MarketState {
  core::UnixNanos now{};
  std::optional<model::Price> best_bid{};
  std::optional<model::Price> best_ask{};
  std::optional<model::Price> last{};
  core::Decimal volume{};
};

struct AlgoAction {
  enum class Kind { Submit, Cancel };
  Kind kind{Kind::Submit};
  model::OrderSpec child{};           // Submit: a complete child order spec
  core::ClientOrderId cancel_id{};    // Cancel: the child to cancel
};

struct AlgoProgress {
  model::Quantity quantity{};   // parent quantity
  core::Decimal filled{};
  core::Decimal working{};      // leaves of children not yet closed
  core::Decimal scheduled{};    // what the schedule wanted done by the last update
  core::Decimal residual{};     // left over below the minimum quantity (set once done)
  int children{0};              // child orders sent
  core::Decimal fill_value{};   // Σ price × quantity of fills (average price = fill_value / filled)
  core::Decimal fees{};         // Σ commissions in the settlement currency
  std::optional<model::Price> arrival_price{};  // mid (or last) at the first update
  bool done{false};
};

class ExecutionAlgorithm {
 public:
  virtual ~ExecutionAlgorithm() = default;
  virtual std::string_view name() const noexcept = 0;

  const ParentOrder& parent() const noexcept { return parent_; }
  const model::Instrument& instrument() const noexcept { return *instrument_; }

  // Time moves forward (now non-decreasing); returns the children to send and cancel now.
  std::vector<AlgoAction> update(const MarketState& market);
  // A fill of one of this algorithm's children (others are ignored).
  void on_child_fill(const model::Fill& fill);
  // A child reached a terminal state (filled, canceled, expired, rejected, denied by the risk engine).
  void on_child_closed(const core::ClientOrderId& child_id);

  const AlgoProgress& progress() const noexcept { return progress_; }
  bool done() const noexcept { return progress_.done; }
  // The price no child may go beyond (nullopt before the arrival price is known, when there is no cap).
  std::optional<model::Price> protection_price() const;

 protected:
  // Validates the parent against the instrument (same id, quantity on step and >= min quantity, end > start).
  ExecutionAlgorithm(ParentOrder parent, const model::Instrument& instrument);
  static core::Status validate_parent(const ParentOrder& parent, const model::Instrument& instrument);

  // The algorithm's rule: called at every update before the end time. Use submit_child/cancel_working.
  virtual void decide(const MarketState& market, std::vector<AlgoAction>& actions) = 0;

  // What is left to place: parent − filled − working (>= 0).
  core::Decimal unplaced() const;
  core::Decimal remaining() const;  // parent − filled
  // Sends a child of `quantity` (rounded down to the step; nothing when below the minimum quantity or when
  // no price is known) priced per `pricing`. Returns the quantity placed.
  core::Decimal submit_child(const core::Decimal& quantity, ChildPricing pricing, const MarketState& market,
                             std::vector<AlgoAction>& actions);
  // The same at an explicit price (rounded by the caller to the tick) and time in force.
  core::Decimal submit_child_at(const core::Decimal& quantity, const model::Price& price, model::TimeInForce tif,
                                const MarketState& market, std::vector<AlgoAction>& actions);
  // Cancels every working child (their leaves count as working until on_child_closed).
  void cancel_working(std::vector<AlgoAction>& actions);
  bool has_working() const noexcept { return !working_.empty(); }
  void set_scheduled(const core::Decimal& scheduled) { progress_.scheduled = scheduled; }

 private:
  struct WorkingChild {
    core::ClientOrderId id;
    core::Decimal leaves;
    bool cancel_sent{false};
  };
  std::optional<model::Price> child_price(ChildPricing pricing, const MarketState& market) const;
  void finish_if_complete();

  ParentOrder parent_;
  const model::Instrument* instrument_;
  AlgoProgress progress_{};
  std::vector<WorkingChild> working_{};
  bool caught_up_{false};
  int next_child_{1};
};

}  // namespace ballast::execution
