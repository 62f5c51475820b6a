#include "ballast/analytics/covariance.hpp"

#include "ballast/analytics/random_stream.hpp"

#include <gtest/gtest.h>
#include <Eigen/Cholesky>

#include <cmath>
#include <limits>

namespace ballast::analytics {
namespace {

Eigen::MatrixXd rows(std::initializer_list<std::initializer_list<double>> values) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(values.size()), static_cast<Eigen::Index>(values.begin()->size()));
  Eigen::Index r = 0;
  for (const auto& row : values) {
    Eigen::Index c = 0;
    for (double v : row) m(r, c++) = v;
    ++r;
  }
  return m;
}

// ---- Sample covariance ---------------------------------------------------------------------------

TEST(SampleCovariance, MatchesAHandComputation) {
  // x = (1, 2, 3, 6), y = (2, 1, 4, 5): means 3 and 3; deviations x: (−2, −1, 0, 3), y: (−1, −2, 1, 2).
  // var x = (4 + 1 + 0 + 9)/3 = 14/3, var y = (1 + 4 + 1 + 4)/3 = 10/3, cov = (2 + 2 + 0 + 6)/3 = 10/3.
  const Eigen::MatrixXd r = rows({{1, 2}, {2, 1}, {3, 4}, {6, 5}});
  auto s = sample_covariance(r);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_NEAR((*s)(0, 0), 14.0 / 3.0, 1e-14);
  EXPECT_NEAR((*s)(1, 1), 10.0 / 3.0, 1e-14);
  EXPECT_NEAR((*s)(0, 1), 10.0 / 3.0, 1e-14);
  EXPECT_EQ((*s)(0, 1), (*s)(1, 0));
  auto c = sample_correlation(r);
  ASSERT_TRUE(c);
  // ρ = (10/3)/√(14/3 · 10/3) = 10/√140.
  EXPECT_NEAR((*c)(0, 1), 10.0 / std::sqrt(140.0), 1e-14);
  EXPECT_EQ((*c)(0, 0), 1.0);
}

TEST(SampleCovariance, NeedsTwoObservations) {
  auto s = sample_covariance(rows({{0.01, 0.02}}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_NE(s.error().message().find("at least 2"), std::string::npos) << s.error().message();
}

TEST(SampleCovariance, NamesTheRowAndColumnOfANan) {
  Eigen::MatrixXd r = rows({{0.01, 0.02}, {0.03, 0.01}, {-0.02, 0.0}});
  r(2, 1) = std::numeric_limits<double>::quiet_NaN();
  auto s = sample_covariance(r);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("returns(2, 1)"), std::string::npos) << s.error().message();
}

TEST(Correlation, GivesZeroCorrelationToAZeroVarianceInstrument) {
  const Eigen::MatrixXd r = rows({{0.01, 1.0}, {0.03, 1.0}, {-0.02, 1.0}});
  auto c = sample_correlation(r);
  ASSERT_TRUE(c);
  EXPECT_EQ((*c)(0, 1), 0.0);
  EXPECT_EQ((*c)(1, 1), 1.0);
}

// ---- EWMA ------------------------------------------------------------------------------------------

TEST(EwmaCovariance, WeightsRecentObservationsByLambdaPowers) {
  // λ = 0.5, T = 3: raw weights λ², λ, 1 (oldest → newest) normalised by (1 − λ)/(1 − λ³) = 4/7
  // give 1/7, 2/7, 4/7. Rows (1, 2), (−1, 0), (2, −1), zero mean:
  // var x = (1·1 + 2·1 + 4·4)/7 = 19/7, var y = (1·4 + 2·0 + 4·1)/7 = 8/7,
  // cov = (1·2 + 2·0 + 4·(−2))/7 = −6/7.
  auto s = ewma_covariance(rows({{1, 2}, {-1, 0}, {2, -1}}), 0.5);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_NEAR((*s)(0, 0), 19.0 / 7.0, 1e-14);
  EXPECT_NEAR((*s)(1, 1), 8.0 / 7.0, 1e-14);
  EXPECT_NEAR((*s)(0, 1), -6.0 / 7.0, 1e-14);
  EXPECT_NEAR((*s)(1, 0), -6.0 / 7.0, 1e-14);
}

TEST(EwmaCovariance, WithLambdaOneIsTheZeroMeanSecondMoment) {
  auto s = ewma_covariance(rows({{1, 2}, {-1, 0}, {2, -1}}), 1.0);
  ASSERT_TRUE(s);
  EXPECT_NEAR((*s)(0, 0), 6.0 / 3.0, 1e-14);
  EXPECT_NEAR((*s)(0, 1), 0.0, 1e-14);
}

TEST(EwmaCovariance, AcceptsASingleObservationAndRejectsBadLambda) {
  auto s = ewma_covariance(rows({{0.02, -0.01}}), 0.94);
  ASSERT_TRUE(s);
  EXPECT_NEAR((*s)(0, 1), -0.0002, 1e-18);
  EXPECT_FALSE(ewma_covariance(rows({{0.02, -0.01}}), 0.0));
  EXPECT_FALSE(ewma_covariance(rows({{0.02, -0.01}}), 1.5));
}

// ---- Ledoit–Wolf -----------------------------------------------------------------------------------

TEST(LedoitWolf, ScaledIdentityIntensityMatchesAHandComputation) {
  // Rows (4, 1), (0, 3), (2, 2), (2, 2): means (2, 2), y = (2, −1), (−2, 1), (0, 0), (0, 0).
  // S (÷T) = [[2, −1], [−1, 0.5]], m = tr(S)/2 = 1.25, S − mI = [[0.75, −1], [−1, −0.75]],
  // d² = (0.5625·2 + 1·2)/2 = 1.5625. ‖y_t y_tᵀ − S‖²_F is 6.25 for every t (the first two equal S,
  // the last two −S), so b̄² = (4 · 6.25 / 2)/4² = 0.78125 ≤ d², hence δ = 0.78125/1.5625 = 1/2 and
  // Σ̂ = ½·1.25·I + ½·S = [[1.625, −0.5], [−0.5, 0.875]] (Ledoit & Wolf 2004, JMVA, Theorem 3.2).
  auto lw = ledoit_wolf_covariance(rows({{4, 1}, {0, 3}, {2, 2}, {2, 2}}), ShrinkageTarget::ScaledIdentity);
  ASSERT_TRUE(lw) << lw.error().to_string();
  EXPECT_NEAR(lw->intensity, 0.5, 1e-14);
  EXPECT_NEAR(lw->covariance(0, 0), 1.625, 1e-14);
  EXPECT_NEAR(lw->covariance(1, 1), 0.875, 1e-14);
  EXPECT_NEAR(lw->covariance(0, 1), -0.5, 1e-14);
  EXPECT_EQ(lw->target, ShrinkageTarget::ScaledIdentity);
}

TEST(LedoitWolf, ConstantCorrelationMatchesADirectTranscriptionOfThePaper) {
  // Expected values from a Python transcription of the appendix formulas of Ledoit & Wolf (2004),
  // "Honey, I Shrunk the Sample Covariance Matrix", with explicit loops over t for π_ij, θ_ii,ij and
  // θ_jj,ij (no matrix identities): r̄ = 0.3466045082545064, π̂ = 7.672018e-08, ρ̂ = 4.643823e-08,
  // γ̂ = 7.313526e-09, κ̂ = 4.1405415, δ = κ̂/T = 0.5175676937442382.
  const Eigen::MatrixXd r = rows({{0.010, 0.020, -0.005},
                                  {-0.020, -0.010, 0.004},
                                  {0.015, 0.005, 0.010},
                                  {0.000, -0.012, -0.008},
                                  {0.007, 0.011, 0.002},
                                  {-0.012, 0.003, -0.001},
                                  {0.020, 0.018, 0.006},
                                  {-0.005, -0.015, 0.003}});
  auto lw = ledoit_wolf_covariance(r, ShrinkageTarget::ConstantCorrelation);
  ASSERT_TRUE(lw) << lw.error().to_string();
  EXPECT_NEAR(lw->intensity, 0.5175676937442382, 1e-12);
  EXPECT_NEAR(lw->covariance(0, 0), 0.000164359375, 1e-17);
  EXPECT_NEAR(lw->covariance(0, 1), 8.438256752361203e-05, 1e-17);
  EXPECT_NEAR(lw->covariance(0, 2), 2.045562918379218e-05, 1e-17);
  EXPECT_NEAR(lw->covariance(1, 2), 1.6160811627994746e-05, 1e-17);
  EXPECT_NEAR(lw->covariance(2, 2), 2.998437500000001e-05, 1e-17);
}

TEST(LedoitWolf, IntensityStaysInTheUnitIntervalAndConvergesToTheSampleCovariance) {
  // 5 instruments with pairwise correlation 0.5: with more data the estimated intensity falls
  // (κ/T → 0) and the shrunk matrix approaches the sample covariance (÷T).
  Eigen::MatrixXd corr = Eigen::MatrixXd::Constant(5, 5, 0.5);
  corr.diagonal().setOnes();
  const Eigen::MatrixXd chol = corr.llt().matrixL();
  double previous = 2.0;
  for (int t : {20, 200, 5000}) {
    RandomStream s(11);
    Eigen::MatrixXd r(t, 5);
    for (int i = 0; i < t; ++i) {
      Eigen::VectorXd z(5);
      for (auto& v : z) v = s.normal();
      r.row(i) = (chol * z).transpose() * 0.01;
    }
    for (auto target : {ShrinkageTarget::ConstantCorrelation, ShrinkageTarget::ScaledIdentity}) {
      auto lw = ledoit_wolf_covariance(r, target);
      ASSERT_TRUE(lw);
      EXPECT_GE(lw->intensity, 0.0);
      EXPECT_LE(lw->intensity, 1.0);
    }
    auto lw = ledoit_wolf_covariance(r, ShrinkageTarget::ScaledIdentity);
    EXPECT_LT(lw->intensity, previous);
    previous = lw->intensity;
  }
  EXPECT_LT(previous, 0.01);
}

TEST(LedoitWolf, TwoInstrumentsAlreadyHaveConstantCorrelation) {
  // With N = 2 the single correlation is the average, so F = S and there is nothing to shrink.
  auto lw = ledoit_wolf_covariance(rows({{1, 2}, {2, 1}, {3, 4}, {6, 5}}), ShrinkageTarget::ConstantCorrelation);
  ASSERT_TRUE(lw);
  EXPECT_EQ(lw->intensity, 0.0);
  EXPECT_NEAR(lw->covariance(0, 1), 10.0 / 4.0, 1e-14);  // ÷T, see SampleCovariance test
}

// ---- Factorisation ---------------------------------------------------------------------------------

TEST(FactorCovariance, UsesCholeskyForAPositiveDefiniteMatrix) {
  const Eigen::MatrixXd cov = rows({{4, 2}, {2, 3}});
  auto f = factor_covariance(cov);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->method, FactorMethod::Cholesky);
  // L = [[2, 0], [1, √2]].
  EXPECT_NEAR(f->matrix(0, 0), 2.0, 1e-15);
  EXPECT_NEAR(f->matrix(1, 0), 1.0, 1e-15);
  EXPECT_NEAR(f->matrix(1, 1), std::sqrt(2.0), 1e-15);
  EXPECT_EQ(f->matrix(0, 1), 0.0);
}

TEST(FactorCovariance, FallsBackToClippedEigenvaluesForASingularMatrix) {
  // Perfectly correlated pair plus a zero-volatility instrument: rank 1.
  const Eigen::MatrixXd cov = rows({{0.04, 0.02, 0}, {0.02, 0.01, 0}, {0, 0, 0}});
  auto f = factor_covariance(cov);
  ASSERT_TRUE(f) << f.error().to_string();
  EXPECT_EQ(f->method, FactorMethod::ClippedEigenvalues);
  EXPECT_LT((f->matrix * f->matrix.transpose() - cov).cwiseAbs().maxCoeff(), 1e-16);
}

TEST(FactorCovariance, HandlesMoreInstrumentsThanObservations) {
  RandomStream s(3);
  Eigen::MatrixXd r(4, 6);
  for (Eigen::Index i = 0; i < r.size(); ++i) r.data()[i] = 0.01 * s.normal();
  auto cov = sample_covariance(r);  // rank ≤ 3
  ASSERT_TRUE(cov);
  auto f = factor_covariance(*cov);
  ASSERT_TRUE(f) << f.error().to_string();
  EXPECT_LT((f->matrix * f->matrix.transpose() - *cov).cwiseAbs().maxCoeff(), 1e-15);
}

TEST(FactorCovariance, RejectsAnIndefiniteOrAsymmetricMatrix) {
  auto indefinite = factor_covariance(rows({{1, 2}, {2, 1}}));  // eigenvalues 3 and −1
  ASSERT_FALSE(indefinite);
  EXPECT_NE(indefinite.error().message().find("not positive semidefinite"), std::string::npos);
  EXPECT_FALSE(factor_covariance(rows({{1, 0.5}, {0.4, 1}})));
  EXPECT_FALSE(factor_covariance(rows({{-1, 0}, {0, 1}})));
}

}  // namespace
}  // namespace ballast::analytics
