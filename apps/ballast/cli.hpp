#pragma once
// Shared plumbing of the `ballast` command line: each command group registers its subcommands on
// the CLI11 app; a command's action returns an exit code (0 ok, 1 bad input or failed action,
// 2 usage error) and reports errors on stderr as "ballast: error: <where>: <message>".

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "ballast/core/error.hpp"
#include "output.hpp"

namespace ballast::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Context {
  int exit_code = kExitOk;
};

// Prints "ballast: error: …" to stderr and returns kExitFailure.
int report(const core::Error& error);

// Adds --format table|json|csv (default table) to a command.
void add_format_option(CLI::App* cmd, std::string& format);

// Runs `action` as the command's callback and stores its exit code in ctx.
void on_run(CLI::App* cmd, Context& ctx, std::function<int()> action);

void register_data_commands(CLI::App& app, Context& ctx);

}  // namespace ballast::cli
