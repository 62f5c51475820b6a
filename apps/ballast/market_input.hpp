#pragma once
// Loading bar files for the analyze commands: any layout `ballast data inspect` reads, named after the
// file (the stem: "var/BTCUSDT-1h.csv" → "BTCUSDT-1h"), and aligned on common timestamps.

#include <CLI/CLI.hpp>
#include <Eigen/Core>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::cli {

struct LoadedSeries {
  std::string name;  // file stem
  std::string path;
  model::BarSeries series;
};

// --calendar's help (backtest::periods_per_year does the annualisation).
inline constexpr const char* kCalendarHelp =
    "Annualisation: auto (crypto for data that trades around the clock, else observed), crypto (365 days), equity "
    "(252 sessions) or observed (the data's own bars a year: stocks, FX, futures)";

// --bar-time start|end (default start) on a command that reads bar files; `label` receives it.
void add_bar_time_option(CLI::App* cmd, data::BarTimestampLabel& label);

// `label`: which end of each bar an OHLCV file's timestamps name (Binance klines name both).
core::Result<LoadedSeries> load_bars(const std::string& path, data::BarTimestampLabel label);
core::Result<std::vector<LoadedSeries>> load_bars(const std::vector<std::string>& paths, data::BarTimestampLabel label);

// Closes of several series on the timestamps every series has (inner join on ts_event), oldest first.
struct AlignedCloses {
  std::vector<std::string> names;
  std::vector<core::UnixNanos> timestamps;
  Eigen::MatrixXd closes;  // rows = timestamps, columns = series
  core::Duration interval{0};
  // Each series' own last close (a file may run past the last timestamp all share): the price today.
  std::vector<double> last_closes;
};

// Errors when the series have different intervals or share fewer than `min_rows` timestamps.
core::Result<AlignedCloses> align_closes(const std::vector<LoadedSeries>& series, std::size_t min_rows = 3);

// Simple returns of each column (rows − 1 rows).
Eigen::MatrixXd simple_return_matrix(const Eigen::MatrixXd& closes);

// Whether a series name belongs to an instrument: equal, or the instrument followed by '-', '_' or '.'
// ("BTCUSDT-1h" belongs to "BTCUSDT").
bool name_matches(std::string_view series_name, std::string_view instrument);

}  // namespace ballast::cli
