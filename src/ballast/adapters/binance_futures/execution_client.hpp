#pragma once
// BinanceExecutionClient: runtime::ExecutionClient for one Binance USDⓈ-M Futures account, over the
// BinanceRestClient (one-way position mode, symbols "<SYMBOL>.<venue>").
//
// Commands are checked locally (instrument of this venue, an order type Binance can express) and queued
// for the client's own I/O thread, which sends them and reports through the ExecutionEventSink:
//  - submit: OrderAccepted (venue order id; "algo-<algoId>" for conditional orders) or OrderRejected with
//    Binance's code and message. When the answer is lost (transport failure, timeout, 5xx) or Binance
//    says the client order id is a duplicate, the order is looked up by its client order id: found →
//    OrderAccepted, -2013 "Order does not exist" → OrderRejected; while the lookup itself fails the order
//    stays "unknown" and each poll tries again. No order is silently forgotten.
//  - cancel: OrderCanceled or OrderCancelRejected; modify (LIMIT only): OrderUpdated or OrderModifyRejected;
//    cancel-all: one DELETE per symbol (regular and algo orders), then a poll reports each order's end.
//
// NOT BUILT YET — the user-data stream (listenKey + WebSocket ORDER_TRADE_UPDATE). Until it is, fills,
// venue-side cancels and expiries are found by POLLING: every poll_interval the I/O thread queries
// GET /fapi/v1/order (GET /fapi/v1/algoOrder for conditional orders) for each order this client tracks,
// and when executedQty grew it reads GET /fapi/v1/userTrades to emit one OrderFilled per new trade.
// Fills of a triggered conditional order are not reported by polling (only its cancel/expiry/reject).

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ballast/adapters/binance_futures/rest_client.hpp"
#include "ballast/core/clock.hpp"
#include "ballast/runtime/execution_client.hpp"

namespace ballast::adapters::binance {

struct BinanceExecutionConfig {
  core::AccountId account_id;
  // Symbols whose fills query_fills_since() reads (userTrades needs a symbol); tracked orders' symbols
  // are added automatically.
  std::vector<std::string> symbols;
  core::Duration poll_interval{std::chrono::seconds(1)};
};

class BinanceExecutionClient final : public runtime::ExecutionClient {
 public:
  // `rest` and `sink` must outlive the client.
  BinanceExecutionClient(BinanceExecutionConfig config, BinanceRestClient& rest, runtime::ExecutionEventSink& sink,
                         const core::Clock& clock);
  ~BinanceExecutionClient() override;

  const core::VenueId& venue() const override { return rest_->config().venue; }
  const core::AccountId& account_id() const override { return config_.account_id; }

  // Syncs the server time, loads exchangeInfo (order types per symbol, the weight limit) and reads the
  // account (which proves the key and signature work), then starts the I/O thread. It does NOT open the
  // user-data stream (not built yet; see the header comment): events come from polling.
  core::Status connect() override;
  void disconnect() override;
  bool is_connected() const override;

  core::Status submit_order(const model::SubmitOrder& command) override;
  core::Status cancel_order(const model::CancelOrder& command) override;
  core::Status cancel_all_orders(const model::CancelAllOrders& command) override;
  core::Status modify_order(const model::ModifyOrder& command) override;

  core::Result<std::vector<runtime::OrderStatusReport>> query_open_orders(
      const std::optional<core::InstrumentId>& instrument_id) override;
  core::Result<std::vector<runtime::PositionStatusReport>> query_positions() override;
  // Fills of the configured and followed symbols from the millisecond of `since` on (Binance's resolution).
  core::Result<std::vector<model::Fill>> query_fills_since(core::UnixNanos since) override;

  // Asks the I/O thread for a poll now (tests; after a reconnect).
  void request_poll();
  // Orders this client is following (open or of unknown outcome).
  std::size_t tracked_orders() const;

  // The Binance request for an order (exposed for tests): type, price/stop price, GTX for post-only.
  static core::Result<NewOrderRequest> to_request(const model::Order& order, const core::VenueId& venue);

 private:
  struct Tracked {
    model::OrderEventBase ids;  // client order id, strategy, account, instrument (ts fields unused)
    std::string symbol;
    model::OrderSide side{model::OrderSide::Buy};
    bool is_algo{false};
    bool unknown{false};  // placement outcome not known yet
    std::optional<core::VenueOrderId> venue_order_id;
    std::int64_t venue_numeric_id{0};
    model::Quantity quantity;
    std::optional<model::Price> price;
    model::Quantity reported_filled;
    std::set<std::int64_t> trade_ids;
    core::UnixNanos ts_submitted;
  };

  void enqueue(std::function<void()> task);
  void run();
  void do_submit(NewOrderRequest request, model::OrderEventBase ids);
  void do_cancel(model::CancelOrder command);
  void do_modify(model::ModifyOrder command);
  void do_cancel_all(model::CancelAllOrders command);
  void poll();
  // Applies the venue's view of a tracked order; returns false when the order is finished.
  bool apply_status(Tracked& t, const VenueOrder& order);
  void emit_fills(Tracked& t);
  void on_lookup(Tracked& t, const ApiResult<VenueOrder>& found, const std::string& why);
  model::OrderEventBase stamp(const model::OrderEventBase& ids, core::UnixNanos ts_event) const;
  core::Status require_connected() const;

  BinanceExecutionConfig config_;
  BinanceRestClient* rest_;
  runtime::ExecutionEventSink* sink_;
  const core::Clock* clock_;
  std::optional<ExchangeInfo> info_;

  mutable std::mutex mutex_;  // guards tasks_, stop_, connected_, poll_requested_
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stop_{false};
  bool connected_{false};
  bool poll_requested_{false};
  // The I/O thread holds tracked_mutex_ for a whole command or poll (REST calls included); the kernel
  // thread takes it only in the blocking queries.
  mutable std::mutex tracked_mutex_;
  std::map<std::string, Tracked> tracked_;  // by client order id
  // Every regular order this client placed (finished ones too): userTrades carries only the orderId.
  std::map<std::int64_t, core::ClientOrderId> client_ids_;
  std::thread worker_;
};

}  // namespace ballast::adapters::binance
