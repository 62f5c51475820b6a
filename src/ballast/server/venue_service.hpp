#pragma once
// VenueService: one live venue account ([[venues]] in ballast.toml) run by `ballast serve` next to the
// paper desk. It has its own system::Kernel — risk engine, risk monitor, circuit breakers, emergency stop —
// on its own thread (the venue thread), the venue's ExecutionClient and DataClient (adapters/…), the
// wall clock, and the same persistence::Store as the paper desk, under the venue's account id.
//
//  - start(): opens the venue (instruments, balance, credentials: server/venue_connection.hpp), connects
//    the execution client (user stream), reconciles the venue's orders, fills and positions into the
//    kernel — every correction stored as an event and published — subscribes to trades and quotes of the
//    configured symbols (marks for the risk monitor and breakers), and starts the venue thread. A venue
//    that cannot be opened fails start() with the reason; `ballast serve` then refuses to start.
//  - The clients report from their own threads; their events are queued and applied on the venue thread
//    (DESIGN.md §1.4): order events → kernel → risk monitor → the store (orders, fills, position snapshots,
//    breaker events, alerts, trading state). After a disconnect the kernel marks the venue unreconciled
//    and refuses new orders for it; the venue thread reconciles again once the client is connected.
//  - Orders from the API go through the kernel's risk engine exactly as paper orders do; a read-only venue
//    refuses them before the risk engine (its client refuses locally too).
//  - Durable before acknowledged: post() tasks that answer call VenueDesk::flush() with the answer.

#include "ballast/core/clock.hpp"
#include "ballast/core/result.hpp"
#include "ballast/persistence/store.hpp"
#include "ballast/risk/risk_config.hpp"
#include "ballast/server/service_config.hpp"
#include "ballast/server/trading_service.hpp"
#include "ballast/system/kernel.hpp"
#include "ballast/system/reconciliation.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ballast::server {

// What a VenueService task sees on the venue thread.
class VenueDesk {
 public:
  system::Kernel& kernel() { return *kernel_; }
  const system::Kernel& kernel() const { return *kernel_; }
  const VenueConfig& config() const { return *config_; }
  const std::string& account_id() const { return account_id_; }
  const std::string& venue() const { return venue_id_; }  // the VenueId of its instruments ("BINANCE")
  core::UnixNanos now() const { return clock_->now(); }
  const std::vector<const model::Instrument*>& instruments() const { return instruments_; }
  // By symbol ("BTCUSDT") or full id ("BTCUSDT.BINANCE"); nullptr when unknown.
  const model::Instrument* find_instrument(std::string_view text) const;
  bool execution_connected() const;
  bool data_connected() const;
  // The last reconciliation (nullopt before the first) and when it ran.
  const std::optional<system::ReconciliationReport>& last_reconciliation() const { return last_reconciliation_; }
  std::uint64_t disconnects() const noexcept { return disconnects_; }
  // Reconciles the venue now (blocking on its queries); the report is also kept as last_reconciliation().
  core::Result<system::ReconciliationReport> reconcile_now() { return reconcile_(); }

  persistence::WriteBatch& batch() { return batch_; }
  void flush(persistence::CommitCallback done);
  void audit(std::string_view user, std::string_view action, std::string_view target, std::string details,
             std::string_view remote);
  void publish(std::string_view channel, std::string json) const;

 private:
  friend class VenueService;
  struct Impl;
  const VenueConfig* config_{nullptr};
  std::string account_id_;
  std::string venue_id_;
  persistence::Store* store_{nullptr};
  const core::Clock* clock_{nullptr};
  std::unique_ptr<system::Kernel> kernel_;
  std::vector<const model::Instrument*> instruments_;
  std::optional<system::ReconciliationReport> last_reconciliation_;
  std::uint64_t disconnects_{0};
  persistence::WriteBatch batch_;
  Publisher publisher_;
  Impl* impl_{nullptr};
  std::function<core::Result<system::ReconciliationReport>()> reconcile_;
};

// A reconciliation report as the API and the event log show it: {"venue","at","corrections":[…],
// "counts":{kind: n}}.
nlohmann::json reconciliation_json(const system::ReconciliationReport& report);

class VenueService {
 public:
  // `store` and `wall` must outlive the service. `risk` is used when the store has no active risk
  // configuration for the venue's account yet; it is then saved as "default" for that account.
  static core::Result<std::unique_ptr<VenueService>> create(const VenueConfig& venue, risk::RiskConfig risk,
                                                            persistence::Store& store, const core::Clock& wall,
                                                            Publisher publisher);
  ~VenueService();
  VenueService(const VenueService&) = delete;
  VenueService& operator=(const VenueService&) = delete;

  // Opens and reconciles the venue and starts the venue thread (see the header comment).
  core::Status start();
  // Stops the thread (pending writes flushed) and disconnects the clients. Open orders stay at the venue.
  void stop();
  bool running() const noexcept;

  const VenueConfig& config() const noexcept;
  const std::string& account_id() const noexcept;

  // The venue's state as the API shows it, refreshed by the venue thread after every order event, API task
  // or venue event, and at least every tick (250 ms) while only market data arrives; never
  // blocks on the venue: {"name","kind","network","account_id","venue","read_only","connected",
  // "market_data_connected","trading_state","emergency_stop","currency","wallet_balance","equity",
  // "unrealized_pnl","available_margin","positions":[…],"open_orders":[…],"disconnects",
  // "reconciliation":{…}|null}. Before start(): the configuration fields and "connected": false.
  nlohmann::json status() const;

  // Runs `task` on the venue thread (dropped when the service is not running).
  void post(std::function<void(VenueDesk&)> task);
  // Runs `task` on the venue thread and waits for it; false when the service is not running.
  bool run(const std::function<void(VenueDesk&)>& task);

  struct Impl;

 private:
  explicit VenueService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ballast::server
