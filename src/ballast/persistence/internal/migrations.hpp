#pragma once
// Versioned schema migrations. Each migration is one SQL script applied in its own transaction and recorded
// in schema_migrations(version, name, applied_at). Scripts are written once with two tokens replaced per
// dialect: {{ID}} (an auto-assigned 64-bit primary key) and {{REAL}} (an 8-byte float column). Add new
// migrations at the end; never edit an applied one.

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/persistence/internal/driver.hpp"
#include "ballast/persistence/store.hpp"

#include <string>
#include <vector>

namespace ballast::persistence::internal {

struct Migration {
  int version;
  std::string name;
  std::string sql;  // with {{ID}} / {{REAL}} tokens
};

const std::vector<Migration>& all_migrations();
std::string render_for(Dialect dialect, const std::string& sql);

// Creates schema_migrations if needed and applies every pending migration (one transaction each; on
// PostgreSQL under an advisory lock, so concurrent openers apply each migration once).
core::Status apply_migrations(Connection& connection, core::UnixNanos now);
core::Result<std::vector<MigrationInfo>> migration_status(Connection& connection);

}  // namespace ballast::persistence::internal
