#pragma once
// SignalStrategy: the base of the built-in single-instrument technical strategies. On each bar of its
// instrument the derived class says where it wants to be — LONG, SHORT, FLAT, or nothing new (keep) —
// and the base trades from the current position to that target:
//   - the target size comes from the context's sizer (the risk engine's configured PositionSizer) at the
//     bar's close; a sizer answer of 0 means stay flat;
//   - going the other way first closes the position with a reduce-only market order, then opens the new
//     one (so a flip is two orders: a close that always passes the risk gate, and an entry that is checked
//     like any entry);
//   - long_only (parameter, default 1) turns SHORT into FLAT;
//   - the base does nothing while an earlier order of its own is still unfilled (no order pile-up).
// Crossover signals use an explicit rule for exact ties: the sign of (fast − slow) is +1 above, −1 below,
// and on a tie (fast == slow on a bar) it KEEPS the previous sign — a tie is not a cross. A cross is a
// change of sign between two bars where both are defined; the first defined sign after warm-up only sets
// the state (no trade until a real cross). Moving averages come from analytics' streaming calculators,
// whose running sums are rebuilt from the window every max(period, 1024) updates, so they do not drift
// over long histories (EMAs are contractive and need no rebuild).

#include "ballast/strategy/strategy.hpp"

#include <optional>
#include <vector>

namespace ballast::strategy {

enum class Target { Long, Short, Flat };

class SignalStrategy : public Strategy {
 public:
  const StrategyParameters& parameters() const noexcept override { return parameters_; }
  const core::InstrumentId& instrument_id() const noexcept { return instrument_id_; }

  void on_bar(StrategyContext& context, const core::InstrumentId& instrument_id, const model::Bar& bar) final;
  void on_fill(StrategyContext& context, const model::Fill& fill) override;
  void on_order_event(StrategyContext& context, const model::OrderEvent& event) override;
  bool has_pending_orders() const noexcept { return !pending_.empty(); }

 protected:
  SignalStrategy(core::InstrumentId instrument_id, StrategyParameters parameters);
  // The new target after this bar, or nullopt to keep the current one.
  virtual std::optional<Target> signal(const model::Bar& bar) = 0;

 private:
  void trade_to(StrategyContext& context, Target target, const model::Bar& bar);

  core::InstrumentId instrument_id_;
  StrategyParameters parameters_;
  struct Pending {
    core::ClientOrderId id;
    core::Decimal left;
  };
  std::vector<Pending> pending_{};
};

// Sign of fast − slow with the tie rule above: +1, −1, or `previous` on a tie.
int cross_sign(double fast, double slow, int previous) noexcept;

}  // namespace ballast::strategy
