#include "ballast/data/bar_csv_stream.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "ballast/data/binance_kline_csv.hpp"
#include "ballast/data/internal/csv_scan.hpp"
#include "ballast/data/internal/kline_rows.hpp"
#include "ballast/data/internal/ohlcv_layout.hpp"
#include "ballast/data/internal/ohlcv_rows.hpp"
#include "ballast/data/interval_estimator.hpp"

namespace ballast::data {
namespace {

using core::Error;
using core::ErrorCode;

// Rows read ahead to settle an OHLCV file's interval: 64 steps, as the whole-file reader's first guess.
constexpr std::size_t kGuessSteps = 64;

}  // namespace

struct BarCsvStream::State {
  std::string path;
  BarCsvFormat format{BarCsvFormat::Ohlcv};
  BarCsvStreamOptions options;
  int fd{-1};
  std::vector<char> buffer;
  std::size_t begin{0};     // next byte to parse
  std::size_t complete{0};  // end of the complete lines in the buffer (everything once at the end of the file)
  std::size_t filled{0};    // bytes in the buffer
  bool eof{false};
  std::size_t line{0};  // physical line number of the last line parsed
  bool no_rows{false};  // an OHLCV file with nothing but blank lines
  std::optional<internal::OhlcvRowParser> ohlcv;
  std::optional<internal::KlineRowParser> kline;
  bool end_is_recv{true};
  core::Duration interval{0};
  std::vector<model::Bar> ahead;  // bars read ahead when opening
  std::size_t ahead_used{0};
  std::vector<model::Bar> batch;
  std::size_t bars_read{0};
  std::optional<Error> error;

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    if (fd >= 0) ::close(fd);
  }

  // Keeps the unparsed tail, reads the next chunk after it (growing the buffer when one line fills it) and
  // finds the end of the complete lines.
  core::Status read_more() {
    if (begin > 0) {
      std::memmove(buffer.data(), buffer.data() + begin, filled - begin);
      filled -= begin;
      begin = 0;
    }
    if (filled == buffer.size()) buffer.resize(buffer.size() * 2);
    ssize_t got = 0;
    do {
      got = ::read(fd, buffer.data() + filled, buffer.size() - filled);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
      return Error(ErrorCode::IoError, fmt::format("cannot read '{}': {}", path, std::strerror(errno)), path);
    }
    if (got == 0) eof = true;
    filled += static_cast<std::size_t>(got);
    if (eof) {
      complete = filled;
    } else {
      const auto* last = static_cast<const char*>(::memrchr(buffer.data(), '\n', filled));
      complete = last != nullptr ? static_cast<std::size_t>(last - buffer.data()) + 1 : 0;
    }
    return core::ok();
  }

  // Makes at least one complete line available; false at the end of the file.
  core::Result<bool> has_line() {
    while (begin == complete) {
      if (eof) return false;
      BALLAST_TRY(read_more());
    }
    return true;
  }

  // The next physical line as a bar: Row, Skip (blank or header) or Error (in `error`).
  internal::RowStep parse_line(model::Bar& bar, internal::OhlcvRow& row) {
    const char* pos = buffer.data() + begin;
    const char* const end = buffer.data() + complete;
    ++line;
    internal::RowStep step = internal::RowStep::Skip;
    if (ohlcv) {
      step = ohlcv->next(pos, end, line, row);
      if (step == internal::RowStep::Error) error = ohlcv->error();
    } else {
      BinanceKlineExtras extra;
      step = kline->next(pos, end, line, bar, extra);
      if (step == internal::RowStep::Error) error = kline->error();
    }
    begin = static_cast<std::size_t>(pos - buffer.data());
    return step;
  }

  core::Status open_file() {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error(ErrorCode::IoError, fmt::format("cannot open '{}': {}", path, std::strerror(errno)), path);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    buffer.resize(std::max<std::size_t>(options.buffer_bytes, 64));
    // The layout comes from the first two non-blank lines: read until they are in the buffer.
    while (true) {
      BALLAST_TRY(read_more());
      std::size_t non_blank = 0;
      internal::LineCursor cursor(std::string_view(buffer.data(), complete));
      std::string_view text_line;
      while (non_blank < 2 && cursor.next(text_line)) non_blank += internal::is_blank(text_line) ? 0 : 1;
      if (non_blank >= 2 || eof) break;
    }
    if (std::string_view(buffer.data(), filled).substr(0, 3) == "\xEF\xBB\xBF") begin = 3;  // as LineCursor does
    return core::ok();
  }

  // Reads the first rows: the interval of an OHLCV file (see the header), the first bar of a kline file.
  core::Status read_ahead() {
    model::Bar bar;
    internal::OhlcvRow row;
    if (kline) {
      while (ahead.empty()) {
        auto more = has_line();
        if (!more) return more.error();
        if (!*more) break;
        const internal::RowStep step = parse_line(bar, row);
        if (step == internal::RowStep::Error) return *error;
        if (step == internal::RowStep::Row) ahead.push_back(bar);
      }
      interval = kline->interval();
      return core::ok();
    }
    std::vector<internal::OhlcvRow> rows;
    IntervalEstimator estimator;
    while (options.ohlcv.interval || estimator.steps() < kGuessSteps) {
      auto more = has_line();
      if (!more) return more.error();
      if (!*more) break;
      const internal::RowStep step = parse_line(bar, row);
      if (step == internal::RowStep::Error) return *error;
      if (step != internal::RowStep::Row) continue;
      rows.push_back(row);
      estimator.add(row.ts);
      if (options.ohlcv.interval) break;  // nothing to settle: one row is enough
    }
    interval = options.ohlcv.interval ? *options.ohlcv.interval : estimator.interval();
    for (const auto& r : rows) ahead.push_back(internal::bar_of(r, end_is_recv, interval));
    return core::ok();
  }
};

BarCsvStream::BarCsvStream(std::unique_ptr<State> state) : state_(std::move(state)) {}
BarCsvStream::BarCsvStream(BarCsvStream&&) noexcept = default;
BarCsvStream& BarCsvStream::operator=(BarCsvStream&&) noexcept = default;
BarCsvStream::~BarCsvStream() = default;

core::Result<BarCsvStream> BarCsvStream::open(const std::filesystem::path& path, BarCsvFormat format,
                                              const BarCsvStreamOptions& options) {
  const OhlcvCsvReadOptions& o = options.ohlcv;
  if (o.interval && o.interval->count() <= 0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("interval must be positive, got {}", core::format_duration(*o.interval)), "interval");
  }
  auto state = std::make_unique<State>();
  state->path = path.string();
  state->format = format;
  state->options = options;
  state->options.batch_bars = std::max<std::size_t>(options.batch_bars, 1);
  state->end_is_recv = o.timestamp_label == BarTimestampLabel::IntervalStart;
  BALLAST_TRY(state->open_file());
  if (format == BarCsvFormat::BinanceKlines) {
    state->kline.emplace(state->path);
  } else {
    auto detected =
        internal::detect_layout(std::string_view(state->buffer.data(), state->complete), state->path, o.delimiter);
    if (!detected) return detected.error();
    if (detected->layout.columns == 0) {
      state->no_rows = true;  // nothing but blank lines so far: an empty series, as the whole-file reader gives
      return BarCsvStream(std::move(state));
    }
    state->ohlcv.emplace(std::move(*detected), state->path, o.epoch_unit);
  }
  BALLAST_TRY(state->read_ahead());
  state->batch.reserve(state->options.batch_bars);
  return BarCsvStream(std::move(state));
}

core::Result<BarCsvFormat> BarCsvStream::detect_format(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorCode::IoError, "cannot open file", path.string());
  std::string first;
  std::getline(in, first);
  const auto fields = std::count(first.begin(), first.end(), ',') + 1;
  const bool binance = fields == 12 && !first.empty() && std::isdigit(static_cast<unsigned char>(first[0])) != 0;
  return binance ? BarCsvFormat::BinanceKlines : BarCsvFormat::Ohlcv;
}

core::Result<std::span<const model::Bar>> BarCsvStream::next_batch() {
  State& s = *state_;
  if (s.error) return *s.error;
  s.batch.clear();
  if (s.no_rows) return std::span<const model::Bar>();
  const std::size_t limit = s.options.batch_bars;
  while (s.ahead_used < s.ahead.size() && s.batch.size() < limit) s.batch.push_back(s.ahead[s.ahead_used++]);
  if (s.ahead_used == s.ahead.size() && !s.ahead.empty()) {
    s.ahead.clear();
    s.ahead.shrink_to_fit();
    s.ahead_used = 0;
  }
  model::Bar bar;
  internal::OhlcvRow row;
  while (s.batch.size() < limit) {
    auto more = s.has_line();
    if (!more) {
      s.error = more.error();
      return *s.error;
    }
    if (!*more) break;
    const internal::RowStep step = s.parse_line(bar, row);
    if (step == internal::RowStep::Skip) continue;
    if (step == internal::RowStep::Error) return *s.error;
    s.batch.push_back(s.ohlcv ? internal::bar_of(row, s.end_is_recv, s.interval) : bar);
  }
  s.bars_read += s.batch.size();
  return std::span<const model::Bar>(s.batch);
}

core::Duration BarCsvStream::interval() const noexcept {
  return state_->interval;
}

BarCsvFormat BarCsvStream::format() const noexcept {
  return state_->format;
}

std::size_t BarCsvStream::bars_read() const noexcept {
  return state_->bars_read;
}

core::Result<model::BarSeries> read_bar_file(const std::filesystem::path& path, const OhlcvCsvReadOptions& options,
                                             std::optional<BarCsvFormat> format) {
  if (!format) {
    auto detected = BarCsvStream::detect_format(path);
    if (!detected) return detected.error();
    format = *detected;
  }
  if (*format == BarCsvFormat::BinanceKlines) {
    auto klines = read_binance_klines(path, options.instrument_id);
    if (!klines) return klines.error();
    return std::move(klines->series);
  }
  return read_ohlcv_csv(path, options);
}

core::Result<std::vector<model::Bar>> read_bar_head(const std::filesystem::path& path, std::size_t max_bars,
                                                    const OhlcvCsvReadOptions& options) {
  auto format = BarCsvStream::detect_format(path);
  if (!format) return format.error();
  BarCsvStreamOptions stream_options;
  stream_options.ohlcv = options;
  stream_options.batch_bars = max_bars;
  auto stream = BarCsvStream::open(path, *format, stream_options);
  if (!stream) return stream.error();
  auto batch = stream->next_batch();
  if (!batch) return batch.error();
  return std::vector<model::Bar>(batch->begin(), batch->end());
}

}  // namespace ballast::data
