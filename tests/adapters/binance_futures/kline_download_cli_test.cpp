// End to end: the real `ballast data download --venue binance` against the mock exchange on 127.0.0.1,
// and the file it writes read back with the data module's reader (the one `ballast backtest --data` uses).
// The binary is BALLAST_BIN from the environment, else the path CMake compiled in (BALLAST_BIN_PATH).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "ballast/data/binance_kline_csv.hpp"
#include "testkit/serve_process.hpp"
#include "testkit/venues/binance_mock.hpp"

namespace ballast::adapters::binance::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kStartMs = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

struct CliRun {
  int exit_code{-1};
  std::string out;
  std::string err;
};

class KlineDownloadCli : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = testkit::ballast_binary();
    if (bin_.empty() || !fs::exists(bin_)) {
      GTEST_SKIP() << "the ballast binary is not built (set BALLAST_BIN or build the `ballast` target): '" << bin_
                   << "'";
    }
    dir_ = fs::temp_directory_path() / fmt::format("ballast-klines-{}-{}", ::getpid(), counter_++);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  CliRun run(const std::string& args) {
    const fs::path out = dir_ / "stdout.txt", err = dir_ / "stderr.txt";
    const std::string command = fmt::format("'{}' {} > '{}' 2> '{}'", bin_, args, out.string(), err.string());
    const int status = std::system(command.c_str());
    CliRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = testkit::read_file(out);
    r.err = testkit::read_file(err);
    return r;
  }

  std::string common(const std::string& symbol, const std::string& interval, const fs::path& file) const {
    return fmt::format("data download --venue binance --symbol {} --interval {} --from 2024-01-01 --to 2024-01-03 "
                       "--out '{}' --base-url {}",
                       symbol, interval, file.string(), mock_.url());
  }

  static inline int counter_ = 0;
  std::string bin_;
  fs::path dir_;
  BinanceMock mock_;
};

TEST_F(KlineDownloadCli, WritesTwoDaysOfMinuteBarsThatTheDataReaderReadsBack) {
  mock_.set_klines("BTCUSDT", "1m", kStartMs, 3000);
  const fs::path file = dir_ / "btc.csv";
  const CliRun r = run(common("BTCUSDT", "1m", file));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Two days of minutes = 2880 bars: a full page of 1500, then 1380 (short: the end of the range).
  EXPECT_EQ(mock_.request_count("GET", "/fapi/v1/klines"), 2u);
  EXPECT_NE(r.err.find("1500/2880 bars"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2880/2880 bars"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(file.string() + fmt::format(".part-{}", ::getpid())));

  auto read = data::read_binance_klines(file);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  ASSERT_EQ(read->series.bars.size(), 2880u);
  EXPECT_EQ(read->series.interval, core::Duration(60 * core::kNanosPerSecond));
  EXPECT_EQ(read->series.bars.front().ts_event, core::UnixNanos::from_millis(kStartMs));
  // The last bar opens at 2024-01-02T23:59:00Z = 1704067200000 + 2879·60000 ms.
  EXPECT_EQ(read->series.bars.back().ts_event, core::UnixNanos::from_millis(kStartMs + 2879 * 60'000));
  // Index 0 of the generator (hand-worked in kline_download_test.cpp): 30000.00 → 30000.25, 100 trades.
  EXPECT_EQ(read->series.bars.front().open.value().to_string(), "30000.00");
  EXPECT_EQ(read->series.bars.front().close.value().to_string(), "30000.25");
  EXPECT_EQ(read->extras.front().trade_count, 100);
  EXPECT_EQ(read->extras.front().quote_volume.to_string(), "30000.25000");
  for (std::size_t i = 1; i < read->series.bars.size(); ++i) {
    ASSERT_EQ(read->series.bars[i].ts_event - read->series.bars[i - 1].ts_event, read->series.interval) << i;
  }
}

TEST_F(KlineDownloadCli, AGapIsAWarningAndTheFileIsStillWritten) {
  mock_.set_klines("BTCUSDT", "1m", kStartMs, 3000);
  mock_.add_kline_gap(kStartMs + 60 * 60'000, kStartMs + 63 * 60'000);  // 01:00, 01:01, 01:02 missing
  const fs::path file = dir_ / "gap.csv";
  const CliRun r = run(common("BTCUSDT", "1m", file));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: gap: 3 bars missing from 2024-01-01T01:00:00Z to 2024-01-01T01:03:00Z"),
            std::string::npos)
      << r.err;
  auto read = data::read_binance_klines(file);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  EXPECT_EQ(read->series.bars.size(), 2877u);
}

TEST_F(KlineDownloadCli, AnUnknownSymbolIsAClearErrorAndNoFileIsLeft) {
  mock_.set_klines("BTCUSDT", "1m", kStartMs, 3000);
  const fs::path file = dir_ / "bad.csv";
  const CliRun r = run(common("BTCUSDX", "1m", file));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--symbol"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'BTCUSDX' is not a Binance"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("-1121"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2);  // stdout.txt, stderr.txt
}

TEST_F(KlineDownloadCli, AnUnknownIntervalListsTheChoicesWithoutContactingTheVenue) {
  const CliRun r = run(common("BTCUSDT", "2m", dir_ / "x.csv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--interval"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M"), std::string::npos) << r.err;
  EXPECT_EQ(mock_.request_count(), 0u);
}

TEST_F(KlineDownloadCli, FromNotBeforeToIsAnError) {
  const CliRun r = run(fmt::format("data download --symbol BTCUSDT --interval 1m --from 2024-01-02 --to 2024-01-01 "
                                "--out '{}' --base-url {}",
                                (dir_ / "x.csv").string(), mock_.url()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--from 2024-01-02T00:00:00Z is not before --to 2024-01-01T00:00:00Z"), std::string::npos)
      << r.err;
  EXPECT_EQ(mock_.request_count(), 0u);
}

TEST_F(KlineDownloadCli, AnUnwritablePathFailsBeforeAnyRequest) {
  const CliRun r = run(common("BTCUSDT", "1m", dir_ / "no-such-dir" / "x.csv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cannot write"), std::string::npos) << r.err;
  EXPECT_EQ(mock_.request_count(), 0u);
}

TEST_F(KlineDownloadCli, HyperliquidIsNotSupportedYet) {
  const CliRun r = run(fmt::format("data download --venue hyperliquid --symbol BTC --interval 1m --from 2024-01-01 "
                                "--to 2024-01-02 --out '{}'",
                                (dir_ / "x.csv").string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not supported yet"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ballast::adapters::binance::testing
