// ballast_load http: closed- or open-loop HTTP load from N keep-alive connections (see load_tool.hpp).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "ballast/net/http_client.hpp"
#include "load_tool.hpp"

namespace ballast::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct ThreadResult {
  std::vector<double> latency_ms;        // every answered request (open loop: from its due time)
  std::vector<double> service_ms;        // open loop only: from sending to the answer
  long late = 0;                         // open loop: requests sent more than 1 ms after they were due
  std::map<unsigned, long> statuses;     // HTTP status -> count
  std::vector<long> per_second;          // answers completed in second k of the window
  std::vector<double> per_second_max;    // the longest latency among them (ms)
  long io_errors = 0;
  std::string first_error;
};

void drive(const LoadOptions& o, net::HttpClient& client, Clock::time_point start, Clock::time_point end,
           std::size_t offset, ThreadResult& out) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!o.token.empty()) headers.emplace_back("Authorization", "Bearer " + o.token);
  if (!o.bodies.empty()) headers.emplace_back("Content-Type", "application/json");
  out.per_second.assign(static_cast<std::size_t>(std::ceil(o.duration_s)) + 1, 0);
  out.per_second_max.assign(out.per_second.size(), 0.0);
  // Open loop: this connection sends requests offset, offset + N, offset + 2N, ... of the run, request k
  // being due at start + k / rate.
  const bool open_loop = o.rate > 0;
  const auto n = static_cast<std::size_t>(o.connections);
  const auto due = [&](std::size_t k) {
    return start + std::chrono::duration_cast<Clock::duration>(
                       std::chrono::duration<double>(static_cast<double>(k) / o.rate));
  };
  std::this_thread::sleep_until(start);
  for (std::size_t i = offset;; i += open_loop ? n : 1) {
    Clock::time_point t0;
    if (open_loop) {
      t0 = due(i);
      if (t0 >= end) break;
      std::this_thread::sleep_until(t0);
    } else {
      t0 = Clock::now();
      if (t0 >= end) break;
    }
    std::string body = o.bodies.empty() ? std::string() : o.bodies[i % o.bodies.size()];
    const auto sent = Clock::now();
    if (open_loop && sent - t0 > std::chrono::milliseconds(1)) ++out.late;
    auto response = client.request(o.method, o.path, std::move(body), headers);
    const auto t1 = Clock::now();
    if (!response) {
      if (out.io_errors++ == 0) out.first_error = response.error().to_string();
      continue;
    }
    const double latency = std::chrono::duration<double, std::milli>(t1 - t0).count();
    out.latency_ms.push_back(latency);
    if (open_loop) out.service_ms.push_back(std::chrono::duration<double, std::milli>(t1 - sent).count());
    ++out.statuses[response->status];
    const auto second = static_cast<std::size_t>(std::chrono::duration<double>(t1 - start).count());
    if (second < out.per_second.size()) {
      ++out.per_second[second];
      out.per_second_max[second] = std::max(out.per_second_max[second], latency);
    }
  }
}

}  // namespace

int run_http_load(const LoadOptions& o) {
  const auto n = static_cast<std::size_t>(o.connections);
  std::vector<ThreadResult> results(n);
  // Built before the clock starts: each client sets up an OpenSSL context (even for http://), which takes
  // long enough to eat into a short run. Plain http needs no certificate store.
  net::HttpClientOptions client_options;
  client_options.verify_tls = o.url.rfind("https://", 0) == 0;
  std::vector<std::unique_ptr<net::HttpClient>> clients;
  for (std::size_t t = 0; t < n; ++t) clients.push_back(std::make_unique<net::HttpClient>(o.url, client_options));
  const auto start = Clock::now() + std::chrono::milliseconds(200);  // every thread starts together
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s));
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < n; ++t) {
      threads.emplace_back(drive, std::cref(o), std::ref(*clients[t]), start, end, t, std::ref(results[t]));
    }
  }
  // Requests in flight at `end` finish after it; the rate divides by the time the last one took.
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> latency;
  std::vector<double> service;
  long late = 0;
  std::map<unsigned, long> statuses;
  std::vector<long> per_second(results[0].per_second.size(), 0);
  std::vector<double> per_second_max(per_second.size(), 0.0);
  long io_errors = 0;
  std::string first_error;
  for (auto& r : results) {
    latency.insert(latency.end(), r.latency_ms.begin(), r.latency_ms.end());
    service.insert(service.end(), r.service_ms.begin(), r.service_ms.end());
    late += r.late;
    for (const auto& [status, count] : r.statuses) statuses[status] += count;
    for (std::size_t s = 0; s < per_second.size(); ++s) {
      per_second[s] += r.per_second[s];
      per_second_max[s] = std::max(per_second_max[s], r.per_second_max[s]);
    }
    io_errors += r.io_errors;
    if (first_error.empty()) first_error = r.first_error;
  }
  std::sort(latency.begin(), latency.end());
  std::sort(service.begin(), service.end());
  const auto answered = static_cast<double>(latency.size());

  std::printf("mode http  %s %s%s  connections %d  duration %.1f s (elapsed %.2f s)  %s\n", o.method.c_str(),
              o.url.c_str(), o.path.c_str(), o.connections, o.duration_s, elapsed,
              o.rate > 0 ? ("open loop at " + std::to_string(o.rate) + "/s").c_str() : "closed loop");
  std::printf("answered %.0f  requests/s %.0f  transport errors %ld%s%s\n", answered, answered / elapsed, io_errors,
              first_error.empty() ? "" : "  first: ", first_error.c_str());
  for (const auto& [status, count] : statuses) {
    std::printf("  status %u: %ld (%.0f/s)\n", status, count, static_cast<double>(count) / elapsed);
  }
  std::printf("latency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", quantile(latency, 0.5),
              quantile(latency, 0.9), quantile(latency, 0.99), quantile(latency, 0.999),
              latency.empty() ? 0.0 : latency.back());
  if (o.rate > 0) {
    std::printf("  (latency from each request's due time; sent > 1 ms late: %ld)\n", late);
    std::printf("service ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", quantile(service, 0.5),
                quantile(service, 0.9), quantile(service, 0.99), quantile(service, 0.999),
                service.empty() ? 0.0 : service.back());
  }
  // Whole seconds only (the last bucket is partial when the duration is not a whole number).
  const auto full = static_cast<std::size_t>(o.duration_s);
  if (full > 0) {
    std::vector<double> rates(per_second.begin(), per_second.begin() + static_cast<std::ptrdiff_t>(full));
    std::sort(rates.begin(), rates.end());
    std::printf("per-second answers  min %.0f  median %.0f  max %.0f  (over %zu s):", rates.front(),
                quantile(rates, 0.5), rates.back(), full);
    for (std::size_t s = 0; s < full; ++s) std::printf(" %ld", per_second[s]);
    std::printf("\nper-second max latency ms:");
    for (std::size_t s = 0; s < full; ++s) std::printf(" %.0f", per_second_max[s]);
    std::printf("\n");
  }
  return io_errors == 0 ? 0 : 1;
}

}  // namespace ballast::bench
