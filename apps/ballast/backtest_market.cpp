// The market data of `ballast backtest`, `optimize` and `execute` (backtest_market.hpp, docs/cli.md).

#include "backtest_market.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>

#include "ballast/analytics/returns.hpp"
#include "ballast/backtest/annualisation.hpp"
#include "ballast/data/interval_estimator.hpp"
#include "ballast/data/trade_csv.hpp"

namespace ballast::cli {

namespace {

core::Error usage(std::string message, std::string where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

std::string identifier_from(std::string_view stem) {
  std::string out;
  for (char c : stem) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    else if (c == '-' || c == '_')
      out += '-';
  }
  return out.empty() ? std::string("DATA") : out;
}

// The most decimals the first 5,000 bars' prices carry (the tick of instrument_for).
int price_places(std::span<const model::Bar> bars) {
  int places = 0;
  const std::size_t n = std::min<std::size_t>(bars.size(), 5000);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& b = bars[i];
    places = std::max({places, b.open.precision(), b.high.precision(), b.low.precision(), b.close.precision()});
  }
  return places;
}

// A generic linear instrument for data whose prices carry at most `places` decimals: tick 10^-places,
// fractional quantities (step 10⁻⁶), the given fees, one margin bracket at up to 100× leverage.
core::Result<std::unique_ptr<model::Instrument>> instrument_for(int places, const std::string& id,
                                                                const MarketOptions& o) {
  auto currency = model::Currency::parse(o.currency);
  if (!currency) return currency.error();
  auto fee = core::Decimal::parse(o.fee_bps);
  auto maker = core::Decimal::parse(o.maker_fee_bps.empty() ? o.fee_bps : o.maker_fee_bps);
  if (!fee || fee->is_negative())
    return usage(fmt::format("--fee-bps '{}' must be a number >= 0", o.fee_bps), "--fee-bps");
  if (!maker) return usage(fmt::format("--maker-fee-bps '{}' is not a number", o.maker_fee_bps), "--maker-fee-bps");
  auto instrument_id = core::InstrumentId::parse(id);
  if (!instrument_id) return instrument_id.error();
  model::InstrumentSpec spec;
  spec.id = *instrument_id;
  spec.kind = model::InstrumentKind::Perpetual;
  spec.base_currency = model::Currency("ASSET", 8);
  spec.quote_currency = *currency;
  spec.settlement_currency = *currency;
  spec.tick_size = model::Price::from_raw(1, places);
  spec.step_size = model::Quantity::from_raw(1, 6);
  spec.min_quantity = model::Quantity::from_raw(1, 6);
  spec.maker_fee_rate = core::Decimal::from_raw(maker->raw(), std::min(18, maker->scale() + 4));
  spec.taker_fee_rate = core::Decimal::from_raw(fee->raw(), std::min(18, fee->scale() + 4));
  spec.margin_tiers = {{core::Decimal::from_int(0), core::Decimal::from_int(1'000'000'000'000),
                        core::Decimal::from_int(100), core::Decimal::from_raw(5, 3), core::Decimal::from_int(0)}};
  auto instrument = model::Instrument::create(spec);
  if (!instrument) return instrument.error();
  return std::make_unique<model::Instrument>(std::move(*instrument));
}

// Every bar file of a backtest at one bar interval (the most common step of its bars, as annualisation takes
// it): the equity is sampled at every step of any instrument and annualised by one interval, so daily and
// hourly files together would give mixed returns annualised as one (a Sharpe of 0.67 for GOOG daily beside
// EUR/USD hourly against 1.21 for GOOG alone). `paths[i]` is the file of `bars[i]`.
core::Status require_one_interval(const std::vector<std::span<const model::Bar>>& bars,
                                  const std::vector<std::string>& paths) {
  std::optional<std::size_t> first;
  core::Duration interval{};
  for (std::size_t i = 0; i < bars.size(); ++i) {
    if (bars[i].size() < 2) continue;
    const core::Duration d = data::annualisation_interval(bars[i]);
    if (!first) {
      first = i;
      interval = d;
    } else if (d != interval) {
      return usage(fmt::format("{} has bars of {} but {} has bars of {}; a backtest measures its equity at one "
                               "interval: resample them to one interval first (ballast data resample)",
                               paths[i], core::format_duration(d), paths[*first], core::format_duration(interval)),
                   "--data");
    }
  }
  return core::ok();
}

// The --risk file for a backtest of `instruments`. A [[symbols]] override or a circuit breaker naming an
// instrument the backtest does not trade is refused here, with how to name the data's instruments (the kernel
// would refuse it too, less helpfully: an example file names Binance symbols, a file's instrument is
// FILESTEM.SIM by default).
core::Result<risk::RiskConfig> load_backtest_risk(const std::string& file,
                                                  const std::vector<std::unique_ptr<model::Instrument>>& instruments) {
  auto config = risk::load_risk_config(file);
  if (!config) return config.error();
  std::string traded;
  for (const auto& i : instruments) traded += (traded.empty() ? "" : ", ") + i->id().to_string();
  const auto refuse = [&](std::string_view what, const core::InstrumentId& id) -> core::Error {
    return usage(fmt::format("{}: {} names {}, which this backtest does not trade (its instruments: {}); name a "
                             "file's instrument with --data {}=FILE (or --symbol {} for a single file)",
                             file, what, id.to_string(), traded, id.to_string(), id.to_string()),
                 "--risk");
  };
  const auto traded_id = [&](const core::InstrumentId& id) {
    return std::any_of(instruments.begin(), instruments.end(), [&](const auto& i) { return i->id() == id; });
  };
  for (const auto& s : config->symbols) {
    if (!traded_id(s.instrument_id)) return refuse("[[symbols]]", s.instrument_id);
  }
  for (const auto& b : config->circuit_breakers) {
    if (b.instrument_id && !b.instrument_id->empty() && !traded_id(*b.instrument_id)) {
      return refuse(fmt::format("circuit breaker '{}'", b.name), *b.instrument_id);
    }
  }
  return config;
}

// The market of loaded series: one instrument per series, the annualisation from the first series' bar
// interval (data::annualisation_interval), the risk configuration. (For a streamed backtest the series
// hold only each file's first bars.)
core::Result<Market> market_from(std::vector<LoadedSeries> series, const MarketOptions& o) {
  Market m;
  m.series = std::move(series);
  if (!o.symbol.empty() && m.series.size() > 1)
    return usage("--symbol names one instrument; give one --data file", "--symbol");
  for (const auto& s : m.series) {
    if (s.series.bars.size() < 3) return usage(fmt::format("{}: fewer than 3 bars", s.path), "--data");
    const std::string id = o.symbol.empty() ? identifier_from(s.name) + ".SIM" : o.symbol;
    auto instrument = instrument_for(price_places(s.series.bars), id, o);
    if (!instrument) return instrument.error().with_context(s.path);
    m.instruments.push_back(std::move(*instrument));
  }
  std::vector<std::span<const model::Bar>> bars;
  std::vector<std::string> paths;
  for (const auto& s : m.series) {
    bars.emplace_back(s.series.bars);
    paths.push_back(s.path);
  }
  BALLAST_TRY(require_one_interval(bars, paths));
  auto n = backtest::periods_per_year(m.series.front().series.bars, o.calendar);
  if (!n) return n.error();
  m.periods_per_year = *n;
  if (!o.risk_file.empty()) {
    auto config = load_backtest_risk(o.risk_file, m.instruments);
    if (!config) return config.error();
    m.risk = std::move(*config);
  }
  return m;
}

// The bars looked at before a streamed run: the tick size from the prices (as instrument_for reads them),
// the bar interval for annualisation, the at-least-3-bars check.
constexpr std::size_t kHeadBars = 5000;

// A file argument: PATH, or INSTRUMENT=PATH (an argument that names an existing file is always a path).
// INSTRUMENT without a venue gets ".SIM".
struct FileArgument {
  std::string id;  // empty: from --symbol or the file name
  std::string path;
};

core::Result<FileArgument> file_argument(const std::string& text, std::string_view flag) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(text, ec)) return FileArgument{"", text};
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return usage(fmt::format("'{}': no such file", text), std::string(flag));
  }
  FileArgument a{text.substr(0, eq), text.substr(eq + 1)};
  if (a.id.find('.') == std::string::npos) a.id += ".SIM";
  if (!core::InstrumentId::parse(a.id)) {
    return usage(fmt::format("'{}': '{}' is not an instrument id (SYMBOL or SYMBOL.VENUE)", text, text.substr(0, eq)),
                 std::string(flag));
  }
  if (!std::filesystem::is_regular_file(a.path, ec)) {
    return usage(fmt::format("'{}': no such file '{}'", text, a.path), std::string(flag));
  }
  return a;
}

core::Result<data::TradeCsvFormat> trade_format_of(const std::string& text) {
  if (text == "ballast") return data::TradeCsvFormat::Ballast;
  if (text == "binance-trades") return data::TradeCsvFormat::BinanceTrades;
  if (text == "binance-agg-trades") return data::TradeCsvFormat::BinanceAggTrades;
  return usage(fmt::format("--trade-format '{}': expected ballast, binance-trades or binance-agg-trades", text),
               "--trade-format");
}

}  // namespace

void add_market_options(CLI::App* cmd, MarketOptions& o, bool backtest) {
  if (backtest) {
    cmd->add_option("--data", o.data, "Bar CSV file(s), PATH or INSTRUMENT=PATH; the strategy trades each instrument");
    cmd->add_option("--symbol", o.symbol,
                    "Instrument id of every file given without INSTRUMENT= (default: FILESTEM.SIM)");
  } else {
    cmd->add_option("--data", o.data, "Bar CSV file(s); the strategy trades each of them")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--symbol", o.symbol, "Instrument id for a single data file (default: FILESTEM.SIM)");
  }
  add_bar_time_option(cmd, o.bar_time);
  cmd->add_option("--currency", o.currency, "Settlement (quote) currency of the data")->default_val("USDT");
  cmd->add_option("--fee-bps", o.fee_bps, "Taker fee in basis points of notional")->default_val("5");
  cmd->add_option("--maker-fee-bps", o.maker_fee_bps, "Maker fee in bps (default: the taker fee)");
  cmd->add_option("--calendar", o.calendar, kCalendarHelp)
      ->default_val("auto")
      ->check(CLI::IsMember({"auto", "crypto", "equity", "observed"}));
  cmd->add_option("--risk", o.risk_file, "Risk configuration (TOML or JSON); default: limits off, default breakers")
      ->check(CLI::ExistingFile);
}

core::Result<Market> load_market(const MarketOptions& o) {
  auto series = load_bars(o.data, o.bar_time);
  if (!series) return series.error();
  return market_from(std::move(*series), o);
}

core::Result<std::unique_ptr<StreamedBars>> open_streamed(const std::string& path, data::BarTimestampLabel bar_time) {
  auto format = data::BarCsvStream::detect_format(path);
  if (!format) return format.error();
  data::BarCsvStreamOptions options;
  options.ohlcv.timestamp_label = bar_time;
  auto stream = data::BarCsvStream::open(path, *format, options);
  if (!stream) return stream.error();
  return std::make_unique<StreamedBars>(std::move(*stream));
}

core::Result<BacktestMarket> open_backtest_market(const MarketOptions& o) {
  if (o.data.empty() && o.trades.empty() && o.books.empty()) {
    return usage("give bars (--data), trade ticks (--trades) or L2 books (--books)", "backtest");
  }
  if (!o.symbol.empty() && !core::InstrumentId::parse(o.symbol)) {
    return usage(fmt::format("--symbol '{}' is not an instrument id (SYMBOL.VENUE)", o.symbol), "--symbol");
  }
  auto trade_format = trade_format_of(o.trade_format);
  if (!trade_format) return trade_format.error();
  BacktestMarket m;
  const auto slot_of = [&m](const std::string& id) -> BacktestInputs& {
    for (auto& in : m.inputs) {
      if (in.id == id) return in;
    }
    m.inputs.push_back(BacktestInputs{});
    m.inputs.back().id = id;
    return m.inputs.back();
  };
  const auto assign = [&](const std::string& text, std::string_view flag,
                          std::string BacktestInputs::*field) -> core::Result<BacktestInputs*> {
    auto a = file_argument(text, flag);
    if (!a) return a.error();
    std::string id = a->id;
    if (id.empty()) {
      id = o.symbol.empty() ? identifier_from(std::filesystem::path(a->path).stem().string()) + ".SIM" : o.symbol;
    }
    BacktestInputs& in = slot_of(id);
    if (!(in.*field).empty()) {
      return usage(fmt::format("'{}': instrument {} already has {} (one file of each kind per instrument; name "
                               "instruments with INSTRUMENT=PATH)",
                               text, id, in.*field),
                   std::string(flag));
    }
    in.*field = a->path;
    return &in;
  };
  for (const auto& text : o.data) {
    auto in = assign(text, "--data", &BacktestInputs::bars_path);
    if (!in) return in.error();
    const std::string& path = (*in)->bars_path;
    data::OhlcvCsvReadOptions options;
    options.timestamp_label = o.bar_time;
    auto head = data::read_bar_head(path, kHeadBars, options);
    if (!head) return head.error();
    if (head->size() < 3) return usage(fmt::format("{}: fewer than 3 bars", path), "--data");
    (*in)->head = std::move(*head);
  }
  for (const auto& text : o.trades) {
    auto in = assign(text, "--trades", &BacktestInputs::trades_path);
    if (!in) return in.error();
    data::TradeCsvReadOptions options;
    options.instrument_id = core::InstrumentId::parse((*in)->id).value();
    options.format = *trade_format;
    auto trades = data::read_trade_csv((*in)->trades_path, options);
    if (!trades) return trades.error();
    if (trades->empty()) return usage(fmt::format("{}: no trades", (*in)->trades_path), "--trades");
    (*in)->trades = std::move(*trades);
  }
  for (const auto& text : o.books) {
    auto in = assign(text, "--books", &BacktestInputs::books_path);
    if (!in) return in.error();
    data::BookCsvReadOptions options;
    options.instrument_id = core::InstrumentId::parse((*in)->id).value();
    auto books = data::read_book_csv((*in)->books_path, options);
    if (!books) return books.error();
    if (books->events.empty()) return usage(fmt::format("{}: no book events", (*in)->books_path), "--books");
    (*in)->books = std::move(*books);
  }
  // One instrument per entry: the tick from the most decimals of its bars (first 5,000), trades and book
  // levels.
  for (const auto& in : m.inputs) {
    int places = price_places(in.head);
    for (const auto& t : in.trades) places = std::max(places, t.price.precision());
    for (const auto& l : in.books.levels) places = std::max(places, l.price.precision());
    auto instrument = instrument_for(places, in.id, o);
    if (!instrument) return instrument.error();
    m.market.instruments.push_back(std::move(*instrument));
  }
  // Annualisation: from the bar interval of the first bar file's first bars (data::annualisation_interval);
  // without bars, after the run (see annualise_from_samples). Every bar file at that interval.
  std::vector<std::span<const model::Bar>> heads;
  std::vector<std::string> paths;
  for (const auto& in : m.inputs) {
    heads.emplace_back(in.head);
    paths.push_back(in.bars_path);
  }
  BALLAST_TRY(require_one_interval(heads, paths));
  for (const auto& in : m.inputs) {
    if (in.head.empty()) continue;
    m.has_bars = true;
    auto n = backtest::periods_per_year(in.head, o.calendar);
    if (!n) return n.error();
    m.market.periods_per_year = *n;
    break;
  }
  if (!o.risk_file.empty()) {
    auto config = load_backtest_risk(o.risk_file, m.market.instruments);
    if (!config) return config.error();
    m.market.risk = std::move(*config);
  }
  return m;
}

core::Status annualise_from_samples(backtest::BacktestRun& run, const std::string& calendar) {
  if (run.equity.size() < 2 || !(run.equity.front().ts < run.equity.back().ts)) {
    return usage(fmt::format("run '{}' has fewer than two time steps: nothing to measure", run.label), "--trades");
  }
  const auto span = run.equity.back().ts - run.equity.front().ts;
  const core::Duration mean(std::max<std::int64_t>(1, span.count() / static_cast<std::int64_t>(run.equity.size() - 1)));
  // `auto`: trades and books come when they come, so there is no bar interval to test coverage with: the
  // run's own samples a year (observed), as for a market with hours.
  auto n = calendar == "observed" || calendar == "auto"
               ? data::observed_periods_per_year(run.equity.size(), run.equity.front().ts, run.equity.back().ts)
               : analytics::periods_per_year(mean, calendar == "equity" ? analytics::TradingCalendar::Equity252
                                                                        : analytics::TradingCalendar::Crypto24x7);
  if (!n) return n.error();
  run.periods_per_year = *n;
  return core::ok();
}

}  // namespace ballast::cli
