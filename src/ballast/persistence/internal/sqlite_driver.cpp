// SQLite driver: one sqlite3 connection with a prepared-statement cache. Durability settings: WAL journal,
// synchronous=FULL (a commit is fsynced before it returns), foreign_keys=ON, busy_timeout so a second
// connection (the reader) waits for a lock instead of failing.
//
// WAL checkpoints: by default SQLite runs one inside the COMMIT that takes the WAL past 1000 pages, so that
// commit (and the answers waiting on it) also waits for ~4 MB to be copied into the database file and
// fsynced. The store's writer connection (open_sqlite with checkpoint_off_thread) instead signals a thread
// of its own, which runs PASSIVE checkpoints on a second connection while the writer goes on committing.
// Durability is unchanged: a commit is durable once its WAL frames are fsynced, before COMMIT returns.

#include "ballast/persistence/internal/driver.hpp"

#include "ballast/core/log.hpp"

#include <sqlite3.h>

#include <cctype>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>

namespace ballast::persistence::internal {
namespace {

using core::Error;
using core::ErrorCode;

// "$12" → "?12"; everything else is copied. Our SQL never contains '$' inside string literals.
std::string to_sqlite_placeholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size());
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1])) != 0) {
      out.push_back('?');
    } else {
      out.push_back(sql[i]);
    }
  }
  return out;
}

ErrorCode code_for(int extended) {
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: return ErrorCode::AlreadyExists;
    default: break;
  }
  if ((extended & 0xff) == SQLITE_CONSTRAINT) return ErrorCode::InvalidArgument;
  return ErrorCode::IoError;
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    stop_checkpointer();
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  // WAL size (pages) at which the checkpoint thread is woken: SQLite's own auto-checkpoint default.
  static constexpr int kCheckpointPages = 1000;

  // Moves WAL checkpoints off this connection's commits (see the top of this file). False when the
  // second connection cannot be opened; SQLite's automatic checkpoints then stay in place.
  bool start_checkpointer(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      sqlite3_close_v2(db);
      return false;
    }
    sqlite3_busy_timeout(db, 10'000);
    // A connection that has not read the database yet does not know it is in WAL mode, and a checkpoint on
    // it does nothing: reading the journal mode opens the WAL.
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr) != SQLITE_OK) {
      sqlite3_close_v2(db);
      return false;
    }
    checkpointer_ = std::make_unique<Checkpointer>();
    checkpointer_->db = db;
    checkpointer_->thread = std::thread([c = checkpointer_.get()] { c->run(); });
    // Replaces SQLite's automatic checkpoint hook on this connection.
    sqlite3_wal_hook(db_, &SqliteConnection::on_wal_commit, checkpointer_.get());
    return true;
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::Sqlite; }

  core::Result<ResultSet> exec(std::string_view what, const std::string& sql,
                               const std::vector<Value>& params) override {
    auto stmt_result = prepare(what, sql);
    if (!stmt_result) return stmt_result.error();
    sqlite3_stmt* stmt = *stmt_result;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        // SQLITE_STATIC: `params` outlives every step below, and the bindings are cleared before return.
        rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(stmt);
        return failure(what, rc);
      }
    }
    ResultSet out;
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        auto error = failure(what, sqlite3_extended_errcode(db_));
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        return error;
      }
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: values.emplace_back(); break;
          case SQLITE_INTEGER: values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c))); break;
          case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, c)); break;
          default: {
            const auto* text = sqlite3_column_text(stmt, c);
            const int bytes = sqlite3_column_bytes(stmt, c);
            values.emplace_back(std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(bytes)));
            break;
          }
        }
      }
      out.rows.emplace_back(std::move(values));
    }
    out.affected = sqlite3_changes64(db_);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);  // no binding may point into `params` once it is gone
    return out;
  }

  core::Status exec_script(std::string_view what, const std::string& sql) override {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return Error(code_for(sqlite3_extended_errcode(db_)), "sqlite: " + std::string(what) + ": " + text);
    }
    return core::ok();
  }

  core::Status begin() override {
    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock upgrade.
    BALLAST_TRY(exec_script("begin", "BEGIN IMMEDIATE"));
    in_tx_ = true;
    return core::ok();
  }
  core::Status commit() override {
    auto status = exec_script("commit", "COMMIT");
    if (!status) {
      rollback();
      return status;
    }
    in_tx_ = false;
    return core::ok();
  }
  void rollback() noexcept override {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    in_tx_ = false;
  }
  bool in_transaction() const override { return in_tx_; }

 private:
  struct Checkpointer {
    sqlite3* db = nullptr;  // used by `thread` only
    std::mutex mutex;
    std::condition_variable wake;
    bool due = false;
    bool stopping = false;
    std::thread thread;

    void run() {
      std::unique_lock lock(mutex);
      for (;;) {
        wake.wait(lock, [this] { return due || stopping; });
        if (stopping) return;
        due = false;
        lock.unlock();
        const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
          core::logger().warn("sqlite: WAL checkpoint failed: {}", sqlite3_errmsg(db));
        }
        lock.lock();
      }
    }
  };

  // sqlite3_wal_hook callback: runs on the writer's thread after each commit, with the WAL's page count.
  static int on_wal_commit(void* arg, sqlite3*, const char*, int pages) {
    if (pages >= kCheckpointPages) {
      auto* c = static_cast<Checkpointer*>(arg);
      {
        std::lock_guard lock(c->mutex);
        c->due = true;
      }
      c->wake.notify_one();
    }
    return SQLITE_OK;
  }

  void stop_checkpointer() noexcept {
    if (!checkpointer_) return;
    sqlite3_wal_hook(db_, nullptr, nullptr);
    {
      std::lock_guard lock(checkpointer_->mutex);
      checkpointer_->stopping = true;
    }
    checkpointer_->wake.notify_one();
    if (checkpointer_->thread.joinable()) checkpointer_->thread.join();
    sqlite3_close_v2(checkpointer_->db);
    checkpointer_.reset();
  }

  core::Result<sqlite3_stmt*> prepare(std::string_view what, const std::string& sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    const std::string translated = to_sqlite_placeholders(sql);
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, translated.c_str(), static_cast<int>(translated.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return failure(what, sqlite3_extended_errcode(db_));
    cache_.emplace(sql, stmt);
    return stmt;
  }

  Error failure(std::string_view what, int rc) const {
    return Error(code_for(rc), "sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db_));
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  bool in_tx_ = false;
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace

core::Result<std::unique_ptr<Connection>> open_sqlite(const std::string& path, bool checkpoint_off_thread) {
  if (path.empty()) return Error(ErrorCode::InvalidArgument, "sqlite: empty database path");
  const std::filesystem::path file(path);
  if (file.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      return Error(ErrorCode::IoError,
                   "sqlite: cannot create directory " + file.parent_path().string() + ": " + ec.message());
    }
  }
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string text = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error(ErrorCode::IoError, "sqlite: open " + path + ": " + text);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 10'000);
  auto connection = std::make_unique<SqliteConnection>(db);
  auto status = connection->exec_script("configure " + path,
                                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  if (!status) return status.error();
  if (checkpoint_off_thread && !connection->start_checkpointer(path)) {
    core::logger().warn("sqlite: {}: no second connection for WAL checkpoints; commits run them", path);
  }
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace ballast::persistence::internal
