#pragma once
// TradingService: the paper-trading desk behind `ballast serve`. One system::Kernel (risk engine, risk
// monitor, circuit breakers, emergency stop) runs on its own thread — the kernel thread — with the
// simulated venue (sim::SimulatedExchange) as the paper account's broker, fed bar by bar by the paper
// market (the synthetic generator streaming correlated instruments, or CSV files replayed at N× speed),
// and the persistence::Store as its memory.
//
// Threading (DESIGN.md §1.4): the kernel is single-threaded. Everything that touches it runs on the
// kernel thread: callers post() tasks, which run in FIFO order between market-data steps. Nothing a task
// does blocks on the disk: writes go to the pending WriteBatch and are committed with group commit;
// a task that must answer only once its writes are durable (every order, cancel, configuration change
// and trading-state change: "durable before acknowledged", DESIGN.md §1.5) calls Desk::flush() with the
// answer as the callback, which runs on the store's writer thread after the commit.
//
// Market data timing: bar k covers [ts_event, ts_recv) of market time and is delivered at ts_recv, when
// it is complete. An order that reaches the venue during bar k is handled at bar k+1 (the venue's
// arrival rule, sim/simulated_exchange.hpp), so a paper fill never uses a price from before the order.
//
// Restart: create() loads the store — the active risk configuration, positions (latest snapshots, also
// seeded into the venue), the wallet, open orders (re-sent to the fresh venue under their ids), the
// trading state and an engaged emergency stop — before the first bar, and continues client order ids
// after the highest stored one.

#include "ballast/core/clock.hpp"
#include "ballast/core/result.hpp"
#include "ballast/persistence/store.hpp"
#include "ballast/risk/risk_config.hpp"
#include "ballast/server/service_config.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace ballast::server {

class Desk;  // the kernel-thread view (server/internal/desk.hpp)
class ServiceMetrics;

// Everything the service tells the outside world, as (channel, JSON text): the WebSocket channels
// "prices", "positions", "orders", "risk", "alerts", "circuit_breakers", "account". Called on the kernel
// thread; must not block.
using Publisher = std::function<void(std::string_view channel, std::string json)>;

class TradingService {
 public:
  // `wall` must outlive the service. The store must outlive it too. `risk` is used when the store has no
  // active configuration for the account yet (first start); it is then saved as "default".
  static core::Result<std::unique_ptr<TradingService>> create(const ServiceConfig& config, risk::RiskConfig risk,
                                                              persistence::Store& store, const core::Clock& wall);
  ~TradingService();
  TradingService(const TradingService&) = delete;
  TradingService& operator=(const TradingService&) = delete;

  void set_publisher(Publisher publisher);  // before start()
  void set_metrics(ServiceMetrics* metrics);  // before start(); store commits and breaker trips
  // Starts the kernel thread (the market feed starts with it).
  void start();
  // Stops after the running task; pending tasks are dropped, pending writes flushed (blocks until durable).
  void stop();
  bool running() const noexcept;

  // Runs `task` on the kernel thread. Tasks posted after stop() are dropped.
  void post(std::function<void(Desk&)> task);
  // Runs `task` on the kernel thread and waits for it (not from the kernel thread).
  void run(const std::function<void(Desk&)>& task);

  const core::Clock& clock() const noexcept;  // market time
  const ServiceConfig& config() const noexcept;

  struct Impl;  // opaque (trading_service.cpp)

 private:
  explicit TradingService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ballast::server
