// The API's backtest job runner (see backtest_jobs.hpp).

#include "ballast/server/backtest_jobs.hpp"

#include "ballast/analytics/drawdown.hpp"
#include "ballast/backtest/annualisation.hpp"
#include "ballast/core/log.hpp"
#include "ballast/data/bar_csv_stream.hpp"
#include "ballast/data/interval_estimator.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/data/synthetic_market_generator.hpp"
#include "ballast/risk/fixed_notional_sizer.hpp"
#include "ballast/server/paper_market.hpp"
#include "ballast/sim/slippage_model.hpp"
#include "ballast/strategy/technical_strategies.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace ballast::server {

namespace {

core::Error refused(std::string message, std::string field) {
  return core::Error(core::ErrorCode::OutOfRange, std::move(message), std::move(field));
}

core::Error malformed(std::string message, std::string field) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(field));
}

std::vector<std::string> assignments_of(const BacktestRequest& request) {
  std::vector<std::string> out;
  for (const auto& [name, value] : request.params) out.push_back(fmt::format("{}={}", name, value));
  return out;
}

// ---- data --------------------------------------------------------------------------------------------

struct Market {
  std::vector<std::unique_ptr<model::Instrument>> instruments;
  std::vector<std::vector<model::Bar>> bars;  // per instrument
};

// The CLI's instrument id for a data file: the stem upper-cased, other characters dropped.
std::string identifier_from(std::string_view stem) {
  std::string out;
  for (char c : stem) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (c == '-' || c == '_') {
      out += '-';
    }
  }
  return out.empty() ? std::string("DATA") : out;
}

// The generic linear perpetual `ballast backtest --data` builds for a file: tick from the most decimals of
// the (first 5,000) prices, step 10⁻⁶, maker = taker = fee_bps, one bracket up to 100× with 0.5 %
// maintenance margin, settled in USDT.
core::Result<std::unique_ptr<model::Instrument>> csv_instrument(const std::vector<model::Bar>& bars,
                                                                const std::string& id, const core::Decimal& fee_bps) {
  int places = 0;
  const std::size_t n = std::min<std::size_t>(bars.size(), 5000);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& b = bars[i];
    places = std::max({places, b.open.precision(), b.high.precision(), b.low.precision(), b.close.precision()});
  }
  auto instrument_id = core::InstrumentId::parse(id);
  if (!instrument_id) return instrument_id.error();
  const model::Currency usdt = model::Currency::USDT();
  model::InstrumentSpec spec;
  spec.id = *instrument_id;
  spec.kind = model::InstrumentKind::Perpetual;
  spec.base_currency = model::Currency("ASSET", 8);
  spec.quote_currency = usdt;
  spec.settlement_currency = usdt;
  spec.tick_size = model::Price::from_raw(1, places);
  spec.step_size = model::Quantity::from_raw(1, 6);
  spec.min_quantity = model::Quantity::from_raw(1, 6);
  const core::Decimal rate = core::Decimal::from_raw(fee_bps.raw(), std::min(18, fee_bps.scale() + 4));
  spec.maker_fee_rate = rate;
  spec.taker_fee_rate = rate;
  spec.margin_tiers = {{core::Decimal::from_int(0), core::Decimal::from_int(1'000'000'000'000),
                        core::Decimal::from_int(100), core::Decimal::from_raw(5, 3), core::Decimal::from_int(0)}};
  auto instrument = model::Instrument::create(spec);
  if (!instrument) return instrument.error();
  return std::make_unique<model::Instrument>(std::move(*instrument));
}

// A file's error for the API: named by the file as the request names it and the line ("btc.csv:7: …"), not by
// the server's path to it.
std::string file_error(const std::string& file, const core::Error& error) {
  const std::string& where = error.where();
  const auto colon = where.rfind(':');
  const bool line = colon != std::string::npos && colon + 1 < where.size() &&
                    where.find_first_not_of("0123456789", colon + 1) == std::string::npos;
  return line ? fmt::format("{}:{}: {}", file, where.substr(colon + 1), error.message())
              : fmt::format("{}: {}", file, error.message());
}

core::Result<Market> csv_market(const BacktestRequest& request, const std::filesystem::path& data_dir,
                                std::size_t max_bars) {
  Market m;
  std::size_t total = 0;
  core::Duration first_interval{};
  for (std::size_t i = 0; i < request.data.files.size(); ++i) {
    const std::string field = fmt::format("data.files[{}]", i);
    auto path = resolve_data_file(data_dir, request.data.files[i], field);
    if (!path) return path.error();
    // Binance kline CSV or OHLCV CSV, as the CLI reads them (data::read_bar_file).
    data::OhlcvCsvReadOptions options;
    options.timestamp_label = request.data.bar_time;
    auto series = data::read_bar_file(*path, options);
    if (!series) return core::Error(series.error().code(), file_error(request.data.files[i], series.error()), field);
    if (series->bars.size() < 3) return refused(fmt::format("{}: fewer than 3 bars", request.data.files[i]), field);
    total += series->bars.size();
    if (total > max_bars) {
      return refused(fmt::format("the files hold more than {} bars (backtest limit)", max_bars), field);
    }
    const std::string id = identifier_from(path->stem().string()) + ".SIM";
    auto instrument = csv_instrument(series->bars, id, request.data.fee_bps);
    if (!instrument) return instrument.error().with_context(request.data.files[i]);
    // Every file at the first one's bar interval (weekends and gaps do not count; calendar months by their
    // mean): the equity is sampled at every step and annualised by one interval (as `ballast backtest`).
    const core::Duration interval = data::annualisation_interval(series->bars);
    if (i == 0) {
      first_interval = interval;
    } else if (interval != first_interval) {
      return refused(fmt::format("{} has bars of {} but {} has bars of {}; resample them to one interval first",
                                 request.data.files[i], core::format_duration(interval), request.data.files[0],
                                 core::format_duration(first_interval)),
                     field);
    }
    m.instruments.push_back(std::move(*instrument));
    m.bars.push_back(std::move(series->bars));
  }
  return m;
}

core::Result<Market> synthetic_market(const BacktestRequest& request, const ServiceConfig& service,
                                      core::UnixNanos submitted) {
  auto paper = paper_instruments(service);
  if (!paper) return paper.error();
  Market m;
  data::SyntheticMarketConfig sc;
  sc.interval = request.data.interval;
  const std::int64_t step = sc.interval.count();
  if (request.data.start) {
    sc.start = *request.data.start;
  } else {
    const std::int64_t end = submitted.value - submitted.value % step;
    sc.start = core::UnixNanos(end - step * static_cast<std::int64_t>(request.data.bars));
  }
  sc.seed = request.data.seed;
  sc.substeps = 8;
  for (const std::string& symbol : request.data.symbols) {
    std::size_t k = 0;
    while (k < service.instruments.size() && service.instruments[k].symbol != symbol) ++k;
    if (k == service.instruments.size())
      return refused(fmt::format("unknown paper instrument '{}'", symbol), "data.symbols");
    const PaperInstrumentConfig& p = service.instruments[k];
    data::SyntheticInstrumentConfig ic;
    ic.instrument_id = (*paper)[k]->id();
    ic.start_price = p.initial_price.to_double();
    ic.annual_volatility = p.annual_volatility;
    ic.tick_size = model::Price(p.tick_size);
    ic.lot_size = model::Quantity(p.lot_size);
    ic.daily_volume = p.daily_volume;
    sc.instruments.push_back(ic);
    m.instruments.push_back(std::move((*paper)[k]));
  }
  const std::size_t n = sc.instruments.size();
  if (n > 1) {
    sc.correlation.assign(n, std::vector<double>(n, service.correlation));
    for (std::size_t i = 0; i < n; ++i) sc.correlation[i][i] = 1.0;
  }
  auto generator = data::SyntheticMarketGenerator::create(std::move(sc));
  if (!generator) return generator.error().with_context("synthetic data");
  for (auto& series : generator->generate(request.data.bars)) m.bars.push_back(std::move(series.bars));
  return m;
}

// ---- results -----------------------------------------------------------------------------------------

std::vector<SeriesPoint> thin_series(const std::vector<backtest::EquitySample>& samples, double scale) {
  std::vector<double> values;
  values.reserve(samples.size());
  for (const auto& s : samples) values.push_back(s.equity * scale);
  std::vector<SeriesPoint> out;
  for (std::size_t i : downsample_indices(values, BacktestJobs::kMaxSeriesPoints)) {
    out.push_back({samples[i].ts.millis(), values[i]});
  }
  return out;
}

core::Result<BacktestResult> make_result(backtest::BacktestOutput& output, const std::string& title) {
  const backtest::BacktestRun& run = output.run;
  auto metrics = backtest::compute_metrics(run);
  if (!metrics) return metrics.error();
  BacktestResult r;
  r.instrument = run.instrument_id.to_string();
  r.bars = output.bars;
  r.equity_samples = run.equity.size();
  r.initial_equity = run.initial_equity;
  r.final_equity = run.equity.back().equity;
  r.denied_orders = output.denied_orders;
  r.breaker_trips = output.breaker_trips;

  std::vector<double> equity;
  equity.reserve(run.equity.size());
  for (const auto& s : run.equity) equity.push_back(s.equity);
  auto drawdown = analytics::drawdown_series(equity);
  if (!drawdown) return drawdown.error();
  const auto& mdd = metrics->performance.max_drawdown;
  const std::size_t keep[] = {mdd.peak_index, mdd.trough_index};
  // Half the points follow the equity's extremes, half the drawdown's (with the maximum drawdown's peak and
  // trough); both series use the same samples.
  const std::size_t limit =
      equity.size() <= BacktestJobs::kMaxSeriesPoints ? equity.size() : BacktestJobs::kMaxSeriesPoints / 2;
  std::vector<std::size_t> kept = downsample_indices(equity, limit);
  for (std::size_t i : downsample_indices(*drawdown, limit, keep)) kept.push_back(i);
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  for (std::size_t i : kept) {
    r.equity.push_back({run.equity[i].ts.millis(), equity[i]});
    r.drawdown.push_back({run.equity[i].ts.millis(), (*drawdown)[i]});
  }
  if (const auto benchmark = backtest::benchmark_curve(run); !benchmark.empty() && benchmark.front().equity > 0.0) {
    r.benchmark = thin_series(benchmark, run.initial_equity / benchmark.front().equity);
  }
  std::vector<backtest::EquitySample> closes;
  closes.reserve(run.prices.size());
  for (const auto& p : run.prices) closes.push_back({p.ts, p.close});
  r.prices = thin_series(closes, 1.0);

  double position = 0.0;
  for (const auto& f : output.fills) {
    if (f.instrument_id != run.instrument_id) continue;
    const double qty = f.last_qty.as_double();
    const double signed_qty = f.side == model::OrderSide::Buy ? qty : -qty;
    const bool entry = position == 0.0 || (position > 0) == (signed_qty > 0);
    position += signed_qty;
    if (r.markers.size() >= BacktestJobs::kMaxMarkers) {
      r.markers_truncated = true;
      continue;
    }
    r.markers.push_back({f.ts_event.millis(), f.side, f.last_px.as_double(), qty, entry});
  }
  r.trades = run.trades;

  backtest::ReportInput input;
  input.title = title;
  input.runs.push_back(run);
  auto html = backtest::render_html_report(input);
  if (!html) return html.error();
  r.html = std::move(*html);
  r.metrics = std::move(*metrics);
  return r;
}

}  // namespace

std::string_view to_string(BacktestStatus status) noexcept {
  switch (status) {
    case BacktestStatus::Queued: return "QUEUED";
    case BacktestStatus::Running: return "RUNNING";
    case BacktestStatus::Done: return "DONE";
    case BacktestStatus::Failed: return "FAILED";
    case BacktestStatus::Canceled: return "CANCELED";
  }
  return "UNKNOWN";
}

core::Result<std::filesystem::path> resolve_data_file(const std::filesystem::path& data_dir, std::string_view name,
                                                      const std::string& field) {
  if (name.empty()) return malformed("must not be empty", field);
  const std::filesystem::path relative(name);
  if (relative.is_absolute() || relative.has_root_name() || relative.has_root_directory() || name.front() == '/' ||
      name.front() == '\\') {
    return malformed(fmt::format("'{}': absolute paths are not accepted; name a file inside backtest.data_dir", name),
                     field);
  }
  for (const auto& part : relative) {
    if (part == "..") return malformed(fmt::format("'{}': \"..\" is not accepted", name), field);
  }
  if (name.find("..") != std::string_view::npos)
    return malformed(fmt::format("'{}': \"..\" is not accepted", name), field);
  if (data_dir.empty()) {
    return core::Error(core::ErrorCode::Unsupported, "CSV data is off: backtest.data_dir is not set", field);
  }
  std::filesystem::path full = data_dir / relative;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(full, ec)) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("no file '{}' in backtest.data_dir", name), field);
  }
  return full;
}

std::vector<std::size_t> downsample_indices(std::span<const double> values, std::size_t limit,
                                            std::span<const std::size_t> keep) {
  std::vector<std::size_t> out;
  const std::size_t n = values.size();
  if (n <= limit) {
    for (std::size_t i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  const std::size_t reserved = keep.size() + 2;  // the kept indices, the first and the last
  const std::size_t buckets = limit >= reserved + 3 ? (limit - reserved) / 3 : 1;
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t lo = b * n / buckets;
    const std::size_t hi = (b + 1) * n / buckets;
    if (lo >= hi) continue;
    std::size_t mn = lo, mx = lo;
    for (std::size_t i = lo; i < hi; ++i) {
      if (values[i] < values[mn]) mn = i;
      if (values[i] > values[mx]) mx = i;
    }
    out.push_back(lo);
    out.push_back(mn);
    out.push_back(mx);
  }
  out.push_back(0);
  out.push_back(n - 1);
  for (std::size_t k : keep) {
    if (k < n) out.push_back(k);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// ---- the runner ----------------------------------------------------------------------------------------

namespace {

struct Job {
  std::string id;
  std::shared_ptr<const BacktestRequest> request;
  BacktestStatus status{BacktestStatus::Queued};
  core::UnixNanos created{};
  std::optional<core::UnixNanos> started;
  std::optional<core::UnixNanos> finished;
  std::string error;
  std::shared_ptr<const BacktestResult> result;
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> total{0};
  std::atomic<bool> cancel{false};
};

bool finished(BacktestStatus s) {
  return s == BacktestStatus::Done || s == BacktestStatus::Failed || s == BacktestStatus::Canceled;
}

}  // namespace

struct BacktestJobs::Impl {
  BacktestJobsOptions options;
  ServiceConfig service;
  const core::Clock* wall{nullptr};
  mutable std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::shared_ptr<Job>> jobs;  // oldest first
  std::uint64_t next_id{1};
  bool stopping{false};
  std::thread worker;

  // Under the mutex.
  BacktestJobView view(const Job& job) const {
    BacktestJobView v;
    v.id = job.id;
    v.request = job.request;
    v.status = job.status;
    v.cancel_requested = job.cancel.load();
    v.created = job.created;
    v.started = job.started;
    v.finished = job.finished;
    v.error = job.error;
    v.result = job.result;
    if (job.status == BacktestStatus::Done) {
      v.progress = 1.0;
    } else {
      const std::size_t total = job.total.load();
      v.progress = total > 0 ? static_cast<double>(job.done.load()) / static_cast<double>(total) : 0.0;
    }
    return v;
  }

  // Under the mutex: drop the oldest finished jobs beyond max_jobs_kept.
  void trim() {
    std::size_t excess = jobs.size() > options.max_jobs_kept ? jobs.size() - options.max_jobs_kept : 0;
    for (auto it = jobs.begin(); it != jobs.end() && excess > 0;) {
      if (finished((*it)->status)) {
        it = jobs.erase(it);
        --excess;
      } else {
        ++it;
      }
    }
  }

  void loop() {
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] {
          if (stopping) return true;
          return std::any_of(jobs.begin(), jobs.end(),
                             [](const auto& j) { return j->status == BacktestStatus::Queued; });
        });
        if (stopping) return;
        for (auto& j : jobs) {
          if (j->status == BacktestStatus::Queued) {
            job = j;
            break;
          }
        }
        job->status = BacktestStatus::Running;
        job->started = wall->now();
      }
      std::string error;
      std::optional<BacktestResult> result;
      try {
        auto r = execute(*job);
        if (r) {
          result = std::move(*r);
        } else {
          error = r.error().to_string();
        }
      } catch (const std::exception& e) {
        error = fmt::format("internal error: {}", e.what());
      }
      std::lock_guard lock(mutex);
      job->finished = wall->now();
      if (job->cancel.load()) {
        job->status = BacktestStatus::Canceled;
      } else if (result) {
        job->status = BacktestStatus::Done;
        job->done.store(job->total.load());
        job->result = std::make_shared<const BacktestResult>(std::move(*result));
      } else {
        job->status = BacktestStatus::Failed;
        job->error = error;
        core::logger().warn("backtest {} failed: {}", job->id, error);
      }
      trim();
    }
  }

  core::Result<BacktestResult> execute(Job& job) {
    const BacktestRequest& request = *job.request;
    auto market = request.data.source == "csv" ? csv_market(request, options.data_dir, options.max_bars)
                                               : synthetic_market(request, service, job.created);
    if (!market) return market.error();
    if (job.cancel.load()) return core::Error(core::ErrorCode::InvalidState, "canceled", "id");
    std::size_t total = 0;
    std::vector<backtest::InstrumentData> data;
    for (std::size_t i = 0; i < market->instruments.size(); ++i) {
      data.push_back({market->instruments[i].get(), std::span<const model::Bar>(market->bars[i])});
      total += market->bars[i].size();
    }
    job.total.store(total);
    // The first file's bars annualise the run, by the calendar the CLI would use (backtest/annualisation.hpp).
    if (market->bars.empty()) return core::Error(core::ErrorCode::InvalidArgument, "no instrument to replay", "data");
    auto ppy = backtest::periods_per_year(market->bars.front(), request.data.calendar);
    if (!ppy) return ppy.error().with_context("data");

    // As `ballast backtest` configures a run (apps/ballast/backtest_commands.cpp).
    backtest::BacktestConfig c;
    c.label = request.label;
    c.starting_balance = request.starting_balance;
    c.settlement_currency = market->instruments.front()->settlement_currency();
    c.risk = request.risk;
    c.periods_per_year = *ppy;
    const std::vector<std::string> params = assignments_of(request);
    for (const auto& instrument : market->instruments) {
      c.strategies.push_back([name = request.strategy, params,
                              id = instrument->id()]() -> core::Result<std::unique_ptr<strategy::Strategy>> {
        auto s = strategy::create_strategy(name, id, params);
        if (!s) return s.error();
        return std::unique_ptr<strategy::Strategy>(std::move(*s));
      });
    }
    core::Decimal notional;
    if (request.notional) {
      notional = *request.notional;
    } else {
      auto tenth = core::Decimal::from_double(request.starting_balance.to_double() * 0.1, 2);
      if (!tenth) return tenth.error();
      notional = *tenth;
    }
    const model::Money size(notional, c.settlement_currency);
    auto sizer = risk::FixedNotionalSizer::create({size});
    if (!sizer) return sizer.error().with_context("notional");
    c.sizer = [size] {
      return std::make_unique<risk::FixedNotionalSizer>(risk::FixedNotionalSizer::create({size}).value());
    };
    if (request.slippage_bps.is_positive()) {
      auto slip = sim::FixedBpsSlippage::create(request.slippage_bps);
      if (!slip) return slip.error().with_context("slippage_bps");
      c.slippage = [b = request.slippage_bps] {
        return std::make_unique<sim::FixedBpsSlippage>(sim::FixedBpsSlippage::create(b).value());
      };
    }
    c.trade_from = request.trade_from;
    c.progress = [&job](std::size_t done, std::size_t) {
      job.done.store(done, std::memory_order_relaxed);
      return !job.cancel.load(std::memory_order_relaxed);
    };
    auto output = backtest::run_backtest(c, data);
    if (!output) return output.error();
    return make_result(*output, fmt::format("Backtest {} — {}", job.id, request.label));
  }
};

BacktestJobs::BacktestJobs(BacktestJobsOptions options, ServiceConfig service, const core::Clock& wall)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->service = std::move(service);
  impl_->wall = &wall;
  impl_->worker = std::thread([this] { impl_->loop(); });
}

BacktestJobs::~BacktestJobs() {
  stop();
}

void BacktestJobs::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping && !impl_->worker.joinable()) return;
    impl_->stopping = true;
    for (auto& job : impl_->jobs) {
      if (job->status == BacktestStatus::Queued) {
        job->status = BacktestStatus::Canceled;
        job->finished = impl_->wall->now();
      }
      if (job->status == BacktestStatus::Running) job->cancel.store(true);
    }
  }
  impl_->wake.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
}

core::Status BacktestJobs::check(const BacktestRequest& request) const {
  // The strategy and its parameters, as the CLI validates them up front.
  auto probe = strategy::create_strategy(request.strategy, core::InstrumentId("CHECK", core::VenueId("SIM")),
                                         assignments_of(request));
  if (!probe) {
    const core::Error& e = probe.error();
    if (e.where() == "strategy") return refused(e.message(), "strategy");
    return refused(e.message(),
                   e.where().empty() || e.where() == "param" ? std::string("params") : "params." + e.where());
  }
  if (!request.starting_balance.is_positive()) return refused("must be > 0", "starting_balance");
  if (request.notional && !request.notional->is_positive()) return refused("must be > 0", "notional");
  if (request.slippage_bps.is_negative() || request.slippage_bps > core::Decimal::from_int(10000)) {
    return refused("must be 0..10000", "slippage_bps");
  }
  const BacktestDataSpec& d = request.data;
  if (d.calendar != "auto" && d.calendar != "crypto" && d.calendar != "equity" && d.calendar != "observed")
    return refused("must be \"auto\", \"crypto\", \"equity\" or \"observed\"", "data.calendar");
  if (d.source == "synthetic") {
    if (d.symbols.empty()) return refused("name at least one paper instrument", "data.symbols");
    for (std::size_t i = 0; i < d.symbols.size(); ++i) {
      const std::string field = fmt::format("data.symbols[{}]", i);
      const bool known = std::any_of(impl_->service.instruments.begin(), impl_->service.instruments.end(),
                                     [&](const PaperInstrumentConfig& p) { return p.symbol == d.symbols[i]; });
      if (!known) {
        std::string list;
        for (const auto& p : impl_->service.instruments) list += (list.empty() ? "" : ", ") + p.symbol;
        return refused(fmt::format("unknown paper instrument '{}'; known: {}", d.symbols[i], list), field);
      }
      for (std::size_t k = 0; k < i; ++k) {
        if (d.symbols[k] == d.symbols[i]) return refused(fmt::format("'{}' is listed twice", d.symbols[i]), field);
      }
    }
    if (d.bars < 3) return refused("at least 3 bars", "data.bars");
    if (d.bars > impl_->options.max_bars / d.symbols.size()) {
      return refused(fmt::format("{} bars × {} instrument(s) is over the limit of {} bars per backtest", d.bars,
                                 d.symbols.size(), impl_->options.max_bars),
                     "data.bars");
    }
    if (d.interval.count() <= 0 || d.interval.count() % core::kNanosPerSecond != 0) {
      return refused("must be a positive whole number of seconds", "data.interval");
    }
    return core::ok();
  }
  if (d.source == "csv") {
    if (d.files.empty()) return refused("name at least one CSV file inside backtest.data_dir", "data.files");
    if (d.fee_bps.is_negative()) return refused("must be >= 0", "data.fee_bps");
    // Each file's first bars, as `ballast backtest` reads them before it runs: a bad row among them, too few
    // bars, or files of two bar intervals are refused now (the worker reads the files whole and checks again).
    core::Duration first_interval{};
    for (std::size_t i = 0; i < d.files.size(); ++i) {
      const std::string field = fmt::format("data.files[{}]", i);
      auto path = resolve_data_file(impl_->options.data_dir, d.files[i], field);
      if (!path) {
        if (path.error().code() == core::ErrorCode::InvalidArgument) return path.error();
        return refused(path.error().message(), path.error().where());
      }
      data::OhlcvCsvReadOptions options;
      options.timestamp_label = d.bar_time;
      auto head = data::read_bar_head(*path, 5000, options);  // as many as `ballast backtest` looks at
      if (!head) return refused(file_error(d.files[i], head.error()), field);
      if (head->size() < 3) return refused(fmt::format("{}: fewer than 3 bars", d.files[i]), field);
      const core::Duration interval = data::annualisation_interval(*head);
      if (i == 0) {
        first_interval = interval;
      } else if (interval != first_interval) {
        return refused(fmt::format("{} has bars of {} but {} has bars of {}; resample them to one interval first",
                                   d.files[i], core::format_duration(interval), d.files[0],
                                   core::format_duration(first_interval)),
                       field);
      }
    }
    return core::ok();
  }
  return malformed(fmt::format("must be \"synthetic\" or \"csv\", got '{}'", d.source), "data.source");
}

core::Result<BacktestJobView> BacktestJobs::submit(BacktestRequest request) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->stopping) return core::Error(core::ErrorCode::InvalidState, "the server is stopping", "id");
  const auto unfinished = static_cast<std::size_t>(
      std::count_if(impl_->jobs.begin(), impl_->jobs.end(), [](const auto& j) { return !finished(j->status); }));
  if (unfinished >= impl_->options.max_jobs_kept) {
    return core::Error(
        core::ErrorCode::InvalidState,
        fmt::format("{} backtests are queued or running (backtest.max_jobs_kept); cancel one or wait", unfinished),
        "id");
  }
  auto job = std::make_shared<Job>();
  job->id = fmt::format("BT-{}", impl_->next_id++);
  job->request = std::make_shared<const BacktestRequest>(std::move(request));
  job->created = impl_->wall->now();
  impl_->jobs.push_back(job);
  impl_->trim();
  BacktestJobView v = impl_->view(*job);
  impl_->wake.notify_all();
  return v;
}

std::vector<BacktestJobView> BacktestJobs::list() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<BacktestJobView> out;
  for (auto it = impl_->jobs.rbegin(); it != impl_->jobs.rend(); ++it) out.push_back(impl_->view(**it));
  return out;
}

std::optional<BacktestJobView> BacktestJobs::find(std::string_view id) const {
  std::lock_guard lock(impl_->mutex);
  for (const auto& job : impl_->jobs) {
    if (job->id == id) return impl_->view(*job);
  }
  return std::nullopt;
}

core::Result<std::pair<BacktestJobs::Removal, BacktestJobView>> BacktestJobs::cancel_or_forget(std::string_view id) {
  std::lock_guard lock(impl_->mutex);
  for (auto it = impl_->jobs.begin(); it != impl_->jobs.end(); ++it) {
    Job& job = **it;
    if (job.id != id) continue;
    switch (job.status) {
      case BacktestStatus::Queued:
        job.status = BacktestStatus::Canceled;
        job.cancel.store(true);
        job.finished = impl_->wall->now();
        return std::pair{Removal::Canceled, impl_->view(job)};
      case BacktestStatus::Running:
        job.cancel.store(true);
        return std::pair{Removal::CancelRequested, impl_->view(job)};
      case BacktestStatus::Done:
      case BacktestStatus::Failed:
      case BacktestStatus::Canceled: {
        BacktestJobView v = impl_->view(job);
        impl_->jobs.erase(it);
        return std::pair{Removal::Forgotten, std::move(v)};
      }
    }
  }
  return core::Error(core::ErrorCode::NotFound, fmt::format("no backtest '{}'", id), "id");
}

}  // namespace ballast::server
