#pragma once
// MessageBus: the kernel's in-process publish/subscribe bus and point-to-point endpoints.
//
// Topics are dot-separated strings ("events.order.O-1", "data.quotes.BTCUSDT.BINANCE"). Subscriptions
// take a pattern in which '*' matches any run of characters (including none and including dots) and
// '?' matches exactly one character, as in NautilusTrader: "events.order.*" matches every order event
// topic. Published topics may not contain '*' or '?'.
//
// Messages are typed at the API and type-erased inside: subscribe<T>() registers a handler that sees
// only messages published as exactly T (no conversions, no base classes); a message of another type on
// a matching topic skips it. Messages are passed by const reference and never copied.
//
// Delivery is synchronous and deterministic: handlers run inside publish(), ordered by priority
// (higher first), then by subscription order. The matching subscriber list of each topic is computed
// once and cached, so a publish costs one hash lookup plus the handler calls; any subscribe or
// unsubscribe clears the cache (subscriptions are rare, publishes are not). The cache holds at most
// kMaxCachedTopics topics and is cleared when full, so one-off topics cannot grow it without bound.
//
// Re-entrancy (a handler may publish, send, subscribe or unsubscribe):
//  - a publish from inside a handler is delivered at once, depth first: all of its handlers run
//    before the outer publish moves on to its next handler;
//  - a subscription made during a delivery does not receive the message being delivered, only later
//    ones; a subscription removed during a delivery receives nothing more, not even the rest of the
//    current delivery;
//  - nesting deeper than kMaxDispatchDepth is a broken invariant (it means an event loop).
// An exception thrown by a handler propagates out of publish()/send(); the bus stays consistent.
//
// Endpoints are named, point-to-point: register_endpoint<T>(name, handler) for one-way messages
// (send), register_responder<Req, Resp>(name, fn) for request/response (request). One name, one
// endpoint. Sending to an unknown endpoint or with the wrong message type is an expected failure.
//
// Threading: single-threaded, like the rest of the kernel. I/O threads hand their events to the kernel
// thread through a queue; they never call the bus.

#include "ballast/core/require.hpp"
#include "ballast/core/result.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ballast::runtime {

// True when `topic` matches `pattern` ('*' = any run of characters, '?' = one character).
bool topic_matches(std::string_view pattern, std::string_view topic) noexcept;

// Identifies one subscription, for unsubscribe(). Ids are never reused within a bus.
struct SubscriptionId {
  std::uint64_t value = 0;
  friend auto operator<=>(const SubscriptionId&, const SubscriptionId&) = default;
};

namespace detail {

// One address per message type (an inline variable), compared instead of std::type_info.
template <class T>
struct MessageTypeTag {
  static constexpr char kTag = 0;
};
using MessageTypeKey = const void*;
template <class T>
constexpr MessageTypeKey message_type_key() noexcept {
  return &MessageTypeTag<std::remove_cvref_t<T>>::kTag;
}

class ErasedHandler {
 public:
  virtual ~ErasedHandler() = default;
  virtual void call(const void* message) = 0;
};

template <class T>
class TypedHandler final : public ErasedHandler {
 public:
  explicit TypedHandler(std::function<void(const T&)> fn) : fn_(std::move(fn)) {}
  void call(const void* message) override { fn_(*static_cast<const T*>(message)); }

 private:
  std::function<void(const T&)> fn_;
};

class ErasedResponder {
 public:
  virtual ~ErasedResponder() = default;
  // `response` points to a std::optional<Resp>, which receives the answer.
  virtual void call(const void* request, void* response) = 0;
};

template <class Req, class Resp>
class TypedResponder final : public ErasedResponder {
 public:
  explicit TypedResponder(std::function<Resp(const Req&)> fn) : fn_(std::move(fn)) {}
  void call(const void* request, void* response) override {
    static_cast<std::optional<Resp>*>(response)->emplace(fn_(*static_cast<const Req*>(request)));
  }

 private:
  std::function<Resp(const Req&)> fn_;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

}  // namespace detail

class MessageBus {
 public:
  static constexpr int kDefaultPriority = 0;
  static constexpr int kMaxDispatchDepth = 64;
  static constexpr std::size_t kMaxCachedTopics = 16'384;

  MessageBus();
  ~MessageBus();
  MessageBus(const MessageBus&) = delete;
  MessageBus& operator=(const MessageBus&) = delete;

  // Subscribes `handler` to messages of type T on topics matching `pattern` (non-empty).
  template <class T>
  SubscriptionId subscribe(std::string_view pattern, std::function<void(const T&)> handler,
                           int priority = kDefaultPriority) {
    static_assert(std::is_same_v<T, std::remove_cvref_t<T>>, "subscribe<T>: T must be a plain message type");
    BALLAST_REQUIRE(handler != nullptr, "MessageBus::subscribe needs a handler");
    return add_subscription(pattern, detail::message_type_key<T>(),
                            std::make_unique<detail::TypedHandler<T>>(std::move(handler)), priority);
  }
  // Removes a subscription; false when the id is unknown or already removed.
  bool unsubscribe(SubscriptionId id);

  // Delivers `message` to every subscriber of type T whose pattern matches `topic`; returns how many
  // handlers ran (nested deliveries not counted).
  template <class T>
  std::size_t publish(std::string_view topic, const T& message) {
    return dispatch(topic, detail::message_type_key<T>(), &message);
  }

  // One-way endpoint. Errors: the name is taken (AlreadyExists), or empty (InvalidArgument).
  template <class T>
  core::Status register_endpoint(std::string_view name, std::function<void(const T&)> handler) {
    static_assert(std::is_same_v<T, std::remove_cvref_t<T>>, "register_endpoint<T>: T must be a plain message type");
    BALLAST_REQUIRE(handler != nullptr, "MessageBus::register_endpoint needs a handler");
    auto endpoint = std::make_unique<Endpoint>();
    endpoint->in_type = detail::message_type_key<T>();
    endpoint->in_type_name = typeid(T).name();
    endpoint->handler = std::make_unique<detail::TypedHandler<T>>(std::move(handler));
    return add_endpoint(name, std::move(endpoint));
  }
  // Request/response endpoint: request<Req, Resp>(name, req) returns fn(req).
  template <class Req, class Resp>
  core::Status register_responder(std::string_view name, std::function<Resp(const Req&)> fn) {
    BALLAST_REQUIRE(fn != nullptr, "MessageBus::register_responder needs a function");
    auto endpoint = std::make_unique<Endpoint>();
    endpoint->in_type = detail::message_type_key<Req>();
    endpoint->in_type_name = typeid(Req).name();
    endpoint->out_type = detail::message_type_key<Resp>();
    endpoint->responder = std::make_unique<detail::TypedResponder<Req, Resp>>(std::move(fn));
    return add_endpoint(name, std::move(endpoint));
  }
  // False when no endpoint has that name.
  bool deregister_endpoint(std::string_view name);
  bool has_endpoint(std::string_view name) const;

  // Delivers `message` to the endpoint. Errors: no such endpoint (NotFound); the endpoint takes another
  // message type or is a responder (InvalidArgument).
  template <class T>
  core::Status send(std::string_view endpoint, const T& message) {
    return dispatch_send(endpoint, detail::message_type_key<T>(), typeid(T).name(), &message);
  }
  // Asks a responder. Errors as for send(), plus a responder answering another type (InvalidArgument).
  template <class Req, class Resp>
  core::Result<Resp> request(std::string_view endpoint, const Req& req) {
    std::optional<Resp> response;
    BALLAST_TRY(dispatch_request(endpoint, detail::message_type_key<Req>(), typeid(Req).name(),
                                 detail::message_type_key<Resp>(), &req, &response));
    return std::move(*response);
  }

  // Introspection (tests, diagnostics). has_subscribers ignores message types.
  bool has_subscribers(std::string_view topic) const;
  // Changes with every subscribe and unsubscribe: an answer of has_subscribers() holds while it is the same.
  std::uint64_t subscriptions_generation() const noexcept { return subscriptions_generation_; }
  std::size_t subscription_count() const noexcept;
  std::size_t cached_topic_count() const noexcept { return cache_.size(); }
  int dispatch_depth() const noexcept { return depth_; }

 private:
  struct Subscription {
    SubscriptionId id;
    std::string pattern;
    int priority = kDefaultPriority;
    detail::MessageTypeKey type = nullptr;
    std::unique_ptr<detail::ErasedHandler> handler;
    bool active = true;
  };
  struct Endpoint {
    detail::MessageTypeKey in_type = nullptr;
    const char* in_type_name = "";
    detail::MessageTypeKey out_type = nullptr;  // responders only
    std::unique_ptr<detail::ErasedHandler> handler;
    std::unique_ptr<detail::ErasedResponder> responder;
  };
  using SubscriberList = std::vector<Subscription*>;
  using TopicCache = std::unordered_map<std::string, SubscriberList, detail::StringHash, std::equal_to<>>;

  // Keeps state that a running delivery refers to alive until the outermost delivery ends.
  class DepthGuard {
   public:
    explicit DepthGuard(MessageBus& bus);
    ~DepthGuard();
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    MessageBus& bus_;
  };

  SubscriptionId add_subscription(std::string_view pattern, detail::MessageTypeKey type,
                                  std::unique_ptr<detail::ErasedHandler> handler, int priority);
  std::size_t dispatch(std::string_view topic, detail::MessageTypeKey type, const void* message);
  const SubscriberList& subscribers_for(std::string_view topic);
  core::Status add_endpoint(std::string_view name, std::unique_ptr<Endpoint> endpoint);
  core::Result<Endpoint*> find_endpoint(std::string_view name, detail::MessageTypeKey type, const char* type_name);
  core::Status dispatch_send(std::string_view name, detail::MessageTypeKey type, const char* type_name,
                             const void* message);
  core::Status dispatch_request(std::string_view name, detail::MessageTypeKey type, const char* type_name,
                                detail::MessageTypeKey response_type, const void* request, void* response);
  void invalidate_cache();
  void release_retired();

  std::vector<std::unique_ptr<Subscription>> subscriptions_;  // subscription order
  TopicCache cache_;
  std::unordered_map<std::string, std::unique_ptr<Endpoint>, detail::StringHash, std::equal_to<>> endpoints_;
  // Retired while a delivery was running; freed when the outermost delivery returns.
  std::vector<TopicCache> retired_caches_;
  std::vector<std::unique_ptr<Endpoint>> retired_endpoints_;
  bool compaction_pending_ = false;
  std::uint64_t next_subscription_id_ = 1;
  std::uint64_t subscriptions_generation_ = 0;
  int depth_ = 0;
};

}  // namespace ballast::runtime
