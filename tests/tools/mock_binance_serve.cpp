// ballast_mock_binance: the Binance USDⓈ-M Futures mock exchange (REST and user-data stream) and the market
// stream mock of tests/testkit/venues, on 127.0.0.1, as a process of its own for the dashboard's browser
// tests (web/e2e), which cannot link the C++ mocks.
//
// The venue holds 0.010 BTCUSDT long at 30,000 (a position `ballast serve` has never seen, so reconciliation
// adopts it). Prints one JSON line — rest_url, user_stream_url, stream_url, api_key, api_secret — then sends
// a BTCUSDT trade at 30,000 on the market stream every 200 ms once a client subscribes, until stdin closes.
#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ballast/core/log.hpp"
#include "testkit/venues/binance_mock.hpp"
#include "testkit/venues/market_stream_mock.hpp"

int main() {
  using ballast::adapters::binance::testing::BinanceMock;
  using ballast::adapters::binance::testing::MarketStreamMock;
  (void)ballast::core::configure_logging("warn");  // stdout carries the one line the test reads
  BinanceMock mock;
  MarketStreamMock market;
  mock.set_position("BTCUSDT", "0.010", "30000.00", "0");
  const nlohmann::json ready{{"rest_url", mock.url()},
                             {"user_stream_url", mock.stream_url()},
                             {"stream_url", market.stream_url()},
                             {"api_key", ballast::adapters::binance::testing::kMockApiKey},
                             {"api_secret", ballast::adapters::binance::testing::kMockApiSecret}};
  std::cout << ready.dump() << std::endl;

  std::atomic<bool> stop{false};
  std::thread trades([&] {
    for (std::int64_t id = 1; !stop.load(); ++id) {
      if (market.subscribed("btcusdt@aggTrade")) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        market.push("btcusdt@aggTrade",
                    fmt::format(R"({{"e":"aggTrade","E":{0},"s":"BTCUSDT","a":{1},"p":"30000.00","q":"0.010","f":1,"l":1,"T":{0},"m":false}})",
                                now, id));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  stop.store(true);
  trades.join();
  return 0;
}
