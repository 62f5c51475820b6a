#include "ballast/data/trade_csv.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ballast/data/internal/csv_scan.hpp"

namespace ballast::data {
namespace {

using core::Error;
using core::ErrorCode;

// Column positions of one layout (0-based); `columns` and `columns_alt` are the accepted widths.
struct TradeColumns {
  std::size_t timestamp;
  std::size_t price;
  std::size_t size;
  std::size_t side;  // the side cell, or is_buyer_maker for Binance
  std::size_t trade_id;
  std::size_t columns;
  std::size_t columns_alt;
  bool binance;
  std::string_view names[8];
};

TradeColumns columns_of(TradeCsvFormat format) {
  switch (format) {
    case TradeCsvFormat::Ballast:
      return {0, 1, 2, 3, 4, 5, 5, false, {"timestamp", "price", "size", "side", "trade_id"}};
    case TradeCsvFormat::BinanceTrades:
      return {
          4, 1, 2, 5, 0, 6, 7, true, {"id", "price", "qty", "quote_qty", "time", "is_buyer_maker", "is_best_match"}};
    case TradeCsvFormat::BinanceAggTrades:
      return {5,
              1,
              2,
              6,
              0,
              7,
              8,
              true,
              {"agg_trade_id", "price", "quantity", "first_trade_id", "last_trade_id", "transact_time",
               "is_buyer_maker", "is_best_match"}};
  }
  return columns_of(TradeCsvFormat::Ballast);
}

std::optional<model::AggressorSide> parse_side(std::string_view text) {
  using model::AggressorSide;
  if (text.empty()) return AggressorSide::NoAggressor;
  for (std::string_view s : {"buyer", "buy", "b"}) {
    if (internal::equals_ignore_case(text, s)) return AggressorSide::Buyer;
  }
  for (std::string_view s : {"seller", "sell", "s"}) {
    if (internal::equals_ignore_case(text, s)) return AggressorSide::Seller;
  }
  for (std::string_view s : {"no_aggressor", "none"}) {
    if (internal::equals_ignore_case(text, s)) return AggressorSide::NoAggressor;
  }
  return std::nullopt;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (internal::equals_ignore_case(text, "true") || text == "1") return true;
  if (internal::equals_ignore_case(text, "false") || text == "0") return false;
  return std::nullopt;
}

}  // namespace

core::Result<std::vector<model::TradeTick>> parse_trade_csv(std::string_view text, std::string_view source_name,
                                                            const TradeCsvReadOptions& options) {
  const TradeColumns cols = columns_of(options.format);
  std::vector<model::TradeTick> ticks;
  ticks.reserve(internal::estimate_rows(text));

  const auto row_error = [&](ErrorCode code, std::size_t line, std::string message) {
    return internal::line_error(code, source_name, line, std::move(message));
  };
  const auto label = [&](std::size_t c) { return fmt::format("column {} ({})", c + 1, cols.names[c]); };

  internal::LineCursor lines(text);
  internal::FieldSplitter f;
  std::string_view line;
  bool first_row = true;
  std::size_t width = 0;  // fixed by the first data row
  core::UnixNanos previous;
  std::size_t previous_line = 0;
  // Binance times are never forced: their unit is always inferred from the magnitude.
  const std::optional<core::EpochUnit> unit = cols.binance ? std::nullopt : options.epoch_unit;
  while (lines.next(line)) {
    if (line.empty() || internal::is_blank(line)) continue;
    const std::size_t n = lines.line_number();
    f.split(line, ',');
    if (first_row && internal::starts_with_letter(f[0])) {
      first_row = false;
      continue;
    }
    first_row = false;
    if (width == 0 && (f.count() == cols.columns || f.count() == cols.columns_alt)) width = f.count();
    if (f.count() != (width == 0 ? cols.columns : width)) {
      const std::size_t expected = width == 0 ? cols.columns : width;
      if (width == 0 && cols.columns != cols.columns_alt) {
        return row_error(ErrorCode::ParseError, n,
                         fmt::format("expected {} or {} columns, got {}", cols.columns, cols.columns_alt, f.count()));
      }
      return row_error(ErrorCode::ParseError, n, fmt::format("expected {} columns, got {}", expected, f.count()));
    }

    model::TradeTick tick;
    tick.instrument_id = options.instrument_id;
    if (!internal::parse_timestamp_fast(f[cols.timestamp], unit, tick.ts_event)) {
      auto why = internal::parse_timestamp_or_error(f[cols.timestamp], unit);
      return row_error(ErrorCode::ParseError, n,
                       fmt::format("{}: {}", label(cols.timestamp), why ? "bad timestamp" : why.error().message()));
    }
    tick.ts_recv = tick.ts_event;
    core::Decimal price, size;
    for (auto [c, target] : {std::pair{cols.price, &price}, std::pair{cols.size, &size}}) {
      if (!internal::parse_decimal(f[c], *target)) {
        return row_error(ErrorCode::ParseError, n, fmt::format("{}: {}", label(c), internal::decimal_error(f[c])));
      }
    }
    if (size.is_negative()) {
      return row_error(ErrorCode::InvalidArgument, n, fmt::format("size {} is negative", size.to_string()));
    }
    if (cols.binance) {
      const auto buyer_maker = parse_bool(f[cols.side]);
      if (!buyer_maker) {
        return row_error(ErrorCode::ParseError, n,
                         fmt::format("{}: expected true or false, got '{}'", label(cols.side), f[cols.side]));
      }
      tick.aggressor = *buyer_maker ? model::AggressorSide::Seller : model::AggressorSide::Buyer;
    } else {
      const auto side = parse_side(f[cols.side]);
      if (!side) {
        return row_error(
            ErrorCode::ParseError, n,
            fmt::format("{}: unknown side '{}' (expected BUYER, SELLER, NO_AGGRESSOR, BUY, SELL, B, S or empty)",
                        label(cols.side), f[cols.side]));
      }
      tick.aggressor = *side;
    }
    const std::string_view id = f[cols.trade_id];
    if (!id.empty()) {
      if (!core::is_valid_identifier(id)) {
        return row_error(ErrorCode::ParseError, n,
                         fmt::format("{}: '{}' is not a valid trade id (1-128 printable characters, no spaces)",
                                     label(cols.trade_id), id));
      }
      tick.trade_id = core::TradeId(std::string(id));
    }
    if (previous_line != 0 && tick.ts_event < previous) {
      return row_error(ErrorCode::InvalidArgument, n,
                       internal::time_order_violation(tick.ts_event, previous, previous_line, false));
    }
    previous = tick.ts_event;
    previous_line = n;
    tick.price = model::Price(price);
    tick.size = model::Quantity(size);
    ticks.push_back(std::move(tick));
  }
  return ticks;
}

core::Result<std::vector<model::TradeTick>> read_trade_csv(const std::filesystem::path& path,
                                                           const TradeCsvReadOptions& options) {
  auto text = internal::load_file(path);
  if (!text) return text.error();
  return parse_trade_csv(text->view(), path.string(), options);
}

core::Result<std::string> format_trade_csv(std::span<const model::TradeTick> ticks,
                                           const TradeCsvWriteOptions& options) {
  std::optional<core::EpochUnit> unit;
  switch (options.timestamp_format) {
    case CsvTimestampFormat::EpochSeconds: unit = core::EpochUnit::Seconds; break;
    case CsvTimestampFormat::EpochMillis: unit = core::EpochUnit::Millis; break;
    case CsvTimestampFormat::EpochMicros: unit = core::EpochUnit::Micros; break;
    case CsvTimestampFormat::EpochNanos: unit = core::EpochUnit::Nanos; break;
    case CsvTimestampFormat::Iso8601: break;
  }
  std::string out;
  out.reserve(64 * (ticks.size() + 1));
  if (options.header) out += "timestamp,price,size,side,trade_id\n";
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    const model::TradeTick& t = ticks[i];
    if (unit) {
      std::int64_t epoch = 0;
      if (!internal::to_epoch(t.ts_event, *unit, epoch)) {
        return Error(ErrorCode::InvalidArgument,
                     fmt::format("tick {} at {} is not a whole number of {}; choose a finer timestamp format", i,
                                 core::format_iso8601(t.ts_event), internal::to_string(*unit)),
                     fmt::format("ticks[{}].ts_event", i));
      }
      internal::append_int(out, epoch);
    } else {
      out += core::format_iso8601(t.ts_event);
    }
    out += ',';
    internal::append_decimal(out, t.price.value());
    out += ',';
    internal::append_decimal(out, t.size.value());
    out += ',';
    out += model::to_string(t.aggressor);
    out += ',';
    out += t.trade_id.value();
    out += '\n';
  }
  return out;
}

core::Status write_trade_csv(const std::filesystem::path& path, std::span<const model::TradeTick> ticks,
                             const TradeCsvWriteOptions& options) {
  auto text = format_trade_csv(ticks, options);
  if (!text) return text.error();
  return internal::save_file(path, *text);
}

}  // namespace ballast::data
