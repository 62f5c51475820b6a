#pragma once
// Desk: what a TradingService task sees on the kernel thread — the kernel, the paper venue's instruments
// and latest bars, the pending write batch and the publisher. Private to the server module.

#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/persistence/store.hpp"
#include "ballast/server/internal/algo_desk.hpp"
#include "ballast/server/service_config.hpp"
#include "ballast/server/service_metrics.hpp"
#include "ballast/server/session_state.hpp"
#include "ballast/server/trading_service.hpp"
#include "ballast/system/kernel.hpp"

#include <Eigen/Core>

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::server {

class Desk {
 public:
  // Closes kept per instrument for analytics (returns, correlation, VaR): the most recent bars.
  static constexpr std::size_t kHistoryBars = 4096;

  Desk(const ServiceConfig& config, persistence::Store& store, const core::Clock& clock)
      : config_(&config), store_(&store), clock_(&clock) {}

  system::Kernel& kernel() { return *kernel_; }
  const system::Kernel& kernel() const { return *kernel_; }
  persistence::Store& store() { return *store_; }
  const ServiceConfig& config() const { return *config_; }
  core::UnixNanos now() const { return clock_->now(); }
  const std::string& account_id() const { return config_->account_id; }
  const std::string& venue() const { return venue_; }

  // --- instruments and market ---
  const std::vector<const model::Instrument*>& instruments() const { return instruments_; }
  // By symbol ("BTCUSDT") or full id ("BTCUSDT.PAPER"); nullptr when unknown.
  const model::Instrument* find_instrument(std::string_view text) const;
  std::optional<std::size_t> index_of(const core::InstrumentId& id) const;
  const std::optional<model::Bar>& last_bar(std::size_t index) const { return last_bars_.at(index); }
  const std::deque<double>& closes(std::size_t index) const { return closes_.at(index); }
  // Simple returns of every paper instrument over their common most recent closes (at most `max_rows`
  // returns): T × N, oldest first, column i ↔ instruments()[i].
  core::Result<Eigen::MatrixXd> return_panel(std::size_t max_rows = kHistoryBars) const;
  // What the risk engine's portfolio VaR model was last built from (TradingService::refresh_var_model):
  // returns used (0: no model yet), the bar count then, and each instrument's daily σ (instruments() order).
  struct VarModelInfo {
    std::size_t returns_used{0};
    std::size_t at_bar{0};
    std::vector<double> daily_volatility{};
  };
  const VarModelInfo& var_model() const { return var_model_; }
  std::size_t bars_seen() const noexcept { return bars_seen_; }
  bool feed_running() const noexcept { return feed_running_; }
  void set_feed_running(bool running) { feed_running_ = running; }

  // --- risk configuration ---
  const std::string& active_config_name() const { return active_config_name_; }
  void set_active_config_name(std::string name) { active_config_name_ = std::move(name); }

  // --- trading session (session_state.hpp; changed through session_manager.hpp) ---
  SessionState& session() { return session_; }
  const SessionState& session() const { return session_; }

  // --- writes and events ---
  persistence::WriteBatch& batch() { return batch_; }
  // Commits the pending batch (group commit); `done` runs on the store's writer thread once durable.
  void flush(persistence::CommitCallback done);
  void audit(std::string_view user, std::string_view action, std::string_view target, std::string details,
             std::string_view remote);
  void publish(std::string_view channel, std::string json) const;
  // The current state of a WebSocket channel as its message body {"type":"snapshot","data":…}: prices
  // (latest bars), positions, account, risk, orders (open), circuit_breakers (states), alerts (latest 50).
  std::string snapshot(std::string_view channel);
  // Positions, risk and account snapshots are due (published at most every 100 ms).
  void mark_dirty() { dirty_ = true; }
  ServiceMetrics* metrics() const { return metrics_; }
  // The execution algorithms running on this desk (internal/algo_desk.hpp).
  AlgoDesk& algos() { return algos_; }
  const AlgoDesk& algos() const { return algos_; }

 private:
  friend class TradingService;
  friend struct TradingService::Impl;

  const ServiceConfig* config_;
  persistence::Store* store_;
  const core::Clock* clock_;
  std::unique_ptr<system::Kernel> kernel_;
  std::string venue_;
  std::vector<const model::Instrument*> instruments_;
  std::vector<std::optional<model::Bar>> last_bars_;
  std::vector<std::deque<double>> closes_;
  std::size_t bars_seen_{0};
  VarModelInfo var_model_{};
  bool feed_running_{true};
  std::string active_config_name_{"default"};
  SessionState session_{};
  persistence::WriteBatch batch_;
  Publisher publisher_;
  ServiceMetrics* metrics_{nullptr};
  bool dirty_{true};
  AlgoDesk algos_;
};

}  // namespace ballast::server
