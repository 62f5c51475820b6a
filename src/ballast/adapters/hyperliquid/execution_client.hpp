#pragma once
// HyperliquidExecutionClient: runtime::ExecutionClient for one Hyperliquid perpetuals account, over the
// signed HyperliquidRestClient (instruments "<COIN>-PERP.<venue>", USDC-margined).
//
// Account and key. `account_address` is the user whose orders, fills and positions are read. connect()
// checks that the Signer's address equals it (or, with a vault configured, trades for the vault); an
// API wallet ("agent") approved for the account cannot be verified locally: set `signer_is_agent` and
// the exchange itself refuses a key it does not know ("User or API Wallet … does not exist"), which
// arrives as OrderRejected. Without a Signer the client is READ-ONLY: every trading call fails locally
// with an InvalidState "read-only" error, the queries work.
//
// Orders. Every order carries cloid = Cloid::from_client_order_id(our id). Mapping:
//   Limit GTC/IOC → {"limit":{"tif":"Gtc"|"Ioc"}}, post-only → "Alo"; FOK/GTD are refused (Unsupported).
//   Market → an IOC limit at mid × (1 ± market_slippage) (mid from {"type":"allMids"}, as the official
//     SDK's market_open does; default 5 %), rounded AWAY from the mid to 5 significant figures / the
//     asset's decimals — the only price this client ever rounds.
//   StopMarket / StopLimit → trigger tpsl "sl"; TakeProfit → "tp" (market when it has no limit price).
//     A market trigger's limit price is trigger × (1 ± market_slippage), rounded away, as the SDK does.
// Prices and sizes the user chose go through wire_format's checks: a value that would need rounding is
// REFUSED locally (submit/modify return an InvalidArgument error naming the rule; nothing is sent).
//
// Events (from the client's I/O thread): the /exchange statuses — "resting" → OrderAccepted(oid);
// "filled" → OrderAccepted(oid) and an immediate fill poll; {"error": m} or {"status":"err"} →
// OrderRejected(m). When the answer is lost (transport error, HTTP ≠ 200) the order is looked up with
// {"type":"orderStatus","user","oid": cloid}: found → OrderAccepted (and its end state), "unknownOid" or a
// "…Rejected" status (tickRejected, perpMarginRejected, …) → OrderRejected; while the lookup fails the
// order stays unknown and every poll retries it. (So does an answer without an oid, e.g. "waitingForTrigger".)
// Polling every poll_interval: userFillsByTime since the newest fill seen (tid de-duplication) →
// OrderFilled; a tracked order missing from openOrders and not fully filled is looked up by cloid →
// OrderCanceled (canceled, scheduledCancel, marginCanceled, …, or rejected after it was working). An IOC
// that filled only partly ends with OrderExpired.
// Cancel: cancelByCloid → OrderCanceled / OrderCancelRejected(venue message). Cancel-all: ONE "cancel"
// action listing every order the venue has open for the account (of the instrument/side when given),
// including orders placed outside Ballast; events for the ones this client tracks. Modify: a "modify"
// action by oid (the new total size and price; type, side and reduce-only kept) → OrderUpdated (with the
// new oid when the exchange answers one) / OrderModifyRejected.
//
// Nonces: milliseconds of the Clock (the wall clock in live), bumped by one when not above the last
// one, per client (= per signer). A restart stays monotonic because bumps run at most a few ms ahead of
// the clock and a restart takes longer; the exchange accepts nonces within (now − 2 days, now + 1 day)
// and keeps the 100 highest per signer.
//
// Dead man's switch: with dead_man_seconds = N (N ≥ 5: the exchange requires the scheduled time to be at
// least 5 s ahead), connect() and then the I/O thread every N/3 s send scheduleCancel(now + N s); if the
// process dies, every open order is cancelled within N s. disconnect() sends scheduleCancel without a
// time (removes it). The exchange counts only TRIGGERED cancels against its daily limit (10 per day).
// When it fires it cancels stop-loss/take-profit triggers too and leaves positions open.
//
// User stream (optional, HyperliquidExecutionConfig::user_stream; user_stream.hpp): orderUpdates and
// userFills for account_address pushed over the WebSocket. Every pushed message is handed to the I/O
// thread (the sink keeps its one thread) and goes through the same bookkeeping as polling: a fill is
// reported once, by tid, whether the push, a poll, the re-query after a reconnect or the isSnapshot
// history brings it (the history is only de-duplicated against, never reported as new: its fills are of
// orders this client no longer follows or has reported already); an order update "open" resolves an order
// of unknown state (OrderAccepted), "filled" fetches the fills still missing, a terminal status
// (canceled, marginCanceled, …) reports the fills first and then OrderCanceled (OrderExpired for an IOC),
// a "…Rejected" status of an unknown order OrderRejected. While the stream is up the periodic poll is
// skipped (request_poll() still polls); while it is down polling runs as without a stream. After every
// reconnect the client polls at once: fills since the newest one seen and every followed order missing
// from openOrders. A lost connection is reported once through the sink's on_disconnected.
//
// Not built: TP/SL grouping, vault-specific queries, spot.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ballast/adapters/hyperliquid/actions.hpp"
#include "ballast/adapters/hyperliquid/hyperliquid_rest_client.hpp"
#include "ballast/adapters/hyperliquid/user_stream.hpp"
#include "ballast/core/clock.hpp"
#include "ballast/model/order.hpp"
#include "ballast/runtime/execution_client.hpp"

namespace ballast::adapters::hyperliquid {

// Strictly increasing millisecond nonces from a clock. Thread-safe.
class NonceGenerator {
 public:
  explicit NonceGenerator(const core::Clock& clock) : clock_(&clock) {}
  std::uint64_t next();

 private:
  const core::Clock* clock_;
  std::mutex mutex_;
  std::uint64_t last_ = 0;
};

struct HyperliquidExecutionConfig {
  core::AccountId account_id;
  Address account_address{};  // the user whose state is read (the master account for an agent key)
  bool signer_is_agent = false;
  // Market orders and market triggers: limit price at mid/trigger × (1 ± this). SDK default 5 %.
  core::Decimal market_slippage = core::Decimal::from_raw(5, 2);
  // A poll with orders to follow costs userFillsByTime (20, + 1 per 20 fills) + openOrders (20) of the
  // 1200 request weight per minute per IP (docs "Rate limits"; orderStatus costs 2): every 5 s that is
  // 480/min, 40 % of the budget. Polls are skipped while nothing is followed.
  core::Duration poll_interval{std::chrono::seconds(5)};
  std::optional<std::uint32_t> dead_man_seconds;
  // The WebSocket user stream; nullopt = events from polling only.
  std::optional<HyperliquidUserStreamConfig> user_stream;
};

class HyperliquidExecutionClient final : public runtime::ExecutionClient {
 public:
  // `rest`, `sink` and `clock` must outlive the client. The client uses `rest` from its I/O thread and
  // from the blocking queries, serialised by its own mutex: nobody else may use `rest` meanwhile.
  HyperliquidExecutionClient(HyperliquidExecutionConfig config, HyperliquidRestClient& rest,
                             runtime::ExecutionEventSink& sink, const core::Clock& clock);
  ~HyperliquidExecutionClient() override;

  const core::VenueId& venue() const override { return rest_->config().instruments.venue; }
  const core::AccountId& account_id() const override { return config_.account_id; }

  // Loads meta (instruments), checks the signer against the account (see the header comment), reads
  // clearinghouseState for the account, arms the dead man's switch and starts the I/O thread.
  core::Status connect() override;
  // Stops the I/O thread and removes the scheduled cancel (when one was armed).
  void disconnect() override;
  bool is_connected() const override;
  bool is_read_only() const noexcept { return !rest_->can_trade(); }

  core::Status submit_order(const model::SubmitOrder& command) override;
  core::Status cancel_order(const model::CancelOrder& command) override;
  core::Status cancel_all_orders(const model::CancelAllOrders& command) override;
  core::Status modify_order(const model::ModifyOrder& command) override;

  core::Result<std::vector<runtime::OrderStatusReport>> query_open_orders(
      const std::optional<core::InstrumentId>& instrument_id) override;
  core::Result<std::vector<runtime::PositionStatusReport>> query_positions() override;
  core::Result<std::vector<model::Fill>> query_fills_since(core::UnixNanos since) override;

  // The instruments meta described (after connect()).
  std::vector<model::Instrument> instruments() const;
  // Asks the I/O thread for a poll now.
  void request_poll();
  // Orders this client follows (open or of unknown outcome).
  std::size_t tracked_orders() const;
  // True while the user stream is connected (false without one).
  bool stream_up() const noexcept { return stream_up_.load(); }
  // Connections the user stream made so far (0 without one).
  std::uint64_t stream_connections() const;

 private:
  struct Tracked {
    model::OrderEventBase ids;
    Cloid cloid;
    std::string coin;
    OrderRequest request;  // as last sent (modify keeps type, side, reduce-only)
    bool is_ioc = false;
    bool is_market = false;  // limit price still to be set from the mid
    bool unknown = false;
    std::optional<std::uint64_t> oid;
    core::Decimal quantity;
    core::Decimal filled;
    std::optional<core::Decimal> final_fill;  // an IOC answered "filled" with this total size
  };

  core::Status require_trading() const;
  core::Result<const PerpAsset*> asset_for(const core::InstrumentId& id, std::string_view field) const;
  core::Result<Tracked> to_tracked(const model::Order& order) const;
  void enqueue(std::function<void()> task);
  void run();
  void do_submit(Tracked t);
  void do_cancel(model::CancelOrder command);
  void do_cancel_all(model::CancelAllOrders command);
  void do_modify(model::ModifyOrder command);
  void arm_dead_man();
  void poll();
  void poll_fills();
  // Reports the fills not seen before (by tid) of orders this client follows; the rest only mark seen.
  void apply_fills(std::vector<UserFill> fills);
  // User stream (user_stream.cpp): start at connect(), and the handlers the I/O thread runs.
  core::Status start_stream();
  void on_stream_orders(const std::vector<WsOrderUpdate>& orders);
  void on_stream_fills(const WsUserFills& fills);
  // Resolves an order of unknown or vanished state through orderStatus by cloid; false when finished.
  bool resolve(Tracked& t);
  core::Result<std::optional<core::Decimal>> mid_price(const std::string& coin);
  core::Result<ExchangeResponse> send(const WireValue& action);
  void finish_ioc(Tracked& t, core::UnixNanos ts);
  // Drops orders that are completely filled, and IOCs whose fills are all in (OrderExpired for the rest).
  void settle_finished();
  model::OrderEventBase stamp(const model::OrderEventBase& ids) const;

  HyperliquidExecutionConfig config_;
  HyperliquidRestClient* rest_;
  runtime::ExecutionEventSink* sink_;
  const core::Clock* clock_;
  NonceGenerator nonces_;
  std::vector<PerpAsset> assets_;
  std::map<std::string, std::size_t> asset_by_instrument_;  // instrument id → index into assets_

  mutable std::mutex mutex_;  // guards tasks_, stop_, connected_, poll_requested_
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  bool connected_ = false;
  bool poll_requested_ = false;
  bool dead_man_armed_ = false;
  // Held by the I/O thread for a whole command or poll and by the blocking queries (one REST client).
  mutable std::mutex io_mutex_;
  std::map<std::string, Tracked> tracked_;                 // by cloid (wire form)
  std::map<std::string, core::ClientOrderId> client_ids_;  // every cloid this client sent
  std::set<std::uint64_t> seen_tids_;
  std::uint64_t fills_since_ms_ = 0;
  std::unique_ptr<HyperliquidUserStream> stream_;
  std::atomic<bool> stream_up_{false};
  std::thread worker_;
};

}  // namespace ballast::adapters::hyperliquid
