#pragma once
// Store: Ballast's durable database — users, accounts, instruments, orders, fills, positions, risk
// configuration, circuit breakers and their events, alerts, the trading state, the audit log, risk history
// and the runtime::EventStore log — on SQLite (the embedded default) or PostgreSQL (shared by several
// instances, DESIGN.md §6). The repository SQL is written once over an internal driver (internal/).
//
// Durability (DESIGN.md §1.5): every write returns / calls back OK only after its transaction is
// committed durably (SQLite: WAL with synchronous=FULL; PostgreSQL: a committed transaction).
//
// Group commit: commit_async() queues a WriteBatch; one writer thread drains everything queued (up to
// max_batch_records rows) into a single transaction, so one fsync covers many batches. Callbacks run on the
// writer thread, in submission order. When the combined transaction fails, each batch is retried alone so
// one bad batch fails only itself.
//
// Threading: every method may be called from any thread.
//
// Units: money, prices, quantities are exact decimals (TEXT columns); times are UnixNanos (BIGINT ns).
// Queries by time return newest first (except query_risk_snapshots, a time series, oldest first);
// TimeQuery::from is inclusive and ::to exclusive.

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/persistence/rows.hpp"
#include "ballast/runtime/event_store.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::persistence {

enum class Backend { Sqlite, Postgres };

std::string_view to_string(Backend backend) noexcept;  // "sqlite" | "postgres"

struct StoreOptions {
  // "postgresql://user@127.0.0.1:5432/db" (or "postgres://"), "sqlite:///abs/path.db", or a plain file
  // path (SQLite).
  std::string url;
  std::size_t max_batch_records = 4096;  // group commit: most rows per transaction
  // PostgreSQL only: the schema to use (created if missing; default: the server's search_path).
  std::string schema{};
};

// One write unit: everything in a batch commits atomically in one transaction, in this order.
struct WriteBatch {
  std::vector<runtime::EventRecord> events;    // appended to the event log (global gap-free sequence)
  std::vector<OrderRow> orders;                // upsert by client_order_id
  std::vector<FillRow> fills;                  // insert; a duplicate trade_id is ignored (idempotent)
  std::vector<PositionSnapshotRow> positions;  // insert (history) + the latest per (account, instrument)
  std::vector<CircuitBreakerEventRow> breaker_events;
  std::vector<AlertRow> alerts;
  std::vector<TradingStateRow> trading_states;  // latest per account is queryable; history kept
  std::vector<AuditRow> audit;
  std::vector<RiskSnapshotRow> risk_snapshots;

  bool empty() const;
  std::size_t size() const;  // total rows
};

using CommitCallback = std::function<void(core::Status)>;

// Newest first (by `created`).
struct OrderQuery {
  std::optional<std::string> account_id, instrument_id, strategy_id;
  std::vector<std::string> statuses;  // any of these (empty: all)
  bool open_only = false;             // status not in FILLED, CANCELED, CANCELLED, REJECTED, EXPIRED, DENIED
  std::optional<core::UnixNanos> from, to;
  std::size_t limit = 100;
  std::size_t offset = 0;
};

// Newest first (except query_risk_snapshots).
struct TimeQuery {
  std::optional<std::string> account_id;
  std::optional<core::UnixNanos> from, to;
  std::size_t limit = 100;
  std::size_t offset = 0;
};

struct MigrationInfo {
  int version;
  std::string name;
  bool applied;
  std::optional<core::UnixNanos> applied_at;
};

class Store {
 public:
  // Opens (creating the SQLite file and parent directory if needed) and applies pending migrations.
  static core::Result<std::unique_ptr<Store>> open(const StoreOptions& options);
  virtual ~Store();
  virtual Backend backend() const = 0;

  // --- durable writes (group commit) ---
  // Queues the batch; the writer thread commits queued batches together and then calls each callback, in
  // submission order, on the writer thread, with OK only after the commit is durable. Never drops a batch.
  virtual void commit_async(WriteBatch batch, CommitCallback done) = 0;
  virtual core::Status commit(WriteBatch batch) = 0;  // blocks until durable
  virtual runtime::EventStore& events() = 0;          // the EventStore port on the same database

  // --- migrations ---
  virtual core::Result<std::vector<MigrationInfo>> migrations() = 0;

  // --- users ---
  virtual core::Result<std::int64_t> add_user(const UserRow& user) = 0;  // AlreadyExists on a duplicate name
  virtual core::Result<std::optional<UserRow>> find_user(std::string_view name) = 0;
  virtual core::Result<std::vector<UserRow>> list_users() = 0;
  virtual core::Status update_user(const UserRow& user) = 0;  // by name: role, hash, disabled; NotFound

  // --- accounts & instruments ---
  virtual core::Status upsert_account(const AccountRow& account) = 0;
  virtual core::Result<std::vector<AccountRow>> list_accounts() = 0;
  virtual core::Status upsert_instrument(const InstrumentRow& instrument) = 0;
  virtual core::Result<std::vector<InstrumentRow>> list_instruments() = 0;

  // --- orders, fills, positions ---
  virtual core::Result<std::optional<OrderRow>> find_order(std::string_view client_order_id) = 0;
  virtual core::Result<std::vector<OrderRow>> query_orders(const OrderQuery& query) = 0;
  virtual core::Result<std::vector<FillRow>> query_fills(const TimeQuery& query,
                                                         std::optional<std::string> client_order_id = {}) = 0;
  virtual core::Result<std::vector<PositionSnapshotRow>> latest_positions(std::string_view account_id) = 0;

  // --- risk configuration (several named configurations per account; exactly one active) ---
  // Upsert by (account, name). Saving a row with active=true makes it the active one (deactivating the others);
  // with active=false the stored flag is kept, except that an account's first configuration becomes active.
  virtual core::Status save_risk_configuration(const RiskConfigurationRow& row) = 0;
  virtual core::Result<std::vector<RiskConfigurationRow>> list_risk_configurations(std::string_view account_id) = 0;
  virtual core::Result<std::optional<RiskConfigurationRow>> active_risk_configuration(std::string_view account_id) = 0;
  virtual core::Status activate_risk_configuration(std::string_view account_id, std::string_view name) = 0;  // NotFound
  virtual core::Status save_symbol_risk_configuration(const SymbolRiskConfigurationRow& row) = 0;            // upsert
  virtual core::Status delete_symbol_risk_configuration(std::string_view account_id, std::string_view config_name,
                                                        std::string_view symbol) = 0;  // NotFound
  virtual core::Result<std::vector<SymbolRiskConfigurationRow>> list_symbol_risk_configurations(
      std::string_view account_id, std::string_view config_name) = 0;

  // --- circuit breakers ---
  virtual core::Status save_circuit_breaker(const CircuitBreakerRow& row) = 0;  // upsert by (account, name)
  virtual core::Status delete_circuit_breaker(std::string_view account_id, std::string_view name) = 0;  // NotFound
  virtual core::Result<std::vector<CircuitBreakerRow>> list_circuit_breakers(std::string_view account_id) = 0;
  virtual core::Result<std::vector<CircuitBreakerEventRow>> query_breaker_events(const TimeQuery& query) = 0;

  // --- alerts, trading state, audit, risk history ---
  virtual core::Result<std::vector<AlertRow>> query_alerts(const TimeQuery& query) = 0;
  virtual core::Result<std::optional<TradingStateRow>> trading_state(std::string_view account_id) = 0;
  virtual core::Result<std::vector<AuditRow>> query_audit(const TimeQuery& query) = 0;
  virtual core::Result<std::vector<RiskSnapshotRow>> query_risk_snapshots(const TimeQuery& query) = 0;  // oldest first
};

}  // namespace ballast::persistence
