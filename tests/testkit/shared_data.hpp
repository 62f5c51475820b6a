#pragma once
// Locates ../shared/data (real market data kept beside the project). Tests that use it call
// BALLAST_REQUIRE_SHARED_DATA() and are skipped with a message when the folder is absent.

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

namespace ballast::testkit {

// The folder from $BALLAST_SHARED_DATA (set by CTest) or ../shared/data relative to the working dir.
std::optional<std::filesystem::path> shared_data_dir();

// A fresh, empty directory under the system temp dir, removed when the object is destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/name and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace ballast::testkit

#define BALLAST_REQUIRE_SHARED_DATA(var)                                                       \
  const auto var##_opt = ::ballast::testkit::shared_data_dir();                                \
  if (!var##_opt) GTEST_SKIP() << "../shared/data not found (set BALLAST_SHARED_DATA); skipped"; \
  const std::filesystem::path var = *var##_opt
