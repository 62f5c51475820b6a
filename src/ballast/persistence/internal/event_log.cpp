// SqlEventStore: runtime::EventStore on the Store's database. Appends go through the writer thread (so they
// share its group commit and durability); reads use the reader connection.

#include "ballast/persistence/internal/codec.hpp"
#include "ballast/persistence/internal/sql_store.hpp"

#include <future>

namespace ballast::persistence::internal {

using core::Error;
using core::ErrorCode;

namespace {

runtime::EventRecord decode_event(const Row& row) {
  runtime::EventRecord r;
  r.sequence = static_cast<std::uint64_t>(row.integer(0));
  r.stream = row.text(1);
  r.type = row.text(2);
  r.payload = row.text(3);
  r.ts_event = core::UnixNanos(row.integer(4));
  r.ts_init = core::UnixNanos(row.integer(5));
  return r;
}

// LIKE pattern matching `prefix` literally (escaping %, _ and the escape character itself).
std::string like_prefix(std::string_view prefix) {
  std::string out;
  for (const char ch : prefix) {
    if (ch == '%' || ch == '_' || ch == '!') out.push_back('!');
    out.push_back(ch);
  }
  out.push_back('%');
  return out;
}

}  // namespace

core::Result<std::uint64_t> SqlEventStore::append(std::span<const runtime::EventRecord> records) {
  if (records.empty()) return last_sequence();
  BALLAST_TRY(validate_events(records));
  WriteBatch batch;
  batch.events.assign(records.begin(), records.end());
  std::promise<core::Result<std::uint64_t>> promise;
  auto future = promise.get_future();
  store_.enqueue_batch(std::move(batch), [&promise](core::Status status, std::uint64_t last) {
    if (status) {
      promise.set_value(last);
    } else {
      promise.set_value(status.error());
    }
  });
  return future.get();
}

core::Result<std::vector<runtime::EventRecord>> SqlEventStore::load_stream(std::string_view stream,
                                                                           std::uint64_t after_sequence) {
  runtime::EventQuery query;
  query.stream = std::string(stream);
  query.after_sequence = after_sequence;
  return load(query);
}

core::Result<std::vector<runtime::EventRecord>> SqlEventStore::load(const runtime::EventQuery& query) {
  Filter filter;
  if (query.stream) filter.add("stream = ", text(*query.stream));
  if (query.stream_prefix)
    filter.add_clause("stream LIKE " + filter.param(like_prefix(*query.stream_prefix)) + " ESCAPE '!'");
  if (query.after_sequence > 0) filter.add("sequence > ", static_cast<std::int64_t>(query.after_sequence));
  if (query.from) filter.add("ts_event >= ", ns(*query.from));
  if (query.to) filter.add("ts_event < ", ns(*query.to));
  std::string sql = "SELECT sequence, stream, type, payload, ts_event, ts_init FROM event_log" + filter.where() +
                    " ORDER BY sequence";
  if (query.limit > 0) sql += " LIMIT " + filter.param(static_cast<std::int64_t>(query.limit));
  return store_.read([&](Connection& c) -> core::Result<std::vector<runtime::EventRecord>> {
    auto rows = c.exec("load events", sql, filter.params());
    if (!rows) return rows.error();
    std::vector<runtime::EventRecord> out;
    out.reserve(rows->rows.size());
    for (const Row& row : rows->rows) out.push_back(decode_event(row));
    return out;
  });
}

core::Result<std::uint64_t> SqlEventStore::last_sequence() {
  return store_.read([](Connection& c) -> core::Result<std::uint64_t> {
    auto rows = c.exec("read last event sequence", "SELECT value FROM event_sequence WHERE id = 1");
    if (!rows) return rows.error();
    if (rows->rows.empty()) return Error(ErrorCode::Internal, "event_sequence has no row");
    return static_cast<std::uint64_t>(rows->rows[0].integer(0));
  });
}

core::Status SqlEventStore::save_snapshot(const runtime::StateSnapshot& snapshot) {
  return store_.run_job([&snapshot](Connection& c) -> core::Status {
    // FOR UPDATE-free read is enough: the writer thread is the only writer of this process, and on PostgreSQL
    // a concurrent appender can only raise the counter.
    auto rows = c.exec("save snapshot", "SELECT value FROM event_sequence WHERE id = 1");
    if (!rows) return rows.error();
    const auto last = rows->rows.empty() ? 0 : static_cast<std::uint64_t>(rows->rows[0].integer(0));
    if (snapshot.sequence > last) {
      return Error(ErrorCode::InvalidArgument, "snapshot sequence " + std::to_string(snapshot.sequence) +
                                                   " is beyond the last stored sequence " + std::to_string(last));
    }
    BALLAST_TRY(c.exec(
        "save snapshot", "INSERT INTO state_snapshots (sequence, ts_taken, format, payload) VALUES ($1, $2, $3, $4)",
        {static_cast<std::int64_t>(snapshot.sequence), ns(snapshot.ts_taken), snapshot.format, snapshot.payload}));
    return core::ok();
  });
}

core::Result<std::optional<runtime::StateSnapshot>> SqlEventStore::load_latest_snapshot() {
  return store_.read([](Connection& c) -> core::Result<std::optional<runtime::StateSnapshot>> {
    auto rows = c.exec(
        "load latest snapshot",
        "SELECT sequence, ts_taken, format, payload FROM state_snapshots ORDER BY sequence DESC, id DESC LIMIT 1");
    if (!rows) return rows.error();
    if (rows->rows.empty()) return std::optional<runtime::StateSnapshot>{};
    const Row& row = rows->rows[0];
    runtime::StateSnapshot s;
    s.sequence = static_cast<std::uint64_t>(row.integer(0));
    s.ts_taken = core::UnixNanos(row.integer(1));
    s.format = row.text(2);
    s.payload = row.text(3);
    return std::optional<runtime::StateSnapshot>(std::move(s));
  });
}

}  // namespace ballast::persistence::internal
