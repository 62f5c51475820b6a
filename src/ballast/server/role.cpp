#include "ballast/server/role.hpp"

#include <array>
#include <string>
#include <utility>

namespace ballast::server {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 3> kRoleCodes{
    {{Role::Viewer, "viewer"}, {Role::Trader, "trader"}, {Role::Admin, "admin"}}};

// Rank in the inclusion order; a higher rank holds every right of a lower one.
constexpr int rank(Role role) noexcept {
  switch (role) {
    case Role::Viewer: return 0;
    case Role::Trader: return 1;
    case Role::Admin: return 2;
  }
  return -1;
}

}  // namespace

std::string_view to_string(Role role) noexcept {
  for (const auto& [r, code] : kRoleCodes) {
    if (r == role) return code;
  }
  return "unknown";
}

core::Result<Role> parse_role(std::string_view text) {
  for (const auto& [r, code] : kRoleCodes) {
    if (code == text) return r;
  }
  return core::Error(core::ErrorCode::InvalidArgument,
                     "role '" + std::string(text) + "' is not one of viewer, trader, admin");
}

bool role_allows(Role have, Role needed) noexcept {
  const int h = rank(have);
  const int n = rank(needed);
  return h >= 0 && n >= 0 && h >= n;
}

}  // namespace ballast::server
