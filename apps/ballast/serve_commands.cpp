// `ballast serve`, `ballast user add|list|passwd`, `ballast db migrate|status` (docs/cli.md, docs/configuration.md).

#include "serve_commands.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/core/log.hpp"
#include "ballast/persistence/store.hpp"
#include "ballast/server/password_hasher.hpp"
#include "ballast/server/role.hpp"
#include "ballast/server/server_app.hpp"
#include "ballast/server/service_config.hpp"

#include <fmt/format.h>

#include <csignal>
#include <iostream>
#include <optional>
#include <pthread.h>

extern char** environ;

namespace ballast::cli {
namespace {

struct ServeOptions {
  std::string config_file;
  std::string host;
  int port = -1;
  std::string data_dir;
  bool check_config = false;
};

// The configuration: defaults ← --config file (or ./ballast.toml when present) ← BALLAST_* ← flags.
core::Result<server::ServiceConfig> load_config(const ServeOptions& o) {
  server::ConfigSource source;
  if (!o.config_file.empty()) {
    source.file = o.config_file;
  } else if (std::filesystem::exists("ballast.toml")) {
    source.file = "ballast.toml";
  }
  source.environment = server::environment_from(environ);
  auto config = server::load_service_config(source);
  if (!config) return config.error();
  if (!o.host.empty()) config->host = o.host;
  if (o.port >= 0) config->port = static_cast<std::uint16_t>(o.port);
  if (!o.data_dir.empty()) config->data_dir = o.data_dir;
  BALLAST_TRY(server::validate(*config));
  return config;
}

void add_common_options(CLI::App* cmd, ServeOptions& o) {
  cmd->add_option("--config", o.config_file, "ballast.toml (default: ./ballast.toml when present)");
  cmd->add_option("--data-dir", o.data_dir, "Data directory (default ./var): SQLite store, token secret");
}

core::Result<std::unique_ptr<persistence::Store>> open_store(const server::ServiceConfig& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  persistence::StoreOptions so;
  so.url = server::effective_database_url(config);
  return persistence::Store::open(so);
}

// Blocks SIGINT/SIGTERM in every thread (set before the server's threads start), then waits for one.
int wait_for_signal(sigset_t& set) {
  int signal = 0;
  sigwait(&set, &signal);
  return signal;
}

int run_serve(const ServeOptions& o) {
  auto config = load_config(o);
  if (!config) return report(config.error());
  if (o.check_config) {
    std::cout << "configuration OK\n" << server::to_toml(*config);
    return kExitOk;
  }
  (void)core::configure_logging(config->log_level, config->log_format == "json" ? core::LogFormat::Json : core::LogFormat::Text);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  core::LiveClock wall;
  auto app = server::ServerApp::start(*config, wall);
  if (!app) return report(app.error());
  std::cout << "Ballast " << server::server_version() << " serving on " << (*app)->url() << '\n'
            << "  store: " << server::effective_database_url(*config) << '\n'
            << "  paper account " << config->account_id << " (" << config->feed << " market, speed " << config->speed
            << "x)\n";
  if (const auto& password = (*app)->first_run_password()) {
    std::cout << "  first run: created user 'admin' with password " << *password << '\n'
              << "  (also in " << (config->data_dir / "initial-admin-password").string()
              << "; change it with `ballast user passwd admin`)\n";
  }
  std::cout << "Press Ctrl-C to stop." << std::endl;
  const int signal = wait_for_signal(set);
  core::logger().info("serve: signal {} received, shutting down", signal);
  (*app)->stop();
  std::cout << "Ballast stopped." << std::endl;
  return kExitOk;
}

std::optional<std::string> read_password_stdin() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

}  // namespace

void register_serve_commands(CLI::App& app, Context& ctx) {
  auto serve = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the Ballast service: REST + WebSocket API, paper trading, risk monitor");
  add_common_options(cmd, *serve);
  cmd->add_option("--host", serve->host, "Listen address (default 127.0.0.1)");
  cmd->add_option("--port", serve->port, "Listen port (default 8080)")->check(CLI::Range(0, 65535));
  cmd->add_flag("--check-config", serve->check_config, "Validate the configuration, print it and exit");
  on_run(cmd, ctx, [serve] { return run_serve(*serve); });

  // ---- users ----
  CLI::App* user = app.add_subcommand("user", "Manage API users (stored in the service's database)");
  user->require_subcommand(1);
  auto uo = std::make_shared<ServeOptions>();
  auto name = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>("viewer");
  auto from_stdin = std::make_shared<bool>(false);

  CLI::App* add = user->add_subcommand("add", "Add a user: ballast user add NAME --role admin|trader|viewer --password-stdin");
  add->add_option("name", *name, "User name")->required();
  add->add_option("--role", *role, "viewer (read), trader (trade), admin (configure, reset)")
      ->check(CLI::IsMember({"viewer", "trader", "admin"}));
  add->add_flag("--password-stdin", *from_stdin, "Read the password from standard input (otherwise one is generated)");
  add_common_options(add, *uo);
  on_run(add, ctx, [uo, name, role, from_stdin] {
    auto config = load_config(*uo);
    if (!config) return report(config.error());
    auto store = open_store(*config);
    if (!store) return report(store.error());
    std::string password;
    if (*from_stdin) {
      auto read = read_password_stdin();
      if (!read || read->size() < 8) {
        return report(core::Error(core::ErrorCode::InvalidArgument, "the password must have at least 8 characters", "stdin"));
      }
      password = *read;
    } else {
      auto generated = server::generate_password(20);
      if (!generated) return report(generated.error());
      password = *generated;
    }
    auto hash = server::hash_password(password);
    if (!hash) return report(hash.error());
    persistence::UserRow row;
    row.name = *name;
    row.role = *role;
    row.password_hash = *hash;
    row.created = core::LiveClock().now();
    if (auto added = (*store)->add_user(row); !added) return report(added.error());
    std::cout << "added user " << *name << " (" << *role << ")";
    if (!*from_stdin) std::cout << " with password " << password;
    std::cout << '\n';
    return kExitOk;
  });

  CLI::App* list = user->add_subcommand("list", "List users and roles");
  add_common_options(list, *uo);
  on_run(list, ctx, [uo] {
    auto config = load_config(*uo);
    if (!config) return report(config.error());
    auto store = open_store(*config);
    if (!store) return report(store.error());
    auto users = (*store)->list_users();
    if (!users) return report(users.error());
    std::cout << fmt::format("{:<20} {:<8} {:<9} {}\n", "NAME", "ROLE", "DISABLED", "CREATED");
    for (const auto& u : *users) {
      std::cout << fmt::format("{:<20} {:<8} {:<9} {}\n", u.name, u.role, u.disabled ? "yes" : "no",
                               core::format_iso8601(u.created));
    }
    return kExitOk;
  });

  CLI::App* passwd = user->add_subcommand("passwd", "Set a user's password (read from standard input)");
  auto pname = std::make_shared<std::string>();
  passwd->add_option("name", *pname, "User name")->required();
  add_common_options(passwd, *uo);
  on_run(passwd, ctx, [uo, pname] {
    auto config = load_config(*uo);
    if (!config) return report(config.error());
    auto store = open_store(*config);
    if (!store) return report(store.error());
    auto found = (*store)->find_user(*pname);
    if (!found) return report(found.error());
    if (!found->has_value()) return report(core::Error(core::ErrorCode::NotFound, "no such user", *pname));
    auto read = read_password_stdin();
    if (!read || read->size() < 8) {
      return report(core::Error(core::ErrorCode::InvalidArgument, "the password must have at least 8 characters", "stdin"));
    }
    auto hash = server::hash_password(*read);
    if (!hash) return report(hash.error());
    persistence::UserRow row = **found;
    row.password_hash = *hash;
    if (auto s = (*store)->update_user(row); !s) return report(s.error());
    std::cout << "password of " << *pname << " changed\n";
    return kExitOk;
  });

  // ---- database ----
  CLI::App* db = app.add_subcommand("db", "The service's database: migrations");
  db->require_subcommand(1);
  auto dbo = std::make_shared<ServeOptions>();
  for (const bool migrate : {true, false}) {
    CLI::App* c = db->add_subcommand(migrate ? "migrate" : "status",
                                     migrate ? "Apply pending migrations" : "Show the applied and pending migrations");
    add_common_options(c, *dbo);
    on_run(c, ctx, [dbo, migrate] {
      auto config = load_config(*dbo);
      if (!config) return report(config.error());
      // Opening the store applies pending migrations; `status` lists them afterwards as applied.
      auto store = open_store(*config);
      if (!store) return report(store.error());
      auto migrations = (*store)->migrations();
      if (!migrations) return report(migrations.error());
      std::cout << "store: " << server::effective_database_url(*config) << " ("
                << persistence::to_string((*store)->backend()) << ")\n";
      for (const auto& m : *migrations) {
        std::cout << fmt::format("{:>4}  {:<40} {}\n", m.version, m.name,
                                 m.applied ? "applied " + (m.applied_at ? core::format_iso8601(*m.applied_at) : std::string())
                                           : std::string("pending"));
      }
      if (migrate) std::cout << "up to date\n";
      return kExitOk;
    });
  }
}

}  // namespace ballast::cli
