// PostgreSQL driver over libpqxx 6.4. Statements are prepared once per connection and run in the open
// pqxx::work, or autocommit (a nontransaction per statement) outside one. Parameters travel as text (NULL as a null
// pointer); the server infers their types from the statement.

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

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(std::unique_ptr<pqxx::connection> connection) : connection_(std::move(connection)) {}
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
    try {
      const std::string& name = statement_name(sql);
      pqxx::result result;
      if (work_) {
        result = work_->exec_prepared(name, pqxx::prepare::make_dynamic_params(pointers));
      } else {
        pqxx::nontransaction autocommit(*connection_);
        result = autocommit.exec_prepared(name, pqxx::prepare::make_dynamic_params(pointers));
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
  // Each distinct SQL text is prepared once per connection (parsed and planned once, not per call).
  const std::string& statement_name(const std::string& sql) {
    if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
    std::string name = "ballast_" + std::to_string(prepared_.size() + 1);
    connection_->prepare(name, sql);
    return prepared_.emplace(sql, std::move(name)).first->second;
  }

  std::unique_ptr<pqxx::connection> connection_;
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
  std::unique_ptr<pqxx::connection> raw;
  try {
    raw = std::make_unique<pqxx::connection>(url);
  } catch (const std::exception& e) {
    return Error(ErrorCode::IoError, "postgres: connect to " + url + ": " + trimmed(e.what()));
  }
  auto connection = std::make_unique<PostgresConnection>(std::move(raw));
  BALLAST_TRY(connection->exec_script("configure session", "SET client_min_messages TO warning"));
  if (!schema.empty()) {
    BALLAST_TRY(connection->exec_script("use schema " + schema,
                                        "CREATE SCHEMA IF NOT EXISTS " + schema + "; SET search_path TO " + schema));
  }
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace ballast::persistence::internal
