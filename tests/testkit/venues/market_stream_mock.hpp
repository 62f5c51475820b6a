#pragma once
// MarketStreamMock: a Binance USDⓈ-M Futures market-data host on 127.0.0.1 (port chosen by the OS) for the
// data-client tests. One HttpServer serves
//  - GET /fapi/v1/depth?symbol=S&limit=N: the book set with set_snapshot(), best levels first, at most N
//    per side ({"lastUpdateId","E","T","bids","asks"}); -1121 for an unknown symbol, -1130 for a limit that
//    is not 5/10/20/50/100/500/1000; the next answers can be forced to an error (fail_next_depth);
//  - GET /fapi/v1/klines: rows set with set_klines(), honouring startTime/endTime/limit;
//  - the WebSocket at /stream (combined streams; "?streams=a/b" subscribes at connect), honouring
//    {"method":"SUBSCRIBE"|"UNSUBSCRIBE"|"LIST_SUBSCRIPTIONS","params":[…],"id":N} with {"result":…,"id":N}
//    and a malformed request with {"error":{"code":2,"msg":…},"id":N}.
// Tests push events with push()/push_* (wrapped as {"stream","data"} and sent to every connection
// subscribed to the stream), raw text with push_raw(), and drop every connection with drop_connections().
// A gapped or out-of-order depth event is simply a push_depth() with the ids the test chooses.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ballast/net/http_server.hpp"

namespace ballast::adapters::binance::testing {

// [price, quantity] as Binance writes them ("30000.10", "1.500").
using MockLevel = std::pair<std::string, std::string>;

class MarketStreamMock {
 public:
  MarketStreamMock();
  ~MarketStreamMock();
  MarketStreamMock(const MarketStreamMock&) = delete;
  MarketStreamMock& operator=(const MarketStreamMock&) = delete;

  std::string rest_url() const;    // http://127.0.0.1:<port>
  std::string stream_url() const;  // ws://127.0.0.1:<port>

  // REST book: what GET /fapi/v1/depth answers for `symbol` from now on (bids best first = descending,
  // asks best first = ascending, as Binance sends them).
  void set_snapshot(const std::string& symbol, std::uint64_t last_update_id, std::vector<MockLevel> bids,
                    std::vector<MockLevel> asks, std::int64_t transaction_time_ms = 1'700'000'000'000);
  // The next `count` depth requests get `status` with {"code":code,"msg":msg}.
  void fail_next_depth(unsigned status, int count, int code = -1003, std::string msg = "Too many requests.");
  // Called (outside the mock's lock) when a depth request arrives, before it is answered: tests change the
  // book or push events "while the snapshot is being fetched".
  void set_depth_hook(std::function<void(const std::string& symbol, int request_number)> hook);
  std::size_t depth_requests() const;
  std::vector<std::string> depth_targets() const;  // raw targets, in order

  // REST klines: the JSON rows (one array each) with their open times, oldest first.
  void set_klines(const std::string& symbol, const std::string& interval, std::vector<std::pair<std::int64_t, std::string>> rows);
  std::vector<std::string> kline_targets() const;

  // WebSocket side.
  std::size_t open_connections() const;
  std::size_t connections_accepted() const;
  bool subscribed(const std::string& stream) const;  // on at least one open connection
  std::set<std::string> subscriptions() const;       // union over open connections
  std::vector<std::string> control_messages() const;  // every text a client sent, in order

  // Sends {"stream":stream,"data":data} to every open connection subscribed to `stream`; returns how many.
  std::size_t push(const std::string& stream, const std::string& data);
  std::size_t push_raw(const std::string& text);  // to every open connection
  void drop_connections();                        // closes every open connection (1001 "going away")

  // Documented event bodies (the "data" object); stream names as the client uses them.
  std::size_t push_depth(const std::string& symbol, std::uint64_t first_id, std::uint64_t final_id,
                         std::uint64_t prev_final_id, const std::vector<MockLevel>& bids,
                         const std::vector<MockLevel>& asks, std::int64_t event_time_ms = 1'700'000'000'100);
  static std::string depth_update_json(const std::string& symbol, std::uint64_t first_id, std::uint64_t final_id,
                                       std::uint64_t prev_final_id, const std::vector<MockLevel>& bids,
                                       const std::vector<MockLevel>& asks, std::int64_t event_time_ms);

  struct State;

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<net::HttpServer> server_;
};

}  // namespace ballast::adapters::binance::testing
