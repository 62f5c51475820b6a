// A PostgreSQL store survives its connections being cut (server restart, failover, a proxy dropping idle
// connections): the next read and the next write reconnect instead of failing until the process restarts.

#include "persistence/store_fixture.hpp"

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <string>

// libpqxx 6.4 leaks libpq's PGresult when a statement fails because the server dropped the connection (seen
// from pqxx::connection_base::register_prepared). The leak is in the library, once per dropped connection;
// LeakSanitizer would fail this program on it, so it is suppressed for libpq alone.
extern "C" const char* __lsan_default_suppressions();  // NOLINT: the sanitizer's hook
extern "C" const char* __lsan_default_suppressions() { return "leak:libpq.so\n"; }

namespace ballast::persistence::testing {
namespace {

core::UnixNanos at(int seconds) {
  return core::UnixNanos{static_cast<std::int64_t>(seconds) * 1'000'000'000};
}

// Terminates every server connection the store under test opened (they carry application_name
// "ballast/<schema>") and waits up to 5 s for each to end; returns how many were terminated.
int cut_store_connections(const StoreOptions& options) {
  pqxx::connection admin(options.url);
  pqxx::nontransaction tx(admin);
  const pqxx::result result =
      tx.exec("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = " +
              tx.quote("ballast/" + options.schema));
  int terminated = 0;
  for (const auto& row : result) {
    if (row[0].as<bool>()) ++terminated;
  }
  return terminated;
}

int store_connections(const StoreOptions& options) {
  pqxx::connection admin(options.url);
  pqxx::nontransaction tx(admin);
  return tx.exec1("SELECT count(*) FROM pg_stat_activity WHERE application_name = " +
                  tx.quote("ballast/" + options.schema))[0]
      .as<int>();
}

TEST_P(StoreContract, ReconnectsAfterThePostgresServerCutsItsConnections) {
  if (GetParam() != Backend::Postgres) GTEST_SKIP() << "a SQLite store has no server connection to lose";
  ASSERT_TRUE(store().add_user(UserRow{0, "alice", "admin", "hash-a", at(1), false}));

  // The store holds exactly two connections: the writer thread's and the reader's.
  ASSERT_EQ(store_connections(options_), 2);
  ASSERT_EQ(cut_store_connections(options_), 2);
  ASSERT_EQ(store_connections(options_), 0);

  // A read on the reader connection: retried once on a fresh connection.
  auto alice = store().find_user("alice");
  ASSERT_TRUE(alice) << alice.error().to_string();
  ASSERT_TRUE(alice->has_value());
  EXPECT_EQ((*alice)->role, "admin");

  // A synchronous write (a transaction on the writer connection): BEGIN on the dead connection reopens it.
  auto bob = store().add_user(UserRow{0, "bob", "viewer", "hash-b", at(2), false});
  ASSERT_TRUE(bob) << bob.error().to_string();

  // Cut again, then a group-committed batch: durable, and readable afterwards.
  ASSERT_EQ(cut_store_connections(options_), 2);
  WriteBatch batch;
  batch.audit.push_back({0, at(5), "alice", "risk.config.update", "ACC-1", "{}", "127.0.0.1"});
  ASSERT_TRUE(store().commit(std::move(batch)));
  auto audit = store().query_audit(TimeQuery{});
  ASSERT_TRUE(audit) << audit.error().to_string();
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].user, "alice");
  auto users = store().list_users();
  ASSERT_TRUE(users);
  EXPECT_EQ(users->size(), 2u);
  EXPECT_EQ(store_connections(options_), 2);
}

}  // namespace
}  // namespace ballast::persistence::testing
