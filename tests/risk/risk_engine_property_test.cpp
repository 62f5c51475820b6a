// Property: for every order the engine approves (in full or reduced), the account after the order breaks
// no enabled limit. Thousands of random books (positions, entries, marks, leverage, working orders, wallet)
// and random orders over three instruments, fixed seed. The post-state limits are measured on the book
// itself, independently of the engine:
//  - with the approved order added as a working order: open-order counts, position quantity and notional
//    projected with same-side working orders, available margin >= 0;
//  - with the approved order filled at its price (the mark for market orders): position notional, gross
//    and net exposure, concentration, leverage, and the parametric VaR recomputed from the book's
//    notionals (σ_p = √(eᵀΣe), VaR = 2.3263478740·σ_p).
// Reducing orders are exempt from the exposure limits by design; for them only the order-count limits
// are checked. A limit already breached before the order may stay breached only by orders that do not
// worsen it (net exposure, VaR).

#include "risk/risk_engine_test_support.hpp"

#include <cmath>
#include <random>

namespace ballast::risk {
namespace {

using core::Decimal;
using model::OrderSide;
using test::dec;
using test::kT0;

model::Instrument sol_perp() {
  model::InstrumentSpec spec = model::test::linear_perp_spec();
  spec.id = model::test::instrument_id("SOLUSDT-PERP.BINANCE");
  spec.base_currency = model::Currency("SOL", 8);
  spec.tick_size = test::px("0.01");
  spec.step_size = test::qty("0.1");
  spec.min_quantity = test::qty("0.1");
  spec.max_quantity = test::qty("100000");
  spec.min_notional = model::test::usdt("5");
  spec.margin_tiers = {
      {dec("0"), dec("50000"), dec("50"), dec("0.01"), dec("0")},
      {dec("50000"), dec("5000000"), dec("20"), dec("0.025"), dec("750")},
  };
  return model::Instrument::create(spec).value();
}

struct Universe {
  model::Instrument btc = model::test::linear_perp();
  model::Instrument eth = test::eth_perp();
  model::Instrument sol = sol_perp();
  std::array<const model::Instrument*, 3> list{&btc, &eth, &sol};
  // Per instrument: base mark (raw at the tick's scale), tick scale, step scale, max steps of a position.
  std::array<std::int64_t, 3> base_mark_raw{500000, 200000, 10000};  // 50000.0, 2000.00, 100.00
  std::array<int, 3> price_scale{1, 2, 2};
  std::array<int, 3> qty_scale{3, 3, 1};
  std::array<std::int64_t, 3> max_position_steps{2000, 50000, 1000};  // 2 BTC, 50 ETH, 100 SOL
};

RiskConfig property_config(const Universe& u, bool reduce) {
  RiskConfig c;
  c.circuit_breakers.clear();
  c.reduce_quantity_to_fit = reduce;
  c.instrument.max_order_quantity = DecimalLimit{true, dec("2.5")};
  c.instrument.max_order_notional = DecimalLimit{true, dec("120000")};
  c.instrument.price_collar_bps = DecimalLimit{true, dec("300")};
  c.instrument.max_position_quantity = DecimalLimit{true, dec("3")};
  c.instrument.max_position_notional = DecimalLimit{true, dec("150000")};
  c.instrument.max_concentration = DecimalLimit{true, dec("1.5")};
  c.instrument.max_open_orders = CountLimit{true, 3};
  SymbolRiskConfig eth;
  eth.instrument_id = u.eth.id();
  eth.max_order_quantity = DecimalLimit{true, dec("60")};
  eth.max_position_quantity = DecimalLimit{true, dec("80")};
  SymbolRiskConfig sol;
  sol.instrument_id = u.sol.id();
  sol.max_order_quantity = DecimalLimit{true, dec("1000")};
  sol.max_position_quantity = DecimalLimit{true, dec("1500")};
  c.symbols = {eth, sol};
  c.max_gross_exposure = DecimalLimit{true, dec("300000")};
  c.max_net_exposure = DecimalLimit{true, dec("200000")};
  c.max_leverage = DecimalLimit{true, dec("4")};
  c.check_margin = true;
  c.portfolio_var = VarLimit{true, dec("15000"), 0.99, 1.0};
  c.max_open_orders_total = CountLimit{true, 6};
  return c;
}

Eigen::MatrixXd covariance() {
  const std::array<double, 3> sigma{0.04, 0.05, 0.07};
  const double rho[3][3] = {{1, 0.5, 0.4}, {0.5, 1, 0.3}, {0.4, 0.3, 1}};
  Eigen::MatrixXd cov(3, 3);
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) cov(i, j) = rho[i][j] * sigma[static_cast<std::size_t>(i)] * sigma[static_cast<std::size_t>(j)];
  }
  return cov;
}

double independent_var(const portfolio::PortfolioBook& book, const Eigen::MatrixXd& cov) {
  Eigen::VectorXd e(3);
  for (int i = 0; i < 3; ++i) e(i) = book.slot(static_cast<portfolio::SlotIndex>(i)).notional.to_double();
  return 2.3263478740 * std::sqrt(e.dot(cov * e));
}

// a / b <= limit for b > 0, exactly (a, b, limit decimals): a <= limit × b.
bool ratio_within(const Decimal& a, const Decimal& b, const Decimal& limit) {
  return a <= limit.mul(b, std::min(18, limit.scale() + b.scale()));
}

TEST(RiskEngineProperty, ApprovedOrdersLeaveEveryEnabledLimitUnbreached) {
  const Universe u;
  const Eigen::MatrixXd cov = covariance();
  std::mt19937_64 rng(0xBA11A57);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  int approved = 0;
  int reduced = 0;
  int denied = 0;
  int checked_fills = 0;
  constexpr int kCases = 4000;
  for (int n = 0; n < kCases; ++n) {
    SCOPED_TRACE(n);
    auto book = portfolio::PortfolioBook::create(model::Currency::USDT(), u.list, Decimal::from_int(uniform(20000, 200000)))
                    .value();
    for (portfolio::SlotIndex i = 0; i < 3; ++i) {
      const int ps = u.price_scale[i];
      const int qs = u.qty_scale[i];
      const std::int64_t mark_raw = u.base_mark_raw[i] + uniform(-u.base_mark_raw[i] / 20, u.base_mark_raw[i] / 20);
      ASSERT_TRUE(book.set_leverage(i, Decimal::from_int(uniform(1, 20))));
      if (uniform(0, 2) > 0) {
        const Decimal q = Decimal::from_raw(uniform(-u.max_position_steps[i], u.max_position_steps[i]), qs);
        const Decimal entry = Decimal::from_raw(mark_raw + uniform(-mark_raw / 50, mark_raw / 50), ps);
        ASSERT_TRUE(book.set_position(i, q, entry));
      }
      ASSERT_TRUE(book.set_mark(i, model::Price(Decimal::from_raw(mark_raw, ps)), kT0));
      for (std::int64_t k = uniform(0, 2); k > 0; --k) {
        const OrderSide side = uniform(0, 1) == 0 ? OrderSide::Buy : OrderSide::Sell;
        const Decimal q = Decimal::from_raw(uniform(1, u.max_position_steps[i] / 4), qs);
        const Decimal p = Decimal::from_raw(mark_raw + uniform(-mark_raw / 40, mark_raw / 40), ps);
        ASSERT_TRUE(book.add_open_order(i, side, q, model::Price(p)));
      }
    }
    RiskEngine engine = RiskEngine::create(property_config(u, n % 2 == 0), book, kT0).value();
    ASSERT_TRUE(engine.set_var_model(cov, {0, 1, 2}));

    OrderRequest order;
    order.slot = static_cast<portfolio::SlotIndex>(uniform(0, 2));
    const std::size_t i = order.slot;
    order.side = uniform(0, 1) == 0 ? OrderSide::Buy : OrderSide::Sell;
    order.quantity = model::Quantity(Decimal::from_raw(uniform(1, u.max_position_steps[i] * 3 / 2), u.qty_scale[i]));
    order.reduce_only = uniform(0, 9) == 0;
    const portfolio::InstrumentSlot& slot = book.slot(order.slot);
    if (uniform(0, 1) == 0) {
      order.type = model::OrderType::Limit;
      const std::int64_t mark_raw = slot.mark.value().raw();
      order.price = model::Price(Decimal::from_raw(mark_raw + uniform(-mark_raw / 50, mark_raw / 50), u.price_scale[i]));
    }
    const RiskDecision d = engine.evaluate(order, kT0);
    if (!d.approved()) {
      ++denied;
      continue;
    }
    (d.verdict == Verdict::ApprovedReduced ? reduced : approved)++;
    const Decimal q = d.quantity.value();
    ASSERT_TRUE(q.is_positive());
    ASSERT_LE(q, order.quantity.value());
    const model::Price price = order.price.value_or(slot.mark);
    const int sign = order.side == OrderSide::Buy ? 1 : -1;
    const bool reducing = !slot.quantity.is_zero() && (slot.quantity.sign() != sign) && q <= slot.quantity.abs();
    const RiskConfig& cfg = engine.config();
    const InstrumentLimits limits = cfg.limits_for(slot.instrument->id());

    // Post-state A: the order rests.
    portfolio::PortfolioBook resting = book;
    ASSERT_TRUE(resting.add_open_order(order.slot, order.side, q, price));
    const portfolio::InstrumentSlot& ra = resting.slot(order.slot);
    EXPECT_LE(ra.open_orders, limits.max_open_orders.value);
    EXPECT_LE(resting.open_orders(), cfg.max_open_orders_total.value);
    EXPECT_LE(q, limits.max_order_quantity.value);
    if (reducing) continue;
    const Decimal same_qty = sign > 0 ? ra.open_buy_quantity : ra.open_sell_quantity;
    const Decimal same_notional = sign > 0 ? ra.open_buy_notional : ra.open_sell_notional;
    EXPECT_LE((ra.quantity + (sign > 0 ? same_qty : -same_qty)).abs(), limits.max_position_quantity.value);
    EXPECT_LE((ra.notional + (sign > 0 ? same_notional : -same_notional)).abs(), limits.max_position_notional.value);
    EXPECT_GE(resting.available_margin(), Decimal()) << "available " << book.available_margin().to_string();

    // Post-state B: the order fills at its price.
    portfolio::PortfolioBook filled = book;
    ASSERT_TRUE(filled.apply_fill(order.slot, order.side, q, price, Decimal()));
    ++checked_fills;
    const portfolio::InstrumentSlot& fb = filled.slot(order.slot);
    EXPECT_LE(fb.notional.abs(), limits.max_position_notional.value);
    EXPECT_LE(filled.gross_exposure(), cfg.max_gross_exposure.value);
    EXPECT_TRUE(filled.net_exposure().abs() <= cfg.max_net_exposure.value ||
                filled.net_exposure().abs() <= book.net_exposure().abs())
        << filled.net_exposure().to_string();
    ASSERT_TRUE(filled.equity().is_positive());
    EXPECT_TRUE(ratio_within(fb.notional.abs(), filled.equity(), limits.max_concentration.value))
        << fb.notional.to_string() << " / " << filled.equity().to_string();
    EXPECT_TRUE(ratio_within(filled.gross_exposure(), filled.equity(), cfg.max_leverage.value))
        << filled.gross_exposure().to_string() << " / " << filled.equity().to_string();
    const double var_before = independent_var(book, cov);
    const double var_after = independent_var(filled, cov);
    EXPECT_LE(var_after, std::max(cfg.portfolio_var.max_var.to_double(), var_before) * (1 + 1e-9))
        << "before " << var_before;
    if (HasFailure()) return;
  }
  // The property is not vacuous: plenty of orders get through, some reduced, many are stopped.
  EXPECT_GT(approved, kCases / 10);
  EXPECT_GT(reduced, kCases / 100);
  EXPECT_GT(denied, kCases / 10);
  EXPECT_GT(checked_fills, kCases / 10);
}

}  // namespace
}  // namespace ballast::risk
