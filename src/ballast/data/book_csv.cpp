#include "ballast/data/book_csv.hpp"

#include <fmt/format.h>

#include <limits>

#include "ballast/data/internal/csv_scan.hpp"

namespace ballast::data {
namespace {

using core::ErrorCode;

// Column positions of one layout (0-based).
struct BookColumns {
  std::size_t columns;
  std::size_t timestamp;
  std::optional<std::size_t> local_timestamp;
  std::size_t kind;
  std::size_t side;
  std::size_t price;
  std::size_t size;
  std::optional<std::size_t> symbol;
  std::string_view names[8];
};

BookColumns columns_of(BookCsvFormat format) {
  if (format == BookCsvFormat::Tardis) {
    return {8, 2, 3,
            4, 5, 6,
            7, 1, {"exchange", "symbol", "timestamp", "local_timestamp", "is_snapshot", "side", "price", "amount"}};
  }
  return {5, 0, std::nullopt, 1, 2, 3, 4, std::nullopt, {"timestamp", "kind", "side", "price", "size"}};
}

std::optional<model::OrderSide> parse_side(std::string_view text) {
  if (internal::equals_ignore_case(text, "bid") || internal::equals_ignore_case(text, "buy"))
    return model::OrderSide::Buy;
  if (internal::equals_ignore_case(text, "ask") || internal::equals_ignore_case(text, "sell"))
    return model::OrderSide::Sell;
  return std::nullopt;
}

std::optional<BookEventKind> parse_kind(std::string_view text, bool tardis) {
  if (tardis) {
    if (internal::equals_ignore_case(text, "true")) return BookEventKind::Snapshot;
    if (internal::equals_ignore_case(text, "false")) return BookEventKind::Update;
    return std::nullopt;
  }
  if (internal::equals_ignore_case(text, "snapshot")) return BookEventKind::Snapshot;
  if (internal::equals_ignore_case(text, "update")) return BookEventKind::Update;
  return std::nullopt;
}

}  // namespace

core::Result<BookEventSeries> parse_book_csv(std::string_view text, std::string_view source_name,
                                             const BookCsvReadOptions& options) {
  BookEventSeries out;
  out.instrument_id = options.instrument_id;
  out.source = std::string(source_name);
  out.levels.reserve(internal::estimate_rows(text));

  const auto row_error = [&](ErrorCode code, std::size_t line, std::string message) {
    return internal::line_error(code, source_name, line, std::move(message));
  };

  internal::LineCursor lines(text);
  internal::FieldSplitter f;
  std::string_view line;
  bool first_row = true;
  BookCsvFormat format = options.format;
  BookColumns cols = columns_of(format);
  bool tardis = format == BookCsvFormat::Tardis;
  std::optional<core::EpochUnit> unit = options.epoch_unit;
  std::string symbol;  // Tardis: the file's one symbol
  std::size_t symbol_line = 0;
  core::UnixNanos previous;
  std::size_t previous_line = 0;
  const auto label = [&](std::size_t c) { return fmt::format("column {} ({})", c + 1, cols.names[c]); };

  while (lines.next(line)) {
    if (line.empty() || internal::is_blank(line)) continue;
    const std::size_t n = lines.line_number();
    f.split(line, ',');
    if (first_row) {
      first_row = false;
      if (format == BookCsvFormat::Auto) {
        if (f.count() == 8) {
          format = BookCsvFormat::Tardis;
        } else if (f.count() == 5) {
          format = BookCsvFormat::Ballast;
        } else {
          return row_error(ErrorCode::ParseError, n,
                           fmt::format("expected 5 columns (timestamp,kind,side,price,size) or 8 (Tardis "
                                       "incremental_book_L2), got {}",
                                       f.count()));
        }
        cols = columns_of(format);
        tardis = format == BookCsvFormat::Tardis;
      }
      if (tardis) unit = core::EpochUnit::Micros;
      // Tardis data rows start with the exchange's name, so only a first cell "exchange" is its header.
      const bool header = tardis ? internal::equals_ignore_case(f[0], "exchange") : internal::starts_with_letter(f[0]);
      if (header) continue;
    }
    if (f.count() != cols.columns) {
      return row_error(ErrorCode::ParseError, n, fmt::format("expected {} columns, got {}", cols.columns, f.count()));
    }

    core::UnixNanos ts_event;
    if (!internal::parse_timestamp_fast(f[cols.timestamp], unit, ts_event)) {
      auto why = internal::parse_timestamp_or_error(f[cols.timestamp], unit);
      return row_error(ErrorCode::ParseError, n,
                       fmt::format("{}: {}", label(cols.timestamp), why ? "bad timestamp" : why.error().message()));
    }
    core::UnixNanos ts_recv = ts_event;
    if (cols.local_timestamp && !internal::parse_timestamp_fast(f[*cols.local_timestamp], unit, ts_recv)) {
      auto why = internal::parse_timestamp_or_error(f[*cols.local_timestamp], unit);
      return row_error(
          ErrorCode::ParseError, n,
          fmt::format("{}: {}", label(*cols.local_timestamp), why ? "bad timestamp" : why.error().message()));
    }
    const auto kind = parse_kind(f[cols.kind], tardis);
    if (!kind) {
      return row_error(ErrorCode::ParseError, n,
                       fmt::format("{}: unknown kind '{}' (expected {})", label(cols.kind), f[cols.kind],
                                   tardis ? "true or false" : "SNAPSHOT or UPDATE"));
    }
    const auto side = parse_side(f[cols.side]);
    if (!side) {
      return row_error(
          ErrorCode::ParseError, n,
          fmt::format("{}: unknown side '{}' (expected BID, ASK, BUY or SELL)", label(cols.side), f[cols.side]));
    }
    core::Decimal price, size;
    for (auto [c, target] : {std::pair{cols.price, &price}, std::pair{cols.size, &size}}) {
      if (!internal::parse_decimal(f[c], *target)) {
        return row_error(ErrorCode::ParseError, n, fmt::format("{}: {}", label(c), internal::decimal_error(f[c])));
      }
    }
    if (size.is_negative()) {
      return row_error(ErrorCode::InvalidArgument, n,
                       fmt::format("{}: size {} is negative", label(cols.size), size.to_string()));
    }
    if (cols.symbol) {
      const std::string_view s = f[*cols.symbol];
      if (symbol_line == 0) {
        symbol = std::string(s);
        symbol_line = n;
      } else if (s != symbol) {
        return row_error(ErrorCode::InvalidArgument, n,
                         fmt::format("{}: '{}' differs from '{}' on line {}: a file holds one instrument",
                                     label(*cols.symbol), s, symbol, symbol_line));
      }
    }
    if (previous_line != 0 && ts_event < previous) {
      return row_error(ErrorCode::InvalidArgument, n,
                       internal::time_order_violation(ts_event, previous, previous_line, false));
    }
    if (out.events.empty() && *kind == BookEventKind::Update) {
      return row_error(ErrorCode::InvalidArgument, n,
                       "an update before any snapshot: the book must start with SNAPSHOT rows (Tardis: "
                       "is_snapshot true)");
    }
    previous = ts_event;
    previous_line = n;

    // A new event unless this row continues the last one (same kind and times).
    BookEvent* last = out.events.empty() ? nullptr : &out.events.back();
    if (last == nullptr || last->kind != *kind || last->ts_event != ts_event || last->ts_recv != ts_recv ||
        last->count == std::numeric_limits<std::uint32_t>::max()) {
      BookEvent e;
      e.ts_event = ts_event;
      e.ts_recv = ts_recv;
      e.first = out.levels.size();
      e.kind = *kind;
      e.line = n;
      out.events.push_back(e);
      last = &out.events.back();
    }
    ++last->count;
    out.levels.push_back(model::BookDelta{*side, model::Price(price), model::Quantity(size)});
  }
  return out;
}

core::Result<BookEventSeries> read_book_csv(const std::filesystem::path& path, const BookCsvReadOptions& options) {
  auto text = internal::load_file(path);
  if (!text) return text.error();
  return parse_book_csv(text->view(), path.string(), options);
}

}  // namespace ballast::data
