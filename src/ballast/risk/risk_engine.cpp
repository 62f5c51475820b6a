#include "ballast/risk/risk_engine.hpp"

#include "ballast/risk/internal/decimal_product.hpp"
#include "ballast/risk/internal/engine_core.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace ballast::risk {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using internal::CheckFn;
using internal::EngineCore;
using internal::OrderContext;
using internal::SlotRules;
using internal::Wide;
using internal::WideLimit;

// Rings keep at least this many events so counters() can report recent activity with every limit off.
constexpr std::size_t kMinRingCapacity = 1024;

struct CheckEntry {
  RiskCheck id;
  CheckFn fn;
};

// In RiskCheck order: cheap, order-only checks first, then the book, then the counters.
constexpr std::array<CheckEntry, kRiskCheckCount> kChecks{{
    {RiskCheck::TradingState, internal::check_trading_state},
    {RiskCheck::Instrument, internal::check_instrument},
    {RiskCheck::TradingHours, internal::check_trading_hours},
    {RiskCheck::OrderShape, internal::check_order_shape},
    {RiskCheck::PriceTick, internal::check_price_tick},
    {RiskCheck::QuantityStep, internal::check_quantity_step},
    {RiskCheck::MinQuantity, internal::check_min_quantity},
    {RiskCheck::MinNotional, internal::check_min_notional},
    {RiskCheck::MaxOrderQuantity, internal::check_max_order_quantity},
    {RiskCheck::MaxOrderNotional, internal::check_max_order_notional},
    {RiskCheck::PriceCollar, internal::check_price_collar},
    {RiskCheck::MaxPositionQuantity, internal::check_max_position_quantity},
    {RiskCheck::MaxPositionNotional, internal::check_max_position_notional},
    {RiskCheck::MaxGrossExposure, internal::check_max_gross_exposure},
    {RiskCheck::MaxNetExposure, internal::check_max_net_exposure},
    {RiskCheck::MaxConcentration, internal::check_max_concentration},
    {RiskCheck::MaxLeverage, internal::check_max_leverage},
    {RiskCheck::Margin, internal::check_margin},
    {RiskCheck::PortfolioVar, internal::check_portfolio_var},
    {RiskCheck::OpenOrdersPerInstrument, internal::check_open_orders_per_instrument},
    {RiskCheck::OpenOrdersTotal, internal::check_open_orders_total},
    {RiskCheck::OrderRatePerSecond, internal::check_order_rate_per_second},
    {RiskCheck::OrderRatePerMinute, internal::check_order_rate_per_minute},
    {RiskCheck::DailyLoss, internal::check_daily_loss},
    {RiskCheck::TradesPerDay, internal::check_trades_per_day},
    {RiskCheck::TradesPerHour, internal::check_trades_per_hour},
    {RiskCheck::LossStreakCooldown, internal::check_loss_streak_cooldown},
    {RiskCheck::SizeIncreaseAfterLoss, internal::check_size_increase_after_loss},
}};

Decimal scaled(const Decimal& value, const Decimal& factor) {
  if (factor == Decimal::from_int(1)) return value;
  auto p = internal::product(value, factor);
  BALLAST_REQUIRE(p.has_value(), p.error().message());
  return *p;
}

// A decimal limit at kWideScale, rounded down (a limit is never overstated), with its near-limit mark.
WideLimit make_limit(const DecimalLimit& limit, const Decimal& factor, const Decimal& warning) {
  WideLimit out;
  if (!limit.enabled) return out;
  out.on = true;
  out.shown = scaled(limit.value, factor);
  out.value = internal::to_wide(out.shown, false);
  out.near = internal::div_floor(internal::mul_sat(out.value, internal::to_wide(warning, false)), internal::kWideOne);
  return out;
}

internal::CountLimitRule make_count(const CountLimit& limit) { return {limit.enabled, limit.value}; }

const Decimal& volatility_factor(const VolatilityScaling& s, analytics::VolatilityLevel level) {
  static const Decimal kOne = Decimal::from_int(1);
  if (!s.enabled) return kOne;
  switch (level) {
    case analytics::VolatilityLevel::Low: return s.low;
    case analytics::VolatilityLevel::Normal: return s.normal;
    case analytics::VolatilityLevel::High: return s.high;
    case analytics::VolatilityLevel::Extreme: return s.extreme;
  }
  return kOne;
}

core::Status check_symbols(const RiskConfig& config, const portfolio::PortfolioBook& book) {
  BALLAST_TRY(validate(config));
  for (std::size_t i = 0; i < config.symbols.size(); ++i) {
    if (!book.find(config.symbols[i].instrument_id)) {
      return Error(ErrorCode::NotFound,
                   fmt::format("symbol override for {}, which the book does not hold",
                               config.symbols[i].instrument_id.value()),
                   fmt::format("symbols[{}].instrument_id", i));
    }
  }
  return core::ok();
}

}  // namespace

// --- Rings ----------------------------------------------------------------------------------------------

namespace internal {

void TimeRing::reset(std::size_t capacity) {
  // Keep the newest events that fit, oldest first.
  std::vector<std::int64_t> kept;
  const std::size_t keep = std::min(size_, capacity);
  for (std::size_t k = keep; k >= 1; --k) kept.push_back(nth_latest(k));
  data_.assign(capacity, 0);
  head_ = 0;
  size_ = 0;
  for (std::int64_t t : kept) push(t);
}

void TimeRing::push(std::int64_t t) noexcept {
  if (data_.empty()) return;
  data_[head_] = t;
  head_ = head_ + 1 == data_.size() ? 0 : head_ + 1;
  if (size_ < data_.size()) ++size_;
}

std::int64_t TimeRing::nth_latest(std::size_t k) const noexcept {
  const std::size_t cap = data_.size();
  return data_[(head_ + cap - k) % cap];
}

std::int64_t TimeRing::count_after(std::int64_t after) const noexcept {
  // Timestamps arrive in order, so nth_latest(k) falls as k grows: binary search for the last k inside.
  std::size_t lo = 0;  // nth_latest(lo) > after holds for every k <= lo
  std::size_t hi = size_;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo + 1) / 2;
    if (nth_latest(mid) > after) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return static_cast<std::int64_t>(lo);
}

void MinuteBuckets::add(std::int64_t t) noexcept {
  const std::int64_t m = core::floor_div(t, core::kNanosPerMinute);
  const auto i = static_cast<std::size_t>((m % static_cast<std::int64_t>(kSlots) + kSlots) % kSlots);
  if (minute[i] != m) {
    minute[i] = m;
    count[i] = 0;
  }
  ++count[i];
}

std::int64_t MinuteBuckets::in_minute(std::int64_t m) const noexcept {
  const auto i = static_cast<std::size_t>((m % static_cast<std::int64_t>(kSlots) + kSlots) % kSlots);
  return minute[i] == m ? count[i] : 0;
}

std::int64_t MinuteBuckets::previous_hour(std::int64_t m) const noexcept {
  // Walk the 60 buckets before m's without a division per step.
  auto i = static_cast<std::size_t>((m % static_cast<std::int64_t>(kSlots) + kSlots) % kSlots);
  std::int64_t total = 0;
  for (std::int64_t k = 1; k <= 60; ++k) {
    i = i == 0 ? kSlots - 1 : i - 1;
    if (minute[i] == m - k) total += count[i];
  }
  return total;
}

}  // namespace internal

// --- Lifecycle ------------------------------------------------------------------------------------------

RiskEngine::RiskEngine() : core_(std::make_unique<EngineCore>()) {}
RiskEngine::RiskEngine(RiskEngine&&) noexcept = default;
RiskEngine& RiskEngine::operator=(RiskEngine&&) noexcept = default;
RiskEngine::~RiskEngine() = default;

core::Result<RiskEngine> RiskEngine::create(RiskConfig config, const portfolio::PortfolioBook& book,
                                            core::UnixNanos now) {
  BALLAST_TRY(check_symbols(config, book));
  if (book.settlement_currency().precision() > internal::kWideScale) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("settlement currency {} has {} places; the risk engine supports up to {}",
                             book.settlement_currency().code(), book.settlement_currency().precision(),
                             internal::kWideScale),
                 "book");
  }
  RiskEngine engine;
  engine.config_ = std::move(config);
  engine.book_ = &book;
  engine.core_->slots.resize(book.size());
  BALLAST_TRY(engine.rebuild());
  engine.core_->day = internal::utc_day(now);
  engine.core_->day_start_equity = book.equity();
  return engine;
}

core::Status RiskEngine::set_config(RiskConfig config) {
  BALLAST_TRY(check_symbols(config, *book_));
  RiskConfig previous = std::move(config_);
  config_ = std::move(config);
  auto rebuilt = rebuild();
  if (!rebuilt) {
    config_ = std::move(previous);
    BALLAST_TRY(rebuild());
    return rebuilt.error();
  }
  ++config_generation_;
  return core::ok();
}

core::Status RiskEngine::rebuild() {
  EngineCore& c = *core_;
  const Decimal one = Decimal::from_int(1);
  const Decimal& warn = config_.warning_utilisation;
  c.max_gross = make_limit(config_.max_gross_exposure, one, warn);
  c.max_net = make_limit(config_.max_net_exposure, one, warn);
  c.max_leverage = make_limit(config_.max_leverage, one, warn);
  c.daily_loss = make_limit(config_.daily_loss_limit, one, warn);
  c.max_open_orders_total = make_count(config_.max_open_orders_total);
  c.orders_per_second = make_count(config_.max_orders_per_second);
  c.orders_per_minute = make_count(config_.max_orders_per_minute);
  c.trades_per_day = make_count(config_.max_trades_per_day);
  c.trades_per_hour = make_count(config_.max_trades_per_hour);
  c.loss_streak_limit = make_count(config_.behaviour.loss_streak);
  c.revenge_factor = internal::kWideOne + internal::to_wide(config_.behaviour.revenge_tolerance, false);
  c.rate_warning_factor = internal::to_wide(config_.behaviour.order_rate_warning_factor, false);

  auto capacity = [](std::initializer_list<internal::CountLimitRule> limits) {
    std::size_t cap = kMinRingCapacity;
    for (const auto& l : limits) {
      if (l.on) cap = std::max(cap, static_cast<std::size_t>(std::max<std::int64_t>(l.value, 0)));
    }
    return cap;
  };
  const std::size_t orders_cap = capacity({c.orders_per_second, c.orders_per_minute});
  if (c.orders.capacity() != orders_cap) c.orders.reset(orders_cap);
  const std::size_t trades_cap = capacity({c.trades_per_hour});
  if (c.trades_hour.capacity() != trades_cap) c.trades_hour.reset(trades_cap);

  for (portfolio::SlotIndex i = 0; i < c.slots.size(); ++i) rebuild_slot(i);

  c.var_limit = config_.portfolio_var.max_var.to_double();
  c.var_scale = std::sqrt(config_.portfolio_var.horizon_days);
  if (c.var && c.var->spec().confidence != config_.portfolio_var.confidence) {
    auto calc = analytics::IncrementalVarCalculator::create(
        Eigen::MatrixXd(c.var_covariance), c.var->exposures(),
        analytics::VarSpec{config_.portfolio_var.confidence, 1});
    if (!calc) return calc.error().with_context("portfolio_var");
    c.var = std::move(*calc);
  }
  return core::ok();
}

void RiskEngine::rebuild_slot(portfolio::SlotIndex index) {
  SlotRules& r = core_->slots[index];
  const portfolio::InstrumentSlot& s = book_->slot(index);
  const model::Instrument& instrument = *s.instrument;
  const InstrumentLimits limits = config_.limits_for(instrument.id());
  const SymbolRiskConfig* symbol = config_.symbol(instrument.id());
  const Decimal one = Decimal::from_int(1);
  const Decimal& warn = config_.warning_utilisation;
  r.instrument = &instrument;
  r.tradable = symbol == nullptr || symbol->tradable;
  r.factor = volatility_factor(config_.volatility_scaling, r.level);
  r.min_quantity = internal::to_wide(instrument.min_quantity().value());
  r.has_min_notional = instrument.min_notional().has_value();
  if (r.has_min_notional) {
    r.min_notional_shown = instrument.min_notional()->amount();
    r.min_notional = internal::to_wide(r.min_notional_shown);
  }
  r.max_order_quantity = make_limit(limits.max_order_quantity, r.factor, warn);
  if (instrument.max_quantity()) {
    const Wide venue = internal::to_wide(instrument.max_quantity()->value(), false);
    if (!r.max_order_quantity.on || venue < r.max_order_quantity.value) {
      r.max_order_quantity =
          make_limit(DecimalLimit{true, instrument.max_quantity()->value()}, one, warn);
    }
  }
  r.max_order_notional = make_limit(limits.max_order_notional, r.factor, warn);
  r.collar_bps = make_limit(limits.price_collar_bps, one, warn);
  r.max_position_quantity = make_limit(limits.max_position_quantity, r.factor, warn);
  r.max_position_notional = make_limit(limits.max_position_notional, r.factor, warn);
  r.max_concentration = make_limit(limits.max_concentration, one, warn);
  r.max_open_orders = make_count(limits.max_open_orders);
  r.hours = config_.trading_hours_for(instrument.id());
  r.tiers.clear();
  for (const model::MarginTier& t : instrument.margin_tiers()) {
    r.tiers.push_back(internal::TierCap{internal::to_wide(t.notional_cap, false), t.notional_cap, t.max_leverage});
  }
}

core::Result<OrderRequest> RiskEngine::request_for(const model::Order& order) const {
  const auto slot = book_->find(order.instrument_id());
  if (!slot) {
    return Error(ErrorCode::NotFound, fmt::format("instrument {} is not in the book", order.instrument_id().value()),
                 "instrument_id");
  }
  OrderRequest r;
  r.slot = *slot;
  r.side = order.side();
  r.type = order.type();
  r.quantity = order.is_open() ? order.leaves_qty() : order.quantity();
  r.price = order.price();
  r.trigger_price = order.trigger_price();
  r.reduce_only = order.is_reduce_only();
  r.post_only = order.is_post_only();
  return r;
}

// --- Evaluation -----------------------------------------------------------------------------------------

RiskDecision RiskEngine::run(const OrderRequest& order, core::UnixNanos now, OrderContext& ctx,
                             std::vector<CheckOutcome>* outcomes) const {
  const EngineCore& c = *core_;
  ctx.order = &order;
  ctx.now = now;
  ctx.config = &config_;
  ctx.book = book_;
  ctx.state = state_;
  ctx.session_running = session_running_;
  if (state_ == TradingState::Active && now.value < c.block_until) ctx.state = TradingState::Reducing;
  ctx.buy = order.side == model::OrderSide::Buy;
  ctx.sign = ctx.buy ? 1 : -1;
  ctx.equity = internal::to_wide(book_->wallet_balance()) + internal::to_wide(book_->unrealized_pnl());
  ctx.gross = internal::to_wide(book_->gross_exposure());
  ctx.net = internal::to_wide(book_->net_exposure());
  if (order.slot < book_->size()) {
    const portfolio::InstrumentSlot& s = book_->slots()[order.slot];
    ctx.slot = &s;
    ctx.rules = &c.slots[order.slot];
    ctx.position = internal::to_wide(s.quantity);
    ctx.working_qty = internal::to_wide(ctx.buy ? s.open_buy_quantity : s.open_sell_quantity);
    ctx.slot_notional = internal::to_wide(s.notional);
    ctx.working_notional = internal::to_wide(ctx.buy ? s.open_buy_notional : s.open_sell_notional);
    if (order.price || order.trigger_price || s.has_mark) {
      ctx.has_price = true;
      ctx.price = order.price ? order.price->value() : (order.trigger_price ? order.trigger_price->value() : s.mark.value());
      ctx.expo_price = s.has_mark && s.mark.value() > ctx.price ? s.mark.value() : ctx.price;
    }
  }
  ctx.set_quantity(order.quantity.value());

  RiskDecision decision;
  bool denied = false;
  for (const CheckEntry& entry : kChecks) {
    CheckOutcome outcome = entry.fn(c, ctx);
    outcome.check = entry.id;
    if (outcome.status == CheckStatus::Reduced) ctx.reduction.check = entry.id;
    if (outcomes != nullptr) outcomes->push_back(outcome);
    if (outcome.status == CheckStatus::Denied && !denied) {
      denied = true;
      decision.verdict = Verdict::Denied;
      decision.reason = outcome.reason;
      decision.check = entry.id;
      decision.limit = outcome.limit;
      decision.value = outcome.value;
      decision.quantity = model::Quantity();
      if (outcomes == nullptr) {
        decision.warnings = ctx.warnings;
        return decision;
      }
    }
  }
  internal::warn_order_rate(c, ctx);
  decision.warnings = ctx.warnings;
  if (denied) return decision;
  if (ctx.reduced) {
    decision.verdict = Verdict::ApprovedReduced;
    decision.reason = ctx.reduction.reason;
    decision.check = ctx.reduction.check;
    decision.limit = ctx.reduction.limit;
    decision.value = ctx.reduction.value;
    decision.quantity = model::Quantity(ctx.quantity);
  } else {
    decision.quantity = order.quantity;
  }
  return decision;
}

RiskDecision RiskEngine::evaluate(const OrderRequest& order, core::UnixNanos now) const {
  OrderContext ctx;
  return run(order, now, ctx, nullptr);
}

std::vector<CheckOutcome> RiskEngine::explain(const OrderRequest& order, core::UnixNanos now) const {
  std::vector<CheckOutcome> outcomes;
  outcomes.reserve(kRiskCheckCount);
  OrderContext ctx;
  (void)run(order, now, ctx, &outcomes);
  return outcomes;
}

RiskDecision RiskEngine::submit(const OrderRequest& order, core::UnixNanos now) {
  on_time(now);
  OrderContext ctx;
  const RiskDecision decision = run(order, now, ctx, nullptr);
  if (!decision.approved()) return decision;
  EngineCore& c = *core_;
  c.orders.push(now.value);
  c.minutes.add(now.value);
  if (!ctx.reducing) {
    ++c.trades_today;
    c.trades_hour.push(now.value);
    c.has_last_entry = true;
    c.last_entry_notional = ctx.order_notional;
  }
  return decision;
}

// --- State ----------------------------------------------------------------------------------------------

void RiskEngine::block_new_exposure_until(core::UnixNanos until) noexcept { core_->block_until = until.value; }

void RiskEngine::record_trade_result(const core::Decimal& realized_pnl, core::UnixNanos now) {
  EngineCore& c = *core_;
  if (realized_pnl.is_negative()) {
    ++c.loss_streak;
    c.last_loss = now;
    if (c.loss_streak_limit.on && c.loss_streak >= c.loss_streak_limit.value) {
      c.cooldown_until = now + config_.behaviour.loss_streak_cooldown;
    }
  } else if (realized_pnl.is_positive()) {
    c.loss_streak = 0;
  }
}

void RiskEngine::record_external_order(core::UnixNanos now) {
  core_->orders.push(now.value);
  core_->minutes.add(now.value);
}

void RiskEngine::on_time(core::UnixNanos now) {
  EngineCore& c = *core_;
  const std::int64_t day = internal::utc_day(now);
  if (day > c.day) {
    c.day = day;
    c.day_start_equity = book_->equity();
    c.trades_today = 0;
  }
}

void RiskEngine::set_volatility_level(portfolio::SlotIndex slot, analytics::VolatilityLevel level) {
  if (slot >= core_->slots.size()) return;
  core_->slots[slot].level = level;
  rebuild_slot(slot);
}

core::Status RiskEngine::set_var_model(Eigen::MatrixXd covariance, std::vector<portfolio::SlotIndex> slots) {
  if (covariance.rows() != covariance.cols() || static_cast<std::size_t>(covariance.rows()) != slots.size()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("covariance is {}x{} for {} slots; it must be square with one row per slot",
                             covariance.rows(), covariance.cols(), slots.size()),
                 "covariance");
  }
  std::vector<int> index(book_->size(), -1);
  Eigen::VectorXd exposures(static_cast<Eigen::Index>(slots.size()));
  for (std::size_t k = 0; k < slots.size(); ++k) {
    if (slots[k] >= book_->size()) {
      return Error(ErrorCode::OutOfRange, fmt::format("slot {} is not in the book", slots[k]),
                   fmt::format("slots[{}]", k));
    }
    if (index[slots[k]] >= 0) {
      return Error(ErrorCode::InvalidArgument, fmt::format("slot {} appears twice", slots[k]),
                   fmt::format("slots[{}]", k));
    }
    index[slots[k]] = static_cast<int>(k);
    exposures[static_cast<Eigen::Index>(k)] = book_->slot(slots[k]).notional.to_double();
  }
  auto calc = analytics::IncrementalVarCalculator::create(covariance, exposures,
                                                          analytics::VarSpec{config_.portfolio_var.confidence, 1});
  if (!calc) return calc.error();
  EngineCore& c = *core_;
  c.var = std::move(*calc);
  c.var_covariance = std::move(covariance);
  c.var_slots = std::move(slots);
  for (std::size_t i = 0; i < c.slots.size(); ++i) c.slots[i].var_index = index[i];
  var_model_ = true;
  return core::ok();
}

void RiskEngine::refresh_var_exposure(portfolio::SlotIndex slot) {
  EngineCore& c = *core_;
  if (!c.var || slot >= c.slots.size() || c.slots[slot].var_index < 0) return;
  c.var->set_exposure(static_cast<std::size_t>(c.slots[slot].var_index), book_->slot(slot).notional.to_double());
}

double RiskEngine::portfolio_var() const noexcept { return core_->var ? core_->var->var() * core_->var_scale : 0.0; }

RiskCounters RiskEngine::counters(core::UnixNanos now) const {
  const EngineCore& c = *core_;
  RiskCounters out;
  out.orders_last_second = c.orders.count_after(now.value - core::kNanosPerSecond);
  out.orders_last_minute = c.orders.count_after(now.value - core::kNanosPerMinute);
  const bool same_day = internal::utc_day(now) == c.day;
  out.trades_today = same_day ? c.trades_today : 0;
  out.trades_last_hour = c.trades_hour.count_after(now.value - core::kNanosPerHour);
  out.loss_streak = c.loss_streak;
  out.day_start_equity = same_day ? c.day_start_equity : book_->equity();
  out.daily_pnl = book_->equity() - out.day_start_equity;
  if (c.cooldown_until && now < *c.cooldown_until) out.cooldown_until = c.cooldown_until;
  return out;
}

}  // namespace ballast::risk
