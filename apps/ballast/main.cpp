// `ballast`: the command line of the Ballast risk-management and execution platform.
// Command groups live in *_commands.cpp; see `ballast --help` and docs/cli.md.

#include <fmt/format.h>

#include <iostream>

#include "ballast/core/log.hpp"
#include "analyze_commands.hpp"
#include "backtest_commands.hpp"
#include "cli.hpp"
#include "risk_commands.hpp"
#include "serve_commands.hpp"

namespace ballast::cli {

int report(const core::Error& error) {
  std::cerr << "ballast: error: " << error.to_string() << '\n';
  return kExitFailure;
}

void add_format_option(CLI::App* cmd, std::string& format) {
  cmd->add_option("--format", format, "Output format: table, json or csv")
      ->default_val("table")
      ->check(CLI::IsMember({"table", "json", "csv"}));
}

void on_run(CLI::App* cmd, Context& ctx, std::function<int()> action) {
  cmd->callback([&ctx, action = std::move(action)] { ctx.exit_code = action(); });
}

}  // namespace ballast::cli

int main(int argc, char** argv) {
  using namespace ballast;
  CLI::App app{"Ballast: trading risk management and execution.\n"
               "Run `ballast <command> --help` for the options of each command."};
  app.name("ballast");
  app.set_version_flag("--version", std::string("ballast ") + BALLAST_VERSION);
  app.require_subcommand(1);
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "Log level: trace, debug, info, warn, error, off")
      ->default_val("warn")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.parse_complete_callback([&log_level] { (void)core::configure_logging(log_level); });

  cli::Context ctx;
  cli::register_data_commands(app, ctx);
  cli::register_analyze_commands(app, ctx);
  cli::register_risk_commands(app, ctx);
  cli::register_backtest_commands(app, ctx);
  cli::register_serve_commands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return cli::kExitUsage;
  } catch (const core::InvariantError& e) {
    std::cerr << "ballast: internal error: " << e.what() << '\n';
    return cli::kExitFailure;
  }
  return ctx.exit_code;
}
