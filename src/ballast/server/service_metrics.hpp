#pragma once
// ServiceMetrics: the Prometheus metrics of `ballast serve` (text exposition format 0.0.4 at /metrics).
//   ballast_http_requests_total{method,route,status}            counter
//   ballast_http_request_duration_seconds{method,route}         histogram (request in → response handed to the server)
//   ballast_orders_submitted_total                              counter (API orders the risk engine approved)
//   ballast_orders_denied_total{reason}                         counter (typed DenyReason codes)
//   ballast_circuit_breaker_triggers_total{breaker}             counter
//   ballast_store_commit_duration_seconds                       histogram (group commits of the kernel thread)
//   ballast_websocket_clients                                   gauge
//   ballast_uptime_seconds                                      gauge
// Routes are the router's patterns ("/api/orders/{id}"), never raw paths, so the label set stays bounded.
// Thread-safe (a mutex: updates are a few per request, far below the cost of the request itself).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::server {

class ServiceMetrics {
 public:
  ServiceMetrics();

  void observe_request(std::string_view method, std::string_view route, unsigned status, std::chrono::nanoseconds took);
  void order_submitted();
  void order_denied(std::string_view reason);
  void breaker_triggered(std::string_view breaker);
  void observe_commit(std::chrono::nanoseconds took);
  // Read when rendering (the HTTP server's count).
  void set_websocket_clients_source(std::function<std::size_t()> source);

  std::string render(std::chrono::nanoseconds uptime) const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;  // cumulative counts are computed when rendering
    std::uint64_t count{0};
    double sum{0.0};
  };
  static const std::vector<double>& bounds();
  static void observe(Histogram& h, double seconds);
  static void render_histogram(std::string& out, std::string_view name, std::string_view labels, const Histogram& h);

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> durations_;
  std::uint64_t submitted_{0};
  std::map<std::string, std::uint64_t> denied_;
  std::map<std::string, std::uint64_t> breaker_triggers_;
  Histogram commits_;
  std::function<std::size_t()> websocket_clients_;
};

}  // namespace ballast::server
