#pragma once
// ballast_load: a small load generator for `ballast serve` (bench/server/, see docs/PERFORMANCE.md,
// section "Service"). Two modes:
//   http — N threads, each with its own keep-alive HttpClient, send one request after another for a
//          fixed wall-clock duration (closed loop: a thread sends its next request when the previous
//          answer arrived). Latency is measured per request in the client, from just before
//          HttpClient::request() to its return, so it includes the client's own serialisation/parsing.
//          With --rate R the load is open loop instead: request k of the whole run is due at start + k/R
//          (connection k mod N sends it), and its latency runs from that due time, not from when it was
//          sent, so a stalled server is charged for the requests that should have gone out meanwhile
//          (no "coordinated omission"). The service time (send to answer) is reported beside it.
//   ws   — N WebSocket clients, one thread each, subscribed to channels. Reports messages per second per
//          client, the delivery latency per channel (receive time − the message's "sent_us", the server's
//          queueing time; valid because server and tool share this host's clock), the fan-out skew of "prices" bar messages (time between the first and the last client
//          receiving the same bar, identified by data[0].ts) and the round trip {"op":"ping"} →
//          {"type":"pong"} measured by a few probe clients under the same load.
// Times are std::chrono::steady_clock in the load process; results are printed in milliseconds.

#include <cstdint>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"

namespace ballast::bench {

struct LoadOptions {
  std::string mode;                  // "http" or "ws"
  std::string url;                   // base URL, "http://127.0.0.1:8080"
  std::string token;                 // access token; empty = no Authorization header
  std::string method = "GET";        // http
  std::string path = "/api/health";  // http
  std::vector<std::string> bodies;   // http: request bodies, used in turn by each thread (BUY, SELL, ...)
  int connections = 16;              // http: threads = keep-alive connections
  double rate = 0;                   // http: requests/s over all connections, open loop; 0 = closed loop
  double duration_s = 10.0;          // both: measured window
  int clients = 200;                 // ws
  std::vector<std::string> channels{"prices"};  // ws
  int ping_clients = 10;             // ws: how many of the clients also send pings
  int ping_interval_ms = 200;        // ws: time between one probe client's pings
};

// Parses `ballast_load MODE --key value ...` (argv[1] is the mode). `--body` may repeat.
core::Result<LoadOptions> parse_load_options(int argc, char** argv);

// The q-quantile (0..1) of ascending `sorted` values, nearest rank. 0 when empty.
double quantile(const std::vector<double>& sorted, double q);

// Each prints its report on stdout; the return value is the process exit code.
int run_http_load(const LoadOptions& options);
int run_ws_load(const LoadOptions& options);

}  // namespace ballast::bench
