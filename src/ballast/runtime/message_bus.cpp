#include "ballast/runtime/message_bus.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ballast::runtime {

using core::Error;
using core::ErrorCode;

bool topic_matches(std::string_view pattern, std::string_view topic) noexcept {
  // Iterative glob matching with single-star backtracking: linear for typical patterns.
  constexpr std::size_t kNone = std::string_view::npos;
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = kNone;  // position of the last '*' seen in the pattern
  std::size_t resume = 0;    // topic position that '*' currently extends to
  while (t < topic.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == topic[t])) {
      ++p;
      ++t;
    } else if (star != kNone) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

MessageBus::MessageBus() = default;
MessageBus::~MessageBus() = default;

MessageBus::DepthGuard::DepthGuard(MessageBus& bus) : bus_(bus) {
  BALLAST_REQUIRE(bus_.depth_ < kMaxDispatchDepth,
                  fmt::format("message bus deliveries nested more than {} deep (a handler loop?)", kMaxDispatchDepth));
  ++bus_.depth_;
}

MessageBus::DepthGuard::~DepthGuard() {
  if (--bus_.depth_ == 0) bus_.release_retired();
}

void MessageBus::release_retired() {
  retired_caches_.clear();
  retired_endpoints_.clear();
  if (compaction_pending_) {
    std::erase_if(subscriptions_, [](const std::unique_ptr<Subscription>& s) { return !s->active; });
    compaction_pending_ = false;
  }
}

void MessageBus::invalidate_cache() {
  if (cache_.empty()) return;
  if (depth_ > 0) {
    // A delivery in progress iterates a list owned by this map; moving the map keeps its nodes (and
    // that list) alive until the outermost delivery returns.
    retired_caches_.push_back(std::move(cache_));
    cache_ = TopicCache();
  } else {
    cache_.clear();
  }
}

SubscriptionId MessageBus::add_subscription(std::string_view pattern, detail::MessageTypeKey type,
                                            std::unique_ptr<detail::ErasedHandler> handler, int priority) {
  BALLAST_REQUIRE(!pattern.empty(), "MessageBus::subscribe needs a non-empty topic pattern");
  auto sub = std::make_unique<Subscription>();
  sub->id = SubscriptionId{next_subscription_id_++};
  sub->pattern = std::string(pattern);
  sub->priority = priority;
  sub->type = type;
  sub->handler = std::move(handler);
  const SubscriptionId id = sub->id;
  subscriptions_.push_back(std::move(sub));
  ++subscriptions_generation_;
  invalidate_cache();
  return id;
}

bool MessageBus::unsubscribe(SubscriptionId id) {
  // Ids grow with subscription order, so the list is sorted by id.
  const auto it = std::lower_bound(subscriptions_.begin(), subscriptions_.end(), id,
                                   [](const std::unique_ptr<Subscription>& s, SubscriptionId v) { return s->id < v; });
  if (it == subscriptions_.end() || (*it)->id != id || !(*it)->active) return false;
  (*it)->active = false;
  ++subscriptions_generation_;
  invalidate_cache();
  if (depth_ > 0) {
    compaction_pending_ = true;  // a running delivery may still hold a pointer to it
  } else {
    subscriptions_.erase(it);
  }
  return true;
}

const MessageBus::SubscriberList& MessageBus::subscribers_for(std::string_view topic) {
  if (const auto it = cache_.find(topic); it != cache_.end()) return it->second;
  BALLAST_REQUIRE(!topic.empty() && topic.find_first_of("*?") == std::string_view::npos,
                  fmt::format("cannot publish to topic '{}': it must be non-empty and contain no '*' or '?'", topic));
  if (cache_.size() >= kMaxCachedTopics) invalidate_cache();
  SubscriberList list;
  for (const auto& sub : subscriptions_) {
    if (sub->active && topic_matches(sub->pattern, topic)) list.push_back(sub.get());
  }
  // subscriptions_ is in subscription order, so a stable sort leaves ties in that order.
  std::stable_sort(list.begin(), list.end(),
                   [](const Subscription* a, const Subscription* b) { return a->priority > b->priority; });
  return cache_.emplace(std::string(topic), std::move(list)).first->second;
}

std::size_t MessageBus::dispatch(std::string_view topic, detail::MessageTypeKey type, const void* message) {
  const SubscriberList& subscribers = subscribers_for(topic);
  if (subscribers.empty()) return 0;
  DepthGuard guard(*this);
  std::size_t delivered = 0;
  // `subscribers` is never modified in place: a change of subscriptions replaces the cache, and the
  // old one is retired until this delivery (and any it is nested in) returns.
  for (Subscription* sub : subscribers) {
    if (sub->type != type || !sub->active) continue;
    sub->handler->call(message);
    ++delivered;
  }
  return delivered;
}

bool MessageBus::has_subscribers(std::string_view topic) const {
  return std::any_of(subscriptions_.begin(), subscriptions_.end(), [&](const std::unique_ptr<Subscription>& s) {
    return s->active && topic_matches(s->pattern, topic);
  });
}

std::size_t MessageBus::subscription_count() const noexcept {
  return static_cast<std::size_t>(std::count_if(subscriptions_.begin(), subscriptions_.end(),
                                                [](const std::unique_ptr<Subscription>& s) { return s->active; }));
}

core::Status MessageBus::add_endpoint(std::string_view name, std::unique_ptr<Endpoint> endpoint) {
  if (name.empty()) return Error(ErrorCode::InvalidArgument, "a message bus endpoint needs a non-empty name");
  if (endpoints_.find(name) != endpoints_.end()) {
    return Error(ErrorCode::AlreadyExists, fmt::format("message bus endpoint '{}' is already registered", name));
  }
  endpoints_.emplace(std::string(name), std::move(endpoint));
  return core::ok();
}

bool MessageBus::deregister_endpoint(std::string_view name) {
  const auto it = endpoints_.find(name);
  if (it == endpoints_.end()) return false;
  // The endpoint may be the one delivering right now: keep it alive until the delivery returns.
  if (depth_ > 0) retired_endpoints_.push_back(std::move(it->second));
  endpoints_.erase(it);
  return true;
}

bool MessageBus::has_endpoint(std::string_view name) const { return endpoints_.find(name) != endpoints_.end(); }

core::Result<MessageBus::Endpoint*> MessageBus::find_endpoint(std::string_view name, detail::MessageTypeKey type,
                                                              const char* type_name) {
  const auto it = endpoints_.find(name);
  if (it == endpoints_.end()) {
    return Error(ErrorCode::NotFound, fmt::format("no message bus endpoint named '{}' is registered", name));
  }
  Endpoint* endpoint = it->second.get();
  if (endpoint->in_type != type) {
    return Error(ErrorCode::InvalidArgument, fmt::format("message bus endpoint '{}' takes messages of type {}, not {}",
                                                         name, endpoint->in_type_name, type_name));
  }
  return endpoint;
}

core::Status MessageBus::dispatch_send(std::string_view name, detail::MessageTypeKey type, const char* type_name,
                                       const void* message) {
  auto endpoint = find_endpoint(name, type, type_name);
  if (!endpoint) return endpoint.error();
  if ((*endpoint)->handler == nullptr) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("message bus endpoint '{}' answers requests; use request(), not send()", name));
  }
  DepthGuard guard(*this);
  (*endpoint)->handler->call(message);
  return core::ok();
}

core::Status MessageBus::dispatch_request(std::string_view name, detail::MessageTypeKey type, const char* type_name,
                                          detail::MessageTypeKey response_type, const void* request, void* response) {
  auto endpoint = find_endpoint(name, type, type_name);
  if (!endpoint) return endpoint.error();
  if ((*endpoint)->responder == nullptr) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("message bus endpoint '{}' is one-way; use send(), not request()", name));
  }
  if ((*endpoint)->out_type != response_type) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("message bus endpoint '{}' answers with a different response type", name));
  }
  DepthGuard guard(*this);
  (*endpoint)->responder->call(request, response);
  return core::ok();
}

}  // namespace ballast::runtime
