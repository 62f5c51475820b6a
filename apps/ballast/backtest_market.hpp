#pragma once
// The market data of `ballast backtest`, `optimize` and `execute` (docs/cli.md): the shared options, a
// generic linear instrument per file, streamed bar sources, and the per-instrument bars, trade ticks and L2
// books of `ballast backtest` (PATH or INSTRUMENT=PATH arguments).

#include <CLI/CLI.hpp>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ballast/backtest/backtest_engine.hpp"
#include "ballast/core/result.hpp"
#include "ballast/data/bar_csv_stream.hpp"
#include "ballast/data/book_csv.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/risk/risk_config.hpp"
#include "market_input.hpp"

namespace ballast::cli {

struct MarketOptions {
  std::vector<std::string> data;
  data::BarTimestampLabel bar_time{data::BarTimestampLabel::IntervalStart};  // of every --data file
  std::string symbol;  // instrument id for the data (default: FILESTEM.SIM)
  std::string currency{"USDT"};
  std::string fee_bps{"5"};
  std::string maker_fee_bps;  // default: fee_bps
  std::string calendar{"auto"};
  std::string risk_file;
  // ballast backtest only:
  std::vector<std::string> trades;
  std::vector<std::string> books;
  std::string trade_format{"ballast"};
};

// `ballast backtest` takes bars, trade ticks or books (none of them required alone; file arguments may be
// INSTRUMENT=PATH); optimize and execute take bar files only.
void add_market_options(CLI::App* cmd, MarketOptions& o, bool backtest = false);

struct Market {
  std::vector<LoadedSeries> series;
  std::vector<std::unique_ptr<model::Instrument>> instruments;
  double periods_per_year{365.0};
  risk::RiskConfig risk{};
};

// The bar files of --data loaded whole, one instrument each (optimize, execute).
core::Result<Market> load_market(const MarketOptions& o);

// Bars of one file as a backtest bar source: the file is read in chunks as the backtest replays it.
class StreamedBars final : public backtest::BarSource {
 public:
  explicit StreamedBars(data::BarCsvStream stream) : stream_(std::move(stream)) {}
  core::Result<std::span<const model::Bar>> next_batch() override { return stream_.next_batch(); }

 private:
  data::BarCsvStream stream_;
};

core::Result<std::unique_ptr<StreamedBars>> open_streamed(const std::string& path, data::BarTimestampLabel bar_time);

// The data of one instrument of a backtest; the bars are streamed per run, trades and books are held.
struct BacktestInputs {
  std::string id;
  std::string bars_path;  // empty: no bars
  std::string trades_path;
  std::string books_path;
  std::vector<model::Bar> head;  // the first bars of the file (tick size, annualisation)
  std::vector<model::TradeTick> trades;
  data::BookEventSeries books;
};

struct BacktestMarket {
  Market market;                       // instruments (in the order of `inputs`), annualisation, risk
  std::vector<BacktestInputs> inputs;  // one per instrument
  bool has_bars{false};                // false: annualise from the run's own samples (tick or book data)
};

// Each file is one instrument's bars, trades or book: INSTRUMENT= names it, else --symbol, else FILESTEM.SIM
// (as --data always did). Files naming the same instrument are that instrument's data; an instrument takes
// at most one file of each kind. Instruments are in the order they are first named (--data, --trades,
// --books). Bars are opened to read their first bars only; trades and books are read whole.
core::Result<BacktestMarket> open_backtest_market(const MarketOptions& o);

// Tick and book data have no bar interval: the equity samples come at irregular times, so the run is
// annualised with their mean spacing (the span over the number of steps), as if regular.
core::Status annualise_from_samples(backtest::BacktestRun& run, const std::string& calendar);

}  // namespace ballast::cli
