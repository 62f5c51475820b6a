#pragma once
// BinanceMock: a Binance USDⓈ-M Futures REST server on 127.0.0.1 (port chosen by the OS) for the adapter
// tests. It speaks the documented request/response shapes of the endpoints the adapter uses, keeps orders,
// trades and positions in memory, and checks what the real venue checks:
//  - X-MBX-APIKEY on keyed calls (401 / -2015), the HMAC-SHA256 signature of the exact query string
//    (401 / -1022), timestamp within recvWindow of its own clock (400 / -1021);
//  - a duplicate client order id among open orders (400 / -4116), conditional types on /fapi/v1/order
//    (400 / -4120, they belong to /fapi/v1/algoOrder), an unknown order (400 / -2011 cancel, -2013 query).
// Every answer carries X-MBX-USED-WEIGHT-1M (weight summed per mock minute; reset_used_weight()).
// Failure injection: the next N answers with a given status (429 with Retry-After, 418, 5xx), an order
// accepted whose answer is never sent (lost acknowledgement), a skewed clock.
// MARKET orders fill at once at the symbol's mark price; LIMIT orders rest until fill_order().

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ballast/net/http_server.hpp"

namespace ballast::adapters::binance::testing {

// The key pair of Binance's documentation example (public test values, not credentials).
inline constexpr const char* kMockApiKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
inline constexpr const char* kMockApiSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";

struct MockOrder {
  std::int64_t order_id{0};
  std::string client_order_id;
  std::string symbol;
  std::string side;
  std::string type;
  std::string status;  // NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED
  std::string orig_qty;
  std::string executed_qty{"0"};
  std::string price{"0"};
  std::string stop_price{"0"};
  std::string avg_price{"0"};
  std::string time_in_force{"GTC"};
  bool reduce_only{false};
  bool is_algo{false};
  std::int64_t update_time{0};
};

class BinanceMock {
 public:
  BinanceMock();
  ~BinanceMock();
  BinanceMock(const BinanceMock&) = delete;
  BinanceMock& operator=(const BinanceMock&) = delete;

  std::string url() const;

  // Failure injection.
  // The next `count` requests (any endpoint) get `status` with {"code":code,"msg":msg}; Retry-After when set.
  void fail_next(unsigned status, int count, int code, std::string msg,
                 std::optional<int> retry_after_s = std::nullopt);
  // The next accepted POST /fapi/v1/order is stored but never answered (answered 503 when the mock stops).
  void drop_next_order_ack();
  void set_clock_skew(std::chrono::milliseconds skew);
  void set_weight_limit(int limit);
  void reset_used_weight();
  void set_mark_price(const std::string& symbol, const std::string& price);

  // Venue-side events.
  // Fills `qty` of an open order at `price`; returns false if there is no such open order.
  bool fill_order(const std::string& client_order_id, const std::string& qty, const std::string& price, bool maker);
  void set_position(const std::string& symbol, const std::string& amount, const std::string& entry_price,
                    const std::string& liquidation_price);

  // Observation.
  std::size_t request_count() const;
  std::size_t request_count(const std::string& method, const std::string& path) const;
  std::optional<MockOrder> order(const std::string& client_order_id) const;
  std::size_t order_count() const;
  std::size_t open_order_count() const;
  // The last raw target (path + query) received for a path.
  std::string last_target(const std::string& path) const;
  std::optional<std::string> last_header(const std::string& path, const std::string& name) const;
  std::int64_t server_time_ms() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<net::HttpServer> server_;
};

}  // namespace ballast::adapters::binance::testing
