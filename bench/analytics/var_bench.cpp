// Speed of the VaR stack (docs/analytics/var.md, "Performance"). Targets: historical VaR + ES of
// 500 instruments × 1,000 days < 2 ms; sample covariance 500 × 1,000 < 20 ms; Monte Carlo VaR of
// 100 instruments × 100,000 scenarios < 150 ms on 2 cores (measured here on one); incremental VaR of
// one order against a 100-position book < 2 µs.

#include "ballast/analytics/covariance.hpp"
#include "ballast/analytics/monte_carlo_var.hpp"
#include "ballast/analytics/portfolio_construction.hpp"
#include "ballast/analytics/random_stream.hpp"
#include "ballast/analytics/var.hpp"
#include "ballast/analytics/var_decomposition.hpp"

#include <benchmark/benchmark.h>
#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace {

using ballast::analytics::RandomStream;

// T × N daily returns: a one-factor model (market beta 0.5–1.5) plus idiosyncratic noise, so the
// covariance is dense and well conditioned.
Eigen::MatrixXd factor_returns(Eigen::Index days, Eigen::Index instruments, std::uint64_t seed) {
  RandomStream s(seed);
  Eigen::VectorXd beta(instruments);
  for (auto& b : beta) b = 0.5 + s.uniform();
  Eigen::MatrixXd r(days, instruments);
  for (Eigen::Index t = 0; t < days; ++t) {
    const double market = 0.01 * s.normal();
    for (Eigen::Index i = 0; i < instruments; ++i) r(t, i) = beta[i] * market + 0.015 * s.normal();
  }
  return r;
}

Eigen::VectorXd book(Eigen::Index instruments, std::uint64_t seed) {
  RandomStream s(seed);
  Eigen::VectorXd e(instruments);
  for (auto& v : e) v = 1e5 * s.normal();
  return e;
}

void BM_HistoricalPortfolioVar(benchmark::State& state) {
  const Eigen::MatrixXd r = factor_returns(state.range(1), state.range(0), 1);
  const Eigen::VectorXd e = book(state.range(0), 2);
  for (auto _ : state) {
    auto v = ballast::analytics::historical_portfolio_var(r, e, {0.99, 1});
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_HistoricalPortfolioVar)->Args({500, 1000})->Unit(benchmark::kMicrosecond);

void BM_SampleCovariance(benchmark::State& state) {
  const Eigen::MatrixXd r = factor_returns(state.range(1), state.range(0), 3);
  for (auto _ : state) {
    auto c = ballast::analytics::sample_covariance(r);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_SampleCovariance)->Args({500, 1000})->Args({100, 1000})->Unit(benchmark::kMillisecond);

void BM_LedoitWolfConstantCorrelation(benchmark::State& state) {
  const Eigen::MatrixXd r = factor_returns(state.range(1), state.range(0), 4);
  for (auto _ : state) {
    auto c = ballast::analytics::ledoit_wolf_covariance(r, ballast::analytics::ShrinkageTarget::ConstantCorrelation);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_LedoitWolfConstantCorrelation)->Args({500, 1000})->Unit(benchmark::kMillisecond);

// Full run: factorisation, 100,000 scenario P&Ls (one dot product each after b = Bᵀe), summary.
void BM_MonteCarloVar(benchmark::State& state) {
  const Eigen::MatrixXd cov = *ballast::analytics::sample_covariance(factor_returns(1000, state.range(0), 5));
  const Eigen::VectorXd e = book(state.range(0), 6);
  ballast::analytics::MonteCarloConfig config;
  config.scenarios = static_cast<std::size_t>(state.range(1));
  config.distribution = state.range(2) == 0 ? ballast::analytics::ScenarioDistribution::Normal
                                            : ballast::analytics::ScenarioDistribution::StudentT;
  for (auto _ : state) {
    auto v = ballast::analytics::monte_carlo_var(cov, e, {0.99, 1}, config);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_MonteCarloVar)->Args({100, 100'000, 0})->Args({100, 100'000, 1})->Unit(benchmark::kMillisecond);

// Full return vectors for non-linear revaluation: 100 × 100,000 draws, then B·Z (triangular GEMM).
void BM_MonteCarloReturnScenarios(benchmark::State& state) {
  const Eigen::MatrixXd cov = *ballast::analytics::sample_covariance(factor_returns(1000, state.range(0), 5));
  const Eigen::VectorXd e = book(state.range(0), 6);
  ballast::analytics::MonteCarloConfig config;
  config.scenarios = static_cast<std::size_t>(state.range(1));
  auto sim = ballast::analytics::MonteCarloVarSimulator::create(cov, e, {0.99, 1}, config);
  Eigen::MatrixXd out(state.range(0), state.range(1));
  for (auto _ : state) {
    sim->simulate_returns(0, config.scenarios, out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_MonteCarloReturnScenarios)->Args({100, 100'000})->Unit(benchmark::kMillisecond);

void BM_NormalDraws(benchmark::State& state) {
  RandomStream s(7);
  for (auto _ : state) benchmark::DoNotOptimize(s.normal());
}
BENCHMARK(BM_NormalDraws);

void BM_IncrementalVar(benchmark::State& state) {
  const auto n = state.range(0);
  const Eigen::MatrixXd cov = *ballast::analytics::sample_covariance(factor_returns(1000, n, 8));
  auto calc = ballast::analytics::IncrementalVarCalculator::create(cov, book(n, 9), {0.99, 1});
  std::size_t i = 0;
  double delta = 1e4;
  for (auto _ : state) {
    benchmark::DoNotOptimize(calc->incremental_var(i, delta));
    i = (i + 7) % static_cast<std::size_t>(n);
    delta = -delta;
  }
}
BENCHMARK(BM_IncrementalVar)->Arg(100)->Arg(500);

void BM_IncrementalVarApplyFill(benchmark::State& state) {
  const auto n = state.range(0);
  const Eigen::MatrixXd cov = *ballast::analytics::sample_covariance(factor_returns(1000, n, 8));
  auto calc = ballast::analytics::IncrementalVarCalculator::create(cov, book(n, 9), {0.99, 1});
  std::size_t i = 0;
  double delta = 1e4;
  for (auto _ : state) {
    calc->apply(i, delta);
    i = (i + 7) % static_cast<std::size_t>(n);
    delta = -delta;
  }
}
BENCHMARK(BM_IncrementalVarApplyFill)->Arg(100);

void BM_FullParametricVar(benchmark::State& state) {
  const auto n = state.range(0);
  const Eigen::MatrixXd cov = *ballast::analytics::sample_covariance(factor_returns(1000, n, 8));
  const Eigen::VectorXd e = book(n, 9);
  for (auto _ : state) {
    auto v = ballast::analytics::parametric_portfolio_var(cov, e, {0.99, 1});
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_FullParametricVar)->Arg(100);

void BM_MinimumVariance(benchmark::State& state) {
  const Eigen::MatrixXd cov = *ballast::analytics::sample_covariance(factor_returns(1000, state.range(0), 10));
  for (auto _ : state) {
    auto w = ballast::analytics::minimum_variance_weights(cov);
    benchmark::DoNotOptimize(w);
  }
}
BENCHMARK(BM_MinimumVariance)->Arg(100)->Unit(benchmark::kMillisecond);

void BM_RiskParity(benchmark::State& state) {
  const Eigen::MatrixXd cov = *ballast::analytics::sample_covariance(factor_returns(1000, state.range(0), 11));
  for (auto _ : state) {
    auto w = ballast::analytics::risk_parity_weights(cov);
    benchmark::DoNotOptimize(w);
  }
}
BENCHMARK(BM_RiskParity)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace
