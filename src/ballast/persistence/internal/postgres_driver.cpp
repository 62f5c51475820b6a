// PostgreSQL driver over libpqxx 6.4. Statements are prepared once per connection and run in the open
// pqxx::work, or autocommit (a nontransaction per statement) outside one. Parameters travel as text (NULL as a null
// pointer); the server infers their types from the statement.
//
// Lost connections (server restart, failover, an idle connection cut by a proxy, pg_terminate_backend): the
// driver reconnects with the same URL and session settings instead of failing until the process restarts.
//  - Before a transaction or an autocommit statement, a connection known to be closed is reopened.
//  - A transaction that loses its connection fails (its writes are gone; the caller's batch reports the error
//    and the next batch starts on a fresh connection). A commit whose answer was lost is reported as "outcome
//    unknown" (pqxx::in_doubt_error): the rows may or may not be stored.
//  - An autocommit read (SELECT/WITH) that fails with a broken connection is retried once on a fresh connection;
//    an autocommit write is not retried (it may have been applied), only the connection is reopened.
// Each connection names itself application_name = "ballast" (or "ballast/<schema>"), visible in pg_stat_activity.

#include "ballast/persistence/internal/driver.hpp"

#include <fmt/format.h>
#include <pqxx/pqxx>

#include <cctype>
#include <unordered_map>

namespace ballast::persistence::internal {
namespace {

using core::Error;
using core::ErrorCode;

std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) text.pop_back();
  return text;
}

Error translate(std::string_view what, const std::exception& e) {
  ErrorCode code = ErrorCode::IoError;
  if (dynamic_cast<const pqxx::unique_violation*>(&e) != nullptr) {
    code = ErrorCode::AlreadyExists;
  } else if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&e) != nullptr) {
    code = ErrorCode::InvalidArgument;
  }
  return Error(code, "postgres: " + std::string(what) + ": " + trimmed(e.what()));
}

bool is_read(const std::string& sql) {
  std::size_t i = 0;
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i])) != 0) ++i;
  auto starts = [&](std::string_view word) {
    if (sql.size() - i < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (std::toupper(static_cast<unsigned char>(sql[i + k])) != word[k]) return false;
    }
    return true;
  };
  return starts("SELECT") || starts("WITH");
}

core::Result<std::unique_ptr<pqxx::connection>> open_connection(const std::string& url, const std::string& schema) {
  try {
    auto raw = std::make_unique<pqxx::connection>(url);
    pqxx::nontransaction setup(*raw);
    std::string sql = "SET client_min_messages TO warning; SET application_name TO " +
                      setup.quote(schema.empty() ? std::string("ballast") : "ballast/" + schema);
    if (!schema.empty()) sql += "; CREATE SCHEMA IF NOT EXISTS " + schema + "; SET search_path TO " + schema;
    setup.exec(sql);
    return raw;
  } catch (const std::exception& e) {
    return Error(ErrorCode::IoError, "postgres: connect to " + url + ": " + trimmed(e.what()));
  }
}

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(std::unique_ptr<pqxx::connection> connection, std::string url, std::string schema)
      : connection_(std::move(connection)), url_(std::move(url)), schema_(std::move(schema)) {}
  ~PostgresConnection() override { rollback(); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::Postgres; }

  core::Result<ResultSet> exec(std::string_view what, const std::string& sql,
                               const std::vector<Value>& params) override {
    std::vector<std::string> storage;
    storage.reserve(params.size());
    std::vector<const char*> pointers;
    pointers.reserve(params.size());
    for (const Value& v : params) {
      if (std::holds_alternative<std::monostate>(v)) {
        storage.emplace_back();
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        storage.push_back(std::to_string(*n));
      } else if (const auto* d = std::get_if<double>(&v)) {
        storage.push_back(fmt::format("{}", *d));
      } else {
        storage.push_back(std::get<std::string>(v));
      }
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      pointers.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr : storage[i].c_str());
    }
    if (!work_) BALLAST_TRY(ensure_open());
    try {
      pqxx::result result;
      if (work_) {
        result = work_->exec_prepared(statement_name(sql), pqxx::prepare::make_dynamic_params(pointers));
      } else {
        try {
          result = autocommit_prepared(sql, pointers);
        } catch (const pqxx::broken_connection&) {
          BALLAST_TRY(reopen());
          if (!is_read(sql)) throw;
          result = autocommit_prepared(sql, pointers);
        }
      }
      ResultSet out;
      out.affected = static_cast<std::int64_t>(result.affected_rows());
      out.rows.reserve(result.size());
      for (const auto& row : result) {
        std::vector<Value> values;
        values.reserve(row.size());
        for (const auto& field : row) {
          if (field.is_null()) {
            values.emplace_back();
          } else {
            values.emplace_back(std::string(field.c_str(), field.size()));
          }
        }
        out.rows.emplace_back(std::move(values));
      }
      return out;
    } catch (const std::exception& e) {
      return translate(what, e);
    }
  }

  core::Status exec_script(std::string_view what, const std::string& sql) override {
    if (!work_) BALLAST_TRY(ensure_open());
    try {
      if (work_) {
        work_->exec(sql);
      } else {
        pqxx::nontransaction autocommit(*connection_);
        autocommit.exec(sql);
      }
      return core::ok();
    } catch (const std::exception& e) {
      return translate(what, e);
    }
  }

  core::Status begin() override {
    BALLAST_TRY(ensure_open());
    try {
      work_ = std::make_unique<pqxx::work>(*connection_);
      return core::ok();
    } catch (const pqxx::broken_connection&) {
      // Nothing was sent yet for this transaction: reopen and begin again.
    } catch (const std::exception& e) {
      return translate("begin", e);
    }
    BALLAST_TRY(reopen());
    try {
      work_ = std::make_unique<pqxx::work>(*connection_);
      return core::ok();
    } catch (const std::exception& e) {
      return translate("begin", e);
    }
  }
  core::Status commit() override {
    if (!work_) return Error(ErrorCode::Internal, "postgres: commit without a transaction");
    try {
      work_->commit();
      work_.reset();
      return core::ok();
    } catch (const pqxx::in_doubt_error& e) {
      work_.reset();
      return Error(ErrorCode::IoError,
                   "postgres: commit: connection lost while committing, outcome unknown (the rows may or may not "
                   "be stored): " + trimmed(e.what()));
    } catch (const std::exception& e) {
      work_.reset();
      return translate("commit", e);
    }
  }
  void rollback() noexcept override {
    try {
      if (work_) work_->abort();
    } catch (...) {  // NOLINT(bugprone-empty-catch): the connection is gone; nothing left to undo
    }
    work_.reset();
  }
  bool in_transaction() const override { return work_ != nullptr; }

 private:
  core::Status ensure_open() {
    if (connection_ && connection_->is_open()) return core::ok();
    return reopen();
  }
  // A fresh connection with the same settings; statements are prepared again on first use.
  core::Status reopen() {
    work_.reset();
    prepared_.clear();
    auto fresh = open_connection(url_, schema_);
    if (!fresh) return fresh.error();
    connection_ = std::move(*fresh);
    return core::ok();
  }
  pqxx::result autocommit_prepared(const std::string& sql, const std::vector<const char*>& pointers) {
    const std::string& name = statement_name(sql);
    pqxx::nontransaction autocommit(*connection_);
    return autocommit.exec_prepared(name, pqxx::prepare::make_dynamic_params(pointers));
  }

  // Each distinct SQL text is prepared once per connection (parsed and planned once, not per call).
  const std::string& statement_name(const std::string& sql) {
    if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
    std::string name = "ballast_" + std::to_string(prepared_.size() + 1);
    connection_->prepare(name, sql);
    return prepared_.emplace(sql, std::move(name)).first->second;
  }

  std::unique_ptr<pqxx::connection> connection_;
  std::string url_;
  std::string schema_;
  std::unique_ptr<pqxx::work> work_;
  std::unordered_map<std::string, std::string> prepared_;
};

bool valid_identifier(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  if (std::isdigit(static_cast<unsigned char>(name[0])) != 0) return false;
  for (const char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0 ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

core::Result<std::unique_ptr<Connection>> open_postgres(const std::string& url, const std::string& schema) {
  if (!schema.empty() && !valid_identifier(schema)) {
    return Error(ErrorCode::InvalidArgument,
                 "postgres: schema name '" + schema + "' must be lower-case letters, digits and '_'");
  }
  auto raw = open_connection(url, schema);
  if (!raw) return raw.error();
  return std::unique_ptr<Connection>(std::make_unique<PostgresConnection>(std::move(*raw), url, schema));
}

}  // namespace ballast::persistence::internal
