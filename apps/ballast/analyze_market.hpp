#pragma once
// `ballast analyze regime|profile` (market structure), registered by analyze_market.cpp.

#include "cli.hpp"

namespace ballast::cli {

void register_analyze_structure_commands(CLI::App& analyze, Context& ctx);

}  // namespace ballast::cli
