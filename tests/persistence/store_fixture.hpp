#pragma once
// The backend-parameterised fixture of the persistence tests: every StoreContract test runs against SQLite
// (a file in a temp dir) and PostgreSQL (a fresh schema per test in the cluster started by
// scripts/pg-test-server; CTest passes its URL file in BALLAST_PG_URL_FILE). Without that file the
// PostgreSQL instances FAIL, unless BALLAST_SKIP_POSTGRES=1 (then they are skipped).

#include "ballast/persistence/store.hpp"
#include "testkit/shared_data.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace ballast::persistence {
// Test names show the backend ("GetParam() = sqlite") instead of raw bytes.
inline void PrintTo(Backend backend, std::ostream* out) {
  *out << to_string(backend);
}
}  // namespace ballast::persistence

namespace ballast::persistence::testing {

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  // Closes the store and opens the same database again.
  void reopen();
  StoreOptions options_;
  std::unique_ptr<Store> store_;

 private:
  std::optional<testkit::TempDir> temp_;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

}  // namespace ballast::persistence::testing
