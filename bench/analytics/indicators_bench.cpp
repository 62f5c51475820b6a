// Technical indicators: batch throughput over 10 million points and the cost of one streaming update.
//
// Every benchmark reports `ns_per_point` (wall time per input point) and items/s. Batch figures come in
// two forms:
//   *_into  — writing into caller-owned outputs allocated once (the hot-path form: a backtest
//             recomputing indicators over the same series reuses its buffers);
//   plain   — the allocating form, which adds a fresh 80 MB vector per output per call. At this size
//             glibc maps every such vector anew, so that figure includes the kernel's first-touch page
//             faults (several ns per point on this VM), which no indicator code can avoid.
// Targets (docs/analytics/indicators.md): batch <= 3 ns/point, streaming update <= 15 ns.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include "ballast/analytics/indicators.hpp"

namespace {

namespace an = ballast::analytics;

constexpr std::size_t kBatchPoints = 10'000'000;
constexpr std::size_t kStreamPoints = 1'000'000;

struct Ohlc {
  std::vector<double> high, low, close;
};

// A geometric random walk around 100 with 1% steps, and bars around it.
Ohlc make_bars(std::size_t n) {
  std::mt19937_64 rng(20240229);
  std::normal_distribution<double> step(0.0, 0.01);
  std::uniform_real_distribution<double> wick(0.0, 0.005);
  Ohlc b;
  b.high.resize(n);
  b.low.resize(n);
  b.close.resize(n);
  double price = 100.0;
  for (std::size_t i = 0; i < n; ++i) {
    price *= std::exp(step(rng));
    b.close[i] = price;
    b.high[i] = price * (1.0 + wick(rng));
    b.low[i] = price * (1.0 - wick(rng));
  }
  return b;
}

const Ohlc& batch_bars() {
  static const Ohlc bars = make_bars(kBatchPoints);
  return bars;
}

const Ohlc& stream_bars() {
  static const Ohlc bars = make_bars(kStreamPoints);
  return bars;
}

void report(benchmark::State& state, std::size_t points_per_iteration) {
  const auto items = static_cast<double>(points_per_iteration) * static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  // Iteration-invariant rate inverted = seconds per point; shown with an SI prefix (e.g. "1.8n").
  state.counters["ns_per_point"] =
      benchmark::Counter(static_cast<double>(points_per_iteration),
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

template <class T>
T must(ballast::core::Result<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(*r);
}

void must(const ballast::core::Status& s) {
  if (!s) throw std::runtime_error(s.error().to_string());
}

// ---- batch, caller-owned outputs ---------------------------------------------------------------

void BM_SmaInto(benchmark::State& state) {
  const auto& c = batch_bars().close;
  std::vector<double> out(c.size());
  for (auto _ : state) {
    must(an::sma_into(c, 20, out));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state, c.size());
}
BENCHMARK(BM_SmaInto)->Unit(benchmark::kMillisecond);

void BM_EmaInto(benchmark::State& state) {
  const auto& c = batch_bars().close;
  std::vector<double> out(c.size());
  for (auto _ : state) {
    must(an::ema_into(c, 20, out));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state, c.size());
}
BENCHMARK(BM_EmaInto)->Unit(benchmark::kMillisecond);

void BM_RsiInto(benchmark::State& state) {
  const auto& c = batch_bars().close;
  std::vector<double> out(c.size());
  for (auto _ : state) {
    must(an::rsi_into(c, 14, out));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state, c.size());
}
BENCHMARK(BM_RsiInto)->Unit(benchmark::kMillisecond);

void BM_AtrInto(benchmark::State& state) {
  const auto& b = batch_bars();
  std::vector<double> out(b.close.size());
  for (auto _ : state) {
    must(an::atr_into(b.high, b.low, b.close, 14, out));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state, b.close.size());
}
BENCHMARK(BM_AtrInto)->Unit(benchmark::kMillisecond);

void BM_BollingerInto(benchmark::State& state) {
  const auto& c = batch_bars().close;
  std::vector<double> middle(c.size()), upper(c.size()), lower(c.size());
  for (auto _ : state) {
    must(an::bollinger_into(c, {}, middle, upper, lower));
    benchmark::DoNotOptimize(middle.data());
    benchmark::ClobberMemory();
  }
  report(state, c.size());
}
BENCHMARK(BM_BollingerInto)->Unit(benchmark::kMillisecond);

void BM_MacdInto(benchmark::State& state) {
  const auto& c = batch_bars().close;
  std::vector<double> line(c.size()), signal(c.size()), histogram(c.size());
  for (auto _ : state) {
    must(an::macd_into(c, {}, line, signal, histogram));
    benchmark::DoNotOptimize(line.data());
    benchmark::ClobberMemory();
  }
  report(state, c.size());
}
BENCHMARK(BM_MacdInto)->Unit(benchmark::kMillisecond);

// ---- batch, allocating -------------------------------------------------------------------------

void BM_Sma(benchmark::State& state) {
  const auto& c = batch_bars().close;
  for (auto _ : state) benchmark::DoNotOptimize(must(an::sma(c, 20)).data());
  report(state, c.size());
}
BENCHMARK(BM_Sma)->Unit(benchmark::kMillisecond);

void BM_Ema(benchmark::State& state) {
  const auto& c = batch_bars().close;
  for (auto _ : state) benchmark::DoNotOptimize(must(an::ema(c, 20)).data());
  report(state, c.size());
}
BENCHMARK(BM_Ema)->Unit(benchmark::kMillisecond);

void BM_Rsi(benchmark::State& state) {
  const auto& c = batch_bars().close;
  for (auto _ : state) benchmark::DoNotOptimize(must(an::rsi(c, 14)).data());
  report(state, c.size());
}
BENCHMARK(BM_Rsi)->Unit(benchmark::kMillisecond);

void BM_Atr(benchmark::State& state) {
  const auto& b = batch_bars();
  for (auto _ : state) benchmark::DoNotOptimize(must(an::atr(b.high, b.low, b.close, 14)).data());
  report(state, b.close.size());
}
BENCHMARK(BM_Atr)->Unit(benchmark::kMillisecond);

void BM_Bollinger(benchmark::State& state) {
  const auto& c = batch_bars().close;
  for (auto _ : state) benchmark::DoNotOptimize(must(an::bollinger(c)).middle.data());
  report(state, c.size());
}
BENCHMARK(BM_Bollinger)->Unit(benchmark::kMillisecond);

void BM_Macd(benchmark::State& state) {
  const auto& c = batch_bars().close;
  for (auto _ : state) benchmark::DoNotOptimize(must(an::macd(c)).macd.data());
  report(state, c.size());
}
BENCHMARK(BM_Macd)->Unit(benchmark::kMillisecond);

// ---- streaming: one update per point -----------------------------------------------------------

template <class Calc, class Make, class Feed>
void run_stream(benchmark::State& state, Make make, Feed feed) {
  const auto& b = stream_bars();
  for (auto _ : state) {
    Calc calc = must(make());
    for (std::size_t i = 0; i < b.close.size(); ++i) benchmark::DoNotOptimize(feed(calc, b, i));
  }
  report(state, b.close.size());
}

auto close_feed = [](auto& calc, const Ohlc& b, std::size_t i) { return calc.update(b.close[i]); };
auto bar_feed = [](auto& calc, const Ohlc& b, std::size_t i) { return calc.update(b.high[i], b.low[i], b.close[i]); };

void BM_StreamSma(benchmark::State& s) {
  run_stream<an::SmaCalculator>(
      s, [] { return an::SmaCalculator::create(20); }, close_feed);
}
void BM_StreamEma(benchmark::State& s) {
  run_stream<an::EmaCalculator>(
      s, [] { return an::EmaCalculator::create(20); }, close_feed);
}
void BM_StreamWma(benchmark::State& s) {
  run_stream<an::WmaCalculator>(
      s, [] { return an::WmaCalculator::create(20); }, close_feed);
}
void BM_StreamTema(benchmark::State& s) {
  run_stream<an::TemaCalculator>(
      s, [] { return an::TemaCalculator::create(20); }, close_feed);
}
void BM_StreamRsi(benchmark::State& s) {
  run_stream<an::RsiCalculator>(
      s, [] { return an::RsiCalculator::create(14); }, close_feed);
}
void BM_StreamMacd(benchmark::State& s) {
  run_stream<an::MacdCalculator>(
      s, [] { return an::MacdCalculator::create(); }, close_feed);
}
void BM_StreamBollinger(benchmark::State& s) {
  run_stream<an::BollingerCalculator>(
      s, [] { return an::BollingerCalculator::create(); }, close_feed);
}
void BM_StreamLinRegSlope(benchmark::State& s) {
  run_stream<an::LinRegSlopeCalculator>(
      s, [] { return an::LinRegSlopeCalculator::create(14); }, close_feed);
}
void BM_StreamAtr(benchmark::State& s) {
  run_stream<an::AtrCalculator>(
      s, [] { return an::AtrCalculator::create(14); }, bar_feed);
}
void BM_StreamAdx(benchmark::State& s) {
  run_stream<an::AdxCalculator>(
      s, [] { return an::AdxCalculator::create(14); }, bar_feed);
}
void BM_StreamStochastic(benchmark::State& s) {
  run_stream<an::StochasticCalculator>(
      s, [] { return an::StochasticCalculator::create(); }, bar_feed);
}
void BM_StreamWilliamsR(benchmark::State& s) {
  run_stream<an::WilliamsRCalculator>(
      s, [] { return an::WilliamsRCalculator::create(14); }, bar_feed);
}
void BM_StreamCci(benchmark::State& s) {
  run_stream<an::CciCalculator>(
      s, [] { return an::CciCalculator::create(20); }, bar_feed);
}
void BM_StreamKeltner(benchmark::State& s) {
  run_stream<an::KeltnerCalculator>(
      s, [] { return an::KeltnerCalculator::create(); }, bar_feed);
}
void BM_StreamVwap(benchmark::State& s) {
  run_stream<an::VwapCalculator>(
      s, [] { return an::VwapCalculator::create(); },
      [](an::VwapCalculator& calc, const Ohlc& b, std::size_t i) {
        // 1440 one-minute bars per session, volume 1..2.
        return calc.update(b.high[i], b.low[i], b.close[i], 1.0 + 0.001 * static_cast<double>(i % 1000),
                           static_cast<std::int64_t>(i / 1440));
      });
}
BENCHMARK(BM_StreamSma)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamEma)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamWma)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamTema)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamRsi)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamMacd)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamBollinger)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamLinRegSlope)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamAtr)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamAdx)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamStochastic)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamWilliamsR)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamCci)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamKeltner)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamVwap)->Unit(benchmark::kMillisecond);

}  // namespace
