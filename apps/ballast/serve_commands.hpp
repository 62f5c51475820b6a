#pragma once
// `ballast serve`, `ballast user …` and `ballast db …`.

#include "cli.hpp"

namespace ballast::cli {

void register_serve_commands(CLI::App& app, Context& ctx);

}  // namespace ballast::cli
