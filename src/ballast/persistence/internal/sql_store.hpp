#pragma once
// SqlStore: the one Store implementation, over the internal driver (driver.hpp) so the repository SQL is
// written once for SQLite and PostgreSQL.
//
// Connections: the writer connection belongs to the writer thread, which runs every write — group-committed
// WriteBatches and the synchronous admin writes (as jobs) — so writes are serialised in one place. Reads go
// through a separate, mutex-guarded reader connection (SQLite WAL lets it read while the writer commits).

#include "ballast/persistence/internal/driver.hpp"
#include "ballast/persistence/store.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace ballast::persistence::internal {

class SqlStore;

class SqlEventStore final : public runtime::EventStore {
 public:
  explicit SqlEventStore(SqlStore& store) : store_(store) {}
  core::Result<std::uint64_t> append(std::span<const runtime::EventRecord> records) override;
  core::Result<std::vector<runtime::EventRecord>> load_stream(std::string_view stream,
                                                              std::uint64_t after_sequence) override;
  core::Result<std::vector<runtime::EventRecord>> load(const runtime::EventQuery& query) override;
  core::Result<std::uint64_t> last_sequence() override;
  core::Status save_snapshot(const runtime::StateSnapshot& snapshot) override;
  core::Result<std::optional<runtime::StateSnapshot>> load_latest_snapshot() override;

 private:
  SqlStore& store_;
};

// Writes every row of `batch` on `connection` inside the caller's transaction; returns the last event
// sequence assigned (0 when the batch has no events).
core::Result<std::uint64_t> write_batch(Connection& connection, const WriteBatch& batch);
// Validates event records (non-empty stream and type).
core::Status validate_events(std::span<const runtime::EventRecord> records);

class SqlStore final : public Store {
 public:
  using Job = std::function<core::Status(Connection&)>;
  using BatchDone = std::function<void(core::Status, std::uint64_t last_sequence)>;

  SqlStore(Backend backend, std::unique_ptr<Connection> writer, std::unique_ptr<Connection> reader,
           std::size_t max_batch_records);
  ~SqlStore() override;
  SqlStore(const SqlStore&) = delete;
  SqlStore& operator=(const SqlStore&) = delete;

  Backend backend() const override { return backend_; }
  void commit_async(WriteBatch batch, CommitCallback done) override;
  core::Status commit(WriteBatch batch) override;
  runtime::EventStore& events() override { return events_; }

  core::Result<std::vector<MigrationInfo>> migrations() override;

  core::Result<std::int64_t> add_user(const UserRow& user) override;
  core::Result<std::optional<UserRow>> find_user(std::string_view name) override;
  core::Result<std::vector<UserRow>> list_users() override;
  core::Status update_user(const UserRow& user) override;

  core::Status upsert_account(const AccountRow& account) override;
  core::Result<std::vector<AccountRow>> list_accounts() override;
  core::Status upsert_instrument(const InstrumentRow& instrument) override;
  core::Result<std::vector<InstrumentRow>> list_instruments() override;

  core::Result<std::optional<OrderRow>> find_order(std::string_view client_order_id) override;
  core::Result<std::vector<OrderRow>> query_orders(const OrderQuery& query) override;
  core::Result<std::vector<FillRow>> query_fills(const TimeQuery& query,
                                                 std::optional<std::string> client_order_id) override;
  core::Result<std::vector<PositionSnapshotRow>> latest_positions(std::string_view account_id) override;

  core::Status save_risk_configuration(const RiskConfigurationRow& row) override;
  core::Result<std::vector<RiskConfigurationRow>> list_risk_configurations(std::string_view account_id) override;
  core::Result<std::optional<RiskConfigurationRow>> active_risk_configuration(std::string_view account_id) override;
  core::Status activate_risk_configuration(std::string_view account_id, std::string_view name) override;
  core::Status save_symbol_risk_configuration(const SymbolRiskConfigurationRow& row) override;
  core::Status delete_symbol_risk_configuration(std::string_view account_id, std::string_view config_name,
                                                std::string_view symbol) override;
  core::Result<std::vector<SymbolRiskConfigurationRow>> list_symbol_risk_configurations(
      std::string_view account_id, std::string_view config_name) override;

  core::Status save_circuit_breaker(const CircuitBreakerRow& row) override;
  core::Status delete_circuit_breaker(std::string_view account_id, std::string_view name) override;
  core::Result<std::vector<CircuitBreakerRow>> list_circuit_breakers(std::string_view account_id) override;
  core::Result<std::vector<CircuitBreakerEventRow>> query_breaker_events(const TimeQuery& query) override;

  core::Result<std::vector<AlertRow>> query_alerts(const TimeQuery& query) override;
  core::Result<std::optional<TradingStateRow>> trading_state(std::string_view account_id) override;
  core::Result<std::vector<AuditRow>> query_audit(const TimeQuery& query) override;
  core::Result<std::vector<RiskSnapshotRow>> query_risk_snapshots(const TimeQuery& query) override;

  // Internal plumbing shared with SqlEventStore.
  void enqueue_batch(WriteBatch batch, BatchDone done);
  // Runs `job` on the writer thread inside one transaction and waits for its durable commit.
  core::Status run_job(Job job);
  // Runs `read` with the reader connection locked.
  template <class F>
  auto read(F&& fn) {
    std::lock_guard lock(reader_mutex_);
    return fn(*reader_);
  }

 private:
  struct Item {
    WriteBatch batch;
    BatchDone done;
    Job job;  // set for a synchronous job instead of a batch
  };

  void writer_loop();
  void process(std::deque<Item>& items);
  void commit_group(std::deque<Item>& items, std::size_t begin, std::size_t end);
  core::Result<std::uint64_t> commit_one(const WriteBatch& batch);

  Backend backend_;
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<Connection> reader_;
  std::mutex reader_mutex_;
  std::size_t max_batch_records_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::thread writer_thread_;
  SqlEventStore events_;
};

}  // namespace ballast::persistence::internal
