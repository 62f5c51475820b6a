#pragma once
// Roles of API users. Each role includes the rights of the ones below it: an admin may do everything a
// trader may, a trader everything a viewer may. Stable codes (stored in the user table, carried in
// tokens, shown in the API): "viewer", "trader", "admin".
//   viewer — read state, history and metrics;
//   trader — also submit/cancel orders and run strategies;
//   admin  — also manage users, risk configuration and the emergency stop.

#include <string_view>

#include "ballast/core/result.hpp"

namespace ballast::server {

enum class Role { Viewer, Trader, Admin };

std::string_view to_string(Role role) noexcept;
// Parses a stable code ("trader"); an error lists the valid codes.
core::Result<Role> parse_role(std::string_view text);

// True when a user holding `have` may do what requires `needed` (admin ⊇ trader ⊇ viewer).
bool role_allows(Role have, Role needed) noexcept;

}  // namespace ballast::server
