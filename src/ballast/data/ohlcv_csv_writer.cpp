// Writing generic OHLCV CSV: "timestamp,open,high,low,close,volume", one bar per line.

#include <fmt/format.h>

#include "ballast/data/internal/csv_scan.hpp"
#include "ballast/data/ohlcv_csv.hpp"

namespace ballast::data {
namespace {

std::optional<core::EpochUnit> epoch_unit_of(CsvTimestampFormat format) {
  switch (format) {
    case CsvTimestampFormat::EpochSeconds: return core::EpochUnit::Seconds;
    case CsvTimestampFormat::EpochMillis: return core::EpochUnit::Millis;
    case CsvTimestampFormat::EpochMicros: return core::EpochUnit::Micros;
    case CsvTimestampFormat::EpochNanos: return core::EpochUnit::Nanos;
    case CsvTimestampFormat::Iso8601: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

core::Result<std::string> format_ohlcv_csv(const model::BarSeries& series, const OhlcvCsvWriteOptions& options) {
  const char d = options.delimiter;
  const auto unit = epoch_unit_of(options.timestamp_format);
  std::string out;
  out.reserve(64 * (series.bars.size() + 1));
  if (options.header) out += fmt::format("timestamp{0}open{0}high{0}low{0}close{0}volume\n", d);
  for (std::size_t i = 0; i < series.bars.size(); ++i) {
    const model::Bar& bar = series.bars[i];
    if (unit) {
      std::int64_t epoch = 0;
      if (!internal::to_epoch(bar.ts_event, *unit, epoch)) {
        return core::Error(core::ErrorCode::InvalidArgument,
                           fmt::format("bar {} starts at {}, not a whole number of {}; choose a finer timestamp format",
                                       i, core::format_iso8601(bar.ts_event), internal::to_string(*unit)),
                           fmt::format("bars[{}].ts_event", i));
      }
      internal::append_int(out, epoch);
    } else {
      out += core::format_iso8601(bar.ts_event);
    }
    out += d;
    internal::append_decimal(out, bar.open.value());
    out += d;
    internal::append_decimal(out, bar.high.value());
    out += d;
    internal::append_decimal(out, bar.low.value());
    out += d;
    internal::append_decimal(out, bar.close.value());
    out += d;
    internal::append_decimal(out, bar.volume.value());
    out += '\n';
  }
  return out;
}

core::Status write_ohlcv_csv(const std::filesystem::path& path, const model::BarSeries& series,
                             const OhlcvCsvWriteOptions& options) {
  auto text = format_ohlcv_csv(series, options);
  if (!text) return text.error();
  return internal::save_file(path, *text);
}

}  // namespace ballast::data
