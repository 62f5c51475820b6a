#include "ballast/server/service_metrics.hpp"

#include "ballast/net/json_escape.hpp"

#include <fmt/format.h>

#include <tuple>

namespace ballast::server {
namespace {

// Label values in the exposition format escape backslash, double quote and newline — as JSON strings do
// for these three, so the JSON quoting helper serves (other control characters never occur in our labels).
std::string label(std::string_view value) { return net::json_quote(value); }

}  // namespace

ServiceMetrics::ServiceMetrics() { commits_.buckets.assign(bounds().size(), 0); }

const std::vector<double>& ServiceMetrics::bounds() {
  static const std::vector<double> b{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  return b;
}

void ServiceMetrics::observe(Histogram& h, double seconds) {
  if (h.buckets.empty()) h.buckets.assign(bounds().size(), 0);
  for (std::size_t i = 0; i < bounds().size(); ++i) {
    if (seconds <= bounds()[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
}

void ServiceMetrics::observe_request(std::string_view method, std::string_view route, unsigned status,
                                     std::chrono::nanoseconds took) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(method), std::string(route), status}];
  observe(durations_[{std::string(method), std::string(route)}], std::chrono::duration<double>(took).count());
}

void ServiceMetrics::order_submitted() {
  std::lock_guard lock(mutex_);
  ++submitted_;
}

void ServiceMetrics::order_denied(std::string_view reason) {
  std::lock_guard lock(mutex_);
  ++denied_[std::string(reason)];
}

void ServiceMetrics::breaker_triggered(std::string_view breaker) {
  std::lock_guard lock(mutex_);
  ++breaker_triggers_[std::string(breaker)];
}

void ServiceMetrics::observe_commit(std::chrono::nanoseconds took) {
  std::lock_guard lock(mutex_);
  observe(commits_, std::chrono::duration<double>(took).count());
}

void ServiceMetrics::set_websocket_clients_source(std::function<std::size_t()> source) {
  std::lock_guard lock(mutex_);
  websocket_clients_ = std::move(source);
}

void ServiceMetrics::render_histogram(std::string& out, std::string_view name, std::string_view labels,
                                      const Histogram& h) {
  const std::string sep = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds().size(); ++i) {
    cumulative += i < h.buckets.size() ? h.buckets[i] : 0;
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, bounds()[i], cumulative);
  }
  out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep, h.count);
  const std::string braces = labels.empty() ? std::string() : fmt::format("{{{}}}", labels);
  out += fmt::format("{}_sum{} {}\n", name, braces, h.sum);
  out += fmt::format("{}_count{} {}\n", name, braces, h.count);
}

std::string ServiceMetrics::render(std::chrono::nanoseconds uptime) const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP ballast_http_requests_total HTTP requests answered, by method, route pattern and status.\n";
  out += "# TYPE ballast_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("ballast_http_requests_total{{method={},route={},status=\"{}\"}} {}\n", label(method), label(route),
                       status, n);
  }
  out += "# HELP ballast_http_request_duration_seconds Time from request to response, by method and route pattern.\n";
  out += "# TYPE ballast_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : durations_) {
    render_histogram(out, "ballast_http_request_duration_seconds",
                     fmt::format("method={},route={}", label(key.first), label(key.second)), h);
  }
  out += "# HELP ballast_orders_submitted_total API orders approved by the risk engine and sent to the venue.\n";
  out += "# TYPE ballast_orders_submitted_total counter\n";
  out += fmt::format("ballast_orders_submitted_total {}\n", submitted_);
  out += "# HELP ballast_orders_denied_total Orders denied by the risk engine, by typed reason.\n";
  out += "# TYPE ballast_orders_denied_total counter\n";
  for (const auto& [reason, n] : denied_) out += fmt::format("ballast_orders_denied_total{{reason={}}} {}\n", label(reason), n);
  out += "# HELP ballast_circuit_breaker_triggers_total Circuit-breaker trips, by breaker.\n";
  out += "# TYPE ballast_circuit_breaker_triggers_total counter\n";
  for (const auto& [name, n] : breaker_triggers_) {
    out += fmt::format("ballast_circuit_breaker_triggers_total{{breaker={}}} {}\n", label(name), n);
  }
  out += "# HELP ballast_store_commit_duration_seconds Durable group commits of the kernel thread.\n";
  out += "# TYPE ballast_store_commit_duration_seconds histogram\n";
  render_histogram(out, "ballast_store_commit_duration_seconds", "", commits_);
  out += "# HELP ballast_websocket_clients Connected WebSocket clients.\n";
  out += "# TYPE ballast_websocket_clients gauge\n";
  out += fmt::format("ballast_websocket_clients {}\n", websocket_clients_ ? websocket_clients_() : 0);
  out += "# HELP ballast_uptime_seconds Seconds since the server started.\n";
  out += "# TYPE ballast_uptime_seconds gauge\n";
  out += fmt::format("ballast_uptime_seconds {:.3f}\n", std::chrono::duration<double>(uptime).count());
  return out;
}

}  // namespace ballast::server
