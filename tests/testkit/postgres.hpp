#pragma once
// The throwaway PostgreSQL server of the test run: scripts/pg-test-server starts it as the CTest fixture
// "postgres" and writes its URL to a file that CTest names in BALLAST_PG_URL_FILE. Without that file a
// PostgreSQL test must FAIL (a fresh machine must run them), unless BALLAST_SKIP_POSTGRES=1 (then skip).

#include <optional>
#include <string>

namespace ballast::testkit {

struct PostgresTarget {
  std::optional<std::string> url;
  bool skip = false;
  std::string problem;  // why there is no URL
};
PostgresTarget postgres_target();

// A schema name unique within the test run ("t_<pid>_<n>"), so tests sharing the server do not collide.
std::string unique_schema();

}  // namespace ballast::testkit
