#pragma once
// Logging through spdlog. The application configures the sink once (text or JSON lines, level);
// library code logs through the named logger returned by logger(). Secrets are never logged.

#include <memory>
#include <string_view>

#include <spdlog/logger.h>

#include "ballast/core/result.hpp"

namespace ballast::core {

enum class LogFormat { Text, Json };

// Configures the process-wide "ballast" logger on stderr. Level: trace|debug|info|warn|error|off.
Status configure_logging(std::string_view level, LogFormat format = LogFormat::Text);
spdlog::logger& logger();

}  // namespace ballast::core
