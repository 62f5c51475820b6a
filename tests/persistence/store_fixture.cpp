#include "persistence/store_fixture.hpp"

#include <pqxx/pqxx>

#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <fstream>

namespace ballast::persistence::testing {

PostgresTarget postgres_target() {
  PostgresTarget target;
  if (const char* skip = std::getenv("BALLAST_SKIP_POSTGRES"); skip != nullptr && std::string(skip) == "1") {
    target.skip = true;
    return target;
  }
  const char* file = std::getenv("BALLAST_PG_URL_FILE");
  if (file == nullptr || *file == '\0') {
    target.problem =
        "BALLAST_PG_URL_FILE is not set: run the suite through ctest (the persistence.postgres_start fixture starts "
        "a server), or set BALLAST_SKIP_POSTGRES=1 to skip the PostgreSQL tests";
    return target;
  }
  std::ifstream in(file);
  std::string url;
  if (!in || !std::getline(in, url) || url.empty()) {
    target.problem = std::string("PostgreSQL URL file ") + file +
                     " is missing or empty: did persistence.postgres_start (scripts/pg-test-server start) fail? "
                     "Set BALLAST_SKIP_POSTGRES=1 to skip the PostgreSQL tests";
    return target;
  }
  target.url = url;
  return target;
}

namespace {

std::string unique_schema() {
  static std::atomic<int> counter{0};
  return "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
}

}  // namespace

void StoreContract::SetUp() {
  if (GetParam() == Backend::Postgres) {
    const PostgresTarget target = postgres_target();
    if (target.skip) GTEST_SKIP() << "BALLAST_SKIP_POSTGRES=1: PostgreSQL tests skipped";
    ASSERT_TRUE(target.url.has_value()) << target.problem;
    options_.url = *target.url;
    options_.schema = unique_schema();
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
