#pragma once
// Registration of `ballast analyze …` subcommands (split across analyze_*.cpp by concern).

#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"

namespace ballast::cli {

// A position of positions.json: {"instrument": "BTCUSDT", "quantity": -2.5, "price": 47000,
// "multiplier": 1, "asset_class": "crypto-major"}; price defaults to the last close of its data.
struct PositionInput {
  std::string instrument;
  double quantity = 0.0;
  std::optional<double> price;
  double multiplier = 1.0;
  std::string asset_class;
};

core::Result<std::vector<PositionInput>> read_positions_file(const std::string& path);

void register_analyze_commands(CLI::App& app, Context& ctx);
void register_analyze_stress_command(CLI::App& analyze, Context& ctx);
void register_analyze_metrics_command(CLI::App& analyze, Context& ctx);
void register_analyze_market_commands(CLI::App& analyze, Context& ctx);

}  // namespace ballast::cli
