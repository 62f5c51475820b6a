#pragma once
// The small database driver the repository SQL is written against, so it exists once for both backends.
// SQL uses PostgreSQL-style positional placeholders ($1, $2, …); the SQLite driver rewrites them to ?N.
// Results are materialised (our result sets are small and bounded by LIMIT).
//
// Errors: every failure is a core::Error whose message names the backend, the operation and the database's
// own text ("sqlite: insert order: UNIQUE constraint failed: …"). Unique-key violations map to
// ErrorCode::AlreadyExists, other constraint violations to InvalidArgument, everything else to IoError.
//
// A Connection is not thread-safe; the store guards each one.

#include "ballast/core/result.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ballast::persistence::internal {

enum class Dialect { Sqlite, Postgres };

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

// Optional helpers for binding.
Value null_value();
template <class T>
Value opt(const std::optional<T>& v) {
  if (!v) return Value{};
  return Value{*v};
}

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool is_null(std::size_t col) const;
  std::int64_t integer(std::size_t col) const;  // NULL → 0
  double real(std::size_t col) const;           // NULL → 0
  std::string text(std::size_t col) const;      // NULL → ""
  std::optional<double> optional_real(std::size_t col) const;

 private:
  std::vector<Value> values_;
};

struct ResultSet {
  std::vector<Row> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // One statement with $N parameters. `what` names the operation for error messages ("insert order O-1").
  virtual core::Result<ResultSet> exec(std::string_view what, const std::string& sql,
                                       const std::vector<Value>& params = {}) = 0;
  // Several statements without parameters (DDL).
  virtual core::Status exec_script(std::string_view what, const std::string& sql) = 0;
  virtual core::Status begin() = 0;
  virtual core::Status commit() = 0;
  virtual void rollback() noexcept = 0;
  virtual bool in_transaction() const = 0;
};

// RAII transaction: rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) {}
  ~Transaction() {
    if (active_) connection_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  core::Status begin() {
    BALLAST_TRY(connection_.begin());
    active_ = true;
    return core::ok();
  }
  core::Status commit() {
    active_ = false;
    return connection_.commit();
  }

 private:
  Connection& connection_;
  bool active_ = false;
};

// Opens a SQLite database file (creating the parent directory), WAL, synchronous=FULL, foreign_keys=ON,
// busy_timeout. With checkpoint_off_thread (the store's writer), WAL checkpoints run on a thread and
// connection of their own instead of inside the commit that crosses 1000 WAL pages (sqlite_driver.cpp).
core::Result<std::unique_ptr<Connection>> open_sqlite(const std::string& path, bool checkpoint_off_thread = false);
// Opens a PostgreSQL connection ("postgresql://…" URI or libpq key=value string); when `schema` is not
// empty, creates it if needed and sets search_path to it.
core::Result<std::unique_ptr<Connection>> open_postgres(const std::string& url, const std::string& schema);

}  // namespace ballast::persistence::internal
