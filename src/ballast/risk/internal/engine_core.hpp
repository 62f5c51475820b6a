#pragma once
// Private to the risk module: the state behind RiskEngine and the per-order context its checks share.
//
// Everything the approve path reads is precomputed here when the configuration, a volatility class or
// the VaR model changes: per slot the effective limits (config × volatility factor, already converted to
// the kWideScale fixed point, together with the Decimal shown in decisions) and the margin-tier caps.
// Counters live in fixed-capacity rings sized at configuration time, so evaluate()/submit() never
// allocate.

#include "ballast/analytics/var_decomposition.hpp"
#include "ballast/analytics/volatility_classification.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/time.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/internal/wide.hpp"
#include "ballast/risk/risk_config.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "ballast/risk/risk_types.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace ballast::risk::internal {

struct WideLimit {
  bool on{false};
  Wide value{0};         // kWideScale
  Wide near{0};          // value × warning utilisation (rounded down)
  core::Decimal shown{};  // as reported in decisions
};

struct CountLimitRule {
  bool on{false};
  std::int64_t value{0};
};

struct TierCap {
  Wide cap{0};  // inclusive upper bound of the bracket's notional
  core::Decimal cap_shown{};
  core::Decimal max_leverage{};
};

// One instrument's precomputed rules.
struct SlotRules {
  const model::Instrument* instrument{nullptr};
  bool tradable{true};
  analytics::VolatilityLevel level{analytics::VolatilityLevel::Normal};
  core::Decimal factor{core::Decimal::from_int(1)};  // volatility multiplier in force
  Wide min_quantity{0};
  bool has_min_notional{false};
  Wide min_notional{0};
  core::Decimal min_notional_shown{};
  WideLimit max_order_quantity{};  // config × factor, capped by the instrument's own max quantity
  WideLimit max_order_notional{};
  WideLimit collar_bps{};
  WideLimit max_position_quantity{};
  WideLimit max_position_notional{};
  WideLimit max_concentration{};  // ratio at kWideScale
  CountLimitRule max_open_orders{};
  std::vector<TierCap> tiers{};
  int var_index{-1};
  std::vector<TradingSession> hours{};  // trading hours in force (the symbol's, else the account's); empty = open
};

// Timestamps of the most recent events, oldest overwritten first. Capacity fixed at configuration.
class TimeRing {
 public:
  void reset(std::size_t capacity);
  void push(std::int64_t t) noexcept;
  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return data_.size(); }
  // The k-th most recent (k = 1 is the newest); requires 1 <= k <= size().
  std::int64_t nth_latest(std::size_t k) const noexcept;
  // Events with t > after (at most capacity()); O(log capacity), events pushed in time order.
  std::int64_t count_after(std::int64_t after) const noexcept;

 private:
  std::vector<std::int64_t> data_{};
  std::size_t head_{0};  // next write position
  std::size_t size_{0};
};

// Order counts per UTC minute over the last hour (for the order-rate norm).
struct MinuteBuckets {
  static constexpr std::size_t kSlots = 61;
  std::array<std::int64_t, kSlots> minute{};
  std::array<std::int64_t, kSlots> count{};
  MinuteBuckets() { minute.fill(-1); }
  void add(std::int64_t t) noexcept;
  std::int64_t in_minute(std::int64_t m) const noexcept;
  // Σ counts of the 60 minutes before m.
  std::int64_t previous_hour(std::int64_t m) const noexcept;
};

struct EngineCore {
  std::vector<SlotRules> slots{};
  // Account-wide limits at kWideScale.
  WideLimit max_gross{};
  WideLimit max_net{};
  WideLimit max_leverage{};
  WideLimit daily_loss{};
  CountLimitRule max_open_orders_total{};
  CountLimitRule orders_per_second{};
  CountLimitRule orders_per_minute{};
  CountLimitRule trades_per_day{};
  CountLimitRule trades_per_hour{};
  CountLimitRule loss_streak_limit{};
  Wide revenge_factor{kWideOne};  // 1 + tolerance
  Wide rate_warning_factor{0};

  // Counters.
  TimeRing orders{};
  TimeRing trades_hour{};
  MinuteBuckets minutes{};
  std::int64_t day{0};  // UTC day index of day_start_equity
  core::Decimal day_start_equity{};
  std::int64_t trades_today{0};
  std::int64_t loss_streak{0};
  std::optional<core::UnixNanos> cooldown_until{};
  std::optional<core::UnixNanos> last_loss{};
  bool has_last_entry{false};
  Wide last_entry_notional{0};
  std::int64_t block_until{std::numeric_limits<std::int64_t>::min()};

  // Portfolio VaR.
  std::optional<analytics::IncrementalVarCalculator> var{};
  std::vector<portfolio::SlotIndex> var_slots{};
  Eigen::MatrixXd var_covariance{};  // kept to rebuild the calculator when the confidence changes
  double var_scale{1.0};  // √horizon
  double var_limit{0.0};
};

// What the checks share about the order being evaluated. Derived fields follow `quantity` (update()).
struct OrderContext {
  const OrderRequest* order{nullptr};
  core::UnixNanos now{};
  TradingState state{TradingState::Active};
  bool session_running{true};  // the account's trading session (RiskEngine::set_session_running)
  const RiskConfig* config{nullptr};
  const portfolio::PortfolioBook* book{nullptr};
  const portfolio::InstrumentSlot* slot{nullptr};  // null: unknown instrument
  const SlotRules* rules{nullptr};
  bool buy{true};
  int sign{1};
  bool has_price{false};  // an order price is known (limit, trigger, or the mark)
  core::Decimal price{};       // limit, else trigger, else mark
  core::Decimal expo_price{};  // max(price, mark): the order's exposure is valued at the worse of both
  // From the book at kWideScale (signed where the book is signed).
  Wide position{0};
  Wide working_qty{0};       // same-side working quantity, signed like the order
  Wide slot_notional{0};
  Wide working_notional{0};  // same-side working notional at the order prices, signed like the order
  Wide equity{0};
  Wide gross{0};
  Wide net{0};
  // Follow the quantity.
  core::Decimal quantity{};
  Wide q{0};
  bool reducing{false};       // opposite side of the position and quantity <= |position|
  Wide order_notional{0};     // q × price × multiplier (rounded up)
  Wide order_exposure{0};     // q × expo_price × multiplier (rounded up)
  Wide open_loss{0};          // q × multiplier × max(0, side × (price − mark)) (rounded up)
  // The last reduction, if any.
  bool reduced{false};
  CheckOutcome reduction{};
  std::uint32_t warnings{0};

  void set_quantity(const core::Decimal& q);
  Wide projected_equity() const noexcept { return equity - open_loss; }
};

using CheckFn = CheckOutcome (*)(const EngineCore&, OrderContext&);

// Result helpers.
inline CheckOutcome passed() { return CheckOutcome{RiskCheck::TradingState, CheckStatus::Passed, DenyReason::None, {}, {}}; }
inline CheckOutcome disabled() {
  return CheckOutcome{RiskCheck::TradingState, CheckStatus::Disabled, DenyReason::None, {}, {}};
}
inline CheckOutcome not_applicable() {
  return CheckOutcome{RiskCheck::TradingState, CheckStatus::NotApplicable, DenyReason::None, {}, {}};
}
inline CheckOutcome denied(DenyReason reason, const core::Decimal& limit, const core::Decimal& value) {
  return CheckOutcome{RiskCheck::TradingState, CheckStatus::Denied, reason, limit, value};
}

// A limit the order exceeds, of the form a + b·q <= limit in the order's direction (a: the projected value
// without the order, signed so the order adds to it; b > 0: the value of one quantity unit; all at
// kWideScale). With reduce_quantity_to_fit: the largest quantity on the step that fits, never below the
// instrument's minimums → Reduced; otherwise → Denied with `reason`, `shown` and `value` (the projected
// value at the requested quantity).
CheckOutcome exceed_or_reduce(OrderContext& ctx, DenyReason reason, const core::Decimal& shown, Wide limit, Wide value,
                              Wide a, Wide b);
// An order that must reduce (REDUCING state, untradable instrument, reduce-only): Passed when it does;
// clipped to the position when allowed (`reason`), else Denied.
CheckOutcome require_reducing(OrderContext& ctx, DenyReason reason);

// The checks, one per RiskCheck, in order (checks/*.cpp).
CheckOutcome check_trading_state(const EngineCore&, OrderContext&);
CheckOutcome check_instrument(const EngineCore&, OrderContext&);
CheckOutcome check_trading_hours(const EngineCore&, OrderContext&);
CheckOutcome check_order_shape(const EngineCore&, OrderContext&);
CheckOutcome check_price_tick(const EngineCore&, OrderContext&);
CheckOutcome check_quantity_step(const EngineCore&, OrderContext&);
CheckOutcome check_min_quantity(const EngineCore&, OrderContext&);
CheckOutcome check_min_notional(const EngineCore&, OrderContext&);
CheckOutcome check_max_order_quantity(const EngineCore&, OrderContext&);
CheckOutcome check_max_order_notional(const EngineCore&, OrderContext&);
CheckOutcome check_price_collar(const EngineCore&, OrderContext&);
CheckOutcome check_max_position_quantity(const EngineCore&, OrderContext&);
CheckOutcome check_max_position_notional(const EngineCore&, OrderContext&);
CheckOutcome check_max_gross_exposure(const EngineCore&, OrderContext&);
CheckOutcome check_max_net_exposure(const EngineCore&, OrderContext&);
CheckOutcome check_max_concentration(const EngineCore&, OrderContext&);
CheckOutcome check_max_leverage(const EngineCore&, OrderContext&);
CheckOutcome check_margin(const EngineCore&, OrderContext&);
CheckOutcome check_portfolio_var(const EngineCore&, OrderContext&);
CheckOutcome check_open_orders_per_instrument(const EngineCore&, OrderContext&);
CheckOutcome check_open_orders_total(const EngineCore&, OrderContext&);
CheckOutcome check_order_rate_per_second(const EngineCore&, OrderContext&);
CheckOutcome check_order_rate_per_minute(const EngineCore&, OrderContext&);
CheckOutcome check_daily_loss(const EngineCore&, OrderContext&);
CheckOutcome check_trades_per_day(const EngineCore&, OrderContext&);
CheckOutcome check_trades_per_hour(const EngineCore&, OrderContext&);
CheckOutcome check_loss_streak_cooldown(const EngineCore&, OrderContext&);
CheckOutcome check_size_increase_after_loss(const EngineCore&, OrderContext&);

// Adds RiskWarning::OrderRateAboveNorm to ctx.warnings when this minute's count is far above the norm.
void warn_order_rate(const EngineCore&, OrderContext&);

inline constexpr std::int64_t utc_day(core::UnixNanos t) noexcept { return core::floor_div(t.value, core::kNanosPerDay); }

}  // namespace ballast::risk::internal
