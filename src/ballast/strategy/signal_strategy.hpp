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
//
// Observation (what a live desk shows, e.g. GET /api/signals): the base counts the bars of its instrument,
// keeps the indicator values the derived class reported for the latest bar (name → value; NaN while an
// indicator is still warming up), says the strategy is warm once every reported value of a bar is finite,
// and records the latest signal — the target, the bar it was taken on (its end time ts_recv and close),
// the indicator values behind it, and whether it was acted on (at least one order was submitted and
// accepted by the risk gate for it; a signal that matches the position already held, one that arrives
// while an earlier order is still pending, or one whose orders the gate refused, is not acted on).

#include "ballast/strategy/strategy.hpp"

#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::strategy {

enum class Target { Long, Short, Flat };

// "LONG", "SHORT", "FLAT".
std::string_view to_string(Target target) noexcept;

// One indicator value behind a signal ("fast" → 101.2); NaN while the indicator is warming up.
struct IndicatorValue {
  std::string_view name;  // a literal of the strategy's code (static storage): no string built per bar
  double value{0.0};
};

// The latest signal a SignalStrategy produced.
struct SignalRecord {
  Target target{Target::Flat};
  core::UnixNanos at{};   // the signal bar's end (ts_recv): when its close was known
  model::Price close{};   // the signal bar's close
  bool acted{false};      // at least one order for it passed the risk gate
  std::vector<IndicatorValue> indicators{};  // the values on the signal bar
};

class SignalStrategy : public Strategy {
 public:
  const StrategyParameters& parameters() const noexcept override { return parameters_; }
  const core::InstrumentId& instrument_id() const noexcept { return instrument_id_; }

  void on_bar(StrategyContext& context, const core::InstrumentId& instrument_id, const model::Bar& bar) final;
  void on_fill(StrategyContext& context, const model::Fill& fill) override;
  void on_order_event(StrategyContext& context, const model::OrderEvent& event) override;
  bool has_pending_orders() const noexcept { return !pending_.empty(); }

  // --- observation ---
  // Bars of the strategy's instrument seen so far.
  std::size_t bars_seen() const noexcept { return bars_seen_; }
  // Every indicator reported for the latest bar was a finite number (false before the first bar).
  bool warm() const noexcept { return warm_; }
  // The indicator values reported for the latest bar.
  std::span<const IndicatorValue> indicators() const noexcept { return indicators_; }
  // The latest signal (nullopt until the first one).
  const std::optional<SignalRecord>& last_signal() const noexcept { return last_signal_; }

 protected:
  SignalStrategy(core::InstrumentId instrument_id, StrategyParameters parameters);
  // The new target after this bar, or nullopt to keep the current one.
  virtual std::optional<Target> signal(const model::Bar& bar) = 0;
  // Called by signal() on every bar with the values its decision is based on, in a stable order. Inline,
  // so that the list's length is known where it is written.
  void report_indicators(std::initializer_list<IndicatorValue> values) {
    reported_ = true;
    if (indicators_.size() != values.size()) [[unlikely]] indicators_.resize(values.size());
    // Field by field: the caller has just written the list, one field at a time, and copying each element
    // whole would read back what those narrower writes left in flight (a stall on every bar).
    IndicatorValue* out = indicators_.data();
    bool finite = true;
    for (const IndicatorValue& v : values) {
      out->name = v.name;
      out->value = v.value;
      finite = finite && std::isfinite(v.value);
      ++out;
    }
    reported_finite_ = finite;
  }

 private:
  // True when at least one order was submitted and passed the risk gate.
  bool trade_to(StrategyContext& context, Target target, const model::Bar& bar);
  // What on_bar() does with a signal (out of line: most bars have none, and on_bar stays small without it).
  [[gnu::noinline]] void on_signal(StrategyContext& context, Target target, const model::Bar& bar);

  core::InstrumentId instrument_id_;
  StrategyParameters parameters_;
  struct Pending {
    core::ClientOrderId id;
    core::Decimal left;
  };
  std::vector<Pending> pending_{};
  std::size_t bars_seen_{0};
  bool warm_{false};
  std::vector<IndicatorValue> indicators_{};
  bool reported_{false};  // report_indicators() was called for the bar in on_bar()
  bool reported_finite_{false};  // and every value it reported was finite
  std::optional<SignalRecord> last_signal_{};
};

// Sign of fast − slow with the tie rule above: +1, −1, or `previous` on a tie. (Inline: once a bar.)
inline int cross_sign(double fast, double slow, int previous) noexcept {
  if (fast > slow) return 1;
  if (fast < slow) return -1;
  return previous;
}

}  // namespace ballast::strategy
