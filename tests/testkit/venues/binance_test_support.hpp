#pragma once
// Shared set-up for the Binance adapter tests: the mock exchange, a TestClock that the client's sleeper
// advances (so back-off and rate-limit waits are observable and instant), and a bounded wait for events
// produced on another thread (it only bounds how long a broken build hangs; nothing is timed).

#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "ballast/adapters/binance_futures/rest_client.hpp"
#include "ballast/core/clock.hpp"
#include "testkit/venues/binance_mock.hpp"

namespace ballast::adapters::binance::testing {

inline BinanceRestConfig mock_config(const BinanceMock& mock) {
  BinanceRestConfig c;
  c.base_url = mock.url();
  c.api_key = kMockApiKey;
  c.api_secret = kMockApiSecret;
  c.timeout = std::chrono::milliseconds(3000);
  c.retry.base_delay = std::chrono::milliseconds(10);
  c.retry.max_delay = std::chrono::milliseconds(40);
  c.jitter_seed = 42;
  return c;
}

struct RestHarness {
  explicit RestHarness(const std::function<void(BinanceRestConfig&)>& adjust = {}) {
    BinanceRestConfig c = mock_config(mock);
    if (adjust) adjust(c);
    rest = std::make_unique<BinanceRestClient>(c, clock, [this](core::Duration d) {
      sleeps.push_back(d);
      clock.advance(d);
      if (on_sleep) on_sleep();
    });
  }
  BinanceMock mock;
  core::TestClock clock{core::UnixNanos::from_millis(1'700'000'000'000)};
  std::vector<core::Duration> sleeps;
  std::function<void()> on_sleep;
  std::unique_ptr<BinanceRestClient> rest;
};

inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace ballast::adapters::binance::testing
