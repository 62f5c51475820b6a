// WebSocketHub: the order of a channel's snapshot and its updates for one client, with the snapshot
// produced later than the subscription (as the kernel thread does), driven step by step.
#include "ballast/server/websocket_hub.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ballast::server {
namespace {

using Json = nlohmann::json;

class RecordingConnection : public net::WebSocketConnection {
 public:
  explicit RecordingConnection(std::uint64_t id) : id_(id) {}
  std::uint64_t id() const override { return id_; }
  const std::string& remote_address() const override { return remote_; }
  bool send(std::string text) override {
    sent.push_back(Json::parse(text));
    return true;
  }
  void close(std::uint16_t, std::string) override {}
  bool is_open() const override { return true; }

  std::vector<Json> sent;

 private:
  std::uint64_t id_;
  std::string remote_{"127.0.0.1:1"};
};

// Holds each snapshot request until the test produces it.
struct DeferredSnapshots {
  struct Request {
    std::string channel;
    std::function<void(std::string)> send;
  };
  std::vector<Request> requests;
  WebSocketHub::SnapshotSource source() {
    return [this](const std::string& channel, std::function<void(std::string)> send) {
      requests.push_back(Request{channel, std::move(send)});
    };
  }
};

// The messages a client received on one channel, as "type" values in order.
std::vector<std::string> types_on(const RecordingConnection& c, const std::string& channel) {
  std::vector<std::string> out;
  for (const Json& m : c.sent) {
    if (m.value("channel", "") == channel) out.push_back(m["type"].get<std::string>());
  }
  return out;
}

TEST(WebSocketHubTest, AnUpdatePublishedBeforeTheSnapshotIsProducedIsNotSentAndLaterOnesFollowTheSnapshot) {
  DeferredSnapshots snapshots;
  WebSocketHub hub(snapshots.source());
  auto client = std::make_shared<RecordingConnection>(7);
  hub.on_open(client);
  hub.on_message(client, R"({"op":"subscribe","channels":["signals"]})");
  ASSERT_EQ(snapshots.requests.size(), 1u);
  EXPECT_EQ(snapshots.requests[0].channel, "signals");

  hub.publish("signals", R"({"type":"signal","data":{"n":1}})");  // before the snapshot: already in it
  EXPECT_TRUE(types_on(*client, "signals").empty());

  snapshots.requests[0].send(R"({"type":"snapshot","data":[{"n":1}]})");
  hub.publish("signals", R"({"type":"signal","data":{"n":2}})");
  EXPECT_EQ(types_on(*client, "signals"), (std::vector<std::string>{"snapshot", "signal"}));
  EXPECT_EQ(client->sent.back()["data"]["n"], 2);
  EXPECT_EQ(client->sent.front()["type"], "subscribed");  // the acknowledgement comes first
}

TEST(WebSocketHubTest, UnsubscribingBeforeTheSnapshotDropsItAndNoUpdatesFollow) {
  DeferredSnapshots snapshots;
  WebSocketHub hub(snapshots.source());
  auto client = std::make_shared<RecordingConnection>(1);
  hub.on_open(client);
  hub.on_message(client, R"({"op":"subscribe","channels":["risk"]})");
  hub.on_message(client, R"({"op":"unsubscribe","channels":["risk"]})");
  ASSERT_EQ(snapshots.requests.size(), 1u);
  snapshots.requests[0].send(R"({"type":"snapshot","data":{}})");
  hub.publish("risk", R"({"type":"update","data":{}})");
  EXPECT_TRUE(types_on(*client, "risk").empty());
}

TEST(WebSocketHubTest, SubscribingTwiceAsksForOneSnapshotAndAClosedClientGetsNothing) {
  DeferredSnapshots snapshots;
  WebSocketHub hub(snapshots.source());
  auto a = std::make_shared<RecordingConnection>(1);
  auto b = std::make_shared<RecordingConnection>(2);
  hub.on_open(a);
  hub.on_open(b);
  hub.on_message(a, R"({"op":"subscribe","channels":["prices"]})");
  hub.on_message(a, R"({"op":"subscribe","channels":["prices"]})");  // still pending: no second request
  hub.on_message(b, R"({"op":"subscribe","channels":["prices"]})");
  ASSERT_EQ(snapshots.requests.size(), 2u);
  hub.on_close(b);
  snapshots.requests[0].send(R"({"type":"snapshot","data":[]})");
  snapshots.requests[1].send(R"({"type":"snapshot","data":[]})");  // b has gone
  hub.on_message(a, R"({"op":"subscribe","channels":["prices"]})");  // already receiving: no new snapshot
  EXPECT_EQ(snapshots.requests.size(), 2u);
  hub.publish("prices", R"({"type":"bars","data":[]})");
  EXPECT_EQ(types_on(*a, "prices"), (std::vector<std::string>{"snapshot", "bars"}));
  EXPECT_TRUE(types_on(*b, "prices").empty());
  EXPECT_EQ(hub.clients(), 1u);
}

}  // namespace
TEST(WebSocketHubTest, EveryChannelMessageCarriesTheTimeItWasQueuedInMicrosecondsSinceTheEpoch) {
  DeferredSnapshots snapshots;
  WebSocketHub hub(snapshots.source());
  auto client = std::make_shared<RecordingConnection>(3);
  hub.on_open(client);
  hub.on_message(client, R"({"op":"subscribe","channels":["prices"]})");
  const auto micros_now = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const std::int64_t before = micros_now();
  snapshots.requests.at(0).send(R"({"type":"snapshot","data":[]})");
  hub.publish("prices", R"({"type":"bars","data":[{"close":"1"}]})");
  const std::int64_t after = micros_now();
  ASSERT_EQ(types_on(*client, "prices"), (std::vector<std::string>{"snapshot", "bars"}));
  for (std::size_t i = 1; i < client->sent.size(); ++i) {
    const Json& m = client->sent[i];
    ASSERT_TRUE(m.contains("sent_us") && m["sent_us"].is_number_integer()) << m.dump();
    EXPECT_GE(m["sent_us"].get<std::int64_t>(), before);
    EXPECT_LE(m["sent_us"].get<std::int64_t>(), after);
  }
  EXPECT_EQ(client->sent.back()["data"][0]["close"], "1");  // the publisher's fields follow unchanged
}

}  // namespace ballast::server
