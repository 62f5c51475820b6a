#include "ballast/persistence/store.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/persistence/internal/migrations.hpp"
#include "ballast/persistence/internal/sql_store.hpp"

#include <future>

namespace ballast::persistence {

using core::Error;
using core::ErrorCode;

std::string_view to_string(Backend backend) noexcept {
  return backend == Backend::Sqlite ? "sqlite" : "postgres";
}

bool WriteBatch::empty() const {
  return size() == 0;
}

std::size_t WriteBatch::size() const {
  return events.size() + orders.size() + fills.size() + positions.size() + breaker_events.size() + alerts.size() +
         trading_states.size() + audit.size() + risk_snapshots.size();
}

Store::~Store() = default;

namespace {

struct Target {
  Backend backend;
  std::string location;  // SQLite file path or PostgreSQL URL
};

core::Result<Target> parse_url(const std::string& url) {
  if (url.empty()) {
    return Error(ErrorCode::InvalidArgument,
                 "store URL is empty (use postgresql://user@host:port/db, sqlite:///path/to/file.db or a file path)");
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return Target{Backend::Postgres, url};
  if (url.starts_with("sqlite://")) {
    std::string path = url.substr(9);
    if (path.empty())
      return Error(ErrorCode::InvalidArgument, "store URL '" + url + "' names no file (sqlite:///path/to/file.db)");
    return Target{Backend::Sqlite, path};
  }
  if (url.starts_with("sqlite:")) {  // "sqlite:var/ballast.db" (the service config's form), relative or absolute
    std::string path = url.substr(7);
    if (path.empty()) return Error(ErrorCode::InvalidArgument, "store URL '" + url + "' names no file (sqlite:path/to/file.db)");
    return Target{Backend::Sqlite, path};
  }
  if (const auto scheme_end = url.find("://"); scheme_end != std::string::npos) {
    return Error(ErrorCode::Unsupported, "store URL '" + url + "': unsupported scheme '" + url.substr(0, scheme_end) +
                                             "' (use postgresql://, postgres://, sqlite:// or a file path)");
  }
  if (url == ":memory:" || url.starts_with("file:")) {
    return Error(
        ErrorCode::Unsupported,
        "store URL '" + url + "': in-memory and URI-style SQLite databases are not supported; give a file path");
  }
  if (url.back() == '/') return Error(ErrorCode::InvalidArgument, "store URL '" + url + "' is a directory, not a file");
  return Target{Backend::Sqlite, url};
}

}  // namespace

core::Result<std::unique_ptr<Store>> Store::open(const StoreOptions& options) {
  auto target = parse_url(options.url);
  if (!target) return target.error();
  if (options.max_batch_records == 0) return Error(ErrorCode::InvalidArgument, "max_batch_records must be > 0");
  std::unique_ptr<internal::Connection> writer;
  std::unique_ptr<internal::Connection> reader;
  if (target->backend == Backend::Sqlite) {
    auto w = internal::open_sqlite(target->location, /*checkpoint_off_thread=*/true);
    if (!w) return w.error();
    writer = std::move(*w);
  } else {
    auto w = internal::open_postgres(target->location, options.schema);
    if (!w) return w.error();
    writer = std::move(*w);
  }
  BALLAST_TRY(internal::apply_migrations(*writer, core::LiveClock().now()));
  if (target->backend == Backend::Sqlite) {
    auto r = internal::open_sqlite(target->location);
    if (!r) return r.error();
    reader = std::move(*r);
  } else {
    auto r = internal::open_postgres(target->location, options.schema);
    if (!r) return r.error();
    reader = std::move(*r);
  }
  return std::unique_ptr<Store>(std::make_unique<internal::SqlStore>(target->backend, std::move(writer),
                                                                     std::move(reader), options.max_batch_records));
}

}  // namespace ballast::persistence

namespace ballast::persistence::internal {

SqlStore::SqlStore(Backend backend, std::unique_ptr<Connection> writer, std::unique_ptr<Connection> reader,
                   std::size_t max_batch_records)
    : backend_(backend),
      writer_(std::move(writer)),
      reader_(std::move(reader)),
      max_batch_records_(max_batch_records),
      events_(*this) {
  writer_thread_ = std::thread([this] { writer_loop(); });
}

SqlStore::~SqlStore() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  writer_thread_.join();  // the writer drains the queue first: no batch is dropped
}

void SqlStore::commit_async(WriteBatch batch, CommitCallback done) {
  enqueue_batch(std::move(batch), [done = std::move(done)](core::Status status, std::uint64_t) {
    if (done) done(std::move(status));
  });
}

void SqlStore::enqueue_batch(WriteBatch batch, BatchDone done) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Item{std::move(batch), std::move(done), nullptr});
  }
  queue_cv_.notify_one();
}

core::Status SqlStore::commit(WriteBatch batch) {
  if (std::this_thread::get_id() == writer_thread_.get_id()) {
    return Error(ErrorCode::InvalidState, "Store::commit called from a commit callback (it would wait on itself)");
  }
  std::promise<core::Status> promise;
  auto future = promise.get_future();
  enqueue_batch(std::move(batch),
                [&promise](core::Status status, std::uint64_t) { promise.set_value(std::move(status)); });
  return future.get();
}

core::Status SqlStore::run_job(Job job) {
  if (std::this_thread::get_id() == writer_thread_.get_id()) {
    return Error(ErrorCode::InvalidState, "a synchronous Store write was called from a commit callback");
  }
  std::promise<core::Status> promise;
  auto future = promise.get_future();
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Item{WriteBatch{},
                          [&promise](core::Status status, std::uint64_t) { promise.set_value(std::move(status)); },
                          std::move(job)});
  }
  queue_cv_.notify_one();
  return future.get();
}

void SqlStore::writer_loop() {
  for (;;) {
    std::deque<Item> items;
    {
      std::unique_lock lock(queue_mutex_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued was written
      items.swap(queue_);
    }
    process(items);
  }
}

namespace {

void notify(const SqlStore::BatchDone& done, core::Status status, std::uint64_t last_sequence) {
  if (!done) return;
  try {
    done(std::move(status), last_sequence);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a throwing callback must not kill the writer thread
  }
}

}  // namespace

void SqlStore::process(std::deque<Item>& items) {
  std::size_t i = 0;
  while (i < items.size()) {
    if (items[i].job) {
      Transaction tx(*writer_);
      core::Status status = tx.begin();
      if (status) status = items[i].job(*writer_);
      if (status) status = tx.commit();
      notify(items[i].done, std::move(status), 0);
      ++i;
      continue;
    }
    // Group consecutive batches up to max_batch_records rows (a larger batch goes alone).
    std::size_t end = i;
    std::size_t rows = 0;
    while (end < items.size() && !items[end].job) {
      const std::size_t next = items[end].batch.size();
      if (end > i && rows + next > max_batch_records_) break;
      rows += next;
      ++end;
    }
    commit_group(items, i, end);
    i = end;
  }
}

core::Result<std::uint64_t> SqlStore::commit_one(const WriteBatch& batch) {
  Transaction tx(*writer_);
  BALLAST_TRY(tx.begin());
  auto last = write_batch(*writer_, batch);
  if (!last) return last.error();
  BALLAST_TRY(tx.commit());
  return *last;
}

void SqlStore::commit_group(std::deque<Item>& items, std::size_t begin, std::size_t end) {
  if (end - begin == 1) {
    auto result = commit_one(items[begin].batch);
    if (result) {
      notify(items[begin].done, core::ok(), *result);
    } else {
      notify(items[begin].done, result.error(), 0);
    }
    return;
  }
  std::vector<std::uint64_t> last_sequences(end - begin, 0);
  core::Status status;
  {
    Transaction tx(*writer_);
    status = tx.begin();
    for (std::size_t k = begin; status && k < end; ++k) {
      auto last = write_batch(*writer_, items[k].batch);
      if (last) {
        last_sequences[k - begin] = *last;
      } else {
        status = last.error();
      }
    }
    if (status) status = tx.commit();
  }
  if (status) {
    for (std::size_t k = begin; k < end; ++k) notify(items[k].done, core::ok(), last_sequences[k - begin]);
    return;
  }
  // The combined transaction failed (and rolled back): retry each batch alone so only the bad one fails.
  for (std::size_t k = begin; k < end; ++k) {
    auto result = commit_one(items[k].batch);
    if (result) {
      notify(items[k].done, core::ok(), *result);
    } else {
      notify(items[k].done, result.error(), 0);
    }
  }
}

core::Result<std::vector<MigrationInfo>> SqlStore::migrations() {
  return read([](Connection& connection) { return migration_status(connection); });
}

}  // namespace ballast::persistence::internal
