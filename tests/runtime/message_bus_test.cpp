#include "ballast/runtime/message_bus.hpp"

#include "ballast/core/error.hpp"
#include "ballast/core/require.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace ballast::runtime {
namespace {

using core::ErrorCode;

struct Ping {
  int value = 0;
};
struct Pong {
  std::string text;
};
struct Quote {
  double bid = 0;
};

TEST(TopicMatches, MatchesLiteralsStarAndQuestionMark) {
  EXPECT_TRUE(topic_matches("events.order.filled", "events.order.filled"));
  EXPECT_FALSE(topic_matches("events.order.filled", "events.order.fille"));
  EXPECT_FALSE(topic_matches("events.order.fille", "events.order.filled"));
  EXPECT_TRUE(topic_matches("events.order.*", "events.order.O-1"));
  EXPECT_TRUE(topic_matches("events.order.*", "events.order."));  // '*' may match nothing
  EXPECT_FALSE(topic_matches("events.order.*", "events.order"));
  EXPECT_TRUE(topic_matches("events.*", "events.order.O-1"));      // '*' crosses dots
  EXPECT_TRUE(topic_matches("*", "anything.at.all"));
  EXPECT_TRUE(topic_matches("data.*.BTCUSDT.*", "data.quotes.BTCUSDT.BINANCE"));
  EXPECT_FALSE(topic_matches("data.*.BTCUSDT.*", "data.quotes.ETHUSDT.BINANCE"));
  EXPECT_TRUE(topic_matches("data.bars.?m", "data.bars.1m"));
  EXPECT_FALSE(topic_matches("data.bars.?m", "data.bars.15m"));
  EXPECT_TRUE(topic_matches("data.bars.??m", "data.bars.15m"));
  EXPECT_TRUE(topic_matches("a*b*c", "aXXbYYbZZc"));                // needs backtracking
  EXPECT_FALSE(topic_matches("a*b*c", "aXXbYYbZZ"));
  EXPECT_TRUE(topic_matches("**x", "yyx"));
}

TEST(MessageBus, DeliversToSubscribersOfTheMatchingTopicAndType) {
  MessageBus bus;
  std::vector<std::string> log;
  bus.subscribe<Ping>("events.order.*", [&](const Ping& p) { log.push_back("order " + std::to_string(p.value)); });
  bus.subscribe<Ping>("events.position.*", [&](const Ping& p) { log.push_back("position " + std::to_string(p.value)); });
  bus.subscribe<Pong>("events.order.*", [&](const Pong& p) { log.push_back("pong " + p.text); });

  EXPECT_EQ(bus.publish("events.order.O-1", Ping{1}), 1u);
  EXPECT_EQ(bus.publish("events.order.O-1", Pong{"x"}), 1u);
  EXPECT_EQ(bus.publish("events.position.P-1", Ping{2}), 1u);
  EXPECT_EQ(bus.publish("events.account.A-1", Ping{3}), 0u);
  EXPECT_EQ(bus.publish("events.order.O-2", Quote{}), 0u);  // nobody takes Quote there
  EXPECT_EQ(log, (std::vector<std::string>{"order 1", "pong x", "position 2"}));
}

TEST(MessageBus, OrdersDeliveryByPriorityThenSubscriptionOrder) {
  MessageBus bus;
  std::vector<std::string> order;
  bus.subscribe<Ping>("t.*", [&](const Ping&) { order.push_back("low-a"); }, -5);
  bus.subscribe<Ping>("t.x", [&](const Ping&) { order.push_back("default-a"); });
  bus.subscribe<Ping>("t.?", [&](const Ping&) { order.push_back("high"); }, 10);
  bus.subscribe<Ping>("*", [&](const Ping&) { order.push_back("default-b"); });
  bus.subscribe<Ping>("t.x", [&](const Ping&) { order.push_back("low-b"); }, -5);
  bus.publish("t.x", Ping{});
  EXPECT_EQ(order, (std::vector<std::string>{"high", "default-a", "default-b", "low-a", "low-b"}));
}

TEST(MessageBus, CachesTheSubscriberListPerTopicAndRefreshesItOnSubscribe) {
  MessageBus bus;
  int a = 0;
  int b = 0;
  bus.subscribe<Ping>("q.*", [&](const Ping&) { ++a; });
  bus.publish("q.1", Ping{});
  bus.publish("q.1", Ping{});
  EXPECT_EQ(bus.cached_topic_count(), 1u);
  bus.subscribe<Ping>("q.1", [&](const Ping&) { ++b; });
  EXPECT_EQ(bus.cached_topic_count(), 0u);
  bus.publish("q.1", Ping{});
  EXPECT_EQ(a, 3);
  EXPECT_EQ(b, 1);
}

TEST(MessageBus, UnsubscribeStopsDelivery) {
  MessageBus bus;
  int calls = 0;
  const std::uint64_t before = bus.subscriptions_generation();
  const SubscriptionId id = bus.subscribe<Ping>("t", [&](const Ping&) { ++calls; });
  const std::uint64_t subscribed = bus.subscriptions_generation();
  EXPECT_NE(subscribed, before);
  bus.publish("t", Ping{});
  EXPECT_EQ(bus.subscriptions_generation(), subscribed);  // a publish changes no subscription
  EXPECT_TRUE(bus.unsubscribe(id));
  const std::uint64_t unsubscribed = bus.subscriptions_generation();
  EXPECT_NE(unsubscribed, subscribed);
  EXPECT_FALSE(bus.unsubscribe(id));
  EXPECT_EQ(bus.subscriptions_generation(), unsubscribed);  // nothing was unsubscribed
  EXPECT_FALSE(bus.unsubscribe(SubscriptionId{999}));
  bus.publish("t", Ping{});
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(bus.subscription_count(), 0u);
  EXPECT_FALSE(bus.has_subscribers("t"));
}

TEST(MessageBus, HandlerRemovedDuringDeliveryIsNotCalledAgain) {
  MessageBus bus;
  std::vector<std::string> log;
  SubscriptionId second{};
  SubscriptionId first = bus.subscribe<Ping>("t", [&](const Ping&) {
    log.push_back("first");
    EXPECT_TRUE(bus.unsubscribe(second));  // a later handler of the same delivery
    EXPECT_TRUE(bus.unsubscribe(first));   // itself
  });
  second = bus.subscribe<Ping>("t", [&](const Ping&) { log.push_back("second"); });
  bus.subscribe<Ping>("t", [&](const Ping&) { log.push_back("third"); });
  EXPECT_EQ(bus.publish("t", Ping{}), 2u);
  EXPECT_EQ(log, (std::vector<std::string>{"first", "third"}));
  EXPECT_EQ(bus.subscription_count(), 1u);
  log.clear();
  bus.publish("t", Ping{});
  EXPECT_EQ(log, (std::vector<std::string>{"third"}));
}

TEST(MessageBus, HandlerAddedDuringDeliveryReceivesOnlyLaterMessages) {
  MessageBus bus;
  std::vector<int> late;
  bool added = false;
  bus.subscribe<Ping>("t", [&](const Ping&) {
    if (!added) {
      added = true;
      bus.subscribe<Ping>("t", [&](const Ping& p) { late.push_back(p.value); }, 100);
    }
  });
  bus.publish("t", Ping{1});
  EXPECT_TRUE(late.empty());
  bus.publish("t", Ping{2});
  EXPECT_EQ(late, std::vector<int>{2});
}

TEST(MessageBus, ReentrantPublishIsDeliveredDepthFirst) {
  MessageBus bus;
  std::vector<std::string> log;
  bus.subscribe<Ping>("outer", [&](const Ping&) {
    log.push_back("outer-1");
    bus.publish("inner", Pong{"a"});
    log.push_back("outer-1 done");
  });
  bus.subscribe<Ping>("outer", [&](const Ping&) { log.push_back("outer-2"); });
  bus.subscribe<Pong>("inner", [&](const Pong& p) {
    log.push_back("inner " + p.text);
    EXPECT_EQ(bus.dispatch_depth(), 2);
  });
  bus.publish("outer", Ping{});
  EXPECT_EQ(log, (std::vector<std::string>{"outer-1", "inner a", "outer-1 done", "outer-2"}));
  EXPECT_EQ(bus.dispatch_depth(), 0);
}

TEST(MessageBus, ReentrantPublishToANewTopicDuringDeliveryKeepsTheOuterListValid) {
  // The nested publish inserts into the topic cache and a nested subscribe clears it while the outer
  // delivery is still iterating; run under the address sanitizer this shows nothing dangles.
  MessageBus bus;
  int outer_calls = 0;
  int inner_calls = 0;
  for (int i = 0; i < 4; ++i) {
    bus.subscribe<Ping>("outer", [&](const Ping& p) {
      ++outer_calls;
      bus.publish("inner." + std::to_string(p.value + outer_calls), Ping{});
      bus.subscribe<Ping>("inner.*", [&](const Ping&) { ++inner_calls; });
    });
  }
  bus.publish("outer", Ping{0});
  EXPECT_EQ(outer_calls, 4);
  EXPECT_EQ(inner_calls, 0 + 1 + 2 + 3);  // each nested publish reaches the subscriptions made before it
}

TEST(MessageBus, EndlessRepublishingIsABrokenInvariant) {
  MessageBus bus;
  bus.subscribe<Ping>("loop", [&](const Ping& p) { bus.publish("loop", p); });
  EXPECT_THROW(bus.publish("loop", Ping{}), core::InvariantError);
  EXPECT_EQ(bus.dispatch_depth(), 0);
}

TEST(MessageBus, PublishingToAWildcardTopicIsABrokenInvariant) {
  MessageBus bus;
  EXPECT_THROW(bus.publish("events.*", Ping{}), core::InvariantError);
  EXPECT_THROW(bus.publish("", Ping{}), core::InvariantError);
}

TEST(MessageBus, SendsToARegisteredEndpoint) {
  MessageBus bus;
  std::vector<int> got;
  ASSERT_TRUE(bus.register_endpoint<Ping>("risk.execute", [&](const Ping& p) { got.push_back(p.value); }));
  ASSERT_TRUE(bus.send("risk.execute", Ping{7}));
  EXPECT_EQ(got, std::vector<int>{7});
  EXPECT_TRUE(bus.has_endpoint("risk.execute"));
}

TEST(MessageBus, SendingToAMissingEndpointIsNotFound) {
  MessageBus bus;
  auto r = bus.send("nowhere", Ping{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::NotFound);
  EXPECT_NE(r.error().message().find("nowhere"), std::string::npos);
}

TEST(MessageBus, SendingTheWrongTypeToAnEndpointIsRejected) {
  MessageBus bus;
  int calls = 0;
  ASSERT_TRUE(bus.register_endpoint<Ping>("e", [&](const Ping&) { ++calls; }));
  auto r = bus.send("e", Pong{"x"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(calls, 0);
}

TEST(MessageBus, EndpointNamesAreUnique) {
  MessageBus bus;
  ASSERT_TRUE(bus.register_endpoint<Ping>("e", [](const Ping&) {}));
  auto dup = bus.register_endpoint<Pong>("e", [](const Pong&) {});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::AlreadyExists);
  auto empty = bus.register_endpoint<Ping>("", [](const Ping&) {});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code(), ErrorCode::InvalidArgument);
  EXPECT_TRUE(bus.deregister_endpoint("e"));
  EXPECT_FALSE(bus.deregister_endpoint("e"));
  EXPECT_TRUE(bus.register_endpoint<Pong>("e", [](const Pong&) {}));
}

TEST(MessageBus, EndpointMayDeregisterItselfWhileHandlingAMessage) {
  MessageBus bus;
  std::string seen;
  ASSERT_TRUE(bus.register_endpoint<Pong>("once", [&](const Pong& p) {
    EXPECT_TRUE(bus.deregister_endpoint("once"));
    seen = p.text;  // the handler's captures must still be alive here
  }));
  ASSERT_TRUE(bus.send("once", Pong{"hello"}));
  EXPECT_EQ(seen, "hello");
  EXPECT_EQ(bus.send("once", Pong{"again"}).error().code(), ErrorCode::NotFound);
}

TEST(MessageBus, RequestReturnsTheResponderAnswer) {
  MessageBus bus;
  ASSERT_TRUE((bus.register_responder<Ping, Pong>("echo", [](const Ping& p) { return Pong{std::to_string(p.value * 2)}; })));
  auto r = bus.request<Ping, Pong>("echo", Ping{21});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "42");

  EXPECT_EQ((bus.request<Ping, Pong>("missing", Ping{})).error().code(), ErrorCode::NotFound);
  EXPECT_EQ((bus.request<Ping, Ping>("echo", Ping{})).error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(bus.send("echo", Ping{}).error().code(), ErrorCode::InvalidArgument);
  ASSERT_TRUE(bus.register_endpoint<Ping>("oneway", [](const Ping&) {}));
  EXPECT_EQ((bus.request<Ping, Pong>("oneway", Ping{})).error().code(), ErrorCode::InvalidArgument);
}

TEST(MessageBus, HandlerExceptionPropagatesAndLeavesTheBusUsable) {
  MessageBus bus;
  int after = 0;
  bus.subscribe<Ping>("t", [](const Ping& p) {
    if (p.value == 1) throw std::runtime_error("boom");
  });
  bus.subscribe<Ping>("t", [&](const Ping&) { ++after; });
  EXPECT_THROW(bus.publish("t", Ping{1}), std::runtime_error);
  EXPECT_EQ(bus.dispatch_depth(), 0);
  EXPECT_EQ(bus.publish("t", Ping{0}), 2u);
  EXPECT_EQ(after, 1);
}

}  // namespace
}  // namespace ballast::runtime
