// MessageBus delivery cost: publish to 1 and 10 subscribers (topic cache warm, as in steady state),
// a publish nobody of that type listens to, and a point-to-point send.

#include "ballast/runtime/message_bus.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

namespace {

using ballast::runtime::MessageBus;

// A quote-sized message (prices as fixed-point raw values).
struct QuoteMsg {
  std::int64_t bid_raw = 0;
  std::int64_t ask_raw = 0;
  std::int64_t ts_event = 0;
};

const std::string kTopic = "data.quotes.BTCUSDT.BINANCE";

void publish_to_n(benchmark::State& state) {
  MessageBus bus;
  std::int64_t sink = 0;
  const auto n = static_cast<int>(state.range(0));
  for (int i = 0; i < n; ++i) {
    // Half exact topics, half wildcards: the cached list makes the pattern kind irrelevant.
    bus.subscribe<QuoteMsg>(i % 2 == 0 ? kTopic : std::string("data.quotes.*"),
                            [&sink](const QuoteMsg& q) { sink += q.bid_raw; });
  }
  QuoteMsg msg{100, 101, 0};
  for (auto _ : state) {
    ++msg.ts_event;
    benchmark::DoNotOptimize(bus.publish(kTopic, msg));
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(publish_to_n)->Arg(1)->Arg(10)->Name("MessageBus/publish/subscribers");

void publish_other_type(benchmark::State& state) {
  MessageBus bus;
  int calls = 0;
  bus.subscribe<int>(kTopic, [&calls](const int&) { ++calls; });
  const QuoteMsg msg{100, 101, 0};
  for (auto _ : state) benchmark::DoNotOptimize(bus.publish(kTopic, msg));
  benchmark::DoNotOptimize(calls);
}
BENCHMARK(publish_other_type)->Name("MessageBus/publish/type_mismatch");

void send_endpoint(benchmark::State& state) {
  MessageBus bus;
  std::int64_t sink = 0;
  if (!bus.register_endpoint<QuoteMsg>("risk.execute", [&sink](const QuoteMsg& q) { sink += q.ask_raw; })) {
    state.SkipWithError("endpoint registration failed");
    return;
  }
  const QuoteMsg msg{100, 101, 0};
  for (auto _ : state) benchmark::DoNotOptimize(bus.send("risk.execute", msg).has_value());
  benchmark::DoNotOptimize(sink);
}
BENCHMARK(send_endpoint)->Name("MessageBus/send");

}  // namespace
