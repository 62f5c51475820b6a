// Command-line parsing for ballast_load (see load_tool.hpp).

#include <cmath>
#include <string>
#include <string_view>

#include "load_tool.hpp"

namespace ballast::bench {
namespace {

core::Error usage(std::string message) {
  return core::Error(core::ErrorCode::InvalidArgument,
                     message +
                         "\nusage: ballast_load http --url URL [--token T] [--method M] [--path P] [--body JSON]..."
                         " [--connections N] [--rate R] [--duration S]\n"
                         "       ballast_load ws --url URL --token T [--clients N] [--channels a,b]"
                         " [--ping-clients K] [--ping-interval-ms MS] [--duration S]");
}

core::Result<int> positive_int(std::string_view key, const std::string& text) {
  try {
    std::size_t used = 0;
    const int v = std::stoi(text, &used);
    if (used == text.size() && v > 0) return v;
  } catch (const std::exception&) {
  }
  return usage(std::string(key) + ": expected a positive integer, got '" + text + "'");
}

// A finite number > 0 ("--duration", "seconds" → "--duration: expected seconds > 0, got 'x'").
core::Result<double> positive_number(std::string_view key, const std::string& text, std::string_view unit) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && v > 0 && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  return usage(std::string(key) + ": expected " + std::string(unit) + " > 0, got '" + text + "'");
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::size_t end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

core::Result<LoadOptions> parse_load_options(int argc, char** argv) {
  if (argc < 2) return usage("missing mode");
  LoadOptions o;
  o.mode = argv[1];
  if (o.mode != "http" && o.mode != "ws") return usage("unknown mode '" + o.mode + "'");
  for (int i = 2; i < argc; i += 2) {
    const std::string key = argv[i];
    if (i + 1 >= argc) return usage(key + ": missing value");
    const std::string value = argv[i + 1];
    if (key == "--url") {
      o.url = value;
    } else if (key == "--token") {
      o.token = value;
    } else if (key == "--method") {
      o.method = value;
    } else if (key == "--path") {
      o.path = value;
    } else if (key == "--body") {
      o.bodies.push_back(value);
    } else if (key == "--channels") {
      o.channels = split_commas(value);
    } else if (key == "--rate" || key == "--duration") {
      auto v = positive_number(key, value, key == "--rate" ? "requests/s" : "seconds");
      if (!v) return v.error();
      (key == "--rate" ? o.rate : o.duration_s) = *v;
    } else if (key == "--connections" || key == "--clients" || key == "--ping-clients" ||
               key == "--ping-interval-ms") {
      auto n = positive_int(key, value);
      if (!n) return n.error();
      int& target = key == "--connections" ? o.connections
                    : key == "--clients"   ? o.clients
                    : key == "--ping-clients" ? o.ping_clients
                                              : o.ping_interval_ms;
      target = *n;
    } else {
      return usage("unknown option " + key);
    }
  }
  if (o.url.empty()) return usage("--url is required");
  if (o.mode == "ws" && o.channels.empty()) return usage("--channels: at least one channel");
  return o;
}

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[rank == 0 ? 0 : rank - 1];
}

}  // namespace ballast::bench
