#include "ballast/adapters/binance_futures/data_client.hpp"

#include <utility>

#include <fmt/format.h>

#include "ballast/adapters/binance_futures/kline_download.hpp"

namespace ballast::adapters::binance {

using core::Error;
using core::ErrorCode;
using SteadyClock = std::chrono::steady_clock;

namespace {

enum class EventKind { AggTrade, Depth, MarkPrice, Kline, BookTicker, Other };

EventKind kind_of_stream(std::string_view stream) {
  const auto at = stream.find('@');
  if (at == std::string_view::npos) return EventKind::Other;
  const std::string_view name = stream.substr(at + 1);
  if (name == "aggTrade") return EventKind::AggTrade;
  if (name.starts_with("depth")) return EventKind::Depth;
  if (name.starts_with("markPrice")) return EventKind::MarkPrice;
  if (name.starts_with("kline_")) return EventKind::Kline;
  if (name == "bookTicker") return EventKind::BookTicker;
  return EventKind::Other;
}

EventKind kind_of_event(std::string_view type) {
  if (type == "aggTrade") return EventKind::AggTrade;
  if (type == "depthUpdate") return EventKind::Depth;
  if (type == "markPriceUpdate") return EventKind::MarkPrice;
  if (type == "kline") return EventKind::Kline;
  if (type == "bookTicker") return EventKind::BookTicker;
  return EventKind::Other;
}

std::optional<KlineInterval> interval_of(core::Duration d) {
  for (KlineInterval i : all_kline_intervals()) {
    const auto length = kline_interval_length(i);
    if (length && *length == d) return i;
  }
  return std::nullopt;
}

std::string join_url(const std::string& base, std::string_view path) {
  if (!base.empty() && base.back() == '/') return base.substr(0, base.size() - 1) + std::string(path);
  return base + std::string(path);
}

}  // namespace

// The dispatcher thread: takes the WebSocket's messages and the kernel's book requests in order, keeps every
// book's synchronisation state (touched by this thread only), fetches snapshots and calls the sink.
struct BinanceDataClient::Dispatcher {
  struct Task {
    enum class Kind { Message, Connected, Disconnected, AddBook, RemoveBook, Resync };
    Kind kind{Kind::Message};
    std::string text;  // the message, or the book's depth stream name
    core::UnixNanos ts_recv;
    std::optional<Error> error;
    core::InstrumentId instrument_id;
    std::string symbol;
    int limit{0};
    int price_precision{-1};  // AddBook: the instrument's tick precision (-1 when unknown)
  };

  struct Buffered {
    DepthUpdate event;
    core::UnixNanos ts_recv;
  };

  struct Book {
    core::InstrumentId instrument_id;
    std::string symbol;
    int limit{1000};
    DepthPrecision precision;  // prices parsed at the tick's precision: they reach the book at its own scale
    bool live{false};      // a snapshot was delivered and the chain holds
    bool bridging{false};  // live, but the event bridging the snapshot has not come yet
    std::uint64_t last_u{0};
    std::deque<Buffered> buffer;  // while not live
    SteadyClock::time_point retry_at{};
  };

  enum class Accept { Applied, Stale, Break };

  explicit Dispatcher(BinanceDataClient& o) : owner(o) {}

  BinanceDataClient& owner;
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<Task> queue;
  std::atomic<bool> stopping{false};
  std::thread thread;

  // Dispatcher-thread state.
  std::map<std::string, Book, std::less<>> books;  // by depth stream name
  bool link_up{false};
  DepthUpdate depth_scratch;
  AggTrade trade_scratch;

  mutable std::mutex stats_mutex;
  Stats stats;
  std::optional<Error> last_error;

  void push(Task task) {
    {
      std::lock_guard lock(mutex);
      queue.push_back(std::move(task));
    }
    cv.notify_one();
  }

  void start() {
    stopping = false;
    books.clear();
    link_up = false;
    thread = std::thread([this] { run(); });
  }

  void stop() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    cv.notify_all();
    if (thread.joinable()) thread.join();
    std::lock_guard lock(mutex);
    queue.clear();
  }

  template <class F>
  void count(F&& f) {
    std::lock_guard lock(stats_mutex);
    f(stats);
  }

  void record_error(Error e, bool parse) {
    std::lock_guard lock(stats_mutex);
    if (parse) ++stats.parse_errors;
    last_error = std::move(e);
  }

  void run() {
    while (!stopping) {
      std::deque<Task> batch;
      {
        std::unique_lock lock(mutex);
        cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return stopping.load() || !queue.empty(); });
        if (stopping) return;
        batch.swap(queue);
      }
      for (auto& task : batch) {
        if (stopping) return;
        handle(task);
      }
      owner.flush_unsent_control();
      retry_waiting_books();
    }
  }

  void handle(Task& task) {
    switch (task.kind) {
      case Task::Kind::Message:
        on_message(task.text, task.ts_recv);
        return;
      case Task::Kind::Connected:
        link_up = true;
        for (auto& [name, book] : books) restart(book);
        return;
      case Task::Kind::Disconnected:
        for (auto& [name, book] : books) restart(book);
        if (link_up && task.error) owner.sink_->on_disconnected(owner.config_.venue, *task.error);
        link_up = false;
        return;
      case Task::Kind::AddBook: {
        auto [it, inserted] = books.try_emplace(task.text);
        if (inserted) {
          it->second.instrument_id = task.instrument_id;
          it->second.symbol = task.symbol;
        }
        it->second.limit = task.limit;
        it->second.precision.price = task.price_precision;
        return;
      }
      case Task::Kind::RemoveBook:
        books.erase(task.text);
        return;
      case Task::Kind::Resync:
        if (auto it = books.find(task.text); it != books.end()) restart(it->second);
        return;
    }
  }

  // Forget the chain: the next event of the book starts a new sync.
  static void restart(Book& book) {
    book.live = false;
    book.bridging = false;
    book.buffer.clear();
    book.retry_at = {};
  }

  void on_message(const std::string& text, core::UnixNanos ts_recv) {
    count([](Stats& s) { ++s.messages; });
    auto frame = split_stream_message(text);
    if (!frame) {
      record_error(frame.error().with_context("stream message"), true);
      return;
    }
    if (frame->kind == StreamFrame::Kind::Result) return;
    if (frame->kind == StreamFrame::Kind::Error) {
      {
        std::lock_guard lock(stats_mutex);
        ++stats.venue_errors;
      }
      record_error(Error(ErrorCode::InvalidState,
                         fmt::format("stream request {} refused: {}", frame->id ? *frame->id : -1, frame->error_message),
                         "stream"),
                   false);
      return;
    }
    auto failure = on_event(*frame, ts_recv);
    if (failure && frame->data_unverified) {
      // The fast split assumed "data" was the last member; split properly and try once more.
      auto verified = split_stream_message(text, true);
      if (!verified) {
        failure = verified.error();
      } else {
        failure = on_event(*verified, ts_recv);
        frame = std::move(verified);
      }
    }
    if (!failure) return;
    record_error(*failure, true);
    if (frame && frame->kind == StreamFrame::Kind::Event) {
      const std::string_view stream = frame->stream;
      if (kind_of_stream(stream) == EventKind::Depth) {
        if (auto it = books.find(stream); it != books.end()) restart(it->second);  // a lost event breaks the chain
      }
    }
  }

  // One event; the parse error when it does not parse (nothing delivered then).
  std::optional<Error> on_event(const StreamFrame& frame, core::UnixNanos ts_recv) {
    const bool wrapped = !frame.stream.empty();
    const EventKind kind = wrapped ? kind_of_stream(frame.stream) : kind_of_event(frame.event_type);
    const std::string_view path = wrapped ? "data" : "";
    if (kind == EventKind::Depth) return on_depth_message(frame, path, ts_recv);
    if (wrapped && !owner.is_subscribed(frame.stream)) return std::nullopt;  // in flight after an UNSUBSCRIBE
    switch (kind) {
      case EventKind::AggTrade: {
        if (auto s = parse_agg_trade(frame.data, trade_scratch, path); !s) return s.error();
        if (auto id = owner.instrument_of(trade_scratch.symbol)) owner.sink_->on_trade(trade_scratch.to_trade_tick(*id, ts_recv));
        return std::nullopt;
      }
      case EventKind::BookTicker: {
        auto ticker = parse_book_ticker(frame.data, path);
        if (!ticker) return ticker.error();
        if (auto id = owner.instrument_of(ticker->symbol)) owner.sink_->on_quote(ticker->to_quote_tick(*id, ts_recv));
        return std::nullopt;
      }
      case EventKind::Kline: {
        auto kline = parse_kline_update(frame.data, path);
        if (!kline) return kline.error();
        const auto length = kline_interval_length(kline->interval);
        if (!kline->closed || !length) return std::nullopt;  // only complete bars; 1M has no fixed length
        if (auto id = owner.instrument_of(kline->symbol)) owner.sink_->on_bar(*id, *length, kline->bar);
        return std::nullopt;
      }
      case EventKind::MarkPrice: {
        auto mark = parse_mark_price_update(frame.data, path);
        if (!mark) return mark.error();
        auto id = owner.instrument_of(mark->symbol);
        if (!id || !owner.mark_listener_) return std::nullopt;
        mark->instrument_id = *id;
        mark->ts_recv = ts_recv;
        owner.mark_listener_(*mark);
        return std::nullopt;
      }
      case EventKind::Depth:
      case EventKind::Other:
        return std::nullopt;
    }
    return std::nullopt;
  }

  std::optional<Error> on_depth_message(const StreamFrame& frame, std::string_view path, core::UnixNanos ts_recv) {
    // A combined stream names the book before the event is parsed, so its prices are read at the book's
    // precision; a raw event names its symbol inside and is read as written.
    auto it = frame.stream.empty() ? books.end() : books.find(frame.stream);
    const DepthPrecision precision = it == books.end() ? DepthPrecision{} : it->second.precision;
    if (auto parsed = parse_depth_update(frame.data, depth_scratch, path, precision); !parsed) return parsed.error();
    if (frame.stream.empty()) it = books.find(depth_stream(depth_scratch.symbol));
    if (it == books.end()) return std::nullopt;  // not subscribed (or in flight after unsubscribe_book)
    Book& book = it->second;
    if (!book.live) {
      buffer(book, depth_scratch, ts_recv);
      try_sync(book);
      return std::nullopt;
    }
    const bool was_bridging = book.bridging;
    if (accept(book, depth_scratch, ts_recv) != Accept::Break) return std::nullopt;
    if (!was_bridging) count([](Stats& s) { ++s.gaps; });
    restart(book);
    buffer(book, depth_scratch, ts_recv);
    try_sync(book);
    return std::nullopt;
  }

  void buffer(Book& book, const DepthUpdate& event, core::UnixNanos ts_recv) {
    book.buffer.push_back(Buffered{event, ts_recv});
    while (book.buffer.size() > std::max<std::size_t>(owner.config_.max_buffered_events, 1)) book.buffer.pop_front();
  }

  void deliver(Book& book, const DepthUpdate& event, core::UnixNanos ts_recv) {
    owner.sink_->on_book_deltas(book.instrument_id, event.book_update(ts_recv), event.deltas);
    book.last_u = event.final_update_id;
    count([](Stats& s) { ++s.book_updates; });
  }

  // One event against a live book. The first must bridge the snapshot: U <= lastUpdateId <= u as documented,
  // or pu == lastUpdateId (the very next event, when the bridging one is not among those received). After
  // it, each event's pu must be the previous u. An event already contained in the book (u <= the book's
  // id: a late, out-of-order one) is stale and ignored.
  Accept accept(Book& book, const DepthUpdate& event, core::UnixNanos ts_recv) {
    if (book.bridging) {
      if (event.final_update_id < book.last_u) {
        count([](Stats& s) { ++s.stale_dropped; });
        return Accept::Stale;
      }
      if (event.first_update_id > book.last_u && event.prev_final_update_id != book.last_u) return Accept::Break;
      book.bridging = false;
      deliver(book, event, ts_recv);
      return Accept::Applied;
    }
    if (event.final_update_id <= book.last_u) {
      count([](Stats& s) { ++s.stale_dropped; });
      return Accept::Stale;
    }
    if (event.prev_final_update_id != book.last_u) return Accept::Break;
    deliver(book, event, ts_recv);
    return Accept::Applied;
  }

  // Fetches a snapshot and replays the buffered events on it; leaves the book live, or waiting for a retry.
  void try_sync(Book& book) {
    if (SteadyClock::now() < book.retry_at) return;
    const int attempts = std::max(owner.config_.max_snapshot_attempts, 1);
    for (int attempt = 1; attempt <= attempts && !stopping; ++attempt) {
      count([](Stats& s) { ++s.snapshot_fetches; });
      auto snapshot = owner.rest_->depth(book.symbol, book.limit);
      if (!snapshot) {
        record_error(snapshot.error().to_error().with_context(fmt::format("{} snapshot", book.symbol)), false);
        break;
      }
      const std::uint64_t last_update_id = snapshot->update_id;
      while (!book.buffer.empty() && book.buffer.front().event.final_update_id < last_update_id) {
        book.buffer.pop_front();
        count([](Stats& s) { ++s.stale_dropped; });
      }
      if (!book.buffer.empty() && book.buffer.front().event.first_update_id > last_update_id &&
          book.buffer.front().event.prev_final_update_id != last_update_id) {
        continue;  // the snapshot is older than the stream: ask again
      }
      owner.sink_->on_book_snapshot(book.instrument_id, *snapshot);
      count([](Stats& s) { ++s.snapshots; });
      book.live = true;
      book.bridging = true;
      book.last_u = last_update_id;
      bool broken = false;
      while (!book.buffer.empty()) {
        Buffered& next = book.buffer.front();
        const bool was_bridging = book.bridging;
        if (accept(book, next.event, next.ts_recv) == Accept::Break) {
          if (!was_bridging) count([](Stats& s) { ++s.gaps; });
          broken = true;
          break;
        }
        book.buffer.pop_front();
      }
      if (!broken) return;
      book.live = false;  // the events from the break on stay buffered for the next snapshot
      book.bridging = false;
    }
    book.live = false;
    book.bridging = false;
    book.retry_at = SteadyClock::now() + owner.config_.retry_delay;
  }

  void retry_waiting_books() {
    const auto now = SteadyClock::now();
    for (auto& [name, book] : books) {
      if (stopping) return;
      if (!book.live && !book.buffer.empty() && book.retry_at != SteadyClock::time_point{} && now >= book.retry_at) {
        try_sync(book);
      }
    }
  }
};

BinanceDataClient::BinanceDataClient(BinanceDataConfig config, runtime::MarketDataSink& sink, const core::Clock& clock)
    : config_(std::move(config)), sink_(&sink), clock_(&clock) {
  for (const auto& instrument : config_.instruments) {
    const std::string symbol(instrument.id().symbol());
    by_symbol_.emplace(symbol, instrument.id());
    symbols_.emplace(instrument.id(), symbol);
  }
  BinanceRestConfig rest;
  rest.base_url = config_.rest_base_url;
  rest.venue = config_.venue;
  rest.timeout = config_.http.timeout;
  rest.verify_tls = config_.http.verify_tls;
  rest.weight_limit_per_minute = config_.weight_limit_per_minute;
  rest_ = std::make_unique<BinanceRestClient>(std::move(rest), *clock_);
  dispatcher_ = std::make_unique<Dispatcher>(*this);
}

BinanceDataClient::~BinanceDataClient() { disconnect(); }

core::Status BinanceDataClient::connect() {
  if (ws_) return Error(ErrorCode::InvalidState, "the Binance data client is already connected");
  if (depth_request_weight(config_.snapshot_limit) == 0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("snapshot_limit {} is not one of 5, 10, 20, 50, 100, 500, 1000", config_.snapshot_limit),
                 "snapshot_limit");
  }
  net::ReconnectingWebSocketOptions options;
  options.url = join_url(config_.stream_base_url, "/stream");
  options.http = config_.http;
  options.backoff = config_.reconnect;
  options.idle_timeout = config_.idle_timeout;
  net::ReconnectingWebSocketHandlers handlers;
  handlers.on_connected = [this](std::uint64_t n) { return on_connected(n); };
  handlers.on_message = [this](std::string_view text) {
    Dispatcher::Task task;
    task.kind = Dispatcher::Task::Kind::Message;
    task.text.assign(text);
    task.ts_recv = clock_->now();
    dispatcher_->push(std::move(task));
  };
  handlers.on_disconnected = [this](const Error& reason) {
    Dispatcher::Task task;
    task.kind = Dispatcher::Task::Kind::Disconnected;
    task.error = reason;
    dispatcher_->push(std::move(task));
  };
  dispatcher_->start();
  ws_ = std::make_unique<net::ReconnectingWebSocket>(std::move(options), std::move(handlers));
  if (auto started = ws_->start(config_.connect_timeout); !started) {
    ws_.reset();
    dispatcher_->stop();
    return started.error().with_context(fmt::format("Binance market stream {}", config_.stream_base_url));
  }
  return core::ok();
}

void BinanceDataClient::disconnect() {
  if (ws_) ws_->stop();  // no more messages
  if (dispatcher_) dispatcher_->stop();  // no more sink calls
  ws_.reset();
  std::lock_guard lock(streams_mutex_);
  streams_.clear();
  unsent_control_.clear();
}

bool BinanceDataClient::is_connected() const { return ws_ && ws_->connected(); }

std::vector<std::string> BinanceDataClient::on_connected(std::uint64_t connection_number) {
  std::vector<std::string> texts;
  {
    std::lock_guard lock(streams_mutex_);
    unsent_control_.clear();  // the full list below supersedes them
    if (!streams_.empty()) {
      texts.push_back(control_message("SUBSCRIBE", std::vector<std::string>(streams_.begin(), streams_.end())));
    }
  }
  Dispatcher::Task task;
  task.kind = Dispatcher::Task::Kind::Connected;
  task.limit = static_cast<int>(connection_number);
  dispatcher_->push(std::move(task));
  return texts;
}

std::string BinanceDataClient::control_message(std::string_view method, const std::vector<std::string>& streams) {
  std::string params;
  for (const auto& s : streams) {
    if (!params.empty()) params.push_back(',');
    params += fmt::format("\"{}\"", s);  // stream names are [a-z0-9@_] only
  }
  return fmt::format("{{\"method\":\"{}\",\"params\":[{}],\"id\":{}}}", method, params, next_request_id_++);
}

void BinanceDataClient::flush_unsent_control() {
  std::lock_guard lock(streams_mutex_);
  if (unsent_control_.empty() || !ws_ || !ws_->connected()) return;
  std::size_t sent = 0;
  while (sent < unsent_control_.size() && ws_->send(unsent_control_[sent])) ++sent;
  unsent_control_.erase(unsent_control_.begin(), unsent_control_.begin() + static_cast<std::ptrdiff_t>(sent));
}

bool BinanceDataClient::is_subscribed(std::string_view stream) const {
  std::lock_guard lock(streams_mutex_);
  return streams_.find(stream) != streams_.end();
}

std::optional<core::InstrumentId> BinanceDataClient::instrument_of(std::string_view symbol) const {
  const auto it = by_symbol_.find(symbol);
  if (it == by_symbol_.end()) return std::nullopt;
  return it->second;
}

core::Result<std::string> BinanceDataClient::symbol_of(const core::InstrumentId& instrument_id) const {
  const auto it = symbols_.find(instrument_id);
  if (it == symbols_.end()) {
    return Error(ErrorCode::NotFound,
                 fmt::format("instrument {} is not one of the Binance data client's instruments", instrument_id.value()),
                 "instrument_id");
  }
  return it->second;
}

core::Status BinanceDataClient::add_stream(const std::string& stream) {
  if (!ws_) return Error(ErrorCode::InvalidState, "the Binance data client is not connected: call connect() first");
  std::lock_guard lock(streams_mutex_);
  if (!streams_.insert(stream).second) return core::ok();  // idempotent
  std::string text = control_message("SUBSCRIBE", {stream});
  if (!ws_->send(text)) unsent_control_.push_back(std::move(text));
  return core::ok();
}

core::Status BinanceDataClient::remove_stream(const std::string& stream) {
  if (!ws_) return Error(ErrorCode::InvalidState, "the Binance data client is not connected: call connect() first");
  std::lock_guard lock(streams_mutex_);
  if (streams_.erase(stream) == 0) return core::ok();  // not subscribed: a no-op
  std::string text = control_message("UNSUBSCRIBE", {stream});
  if (!ws_->send(text)) unsent_control_.push_back(std::move(text));
  return core::ok();
}

core::Status BinanceDataClient::subscribe_quotes(const core::InstrumentId& instrument_id) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  return add_stream(book_ticker_stream(*symbol));
}

core::Status BinanceDataClient::unsubscribe_quotes(const core::InstrumentId& instrument_id) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  return remove_stream(book_ticker_stream(*symbol));
}

core::Status BinanceDataClient::subscribe_trades(const core::InstrumentId& instrument_id) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  return add_stream(agg_trade_stream(*symbol));
}

core::Status BinanceDataClient::unsubscribe_trades(const core::InstrumentId& instrument_id) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  return remove_stream(agg_trade_stream(*symbol));
}

core::Status BinanceDataClient::subscribe_bars(const core::InstrumentId& instrument_id, core::Duration interval) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  const auto kline = interval_of(interval);
  if (!kline) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("bar interval {} is not a Binance kline interval ({}; 1M is not supported as a stream)",
                             core::format_duration(interval), kline_interval_choices()),
                 "interval");
  }
  return add_stream(kline_stream(*symbol, *kline));
}

core::Status BinanceDataClient::unsubscribe_bars(const core::InstrumentId& instrument_id, core::Duration interval) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  const auto kline = interval_of(interval);
  if (!kline) return core::ok();  // never subscribable, so not subscribed
  return remove_stream(kline_stream(*symbol, *kline));
}

core::Status BinanceDataClient::subscribe_book(const core::InstrumentId& instrument_id, std::size_t depth) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  if (!ws_) return Error(ErrorCode::InvalidState, "the Binance data client is not connected: call connect() first");
  const std::optional<int> limit = depth == 0 ? std::optional<int>(config_.snapshot_limit) : depth_limit_for(depth);
  if (!limit) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("book depth {} is above the 1000 levels GET /fapi/v1/depth serves", depth), "depth");
  }
  Dispatcher::Task task;
  task.kind = Dispatcher::Task::Kind::AddBook;
  task.text = depth_stream(*symbol);
  task.instrument_id = instrument_id;
  task.symbol = *symbol;
  for (const auto& instrument : config_.instruments) {
    if (instrument.id() == instrument_id) task.price_precision = instrument.price_precision();
  }
  task.limit = *limit;
  dispatcher_->push(std::move(task));  // before the SUBSCRIBE, so the book exists for its first event
  return add_stream(depth_stream(*symbol));
}

core::Status BinanceDataClient::unsubscribe_book(const core::InstrumentId& instrument_id) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  BALLAST_TRY(remove_stream(depth_stream(*symbol)));
  Dispatcher::Task task;
  task.kind = Dispatcher::Task::Kind::RemoveBook;
  task.text = depth_stream(*symbol);
  dispatcher_->push(std::move(task));
  return core::ok();
}

core::Status BinanceDataClient::request_book_snapshot(const core::InstrumentId& instrument_id) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  const std::string stream = depth_stream(*symbol);
  if (!ws_ || !is_subscribed(stream)) {
    return Error(ErrorCode::InvalidState,
                 fmt::format("the book of {} is not subscribed: call subscribe_book first", instrument_id.value()),
                 "instrument_id");
  }
  Dispatcher::Task task;
  task.kind = Dispatcher::Task::Kind::Resync;
  task.text = stream;
  dispatcher_->push(std::move(task));
  return core::ok();
}

core::Result<model::BarSeries> BinanceDataClient::request_bars(const core::InstrumentId& instrument_id,
                                                               core::Duration interval, core::UnixNanos start,
                                                               core::UnixNanos end) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  const auto kline = interval_of(interval);
  if (!kline) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("bar interval {} is not a Binance kline interval ({})", core::format_duration(interval),
                             kline_interval_choices()),
                 "interval");
  }
  if (end < start) return Error(ErrorCode::InvalidArgument, "end is before start", "end");
  model::BarSeries series;
  series.instrument_id = instrument_id;
  series.interval = interval;
  KlineDownloadOptions options;
  options.now = clock_->now();
  auto summary = download_klines(
      *rest_, *symbol, *kline, start, end,
      [&](std::span<const Kline> page) {
        for (const auto& k : page) series.bars.push_back(k.bar);
      },
      options);
  if (!summary) return summary.error().to_error();
  return series;
}

void BinanceDataClient::set_mark_price_listener(MarkPriceListener listener) { mark_listener_ = std::move(listener); }

core::Status BinanceDataClient::subscribe_mark_price(const core::InstrumentId& instrument_id) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  return add_stream(mark_price_stream(*symbol));
}

core::Status BinanceDataClient::unsubscribe_mark_price(const core::InstrumentId& instrument_id) {
  auto symbol = symbol_of(instrument_id);
  if (!symbol) return symbol.error();
  return remove_stream(mark_price_stream(*symbol));
}

BinanceDataClient::Stats BinanceDataClient::stats() const {
  std::lock_guard lock(dispatcher_->stats_mutex);
  return dispatcher_->stats;
}

std::optional<core::Error> BinanceDataClient::last_error() const {
  std::lock_guard lock(dispatcher_->stats_mutex);
  return dispatcher_->last_error;
}

std::uint64_t BinanceDataClient::connections() const { return ws_ ? ws_->connections() : 0; }

std::vector<std::string> BinanceDataClient::subscribed_streams() const {
  std::lock_guard lock(streams_mutex_);
  return {streams_.begin(), streams_.end()};
}

}  // namespace ballast::adapters::binance
