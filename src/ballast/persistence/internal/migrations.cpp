#include "ballast/persistence/internal/migrations.hpp"

#include <map>

namespace ballast::persistence::internal {
namespace {

constexpr const char* kInitialSchema = R"SQL(
CREATE TABLE users (
  id {{ID}},
  name TEXT NOT NULL UNIQUE CHECK (name <> ''),
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created BIGINT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);
CREATE TABLE accounts (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  venue TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('paper', 'live')),
  currency TEXT NOT NULL,
  starting_balance TEXT NOT NULL,
  created BIGINT NOT NULL
);
CREATE TABLE instruments (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  venue TEXT NOT NULL,
  symbol TEXT NOT NULL,
  definition TEXT NOT NULL
);
CREATE TABLE orders (
  client_order_id TEXT PRIMARY KEY CHECK (client_order_id <> ''),
  account_id TEXT NOT NULL CHECK (account_id <> ''),
  instrument_id TEXT NOT NULL CHECK (instrument_id <> ''),
  strategy_id TEXT NOT NULL,
  side TEXT NOT NULL,
  type TEXT NOT NULL,
  time_in_force TEXT NOT NULL,
  quantity TEXT NOT NULL,
  price TEXT,
  trigger_price TEXT,
  filled_quantity TEXT NOT NULL,
  avg_fill_price TEXT,
  status TEXT NOT NULL CHECK (status <> ''),
  venue_order_id TEXT NOT NULL,
  reduce_only INTEGER NOT NULL CHECK (reduce_only IN (0, 1)),
  post_only INTEGER NOT NULL CHECK (post_only IN (0, 1)),
  reason TEXT NOT NULL,
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL
);
CREATE INDEX orders_by_account ON orders (account_id, created);
CREATE INDEX orders_by_status ON orders (status);
CREATE INDEX orders_by_created ON orders (created);
CREATE TABLE fills (
  trade_id TEXT PRIMARY KEY CHECK (trade_id <> ''),
  client_order_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  side TEXT NOT NULL,
  quantity TEXT NOT NULL,
  price TEXT NOT NULL,
  fee TEXT NOT NULL,
  fee_currency TEXT NOT NULL,
  liquidity TEXT NOT NULL,
  ts_event BIGINT NOT NULL
);
CREATE INDEX fills_by_order ON fills (client_order_id);
CREATE INDEX fills_by_account ON fills (account_id, ts_event);
CREATE TABLE position_snapshots (
  id {{ID}},
  account_id TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  quantity TEXT NOT NULL,
  avg_entry_price TEXT NOT NULL,
  realized_pnl TEXT NOT NULL,
  unrealized_pnl TEXT NOT NULL,
  mark_price TEXT NOT NULL,
  ts BIGINT NOT NULL
);
CREATE INDEX position_snapshots_by_account ON position_snapshots (account_id, instrument_id, ts);
CREATE TABLE positions_latest (
  account_id TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  quantity TEXT NOT NULL,
  avg_entry_price TEXT NOT NULL,
  realized_pnl TEXT NOT NULL,
  unrealized_pnl TEXT NOT NULL,
  mark_price TEXT NOT NULL,
  ts BIGINT NOT NULL,
  PRIMARY KEY (account_id, instrument_id)
);
CREATE TABLE risk_configurations (
  account_id TEXT NOT NULL,
  name TEXT NOT NULL CHECK (name <> ''),
  document TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  updated BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (account_id, name)
);
CREATE UNIQUE INDEX risk_configurations_one_active ON risk_configurations (account_id) WHERE active = 1;
CREATE TABLE symbol_risk_configurations (
  account_id TEXT NOT NULL,
  config_name TEXT NOT NULL,
  symbol TEXT NOT NULL CHECK (symbol <> ''),
  document TEXT NOT NULL,
  updated BIGINT NOT NULL,
  PRIMARY KEY (account_id, config_name, symbol)
);
CREATE TABLE circuit_breakers (
  account_id TEXT NOT NULL,
  name TEXT NOT NULL CHECK (name <> ''),
  definition TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  state TEXT NOT NULL,
  updated BIGINT NOT NULL,
  PRIMARY KEY (account_id, name)
);
CREATE TABLE circuit_breaker_events (
  id {{ID}},
  account_id TEXT NOT NULL,
  breaker TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind <> ''),
  condition_text TEXT NOT NULL,
  action TEXT NOT NULL,
  measured {{REAL}},
  threshold {{REAL}},
  message TEXT NOT NULL,
  ts BIGINT NOT NULL
);
CREATE INDEX circuit_breaker_events_by_ts ON circuit_breaker_events (account_id, ts);
CREATE TABLE alerts (
  id {{ID}},
  account_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  details TEXT NOT NULL,
  ts BIGINT NOT NULL
);
CREATE INDEX alerts_by_ts ON alerts (account_id, ts);
CREATE TABLE trading_states (
  id {{ID}},
  account_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state <> ''),
  reason TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  ts BIGINT NOT NULL
);
CREATE INDEX trading_states_by_account ON trading_states (account_id, ts);
CREATE TABLE audit_log (
  id {{ID}},
  ts BIGINT NOT NULL,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  details TEXT NOT NULL,
  remote TEXT NOT NULL
);
CREATE INDEX audit_log_by_ts ON audit_log (ts);
CREATE TABLE risk_snapshots (
  id {{ID}},
  account_id TEXT NOT NULL,
  ts BIGINT NOT NULL,
  equity TEXT NOT NULL,
  gross_exposure TEXT NOT NULL,
  net_exposure TEXT NOT NULL,
  margin_used TEXT NOT NULL,
  var_95 {{REAL}} NOT NULL,
  margin_usage {{REAL}} NOT NULL,
  document TEXT NOT NULL
);
CREATE INDEX risk_snapshots_by_account ON risk_snapshots (account_id, ts);
)SQL";

// The event log: `sequence` comes from the single-row counter event_sequence, incremented in the appending
// transaction. The row lock serialises appenders (also across processes on PostgreSQL) and a rolled-back
// append gives its numbers back, so sequences stay gap-free.
constexpr const char* kEventLog = R"SQL(
CREATE TABLE event_sequence (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value BIGINT NOT NULL
);
INSERT INTO event_sequence (id, value) VALUES (1, 0);
CREATE TABLE event_log (
  sequence BIGINT PRIMARY KEY,
  stream TEXT NOT NULL CHECK (stream <> ''),
  type TEXT NOT NULL CHECK (type <> ''),
  payload TEXT NOT NULL,
  ts_event BIGINT NOT NULL,
  ts_init BIGINT NOT NULL
);
CREATE INDEX event_log_by_stream ON event_log (stream, sequence);
CREATE INDEX event_log_by_ts ON event_log (ts_event);
CREATE TABLE state_snapshots (
  id {{ID}},
  sequence BIGINT NOT NULL,
  ts_taken BIGINT NOT NULL,
  format TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX state_snapshots_by_sequence ON state_snapshots (sequence);
)SQL";

void replace_all(std::string& text, std::string_view token, std::string_view with) {
  for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + with.size())) {
    text.replace(at, token.size(), with);
  }
}

constexpr const char* kBootstrap =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at BIGINT NOT NULL)";

// Arbitrary constant key for pg_advisory_xact_lock ("BALLAST").
constexpr std::int64_t kMigrationLockKey = 0x42414C4C415354;

}  // namespace

const std::vector<Migration>& all_migrations() {
  static const std::vector<Migration> migrations{
      {1, "initial schema", kInitialSchema},
      {2, "event log", kEventLog},
  };
  return migrations;
}

std::string render_for(Dialect dialect, const std::string& sql) {
  std::string out = sql;
  replace_all(out, "{{ID}}",
              dialect == Dialect::Sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY");
  replace_all(out, "{{REAL}}", dialect == Dialect::Sqlite ? "REAL" : "DOUBLE PRECISION");
  return out;
}

core::Status apply_migrations(Connection& connection, core::UnixNanos now) {
  {
    // Under the advisory lock on PostgreSQL too: two processes creating the table at once would collide.
    Transaction tx(connection);
    BALLAST_TRY(tx.begin());
    if (connection.dialect() == Dialect::Postgres) {
      BALLAST_TRY(connection.exec("lock migrations", "SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}));
    }
    BALLAST_TRY(connection.exec_script("create schema_migrations", kBootstrap));
    BALLAST_TRY(tx.commit());
  }
  for (const Migration& migration : all_migrations()) {
    Transaction tx(connection);
    BALLAST_TRY(tx.begin());
    if (connection.dialect() == Dialect::Postgres) {
      BALLAST_TRY(connection.exec("lock migrations", "SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}));
    }
    auto existing =
        connection.exec("read schema_migrations", "SELECT version FROM schema_migrations WHERE version = $1",
                        {std::int64_t{migration.version}});
    if (!existing) return existing.error();
    if (!existing->rows.empty()) continue;  // the transaction rolls back: nothing was written
    const std::string what = "apply migration " + std::to_string(migration.version) + " (" + migration.name + ")";
    BALLAST_TRY(connection.exec_script(what, render_for(connection.dialect(), migration.sql)));
    BALLAST_TRY(connection.exec(what, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                                {std::int64_t{migration.version}, migration.name, now.value}));
    BALLAST_TRY(tx.commit());
  }
  return core::ok();
}

core::Result<std::vector<MigrationInfo>> migration_status(Connection& connection) {
  auto applied = connection.exec("read schema_migrations", "SELECT version, name, applied_at FROM schema_migrations");
  if (!applied) return applied.error();
  std::map<int, core::UnixNanos> when;
  for (const Row& row : applied->rows) when[static_cast<int>(row.integer(0))] = core::UnixNanos(row.integer(2));
  std::vector<MigrationInfo> out;
  for (const Migration& migration : all_migrations()) {
    MigrationInfo info{migration.version, migration.name, false, std::nullopt};
    if (auto it = when.find(migration.version); it != when.end()) {
      info.applied = true;
      info.applied_at = it->second;
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace ballast::persistence::internal
