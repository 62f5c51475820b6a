#include "testkit/postgres.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>

namespace ballast::testkit {

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

std::string unique_schema() {
  static std::atomic<int> counter{0};
  return "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
}

}  // namespace ballast::testkit
