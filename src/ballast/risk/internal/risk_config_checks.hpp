#pragma once
// Private to the risk module: the value checks behind validate(RiskConfig), as a list the file readers
// can place in the text. Each entry is "key.path: message" with the path as written in a TOML file
// ("limits.max_order_notional.value", "circuit_breakers[1].threshold").

#include "ballast/risk/risk_config.hpp"

#include <string>
#include <vector>

namespace ballast::risk::internal {

void collect_config_errors(const RiskConfig& config, std::vector<std::string>& errors);

}  // namespace ballast::risk::internal
