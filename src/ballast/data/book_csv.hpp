#pragma once
// L2 order-book CSV: the book events of one instrument, for replay (backtest::InstrumentData::books).
// Two layouts, told apart by their column count (or named by the caller):
//
//   Ballast   timestamp,kind,side,price,size
//             kind: SNAPSHOT or UPDATE; side: BID or ASK (also BUY / SELL); any case. Timestamps as in
//             ohlcv_csv.hpp (epoch by magnitude or ISO-8601). A header line is optional (a first cell
//             starting with a letter).
//   Tardis    exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount
//             Tardis.dev's incremental_book_L2: times in epoch microseconds (timestamp = venue time,
//             local_timestamp = when it was recorded), is_snapshot true/false, side bid/ask, amount the
//             new size. A header line is optional (a first cell "exchange": data rows start with the
//             exchange's name, so any other word is data). A file holds one symbol.
//
// Events: consecutive rows of the same kind with the same times form ONE event. A snapshot event replaces
// the whole book with its rows (a row of size 0 is skipped: one such row stands for an empty side); an
// update event changes its levels atomically — size is the new TOTAL at the price, 0 deletes the level (as
// model::BookDelta). The first event must be a snapshot. A snapshot later in the file resets the book
// (Tardis writes one after a reconnect).
//
// Time: ts_event is the file's time (Tardis: `timestamp`), ts_recv the same (Tardis: `local_timestamp`).
// Events may share a time but ts_event must not go back. Replay order is by ts_event.
//
// Memory: every row is one model::BookDelta (40 bytes) in one vector; each event is 40 bytes indexing
// into it. Reading is whole-file (the file is memory-mapped while parsed).
//
// Errors stop the read with where() = "source:line": wrong column count, unparsable number, bad
// timestamp, negative size, unknown kind or side, time going backwards, an update before any snapshot, a
// second symbol in a Tardis file. Prices are checked against the instrument's tick when the events are
// applied to a model::OrderBook (the replay names source:line of the event).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/order_book.hpp"

namespace ballast::data {

enum class BookCsvFormat { Auto, Ballast, Tardis };

enum class BookEventKind : std::uint8_t { Snapshot, Update };

// One snapshot or one batch of updates: `count` rows from `first` in BookEventSeries::levels.
struct BookEvent {
  core::UnixNanos ts_event;
  core::UnixNanos ts_recv;
  std::size_t first{0};
  std::uint32_t count{0};
  BookEventKind kind{BookEventKind::Update};
  std::size_t line{0};  // physical line of the event's first row
};

struct BookEventSeries {
  core::InstrumentId instrument_id;
  std::string source;                    // the file (or source name), for file:line errors in replay
  std::vector<BookEvent> events;         // ts_event non-decreasing; the first is a snapshot
  std::vector<model::BookDelta> levels;  // every row, in file order

  std::span<const model::BookDelta> levels_of(const BookEvent& event) const {
    return std::span<const model::BookDelta>(levels).subspan(event.first, event.count);
  }
};

struct BookCsvReadOptions {
  core::InstrumentId instrument_id;
  BookCsvFormat format = BookCsvFormat::Auto;  // Auto: 5 columns Ballast, 8 columns Tardis
  std::optional<core::EpochUnit> epoch_unit;   // Ballast layout only; inferred per value when unset
};

core::Result<BookEventSeries> read_book_csv(const std::filesystem::path& path, const BookCsvReadOptions& options = {});
core::Result<BookEventSeries> parse_book_csv(std::string_view text, std::string_view source_name = "<text>",
                                             const BookCsvReadOptions& options = {});

}  // namespace ballast::data
