#include "ballast/core/require.hpp"

#include <fmt/format.h>

namespace ballast::core {

void throw_invariant_error(std::string_view kind, std::string_view condition, std::string_view message,
                           const char* file, int line) {
  std::string_view path(file);
  // Report the path from "src/" on, not the build machine's absolute path.
  if (auto pos = path.rfind("src/"); pos != std::string_view::npos) path.remove_prefix(pos);
  throw InvariantError(fmt::format("{}:{}: {} failed ({}): {}", path, line, kind, condition, message));
}

}  // namespace ballast::core
