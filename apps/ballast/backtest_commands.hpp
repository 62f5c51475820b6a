#pragma once
// `ballast backtest`, `ballast optimize`, `ballast execute` (docs/cli.md).

#include "cli.hpp"

namespace ballast::cli {

void register_backtest_commands(CLI::App& app, Context& ctx);

}  // namespace ballast::cli
