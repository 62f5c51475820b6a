#include "testkit/shared_data.hpp"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>

#include <unistd.h>

namespace ballast::testkit {

std::optional<std::filesystem::path> shared_data_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("BALLAST_SHARED_DATA"); env != nullptr && fs::is_directory(env)) {
    return fs::path(env);
  }
  for (const char* candidate : {"../shared/data", "../../shared/data", "../../../shared/data"}) {
    if (fs::is_directory(candidate)) return fs::absolute(candidate);
  }
  return std::nullopt;
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("ballast-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& content) const {
  const auto p = path_ / name;
  std::ofstream out(p, std::ios::binary);
  out << content;
  return p;
}

}  // namespace ballast::testkit
