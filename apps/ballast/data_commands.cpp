// `ballast data …`: generate, inspect and resample market data files.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "ballast/analytics/returns.hpp"
#include "ballast/analytics/volatility.hpp"
#include "ballast/data/binance_kline_csv.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/data/resample.hpp"
#include "ballast/data/trade_csv.hpp"
#include "cli.hpp"
#include "data_generate.hpp"

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
  std::ifstream in(path);
  if (!in) return core::Error(core::ErrorCode::IoError, "cannot open file", path.string());
  std::string first;
  std::getline(in, first);
  const auto fields = std::count(first.begin(), first.end(), ',') + 1;
  const bool numeric_start = !first.empty() && (std::isdigit(static_cast<unsigned char>(first[0])) != 0);
  if (fields == 12 && numeric_start) return FileLayout::BinanceKlines;
  return FileLayout::Ohlcv;
}

core::Result<model::BarSeries> read_bars(const fs::path& path, FileLayout layout) {
  if (layout == FileLayout::BinanceKlines) {
    auto r = data::read_binance_klines(path);
    if (!r) return r.error();
    return std::move(r->series);
  }
  return data::read_ohlcv_csv(path);
}

std::string duration_text(core::Duration d) { return d.count() == 0 ? "unknown" : core::format_duration(d); }

core::Result<Table> inspect_bars(const fs::path& path, const model::BarSeries& s, analytics::TradingCalendar calendar) {
  Table t;
  t.title = path.string();
  t.columns = {"field", "value"};
  const auto& bars = s.bars;
  t.add_row({"layout", "bars"});
  t.add_row({"rows", bars.size()});
  if (bars.empty()) return t;
  t.add_row({"first", core::format_iso8601(bars.front().ts_event)});
  t.add_row({"last", core::format_iso8601(bars.back().ts_event)});
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
  if (rets && rets->size() >= 2 && s.interval.count() > 0) {
    auto n = analytics::periods_per_year(s.interval, calendar);
    if (n) {
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
  std::string calendar = "crypto";
  std::string format = "table";
};

int run_inspect(const InspectOptions& o) {
  std::vector<Table> tables;
  const auto calendar =
      o.calendar == "equity" ? analytics::TradingCalendar::Equity252 : analytics::TradingCalendar::Crypto24x7;
  for (const auto& f : o.files) {
    auto layout = detect_layout(f, o.layout);
    if (!layout) return report(layout.error());
    if (*layout == FileLayout::Trades) {
      auto ticks = data::read_trade_csv(f);
      if (!ticks) return report(ticks.error());
      tables.push_back(inspect_trades(f, *ticks));
      continue;
    }
    auto series = read_bars(f, *layout);
    if (!series) return report(series.error());
    auto t = inspect_bars(f, *series, calendar);
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
  auto series = read_bars(o.input, *layout);
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

}  // namespace

void register_data_commands(CLI::App& app, Context& ctx) {
  auto* data = app.add_subcommand("data", "Generate, inspect and resample market data files");
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
  ins->add_option("--calendar", inspect->calendar, "Annualisation calendar: crypto (365 d) or equity (252 d)")
      ->default_val("crypto")
      ->check(CLI::IsMember({"crypto", "equity"}));
  add_format_option(ins, inspect->format);
  on_run(ins, ctx, [inspect] { return run_inspect(*inspect); });

  auto resample = std::make_shared<ResampleCliOptions>();
  auto* res = data->add_subcommand("resample", "Resample bars to a coarser UTC-aligned interval (1m -> 5m/15m/1h/4h/1d)");
  res->add_option("input", resample->input, "Input bar CSV")->required()->check(CLI::ExistingFile);
  res->add_option("--to", resample->to, "Target interval, e.g. 5m, 15m, 1h, 4h, 1d")->required();
  res->add_option("--out", resample->out, "Output CSV (generic OHLCV)")->required();
  res->add_option("--layout", resample->layout, "Input layout: auto, ohlcv or binance")
      ->default_val("auto")
      ->check(CLI::IsMember({"auto", "ohlcv", "binance"}));
  res->add_flag("--drop-partial", resample->drop_partial, "Leave out incomplete first/last buckets");
  res->add_option("--timestamps", resample->timestamps, "Output timestamps: ms (epoch milliseconds) or iso")
      ->default_val("ms")
      ->check(CLI::IsMember({"ms", "iso"}));
  add_format_option(res, resample->format);
  on_run(res, ctx, [resample] { return run_resample(*resample); });
}

}  // namespace ballast::cli
