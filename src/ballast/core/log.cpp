#include "ballast/core/log.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace ballast::core {
namespace {
std::shared_ptr<spdlog::logger> make_logger() {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto log = std::make_shared<spdlog::logger>("ballast", sink);
  log->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  log->set_level(spdlog::level::info);
  return log;
}

std::shared_ptr<spdlog::logger>& instance() {
  static std::shared_ptr<spdlog::logger> log = make_logger();
  return log;
}
}  // namespace

Status configure_logging(std::string_view level, LogFormat format) {
  const auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("unknown log level '{}' (use trace, debug, info, warn, error, off)", level));
  }
  auto& log = *instance();
  log.set_level(lvl);
  if (format == LogFormat::Json) {
    log.set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","msg":"%v"})", spdlog::pattern_time_type::utc);
  } else {
    log.set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  }
  return ok();
}

spdlog::logger& logger() { return *instance(); }

}  // namespace ballast::core
