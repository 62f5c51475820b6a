#pragma once
// BacktestJobs: the backtests `ballast serve` runs for the API (POST /api/backtests). Jobs wait in a FIFO
// queue and run one at a time on a worker thread of their own — never the kernel thread, never an I/O
// thread — through backtest::run_backtest: the same kernel, risk engine, simulated venue and fixed-notional
// sizing as `ballast backtest`, with the risk configuration that was active in the service when the job
// was submitted (so a backtest shows what the live limits would do).
//
// Data:
//  - synthetic: data::SyntheticMarketGenerator (the paper market's generator) with the paper instruments'
//    parameters (paper.instruments: start price, volatility, tick, lot, daily volume; paper.correlation
//    between them) for the chosen symbols, `bars` bars of `interval` from `seed`. The instruments are the
//    paper venue's (BTCUSDT.PAPER …, Binance filters and fees for the reference symbols).
//  - csv: OHLCV or Binance kline CSV files inside backtest.data_dir (relative names only, no ".."), one
//    instrument per file built exactly as `ballast backtest --data` builds it: FILESTEM.SIM, a linear
//    perpetual with `fee_bps` taker and maker fees (default 5), tick from the prices' decimals, step 10⁻⁶.
// Annualisation: periods per year from the bar interval (crypto 365 × 24 h, equity 252) or the bars' own count a
// year (observed); auto (the default) picks crypto for bars that trade around the clock, else observed.
//
// Progress = bars processed / bars of all instruments, updated every bar. Cancelling a running job sets a
// flag the engine checks after every bar, so it stops within one bar.
//
// Jobs live in memory only (a restart forgets them; ids restart at BT-1). At most max_jobs_kept are kept:
// when a job is submitted or finishes, the oldest finished jobs are dropped beyond that; a submission
// while max_jobs_kept jobs are still queued or running is refused (InvalidState).
//
// Results (BacktestResult) are what the API serves: the metrics of backtest::compute_metrics, the equity
// and benchmark curves, drawdown and the first instrument's closes downsampled to at most kMaxSeriesPoints
// (first and last samples, each bucket's extremes and the maximum drawdown's peak and trough are kept), the
// trade markers, monthly returns, round trips, and the self-contained HTML report (rendered once, when the
// job finishes). Every member function may be called from any thread.

#include "ballast/backtest/backtest_engine.hpp"
#include "ballast/backtest/backtest_report.hpp"
#include "ballast/core/clock.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/risk/risk_config.hpp"
#include "ballast/server/service_config.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ballast::server {

enum class BacktestStatus { Queued, Running, Done, Failed, Canceled };
std::string_view to_string(BacktestStatus status) noexcept;  // "QUEUED", "RUNNING", "DONE", "FAILED", "CANCELED"

struct BacktestDataSpec {
  std::string source{"synthetic"};  // synthetic | csv
  // synthetic
  std::vector<std::string> symbols{};  // paper instruments; the first one is the report's instrument
  std::size_t bars{2000};              // per instrument
  core::Duration interval{std::chrono::hours(1)};
  std::uint64_t seed{42};
  std::optional<core::UnixNanos> start{};  // first bar's start; none: the last bar ends at submission time
  // csv
  std::vector<std::string> files{};  // relative to backtest.data_dir
  core::Decimal fee_bps{core::Decimal::from_int(5)};
  // Which end of each bar an OHLCV file's timestamps name ("bar_time": "start" | "end"); Binance klines name both.
  data::BarTimestampLabel bar_time{data::BarTimestampLabel::IntervalStart};
  // both
  std::string calendar{"auto"};  // auto | crypto | equity | observed
};

struct BacktestRequest {
  std::string label{};
  std::string strategy{};
  std::vector<std::pair<std::string, double>> params{};  // as given, in order
  BacktestDataSpec data{};
  core::Decimal starting_balance{core::Decimal::from_int(100000)};
  std::optional<core::Decimal> notional{};  // per entry; none: 10 % of the starting balance (as the CLI)
  core::Decimal slippage_bps{};
  // Trading opens here; earlier bars only warm the strategy (BacktestConfig::trade_from).
  std::optional<core::UnixNanos> trade_from{};
  risk::RiskConfig risk{};
  std::string risk_config_name{};
  std::string submitted_by{};
};

struct SeriesPoint {
  std::int64_t ts_ms{0};
  double value{0.0};
};

struct BacktestMarker {
  std::int64_t ts_ms{0};
  model::OrderSide side{model::OrderSide::Buy};
  double price{0.0};
  double quantity{0.0};
  bool entry{true};  // opens or adds (entry) or reduces or closes (exit)
};

struct BacktestResult {
  std::string instrument{};       // the first instrument's id
  std::size_t bars{0};            // of all instruments
  std::size_t equity_samples{0};  // before downsampling
  double initial_equity{0.0};
  double final_equity{0.0};
  std::int64_t denied_orders{0};
  std::int64_t breaker_trips{0};
  backtest::RunMetrics metrics{};
  std::vector<SeriesPoint> equity{};
  std::vector<SeriesPoint> benchmark{};  // buy and hold of the first instrument from the first sample, same start value
  std::vector<SeriesPoint> drawdown{};   // fraction ≤ 0, at the equity's timestamps
  std::vector<SeriesPoint> prices{};     // first instrument's closes
  std::vector<BacktestMarker> markers{};  // first instrument, at most kMaxMarkers (the earliest)
  bool markers_truncated{false};
  std::vector<backtest::RoundTrip> trades{};
  std::string html{};
};

struct BacktestJobView {
  std::string id{};
  std::shared_ptr<const BacktestRequest> request{};
  BacktestStatus status{BacktestStatus::Queued};
  double progress{0.0};  // 0..1
  bool cancel_requested{false};
  core::UnixNanos created{};
  std::optional<core::UnixNanos> started{};
  std::optional<core::UnixNanos> finished{};
  std::string error{};                             // FAILED: why
  std::shared_ptr<const BacktestResult> result{};  // DONE
};

struct BacktestJobsOptions {
  std::filesystem::path data_dir{};  // empty: no CSV data
  std::size_t max_jobs_kept{20};
  std::size_t max_bars{200'000};  // bars of all instruments of one job
};

class BacktestJobs {
 public:
  static constexpr std::size_t kMaxSeriesPoints = 2000;
  static constexpr std::size_t kMaxMarkers = 5000;

  // `service` supplies the paper instruments and currency; `wall` (created/started/finished) must outlive
  // this object. Starts the worker thread.
  BacktestJobs(BacktestJobsOptions options, ServiceConfig service, const core::Clock& wall);
  ~BacktestJobs();
  BacktestJobs(const BacktestJobs&) = delete;
  BacktestJobs& operator=(const BacktestJobs&) = delete;

  // What can be checked before anything runs; errors name the JSON field ("strategy", "params.fast",
  // "data.symbols[1]", "data.files[0]", "data.bars"). InvalidArgument: malformed (an absolute path or "..");
  // any other code: well-formed but refused (unknown strategy or symbol, a parameter out of range, too many
  // bars, a missing file, no backtest.data_dir).
  core::Status check(const BacktestRequest& request) const;
  // Queues a request that passed check() (submit does not touch the disk, so the kernel thread may call
  // it). InvalidState when stopped or when max_jobs_kept jobs are unfinished.
  core::Result<BacktestJobView> submit(BacktestRequest request);
  std::vector<BacktestJobView> list() const;  // newest first
  std::optional<BacktestJobView> find(std::string_view id) const;

  enum class Removal { Canceled, CancelRequested, Forgotten };
  // A queued job is canceled at once, a running one is asked to stop (it ends CANCELED within a bar), a
  // finished one is forgotten. NotFound for an unknown id.
  core::Result<std::pair<Removal, BacktestJobView>> cancel_or_forget(std::string_view id);

  // Cancels the running job, marks queued ones CANCELED and joins the worker. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `name` as a file inside `data_dir`: relative, without "..", not empty (InvalidArgument otherwise, naming
// `field`); NotFound when no such regular file exists; Unsupported when data_dir is empty.
core::Result<std::filesystem::path> resolve_data_file(const std::filesystem::path& data_dir, std::string_view name,
                                                      const std::string& field);

// Indices of `values` to keep so at most `limit` remain: the first and the last, each bucket's first, lowest
// and highest, and every index of `keep`; ascending. All indices when values.size() <= limit.
std::vector<std::size_t> downsample_indices(std::span<const double> values, std::size_t limit,
                                            std::span<const std::size_t> keep = {});

}  // namespace ballast::server
