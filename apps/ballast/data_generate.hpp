#pragma once
// `ballast data generate`: writes a synthetic market (data/synthetic_market_generator.hpp) as one CSV
// per instrument.

#include "cli.hpp"

namespace ballast::cli {

void register_data_generate_command(CLI::App& data, Context& ctx);

}  // namespace ballast::cli
