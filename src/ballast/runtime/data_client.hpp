#pragma once
// DataClient: the port through which the kernel receives market data from one venue (or one replay
// source). Live adapters stream it from WebSockets; the backtest's replay feeds the same sink.
//
// Subscriptions are requests: subscribe_* returns an error only when the client refuses locally (not
// connected, unknown instrument, unsupported interval or depth); the data itself arrives later through
// the MarketDataSink. Subscribing twice to the same stream is idempotent; unsubscribing from a stream
// that is not subscribed is a no-op.
//
// Every record carries ts_event (venue time) and ts_recv (when this process received it); bars are
// delivered only once complete (ts_recv = end of the interval, see model/market_data.hpp).
//
// Order books: after subscribe_book() the client delivers one full snapshot, then deltas with the
// venue's update ids; OrderBook::apply_deltas() detects gaps. On a gap the kernel calls
// request_book_snapshot() and the client delivers a fresh snapshot through the sink.
//
// Threading (as for ExecutionClient): the kernel calls every method from the kernel thread; subscribe
// and unsubscribe do not block on the network; connect(), disconnect() and request_bars() may block.
// The client calls its sink from one thread of its own; the kernel's sink enqueues for the kernel thread.

#include "ballast/core/error.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/order_book.hpp"

#include <cstddef>
#include <span>

namespace ballast::runtime {

class MarketDataSink {
 public:
  virtual ~MarketDataSink() = default;
  virtual void on_quote(const model::QuoteTick& quote) = 0;
  virtual void on_trade(const model::TradeTick& trade) = 0;
  // A completed bar of `interval`.
  virtual void on_bar(const core::InstrumentId& instrument_id, core::Duration interval, const model::Bar& bar) = 0;
  virtual void on_book_snapshot(const core::InstrumentId& instrument_id, const model::BookSnapshot& snapshot) = 0;
  // One venue message of book deltas; `deltas` is valid only during the call.
  virtual void on_book_deltas(const core::InstrumentId& instrument_id, const model::BookUpdate& update,
                              std::span<const model::BookDelta> deltas) = 0;
  virtual void on_disconnected(const core::VenueId& venue, const core::Error& reason) = 0;
};

class DataClient {
 public:
  virtual ~DataClient() = default;

  virtual const core::VenueId& venue() const = 0;

  virtual core::Status connect() = 0;
  // No sink calls after it returns.
  virtual void disconnect() = 0;
  virtual bool is_connected() const = 0;

  virtual core::Status subscribe_quotes(const core::InstrumentId& instrument_id) = 0;
  virtual core::Status unsubscribe_quotes(const core::InstrumentId& instrument_id) = 0;
  virtual core::Status subscribe_trades(const core::InstrumentId& instrument_id) = 0;
  virtual core::Status unsubscribe_trades(const core::InstrumentId& instrument_id) = 0;
  virtual core::Status subscribe_bars(const core::InstrumentId& instrument_id, core::Duration interval) = 0;
  virtual core::Status unsubscribe_bars(const core::InstrumentId& instrument_id, core::Duration interval) = 0;
  // depth: levels per side the venue should send (0 = the venue's full depth).
  virtual core::Status subscribe_book(const core::InstrumentId& instrument_id, std::size_t depth) = 0;
  virtual core::Status unsubscribe_book(const core::InstrumentId& instrument_id) = 0;
  // Asks for a fresh snapshot of a subscribed book (after a sequence gap); it arrives through the sink.
  virtual core::Status request_book_snapshot(const core::InstrumentId& instrument_id) = 0;

  // Historical bars with start <= ts_event < end, oldest first, complete bars only. Blocking; a venue
  // that pages its history is paged through by the client.
  virtual core::Result<model::BarSeries> request_bars(const core::InstrumentId& instrument_id,
                                                      core::Duration interval, core::UnixNanos start,
                                                      core::UnixNanos end) = 0;
};

}  // namespace ballast::runtime
