#pragma once
// Private to the server module: the value checks of ServiceConfig, shared by the reader (which places
// each problem in the file or the environment) and validate().

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ballast/server/service_config.hpp"

namespace ballast::server::internal {

inline constexpr std::int64_t kMaxBodyBytes = std::int64_t{1} << 30;
inline constexpr std::int64_t kMaxOrderCapacity = std::int64_t{1} << 24;

// Appends (key path, message) for every rule `config` breaks, e.g. ("server.port", "must be 1..65535, got 0").
void collect_service_config_problems(const ServiceConfig& config,
                                     std::vector<std::pair<std::string, std::string>>& out);

}  // namespace ballast::server::internal
