#include "data_generate.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "ballast/data/binance_kline_csv.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/data/synthetic_market_generator.hpp"

namespace ballast::cli {
namespace {

namespace fs = std::filesystem;

// Bars beyond this are refused: 20M bars of 1m data is 38 years for one instrument.
constexpr double kMaxBars = 20'000'000;

struct GenerateOptions {
  std::string symbols = "BTCUSDT,ETHUSDT,SOLUSDT";
  std::string venue = "BINANCE";
  std::string interval = "1m";
  double days = 30;
  std::uint64_t seed = 42;
  std::string start = "2024-01-01T00:00:00Z";
  std::string out;
  std::string layout = "ohlcv";
  double default_volatility = 0.8;
  double default_correlation = 0.5;
  std::string format = "table";
};

std::vector<std::string> split_symbols(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// Known symbols take the preset's parameters and pairwise correlations; other symbols start at 100 with
// the default volatility and the default correlation to every other instrument.
core::Result<data::SyntheticMarketConfig> build_config(const GenerateOptions& o, core::Duration interval) {
  const auto preset = data::crypto_market_preset(interval, o.seed);
  const auto symbols = split_symbols(o.symbols);
  if (symbols.empty()) return core::Error(core::ErrorCode::InvalidArgument, "no symbols given", "--symbols");
  auto venue = core::VenueId::parse(o.venue);
  if (!venue) return venue.error().with_context("--venue");

  data::SyntheticMarketConfig config = preset;
  config.instruments.clear();
  std::vector<int> preset_index;
  for (const auto& sym : symbols) {
    if (!core::is_valid_identifier(sym) || sym.find('.') != std::string::npos) {
      return core::Error(core::ErrorCode::InvalidArgument, fmt::format("invalid symbol '{}'", sym), "--symbols");
    }
    int found = -1;
    for (std::size_t i = 0; i < preset.instruments.size(); ++i) {
      if (preset.instruments[i].instrument_id.symbol() == sym) found = static_cast<int>(i);
    }
    data::SyntheticInstrumentConfig ic;
    if (found >= 0) {
      ic = preset.instruments[static_cast<std::size_t>(found)];
    } else {
      ic.start_price = 100.0;
      ic.annual_volatility = o.default_volatility;
      ic.daily_volume = 1'000'000.0;
    }
    ic.instrument_id = core::InstrumentId(sym, *venue);
    config.instruments.push_back(ic);
    preset_index.push_back(found);
  }
  const std::size_t n = symbols.size();
  config.correlation.assign(n, std::vector<double>(n, o.default_correlation));
  for (std::size_t i = 0; i < n; ++i) {
    config.correlation[i][i] = 1.0;
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j && preset_index[i] >= 0 && preset_index[j] >= 0 && !preset.correlation.empty()) {
        config.correlation[i][j] = preset.correlation[static_cast<std::size_t>(preset_index[i])]
                                                     [static_cast<std::size_t>(preset_index[j])];
      }
    }
  }
  auto start = core::parse_timestamp(o.start);
  if (!start) return start.error().with_context("--start");
  config.start = *start;
  config.interval = interval;
  config.seed = o.seed;
  return config;
}

int run_generate(const GenerateOptions& o) {
  auto interval = core::parse_duration(o.interval);
  if (!interval) return report(interval.error().with_context("--interval"));
  if (!(o.days > 0)) return report(core::Error(core::ErrorCode::InvalidArgument, "must be positive", "--days"));
  const double bars_f = o.days * static_cast<double>(core::kNanosPerDay) / static_cast<double>(interval->count());
  if (bars_f < 1 || bars_f > kMaxBars) {
    return report(core::Error(core::ErrorCode::OutOfRange,
                              fmt::format("{} days of {} bars is {:.0f} bars per instrument; allowed 1..{:.0f}", o.days,
                                          o.interval, bars_f, kMaxBars),
                              "--days"));
  }
  auto config = build_config(o, *interval);
  if (!config) return report(config.error());
  auto gen = data::SyntheticMarketGenerator::create(*config);
  if (!gen) return report(gen.error());

  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) return report(core::Error(core::ErrorCode::IoError, "cannot create directory: " + ec.message(), o.out));

  const auto series = gen->generate(static_cast<std::size_t>(std::floor(bars_f)));
  Table t;
  t.title = "generated";
  t.columns = {"instrument", "file", "bars", "first", "last", "open", "close", "low", "high"};
  for (const auto& s : series) {
    const std::string ext = ".csv";
    const fs::path file = fs::path(o.out) / (std::string(s.instrument_id.symbol()) + ext);
    core::Status st = o.layout == "binance" ? data::write_binance_klines(file, s) : data::write_ohlcv_csv(file, s);
    if (!st) return report(st.error());
    auto low = s.bars.front().low;
    auto high = s.bars.front().high;
    for (const auto& b : s.bars) {
      low = std::min(low, b.low);
      high = std::max(high, b.high);
    }
    t.add_row({s.instrument_id.value(), file.string(), s.bars.size(), core::format_iso8601(s.bars.front().ts_event),
               core::format_iso8601(s.bars.back().ts_event), s.bars.front().open.value(), s.bars.back().close.value(),
               low.value(), high.value()});
  }
  print(t, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

}  // namespace

void register_data_generate_command(CLI::App& data, Context& ctx) {
  auto o = std::make_shared<GenerateOptions>();
  auto* cmd = data.add_subcommand(
      "generate",
      "Generate a synthetic market: correlated GBM with jumps, volatility regimes and an intraday volume profile.\n"
      "BTCUSDT, ETHUSDT and SOLUSDT use realistic presets (docs/data.md); other symbols start at 100.");
  cmd->add_option("--symbols", o->symbols, "Comma-separated symbols")->default_val(o->symbols);
  cmd->add_option("--venue", o->venue, "Venue part of the instrument ids")->default_val(o->venue);
  cmd->add_option("--interval", o->interval, "Bar interval, e.g. 1m, 5m, 1h, 1d")->default_val(o->interval);
  cmd->add_option("--days", o->days, "Length of the market in days")->default_val(o->days);
  cmd->add_option("--seed", o->seed, "Random seed; the same seed gives the same market")->default_val(o->seed);
  cmd->add_option("--start", o->start, "Time of the first bar (ISO-8601 UTC or epoch)")->default_val(o->start);
  cmd->add_option("--out", o->out, "Output directory (one CSV per symbol)")->required();
  cmd->add_option("--layout", o->layout, "File layout: ohlcv (timestamp,open,high,low,close,volume) or binance")
      ->default_val(o->layout)
      ->check(CLI::IsMember({"ohlcv", "binance"}));
  cmd->add_option("--volatility", o->default_volatility, "Annual volatility of symbols without a preset")
      ->default_val(o->default_volatility)
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_option("--correlation", o->default_correlation, "Correlation of symbols without a preset to the others")
      ->default_val(o->default_correlation)
      ->check(CLI::Range(-1.0, 1.0));
  add_format_option(cmd, o->format);
  on_run(cmd, ctx, [o] { return run_generate(*o); });
}

}  // namespace ballast::cli
