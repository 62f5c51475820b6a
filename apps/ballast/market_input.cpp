#include "market_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "ballast/data/bar_csv_stream.hpp"

namespace ballast::cli {

void add_bar_time_option(CLI::App* cmd, data::BarTimestampLabel& label) {
  cmd->add_option_function<std::string>(
         "--bar-time", [&label](const std::string& text) { label = data::parse_bar_timestamp_label(text).value(); },
         "Which end of each bar a bar file's timestamp names: start (its open time, the default) or end (its close "
         "time). Binance kline files name both and ignore it")
      ->check(CLI::IsMember({"start", "end"}, CLI::ignore_case))
      ->default_str("start");
}

core::Result<LoadedSeries> load_bars(const std::string& path, data::BarTimestampLabel label) {
  data::OhlcvCsvReadOptions options;
  options.timestamp_label = label;
  auto series = data::read_bar_file(path, options);
  if (!series) return series.error();
  LoadedSeries out;
  out.path = path;
  out.name = std::filesystem::path(path).stem().string();
  out.series = std::move(*series);
  return out;
}

core::Result<std::vector<LoadedSeries>> load_bars(const std::vector<std::string>& paths, data::BarTimestampLabel label) {
  std::vector<LoadedSeries> out;
  out.reserve(paths.size());
  for (const auto& p : paths) {
    auto s = load_bars(p, label);
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  return out;
}

core::Result<AlignedCloses> align_closes(const std::vector<LoadedSeries>& series, std::size_t min_rows) {
  if (series.empty()) return core::Error(core::ErrorCode::InvalidArgument, "no input series", "--input");
  AlignedCloses out;
  out.interval = series.front().series.interval;
  for (const auto& s : series) {
    if (s.series.interval != out.interval) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("{} has interval {} but {} has {}; resample them to one interval first", s.path,
                                     core::format_duration(s.series.interval), series.front().path,
                                     core::format_duration(out.interval)),
                         "--input");
    }
    out.names.push_back(s.name);
    out.last_closes.push_back(s.series.bars.empty() ? std::nan("") : s.series.bars.back().close.as_double());
  }
  // Walk all series together: keep a timestamp when every series has a bar there.
  const std::size_t n = series.size();
  std::vector<std::size_t> pos(n, 0);
  std::vector<std::vector<double>> rows;
  while (true) {
    bool done = false;
    core::UnixNanos t_max;
    for (std::size_t i = 0; i < n; ++i) {
      if (pos[i] >= series[i].series.bars.size()) {
        done = true;
        break;
      }
      t_max = std::max(t_max, series[i].series.bars[pos[i]].ts_event);
    }
    if (done) break;
    bool all_equal = true;
    for (std::size_t i = 0; i < n; ++i) {
      auto& bars = series[i].series.bars;
      while (pos[i] < bars.size() && bars[pos[i]].ts_event < t_max) ++pos[i];
      if (pos[i] >= bars.size()) {
        done = true;
        break;
      }
      if (bars[pos[i]].ts_event != t_max) all_equal = false;
    }
    if (done) break;
    if (!all_equal) continue;
    std::vector<double> row(n);
    for (std::size_t i = 0; i < n; ++i) row[i] = series[i].series.bars[pos[i]++].close.as_double();
    rows.push_back(std::move(row));
    out.timestamps.push_back(t_max);
  }
  if (rows.size() < min_rows) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("the inputs share only {} timestamps; at least {} are needed", rows.size(), min_rows),
                       "--input");
  }
  out.closes.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(n));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < n; ++c) {
      out.closes(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = rows[r][c];
    }
  }
  return out;
}

Eigen::MatrixXd simple_return_matrix(const Eigen::MatrixXd& closes) {
  const Eigen::Index t = closes.rows();
  if (t < 2) return Eigen::MatrixXd(0, closes.cols());
  return (closes.bottomRows(t - 1).array() / closes.topRows(t - 1).array() - 1.0).matrix();
}

bool name_matches(std::string_view series_name, std::string_view instrument) {
  if (series_name == instrument) return true;
  if (series_name.size() > instrument.size() && series_name.substr(0, instrument.size()) == instrument) {
    const char c = series_name[instrument.size()];
    return c == '-' || c == '_' || c == '.';
  }
  return false;
}

}  // namespace ballast::cli
