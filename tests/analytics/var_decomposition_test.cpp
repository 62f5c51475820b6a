#include "ballast/analytics/var_decomposition.hpp"

#include "ballast/analytics/random_stream.hpp"
#include "ballast/core/require.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ballast::analytics {
namespace {

// A random positive-definite covariance (daily vols 1–4%) and a long/short book, from a fixed seed.
struct Book {
  Eigen::MatrixXd cov;
  Eigen::VectorXd exposures;
  Eigen::VectorXd mean;
};

Book random_book(int n, std::uint64_t seed) {
  RandomStream s(seed);
  Eigen::MatrixXd a(n, n);
  for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = s.normal();
  Eigen::MatrixXd corr = a * a.transpose() + 0.5 * n * Eigen::MatrixXd::Identity(n, n);
  const Eigen::VectorXd d = corr.diagonal().cwiseSqrt().cwiseInverse();
  corr = d.asDiagonal() * corr * d.asDiagonal();
  Eigen::VectorXd vol(n);
  for (auto& v : vol) v = 0.01 + 0.03 * s.uniform();
  Book b;
  b.cov = vol.asDiagonal() * corr * vol.asDiagonal();
  b.exposures.resize(n);
  b.mean.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    b.exposures[i] = 1e5 * s.normal();
    b.mean[i] = 0.0005 * s.normal();
  }
  return b;
}

double full_var(const Book& b, const Eigen::VectorXd& e, const VarSpec& spec) {
  auto r = parametric_portfolio_var(b.cov, e, b.mean, spec);
  BALLAST_REQUIRE(r.has_value(), "test portfolio must be valid");
  return r->var;
}

TEST(VarDecomposition, ComponentsSumToTheTotal) {
  const Book b = random_book(25, 1);
  for (const VarSpec spec : {VarSpec{0.99, 1}, VarSpec{0.95, 10}}) {
    auto d = decompose_parametric_var(b.cov, b.exposures, b.mean, spec);
    ASSERT_TRUE(d) << d.error().to_string();
    EXPECT_NEAR(d->component.sum() / d->var, 1.0, 1e-12);
    EXPECT_NEAR(d->var, full_var(b, b.exposures, spec), 1e-9 * d->var);
  }
}

TEST(VarDecomposition, MarginalIsTheDerivativeOfVar) {
  // Central finite difference with step 1 (currency) on exposures of ~1e5: truncation error is
  // O(step²·VaR″) ≈ 1e-10 relative, rounding ≈ 1e-16·VaR/step.
  const Book b = random_book(8, 2);
  const VarSpec spec{0.99, 1};
  auto d = decompose_parametric_var(b.cov, b.exposures, b.mean, spec);
  ASSERT_TRUE(d);
  for (Eigen::Index i = 0; i < 8; ++i) {
    Eigen::VectorXd up = b.exposures;
    Eigen::VectorXd down = b.exposures;
    up[i] += 1.0;
    down[i] -= 1.0;
    const double numeric = (full_var(b, up, spec) - full_var(b, down, spec)) / 2.0;
    EXPECT_NEAR(d->marginal[i], numeric, 1e-6 * std::abs(d->marginal[i]) + 1e-9) << i;
  }
}

TEST(VarDecomposition, MatchesTheClosedFormForTwoUncorrelatedEqualPositions) {
  // σ_p = √2·σV, so marginal = z·σ²V/σ_p = zσ/√2 and each component is half the VaR.
  const Eigen::Matrix2d cov = Eigen::Matrix2d::Identity() * 0.0004;
  auto d = decompose_parametric_var(cov, Eigen::Vector2d(1e6, 1e6), {0.99, 1});
  ASSERT_TRUE(d);
  const double z = 2.326347874040841;
  EXPECT_NEAR(d->var, z * 0.02 * 1e6 * std::sqrt(2.0), 1e-8);
  EXPECT_NEAR(d->marginal[0], z * 0.02 / std::sqrt(2.0), 1e-14);
  EXPECT_NEAR(d->component[0], d->var / 2.0, 1e-8);
  EXPECT_NEAR(d->volatility, 0.02 * 1e6 * std::sqrt(2.0), 1e-8);
}

TEST(VarDecomposition, IsUndefinedAtZeroVolatility) {
  const Eigen::Matrix2d cov = Eigen::Matrix2d::Zero();
  auto d = decompose_parametric_var(cov, Eigen::Vector2d(1e6, 1e6), {0.99, 1});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code(), core::ErrorCode::InvalidArgument);
}

TEST(IncrementalVarCalculator, MatchesFullRecomputationForSingleInstrumentOrders) {
  const Book b = random_book(100, 3);
  const VarSpec spec{0.99, 1};
  auto calc = IncrementalVarCalculator::create(b.cov, b.exposures, b.mean, spec);
  ASSERT_TRUE(calc) << calc.error().to_string();
  EXPECT_NEAR(calc->var(), full_var(b, b.exposures, spec), 1e-12 * calc->var());
  RandomStream s(4);
  for (int k = 0; k < 100; ++k) {
    const auto i = static_cast<std::size_t>(s.next_bits() % 100);
    const double delta = 2e5 * s.normal();  // can flip the position's sign
    Eigen::VectorXd after = b.exposures;
    after[static_cast<Eigen::Index>(i)] += delta;
    const double expected = full_var(b, after, spec);
    EXPECT_NEAR(calc->var_after(i, delta), expected, 1e-10 * expected) << k;
    EXPECT_NEAR(calc->incremental_var(i, delta), expected - calc->var(), 1e-10 * expected) << k;
  }
}

TEST(IncrementalVarCalculator, MatchesFullRecomputationForMultiLegOrders) {
  const Book b = random_book(30, 5);
  const VarSpec spec{0.975, 5};
  auto calc = IncrementalVarCalculator::create(b.cov, b.exposures, b.mean, spec);
  ASSERT_TRUE(calc);
  // A pair trade plus a repeated leg in the same instrument.
  const std::vector<ExposureChange> legs = {{3, 2e5}, {17, -1.5e5}, {3, 5e4}, {29, 1e4}};
  Eigen::VectorXd after = b.exposures;
  for (const auto& leg : legs) after[static_cast<Eigen::Index>(leg.index)] += leg.delta;
  const double expected = full_var(b, after, spec);
  EXPECT_NEAR(calc->var_after(legs), expected, 1e-10 * expected);
  EXPECT_NEAR(calc->incremental_var(legs), expected - calc->var(), 1e-10 * expected);
}

TEST(IncrementalVarCalculator, StaysExactAfterManyPositionUpdates) {
  const Book b = random_book(50, 6);
  const VarSpec spec{0.99, 1};
  auto calc = IncrementalVarCalculator::create(b.cov, b.exposures, spec);
  ASSERT_TRUE(calc);
  Book held = b;
  held.mean.setZero();
  RandomStream s(7);
  for (int k = 0; k < 5000; ++k) {
    const auto i = static_cast<std::size_t>(s.next_bits() % 50);
    const double delta = 5e4 * s.normal();
    calc->apply(i, delta);
    held.exposures[static_cast<Eigen::Index>(i)] += delta;
  }
  calc->set_exposure(7, 0.0);
  held.exposures[7] = 0.0;
  const double expected = full_var(held, held.exposures, spec);
  EXPECT_NEAR(calc->var(), expected, 1e-10 * expected);
  EXPECT_NEAR(calc->var_after(2, 1e5), full_var(held, held.exposures + 1e5 * Eigen::VectorXd::Unit(50, 2), spec),
              1e-10 * expected);
  auto d = decompose_parametric_var(held.cov, held.exposures, spec);
  ASSERT_TRUE(d);
  EXPECT_NEAR(calc->marginal_var(11), d->marginal[11], 1e-10 * std::abs(d->marginal[11]));
}

TEST(IncrementalVarCalculator, RejectsAnIndexOutsideTheBook) {
  const Book b = random_book(4, 8);
  auto calc = IncrementalVarCalculator::create(b.cov, b.exposures, {0.99, 1});
  ASSERT_TRUE(calc);
  EXPECT_THROW((void)calc->incremental_var(4, 1.0), core::InvariantError);
  const std::vector<ExposureChange> legs = {{0, 1.0}, {9, 1.0}};
  EXPECT_THROW((void)calc->var_after(legs), core::InvariantError);
  EXPECT_FALSE(IncrementalVarCalculator::create(b.cov, Eigen::VectorXd::Zero(3), {0.99, 1}));
}

}  // namespace
}  // namespace ballast::analytics
