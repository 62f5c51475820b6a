// `ballast data …`: generate, inspect, resample and download market data files.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <span>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "ballast/adapters/binance_futures/kline_download.hpp"
#include "ballast/adapters/binance_futures/rest_client.hpp"
#include "ballast/analytics/returns.hpp"
#include "ballast/analytics/volatility.hpp"
#include "ballast/backtest/annualisation.hpp"
#include "ballast/core/clock.hpp"
#include "ballast/data/bar_csv_stream.hpp"
#include "ballast/data/binance_kline_csv.hpp"
#include "ballast/data/interval_estimator.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/data/resample.hpp"
#include "ballast/data/trade_csv.hpp"
#include "cli.hpp"
#include "data_generate.hpp"
#include "market_input.hpp"

namespace ballast::cli {
namespace {

namespace fs = std::filesystem;

enum class FileLayout { Ohlcv, BinanceKlines, Trades };

// Binance kline dumps are 12 numeric columns without a header; everything else is generic OHLCV
// unless the user says --layout trades.
core::Result<FileLayout> detect_layout(const fs::path& path, std::string_view requested) {
  if (requested == "ohlcv") return FileLayout::Ohlcv;
  if (requested == "binance") return FileLayout::BinanceKlines;
  if (requested == "trades") return FileLayout::Trades;
  auto format = data::BarCsvStream::detect_format(path);
  if (!format) return format.error();
  return *format == data::BarCsvFormat::BinanceKlines ? FileLayout::BinanceKlines : FileLayout::Ohlcv;
}

core::Result<model::BarSeries> read_bars(const fs::path& path, FileLayout layout, data::BarTimestampLabel bar_time) {
  data::OhlcvCsvReadOptions options;
  options.timestamp_label = bar_time;
  return data::read_bar_file(path, options,
                             layout == FileLayout::BinanceKlines ? data::BarCsvFormat::BinanceKlines
                                                                 : data::BarCsvFormat::Ohlcv);
}

std::string duration_text(core::Duration d) { return d.count() == 0 ? "unknown" : core::format_duration(d); }

core::Result<Table> inspect_bars(const fs::path& path, const model::BarSeries& s, std::string_view calendar) {
  Table t;
  t.title = path.string();
  t.columns = {"field", "value"};
  const auto& bars = s.bars;
  t.add_row({"layout", "bars"});
  t.add_row({"rows", bars.size()});
  if (bars.empty()) return t;
  // Bars span [first start, last end): the starts as read (--bar-time end: a stamp less one interval), the end
  // as the bar's close time.
  t.add_row({"first_bar_start", core::format_iso8601(bars.front().ts_event)});
  t.add_row({"last_bar_start", core::format_iso8601(bars.back().ts_event)});
  t.add_row({"last_bar_end", core::format_iso8601(bars.back().ts_recv)});
  t.add_row({"interval", duration_text(s.interval)});
  std::size_t gaps = 0;
  std::size_t missing = 0;
  core::Duration largest_gap{0};
  core::UnixNanos largest_gap_at;
  if (s.interval.count() > 0) {
    for (std::size_t i = 1; i < bars.size(); ++i) {
      const auto step = bars[i].ts_event - bars[i - 1].ts_event;
      if (step > s.interval) {
        ++gaps;
        missing += static_cast<std::size_t>(step / s.interval) - 1;
        if (step > largest_gap) {
          largest_gap = step;
          largest_gap_at = bars[i - 1].ts_event;
        }
      }
    }
  }
  t.add_row({"gaps", gaps});
  t.add_row({"missing_bars", missing});
  t.add_row({"largest_gap", gaps ? core::format_duration(largest_gap) + " after " + core::format_iso8601(largest_gap_at)
                                 : std::string("none")});
  auto low = bars.front().low;
  auto high = bars.front().high;
  core::Decimal volume = core::Decimal::from_int(0);
  std::vector<double> closes;
  closes.reserve(bars.size());
  for (const auto& b : bars) {
    low = std::min(low, b.low);
    high = std::max(high, b.high);
    volume += b.volume.value();
    closes.push_back(b.close.as_double());
  }
  t.add_row({"first_open", bars.front().open.value()});
  t.add_row({"last_close", bars.back().close.value()});
  t.add_row({"low", low.value()});
  t.add_row({"high", high.value()});
  t.add_row({"total_return_pct", Cell((closes.back() / bars.front().open.as_double() - 1.0) * 100.0, 2)});
  t.add_row({"volume_total", volume});
  t.add_row({"volume_mean", Cell(volume.to_double() / static_cast<double>(bars.size()), 4)});
  auto rets = analytics::log_returns(closes);
  if (rets && rets->size() >= 2) {
    auto n = backtest::periods_per_year(bars, calendar);
    if (n) {
      t.add_row({"annualisation", fmt::format("{}, {:.2f} periods a year", backtest::resolved_calendar(bars, calendar), *n)});
      auto annual = analytics::close_to_close_volatility(*rets, *n);
      if (annual) t.add_row({"volatility_annualised_pct", Cell(*annual * 100.0, 2)});
    }
  }
  return t;
}

Table inspect_trades(const fs::path& path, const std::vector<model::TradeTick>& ticks) {
  Table t;
  t.title = path.string();
  t.columns = {"field", "value"};
  t.add_row({"layout", "trades"});
  t.add_row({"rows", ticks.size()});
  if (ticks.empty()) return t;
  t.add_row({"first", core::format_iso8601(ticks.front().ts_event)});
  t.add_row({"last", core::format_iso8601(ticks.back().ts_event)});
  auto low = ticks.front().price;
  auto high = ticks.front().price;
  core::Decimal size = core::Decimal::from_int(0);
  std::size_t buys = 0;
  std::size_t sells = 0;
  for (const auto& k : ticks) {
    low = std::min(low, k.price);
    high = std::max(high, k.price);
    size += k.size.value();
    buys += k.aggressor == model::AggressorSide::Buyer;
    sells += k.aggressor == model::AggressorSide::Seller;
  }
  t.add_row({"first_price", ticks.front().price.value()});
  t.add_row({"last_price", ticks.back().price.value()});
  t.add_row({"low", low.value()});
  t.add_row({"high", high.value()});
  t.add_row({"size_total", size});
  t.add_row({"buyer_initiated", buys});
  t.add_row({"seller_initiated", sells});
  return t;
}

struct InspectOptions {
  std::vector<std::string> files;
  std::string layout = "auto";
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  std::string calendar = "auto";
  std::string format = "table";
};

int run_inspect(const InspectOptions& o) {
  std::vector<Table> tables;
  for (const auto& f : o.files) {
    auto layout = detect_layout(f, o.layout);
    if (!layout) return report(layout.error());
    if (*layout == FileLayout::Trades) {
      auto ticks = data::read_trade_csv(f);
      if (!ticks) return report(ticks.error());
      tables.push_back(inspect_trades(f, *ticks));
      continue;
    }
    auto series = read_bars(f, *layout, o.bar_time);
    if (!series) return report(series.error());
    auto t = inspect_bars(f, *series, o.calendar);
    if (!t) return report(t.error());
    if (*layout == FileLayout::BinanceKlines) t->rows.front() = {"layout", "binance klines"};
    tables.push_back(std::move(*t));
  }
  print(tables, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

struct ResampleCliOptions {
  std::string input;
  std::string to;
  std::string out;
  std::string layout = "auto";
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  bool drop_partial = false;
  std::string timestamps = "ms";
  std::string format = "table";
};

int run_resample(const ResampleCliOptions& o) {
  auto target = core::parse_duration(o.to);
  if (!target) return report(target.error().with_context("--to"));
  auto layout = detect_layout(o.input, o.layout);
  if (!layout) return report(layout.error());
  if (*layout == FileLayout::Trades) {
    return report(core::Error(core::ErrorCode::Unsupported, "resample takes bars, not trade ticks", o.input));
  }
  auto series = read_bars(o.input, *layout, o.bar_time);
  if (!series) return report(series.error());
  data::ResampleOptions ro;
  ro.partial_buckets = o.drop_partial ? data::PartialBucketPolicy::Drop : data::PartialBucketPolicy::Keep;
  auto out = data::resample_bars(*series, *target, ro);
  if (!out) return report(out.error().with_context(o.input));
  data::OhlcvCsvWriteOptions wo;
  wo.timestamp_format = o.timestamps == "iso" ? data::CsvTimestampFormat::Iso8601 : data::CsvTimestampFormat::EpochMillis;
  if (auto st = data::write_ohlcv_csv(o.out, out->series, wo); !st) return report(st.error());
  Table t;
  t.title = "resample";
  t.columns = {"input", "input_bars", "input_interval", "output", "output_bars", "output_interval", "first_partial",
               "last_partial"};
  t.add_row({o.input, series->bars.size(), duration_text(series->interval), o.out, out->series.bars.size(),
             core::format_duration(*target), out->first_bucket_partial ? "yes" : "no",
             out->last_bucket_partial ? "yes" : "no"});
  print(t, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

struct DownloadOptions {
  std::string venue = "binance";
  std::string symbol;
  std::string interval;
  std::string from;
  std::string to;
  std::string out;
  bool testnet = false;
  std::string base_url;
  int page_limit = adapters::binance::kKlineMaxLimit;
  std::string format = "table";
};

// Creates (empty) the temporary file the download is written to, so an unwritable --out fails before any
// request is sent; rename() later makes the finished file appear at once.
core::Result<fs::path> create_temp_beside(const fs::path& out) {
  fs::path temp = out;
  temp += fmt::format(".part-{}", ::getpid());
  std::ofstream probe(temp, std::ios::trunc);
  if (!probe) {
    return core::Error(core::ErrorCode::IoError,
                       fmt::format("cannot write {} (for {}): {}", temp.string(), out.string(), std::strerror(errno)),
                       "--out");
  }
  return temp;
}

core::Error download_error(const adapters::binance::ApiError& e, const DownloadOptions& o) {
  if (e.has_code(-1121)) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("'{}' is not a Binance USDⓈ-M futures symbol ({})", o.symbol, e.message()),
                       "--symbol");
  }
  if (e.has_code(-1120)) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("Binance refused interval '{}' ({})", o.interval, e.message()), "--interval");
  }
  return e.to_error();
}

int run_download(const DownloadOptions& o) {
  namespace bn = adapters::binance;
  using core::Error;
  using core::ErrorCode;
  if (o.venue == "hyperliquid") {
    return report(Error(ErrorCode::Unsupported,
                        "klines download from hyperliquid is not supported yet; use --venue binance", "--venue"));
  }
  if (o.venue != "binance") {
    return report(Error(ErrorCode::InvalidArgument,
                        fmt::format("unknown venue '{}'; choose binance (hyperliquid: not supported yet)", o.venue),
                        "--venue"));
  }
  auto interval = bn::parse_kline_interval(o.interval);
  if (!interval) return report(Error(ErrorCode::InvalidArgument, interval.error().message(), "--interval"));
  if (o.symbol.empty()) return report(Error(ErrorCode::InvalidArgument, "the symbol is empty", "--symbol"));
  auto from = core::parse_timestamp(o.from);
  if (!from) return report(Error(ErrorCode::InvalidArgument, from.error().message(), "--from"));
  auto to = core::parse_timestamp(o.to);
  if (!to) return report(Error(ErrorCode::InvalidArgument, to.error().message(), "--to"));
  if (*from >= *to) {
    return report(Error(ErrorCode::InvalidArgument,
                        fmt::format("--from {} is not before --to {}", core::format_iso8601(*from),
                                    core::format_iso8601(*to)),
                        "--from"));
  }
  if (from->value % core::kNanosPerMilli != 0 || to->value % core::kNanosPerMilli != 0) {
    return report(Error(ErrorCode::InvalidArgument, "Binance times are whole milliseconds", "--from/--to"));
  }
  const fs::path out(o.out);
  auto temp = create_temp_beside(out);
  if (!temp) return report(temp.error());
  const auto discard = [&](const Error& e) {
    std::error_code ignored;
    fs::remove(*temp, ignored);
    return report(e);
  };

  bn::BinanceRestConfig config;
  config.base_url = !o.base_url.empty() ? o.base_url
                                         : std::string(o.testnet ? bn::kTestnetBaseUrl : bn::kMainnetBaseUrl);
  core::LiveClock clock;
  bn::BinanceRestClient rest(config, clock);

  const std::int64_t expected = bn::expected_kline_count(*interval, *from, *to);
  std::vector<bn::Kline> klines;
  klines.reserve(static_cast<std::size_t>(std::min<std::int64_t>(expected, 10'000'000)));
  bn::KlineDownloadOptions options;
  options.page_limit = o.page_limit;
  options.now = clock.now();
  const auto on_page = [&](std::span<const bn::Kline> page) {
    klines.insert(klines.end(), page.begin(), page.end());
    std::cerr << fmt::format("ballast: {} {}: {}/{} bars\n", o.symbol, o.interval, klines.size(), expected);
  };
  auto summary = bn::download_klines(rest, o.symbol, *interval, *from, *to, on_page, options);
  if (!summary) return discard(download_error(summary.error(), o));
  for (const auto& gap : summary->gaps) std::cerr << "ballast: warning: gap: " << gap.describe() << '\n';
  if (klines.empty()) {
    return discard(Error(ErrorCode::NotFound,
                         fmt::format("Binance has no {} {} bars between {} and {}", o.symbol, o.interval,
                                     core::format_iso8601(*from), core::format_iso8601(*to)),
                         "--from/--to"));
  }

  model::BarSeries series;
  series.interval = bn::kline_interval_length(*interval).value_or(core::Duration(0));
  series.bars.reserve(klines.size());
  std::vector<data::BinanceKlineExtras> extras;
  extras.reserve(klines.size());
  for (const auto& k : klines) {
    series.bars.push_back(k.bar);
    extras.push_back(
        data::BinanceKlineExtras{k.quote_volume, k.trade_count, k.taker_buy_base_volume, k.taker_buy_quote_volume});
  }
  if (auto st = data::write_binance_klines(*temp, series, extras); !st) return discard(st.error());
  std::error_code ec;
  fs::rename(*temp, out, ec);
  if (ec) {
    return discard(Error(ErrorCode::IoError, fmt::format("cannot move {} to {}: {}", temp->string(), out.string(),
                                                         ec.message()),
                         "--out"));
  }

  Table t;
  t.title = "download";
  t.columns = {"venue", "symbol", "interval", "from", "to", "bars", "expected", "gaps", "requests", "file"};
  t.add_row({o.venue, o.symbol, o.interval, core::format_iso8601(*from), core::format_iso8601(*to), klines.size(),
             expected, summary->gaps.size(), summary->requests, out.string()});
  print(t, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

}  // namespace

void register_data_commands(CLI::App& app, Context& ctx) {
  auto* data = app.add_subcommand("data", "Generate, inspect, resample and download market data files");
  data->require_subcommand(1);

  register_data_generate_command(*data, ctx);

  auto inspect = std::make_shared<InspectOptions>();
  auto* ins = data->add_subcommand("inspect", "Rows, time range, gaps and basic statistics of data files");
  ins->add_option("files", inspect->files, "CSV files (generic OHLCV, Binance klines, or trades with --layout trades)")
      ->required()
      ->check(CLI::ExistingFile);
  ins->add_option("--layout", inspect->layout, "File layout: auto, ohlcv, binance or trades")
      ->default_val("auto")
      ->check(CLI::IsMember({"auto", "ohlcv", "binance", "trades"}));
  add_bar_time_option(ins, inspect->bar_time);
  ins->add_option("--calendar", inspect->calendar, kCalendarHelp)
      ->default_val("auto")
      ->check(CLI::IsMember({"auto", "crypto", "equity", "observed"}));
  add_format_option(ins, inspect->format);
  on_run(ins, ctx, [inspect] { return run_inspect(*inspect); });

  auto resample = std::make_shared<ResampleCliOptions>();
  auto* res = data->add_subcommand("resample", "Resample bars to a coarser UTC-aligned interval (1m -> 5m/15m/1h/4h/1d)");
  res->add_option("input", resample->input, "Input bar CSV")->required()->check(CLI::ExistingFile);
  res->add_option("--to", resample->to, "Target interval, e.g. 5m, 15m, 1h, 4h, 1d")->required();
  res->add_option("--out", resample->out, "Output CSV (generic OHLCV; its timestamps name each bucket's start)")->required();
  res->add_option("--layout", resample->layout, "Input layout: auto, ohlcv or binance")
      ->default_val("auto")
      ->check(CLI::IsMember({"auto", "ohlcv", "binance"}));
  add_bar_time_option(res, resample->bar_time);
  res->add_flag("--drop-partial", resample->drop_partial, "Leave out incomplete first/last buckets");
  res->add_option("--timestamps", resample->timestamps, "Output timestamps: ms (epoch milliseconds) or iso")
      ->default_val("ms")
      ->check(CLI::IsMember({"ms", "iso"}));
  add_format_option(res, resample->format);
  on_run(res, ctx, [resample] { return run_resample(*resample); });

  auto download = std::make_shared<DownloadOptions>();
  auto* dl = data->add_subcommand(
      "download", "Download klines history from a venue into a Binance kline CSV (public data, no API key)");
  dl->add_option("--venue", download->venue, "Venue: binance (USDⓈ-M futures); hyperliquid is not supported yet")
      ->default_val("binance");
  dl->add_option("--symbol", download->symbol, "Venue symbol, e.g. BTCUSDT")->required();
  dl->add_option("--interval", download->interval,
                 std::string("Bar interval: ") + std::string(adapters::binance::kline_interval_choices()))
      ->required();
  dl->add_option("--from", download->from, "First bar open time, inclusive (2024-01-01, ISO-8601 or epoch)")->required();
  dl->add_option("--to", download->to, "End of the range, exclusive (bars opening before it)")->required();
  dl->add_option("--out", download->out, "Output file (Binance kline CSV; written atomically)")->required();
  dl->add_flag("--testnet", download->testnet, "Use the Binance futures testnet instead of mainnet");
  dl->add_option("--base-url", download->base_url, "Override the REST base URL (e.g. a local mock)");
  dl->add_option("--page-limit", download->page_limit, "Bars per request, 1..1500 (weight 1/2/5/10 by size)")
      ->default_val(adapters::binance::kKlineMaxLimit)
      ->check(CLI::Range(1, adapters::binance::kKlineMaxLimit));
  add_format_option(dl, download->format);
  on_run(dl, ctx, [download] { return run_download(*download); });
}

}  // namespace ballast::cli
