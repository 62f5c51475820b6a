#pragma once
// Registration of `ballast risk …`: position sizing, margin and liquidation of a snapshot
// (risk_commands.cpp), and the pre-trade check, capacity and assessment against a risk configuration
// (risk_check_commands.cpp). Input files: risk_input.hpp; reference: docs/cli.md, docs/risk/calculator.md.

#include <string>

#include "ballast/core/decimal.hpp"
#include "cli.hpp"

namespace ballast::cli {

void register_risk_commands(CLI::App& app, Context& ctx);
void register_risk_check_commands(CLI::App& risk, Context& ctx);

// The same value with trailing fractional zeros dropped (1023.60000000 → 1023.6), for readable tables.
core::Decimal trimmed(const core::Decimal& d);

}  // namespace ballast::cli
