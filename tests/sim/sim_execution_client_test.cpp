#include "ballast/sim/sim_execution_client.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

namespace ballast::sim {
namespace {

using model::test::px;
using model::test::qty;

class CountingSink final : public runtime::ExecutionEventSink {
 public:
  void on_order_event(const model::OrderEvent& event) override { names.emplace_back(model::event_name(event)); }
  void on_disconnected(const core::VenueId&, const core::Error&) override {}
  std::vector<std::string> names;
};

TEST(SimExecutionClient, RoutesCommandsAtTheClockTimeAndAnswersReconciliationQueries) {
  const auto instrument = model::test::linear_perp();
  CountingSink sink;
  SimulatedExchangeConfig config;
  config.venue = core::VenueId("BINANCE");
  config.account_id = core::AccountId("ACC-1");
  const model::Instrument* list[] = {&instrument};
  auto exchange = SimulatedExchange::create(config, list, std::make_unique<NoSlippage>(),
                                            std::make_unique<FixedLatency>(FixedLatency::create(core::Duration(0)).value()),
                                            sink)
                      .value();
  core::TestClock clock(core::UnixNanos(1'000));
  SimExecutionClient client(exchange, clock);

  model::OrderSpec spec;
  spec.client_order_id = core::ClientOrderId("O1");
  spec.strategy_id = core::StrategyId("S");
  spec.account_id = core::AccountId("ACC-1");
  spec.instrument_id = instrument.id();
  spec.side = model::OrderSide::Buy;
  spec.type = model::OrderType::Limit;
  spec.quantity = qty("0.01");
  spec.price = px("40000");
  const model::SubmitOrder submit{model::Order::create(spec).value(), core::UnixNanos(1'000)};

  // Disconnected: refused locally, nothing reaches the venue.
  EXPECT_FALSE(client.submit_order(submit));
  EXPECT_EQ(exchange.pending_requests(), 0u);

  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.submit_order(submit));
  const auto open = client.query_open_orders(std::nullopt);
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->at(0).client_order_id->value(), "O1");
  EXPECT_EQ(sink.names, (std::vector<std::string>{"OrderAccepted"}));
  EXPECT_TRUE(client.query_positions()->empty());
  EXPECT_EQ(client.venue().value(), "BINANCE");
}

}  // namespace
}  // namespace ballast::sim
