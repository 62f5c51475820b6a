// Data-module throughput: CSV reading (target ≥ 5 M OHLCV rows/s on one core, warm page cache),
// resampling and the synthetic market generator.
//
// The input is 2 M one-minute BTCUSDT bars from the generator's crypto preset, written once to a temp
// file as "timestamp,open,high,low,close,volume" (epoch ms, and a second file with ISO-8601 times) and
// read once before timing so the page cache is warm. Counters: rows/s (kIsRate) and bytes/s.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "ballast/data/binance_kline_csv.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/data/resample.hpp"
#include "ballast/data/synthetic_market_generator.hpp"

namespace ballast::data {
namespace {

constexpr std::size_t kRows = 2'000'000;

// Files written once per process and removed at exit.
class BenchFiles {
 public:
  BenchFiles() {
    auto config = crypto_market_preset(std::chrono::minutes(1), 2024);
    config.instruments.resize(1);
    config.correlation.clear();
    auto generator = SyntheticMarketGenerator::create(config);
    if (!generator) throw std::runtime_error(generator.error().to_string());
    series_ = std::move(generator->generate(kRows).front());
    const auto dir = std::filesystem::temp_directory_path();
    const std::string stem = "ballast-csv-bench-" + std::to_string(::getpid());
    millis_path_ = dir / (stem + "-ms.csv");
    iso_path_ = dir / (stem + "-iso.csv");
    klines_path_ = dir / (stem + "-klines.csv");
    write(millis_path_, CsvTimestampFormat::EpochMillis);
    write(iso_path_, CsvTimestampFormat::Iso8601);
    if (!write_binance_klines(klines_path_, series_)) throw std::runtime_error("cannot write the kline file");
    // Warm the page cache.
    for (const auto& p : {millis_path_, iso_path_}) (void)read_ohlcv_csv(p);
    (void)read_binance_klines(klines_path_);
  }
  ~BenchFiles() {
    std::error_code ec;
    for (const auto& p : {millis_path_, iso_path_, klines_path_}) std::filesystem::remove(p, ec);
  }
  BenchFiles(const BenchFiles&) = delete;
  BenchFiles& operator=(const BenchFiles&) = delete;

  static BenchFiles& get() {
    static BenchFiles files;
    return files;
  }

  const model::BarSeries& series() const { return series_; }
  const std::filesystem::path& millis() const { return millis_path_; }
  const std::filesystem::path& iso() const { return iso_path_; }
  const std::filesystem::path& klines() const { return klines_path_; }

 private:
  void write(const std::filesystem::path& path, CsvTimestampFormat format) const {
    OhlcvCsvWriteOptions options;
    options.timestamp_format = format;
    if (!write_ohlcv_csv(path, series_, options)) throw std::runtime_error("cannot write " + path.string());
  }

  model::BarSeries series_;
  std::filesystem::path millis_path_;
  std::filesystem::path iso_path_;
  std::filesystem::path klines_path_;
};

void report(benchmark::State& state, std::size_t rows, std::uintmax_t bytes) {
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(rows) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}

void read_file_bench(benchmark::State& state, const std::filesystem::path& path) {
  std::size_t rows = 0;
  for (auto _ : state) {
    auto series = read_ohlcv_csv(path);
    if (!series) {
      state.SkipWithError(series.error().to_string().c_str());
      return;
    }
    rows = series->bars.size();
    benchmark::DoNotOptimize(series->bars.data());
  }
  report(state, rows, std::filesystem::file_size(path));
}

void BM_ReadOhlcvCsvEpochMillis(benchmark::State& state) {
  read_file_bench(state, BenchFiles::get().millis());
}
BENCHMARK(BM_ReadOhlcvCsvEpochMillis)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_ReadOhlcvCsvIso8601(benchmark::State& state) {
  read_file_bench(state, BenchFiles::get().iso());
}
BENCHMARK(BM_ReadOhlcvCsvIso8601)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_ReadBinanceKlines(benchmark::State& state) {
  const auto& path = BenchFiles::get().klines();
  std::size_t rows = 0;
  for (auto _ : state) {
    auto klines = read_binance_klines(path);
    if (!klines) {
      state.SkipWithError(klines.error().to_string().c_str());
      return;
    }
    rows = klines->series.bars.size();
    benchmark::DoNotOptimize(klines->series.bars.data());
  }
  report(state, rows, std::filesystem::file_size(path));
}
BENCHMARK(BM_ReadBinanceKlines)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_FormatOhlcvCsv(benchmark::State& state) {
  const auto& series = BenchFiles::get().series();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto text = format_ohlcv_csv(series);
    bytes = text->size();
    benchmark::DoNotOptimize(text->data());
  }
  report(state, series.bars.size(), bytes);
}
BENCHMARK(BM_FormatOhlcvCsv)->Unit(benchmark::kMillisecond);

void BM_ResampleMinutesTo(benchmark::State& state) {
  const auto& series = BenchFiles::get().series();
  const auto target = std::chrono::minutes(state.range(0));
  for (auto _ : state) {
    auto out = resample_bars(series, target);
    benchmark::DoNotOptimize(out->series.bars.data());
  }
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(series.bars.size()) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ResampleMinutesTo)->Arg(5)->Arg(60)->Arg(1440)->Unit(benchmark::kMillisecond);

// One step = one bar for each of the preset's 3 instruments, 16 internal substeps each.
void BM_GenerateCryptoPresetBars(benchmark::State& state) {
  auto generator = SyntheticMarketGenerator::create(crypto_market_preset(std::chrono::minutes(1), 1));
  for (auto _ : state) {
    const auto& bars = generator->next();
    benchmark::DoNotOptimize(bars.data());
  }
  state.counters["bars_per_second"] =
      benchmark::Counter(3.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GenerateCryptoPresetBars);

}  // namespace
}  // namespace ballast::data
