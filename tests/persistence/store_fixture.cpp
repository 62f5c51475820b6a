#include "persistence/store_fixture.hpp"

#include "testkit/postgres.hpp"

#include <pqxx/pqxx>

#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <fstream>

namespace ballast::persistence::testing {

void StoreContract::SetUp() {
  if (GetParam() == Backend::Postgres) {
    const testkit::PostgresTarget target = testkit::postgres_target();
    if (target.skip) GTEST_SKIP() << "BALLAST_SKIP_POSTGRES=1: PostgreSQL tests skipped";
    ASSERT_TRUE(target.url.has_value()) << target.problem;
    options_.url = *target.url;
    options_.schema = testkit::unique_schema();
  } else {
    temp_.emplace();
    options_.url = (temp_->path() / "ballast.db").string();
  }
  auto opened = Store::open(options_);
  ASSERT_TRUE(opened) << opened.error().to_string();
  store_ = std::move(*opened);
}

void StoreContract::TearDown() {
  store_.reset();
  if (GetParam() == Backend::Postgres && !options_.schema.empty()) {
    try {
      pqxx::connection connection(options_.url);
      pqxx::nontransaction tx(connection);
      tx.exec("DROP SCHEMA IF EXISTS " + options_.schema + " CASCADE");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "dropping schema " << options_.schema << ": " << e.what();
    }
  }
}

void StoreContract::reopen() {
  store_.reset();
  auto opened = Store::open(options_);
  ASSERT_TRUE(opened) << opened.error().to_string();
  store_ = std::move(*opened);
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return std::string(to_string(info.param));
}

}  // namespace ballast::persistence::testing

namespace ballast::persistence::testing {

// One instantiation per backend, so CTest can label and filter the PostgreSQL ones ("Postgres/*").
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(Backend::Sqlite), backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, StoreContract, ::testing::Values(Backend::Postgres), backend_name);

}  // namespace ballast::persistence::testing
