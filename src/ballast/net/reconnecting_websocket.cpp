#include "ballast/net/reconnecting_websocket.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

#include "ballast/net/websocket_client.hpp"

namespace ballast::net {

using core::Error;
using core::ErrorCode;
using SteadyClock = std::chrono::steady_clock;

std::chrono::milliseconds reconnect_backoff(const ReconnectPolicy& policy, unsigned attempt, double u) {
  const double initial = static_cast<double>(policy.initial_backoff.count());
  const double cap = static_cast<double>(policy.max_backoff.count());
  const double growth = std::pow(std::max(policy.multiplier, 1.0), attempt > 0 ? attempt - 1 : 0);
  const double full = std::min(initial * growth, cap);
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  const double wait = full * (1.0 - jitter * std::clamp(u, 0.0, 1.0));
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(wait)));
}

struct ReconnectingWebSocket::Impl {
  ReconnectingWebSocketOptions options;
  ReconnectingWebSocketHandlers handlers;
  std::atomic<bool>* connected_flag;
  std::atomic<std::uint64_t>* connections;

  std::thread thread;
  std::mutex mutex;
  std::condition_variable cv;  // wakes the backoff wait and start()
  std::deque<std::string> outbox;
  bool stopping = false;
  bool reconnect_requested = false;
  bool first_result_ready = false;
  std::optional<Error> first_error;
  std::mt19937_64 rng;

  Impl(ReconnectingWebSocketOptions o, ReconnectingWebSocketHandlers h, std::atomic<bool>* flag,
       std::atomic<std::uint64_t>* count)
      : options(std::move(o)), handlers(std::move(h)), connected_flag(flag), connections(count), rng(options.seed) {}

  bool should_stop() {
    std::lock_guard lock(mutex);
    return stopping;
  }

  void report_first(std::optional<Error> error) {
    std::lock_guard lock(mutex);
    if (first_result_ready) return;
    first_result_ready = true;
    first_error = std::move(error);
    cv.notify_all();
  }

  void disconnected(const Error& reason) {
    connected_flag->store(false);
    {
      std::lock_guard lock(mutex);
      outbox.clear();
    }
    if (handlers.on_disconnected) handlers.on_disconnected(reason);
  }

  // Waits `wait` unless stopped or a reconnect is requested; false when stopping.
  bool backoff(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, wait, [&] { return stopping || reconnect_requested; });
    reconnect_requested = false;
    return !stopping;
  }

  struct Ended {
    std::optional<Error> error;  // nullopt: stopping
    bool requested = false;      // reconnect() asked for it
  };

  // One connection's life, until it breaks, reconnect() is called or the stream stops.
  Ended serve(WebSocketClient& ws) {
    auto last_rx = SteadyClock::now();
    auto last_heartbeat = last_rx;
    for (;;) {
      std::deque<std::string> pending;
      {
        std::lock_guard lock(mutex);
        if (stopping) return {};
        if (reconnect_requested) {
          reconnect_requested = false;
          return {Error(ErrorCode::IoError, "reconnect requested"), true};
        }
        pending.swap(outbox);
      }
      for (auto& text : pending) {
        if (auto s = ws.send(std::move(text)); !s) return {s.error()};
      }
      const auto now = SteadyClock::now();
      if (options.heartbeat_interval && now - last_heartbeat >= *options.heartbeat_interval) {
        if (auto s = ws.send(options.heartbeat_message); !s) return {s.error()};
        last_heartbeat = now;
      }
      if (now - std::max(last_rx, ws.last_frame()) >= options.idle_timeout) {
        return {Error(ErrorCode::IoError, "no message for " + std::to_string(options.idle_timeout.count()) + " ms")};
      }
      auto message = ws.poll(options.poll_interval);  // a timeout leaves the read pending
      if (!message) return {message.error()};
      if (*message) {
        last_rx = SteadyClock::now();
        if (handlers.on_message) handlers.on_message(**message);
      }
    }
  }

  void run() {
    unsigned failures = 0;
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    while (!should_stop()) {
      const std::string url = handlers.url_provider ? handlers.url_provider() : options.url;
      auto ws = WebSocketClient::connect(url, options.headers, options.http);
      if (!ws) {
        Error reason(ErrorCode::IoError, "WebSocket connect failed: " + ws.error().message());
        report_first(reason);
        if (handlers.on_disconnected) handlers.on_disconnected(reason);
        ++failures;
        if (!backoff(reconnect_backoff(options.backoff, failures, uniform(rng)))) return;
        continue;
      }
      failures = 0;
      const std::uint64_t number = connections->fetch_add(1) + 1;
      Ended ended;
      bool sent = true;
      if (handlers.on_connected) {
        for (auto& text : handlers.on_connected(number)) {
          if (auto s = (*ws)->send(std::move(text)); !s) {
            ended.error = s.error();
            sent = false;
            break;
          }
        }
      }
      if (sent) {
        connected_flag->store(true);
        report_first(std::nullopt);
        ended = serve(**ws);
      }
      (*ws)->close();
      if (!ended.error) {  // stopping
        connected_flag->store(false);
        return;
      }
      disconnected(*ended.error);
      if (ended.requested) continue;  // at once, no backoff
      ++failures;
      if (!backoff(reconnect_backoff(options.backoff, failures, uniform(rng)))) return;
    }
  }
};

ReconnectingWebSocket::ReconnectingWebSocket(ReconnectingWebSocketOptions options, ReconnectingWebSocketHandlers handlers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers), &connected_, &connections_)) {}

ReconnectingWebSocket::~ReconnectingWebSocket() { stop(); }

core::Status ReconnectingWebSocket::start(std::chrono::milliseconds first_connect_timeout) {
  if (impl_->thread.joinable()) return Error(ErrorCode::InvalidState, "ReconnectingWebSocket already started");
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = false;
    impl_->first_result_ready = false;
    impl_->first_error.reset();
  }
  impl_->thread = std::thread([this] { impl_->run(); });
  std::optional<Error> error;
  {
    std::unique_lock lock(impl_->mutex);
    const bool ready = impl_->cv.wait_for(lock, first_connect_timeout, [&] { return impl_->first_result_ready; });
    if (!ready) {
      error = Error(ErrorCode::IoError, "WebSocket not connected within " +
                                            std::to_string(first_connect_timeout.count()) + " ms");
    } else if (impl_->first_error) {
      error = impl_->first_error;
    }
  }
  if (error) {
    stop();
    return *error;
  }
  return core::ok();
}

void ReconnectingWebSocket::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    impl_->cv.notify_all();
  }
  if (impl_->thread.joinable()) impl_->thread.join();
  connected_.store(false);
}

bool ReconnectingWebSocket::send(std::string text) {
  if (!connected_.load()) return false;
  std::lock_guard lock(impl_->mutex);
  if (impl_->stopping) return false;
  impl_->outbox.push_back(std::move(text));
  return true;
}

void ReconnectingWebSocket::reconnect() {
  std::lock_guard lock(impl_->mutex);
  impl_->reconnect_requested = true;
  impl_->cv.notify_all();
}

}  // namespace ballast::net
