// download_klines against the mock exchange: paging, continuity, gaps, 429 back-off, weight pacing.

#include "ballast/adapters/binance_futures/kline_download.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "testkit/venues/binance_test_support.hpp"

namespace ballast::adapters::binance::testing {
namespace {

constexpr std::int64_t kStartMs = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kMinuteMs = 60'000;

core::UnixNanos minute(std::int64_t n) {
  return core::UnixNanos::from_millis(kStartMs + n * kMinuteMs);
}

struct Collected {
  std::vector<Kline> bars;
  std::vector<std::size_t> page_sizes;
  KlinePageHandler handler() {
    return [this](std::span<const Kline> page) {
      page_sizes.push_back(page.size());
      bars.insert(bars.end(), page.begin(), page.end());
    };
  }
};

TEST(DownloadKlines, ThreeThousandMinuteBarsComeInTwoFullPagesWithoutGapsOrRepeats) {
  RestHarness h;
  h.mock.set_klines("BTCUSDT", "1m", kStartMs, 3000);
  Collected got;
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(0), minute(3000), got.handler());
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  ASSERT_EQ(got.bars.size(), 3000u);
  EXPECT_EQ(summary->bars, 3000u);
  EXPECT_EQ(got.page_sizes, (std::vector<std::size_t>{1500, 1500}));
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/klines"), 2u);
  EXPECT_TRUE(summary->gaps.empty());
  for (std::size_t i = 0; i < got.bars.size(); ++i) {
    ASSERT_EQ(got.bars[i].bar.ts_event, minute(static_cast<std::int64_t>(i))) << i;
    ASSERT_EQ(got.bars[i].bar.ts_recv, minute(static_cast<std::int64_t>(i) + 1)) << i;
  }
  // The second page starts right after the first page's last bar: 2024-01-01 + 1500 min = 1704157200000 ms;
  // endTime is `to` − 1 ms = 1704067200000 + 3000·60000 − 1.
  const auto targets = h.mock.targets("/fapi/v1/klines");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_NE(targets[0].find("startTime=1704067200000"), std::string::npos) << targets[0];
  EXPECT_NE(targets[1].find("startTime=1704157200000"), std::string::npos) << targets[1];
  EXPECT_NE(targets[1].find("endTime=1704247199999"), std::string::npos) << targets[1];
  EXPECT_NE(targets[1].find("limit=1500"), std::string::npos) << targets[1];

  // First bar, index 0 of the mock's generator worked by hand: open 3000000 + 0·50 cents = 30000.00;
  // even index → close = open + 0.25; high = close + 1.00; low = open − 1.00; volume (1000 + 0)/1000;
  // quote volume 1.000 × 30000.25; trades 100; taker base volume/2; taker quote 0.5000 × 30000.25.
  const Kline& first = got.bars.front();
  EXPECT_EQ(first.bar.open.value().to_string(), "30000.00");
  EXPECT_EQ(first.bar.close.value().to_string(), "30000.25");
  EXPECT_EQ(first.bar.high.value().to_string(), "30001.25");
  EXPECT_EQ(first.bar.low.value().to_string(), "29999.00");
  EXPECT_EQ(first.bar.volume.value().to_string(), "1.000");
  EXPECT_EQ(first.quote_volume.to_string(), "30000.25000");
  EXPECT_EQ(first.trade_count, 100);
  EXPECT_EQ(first.taker_buy_base_volume.to_string(), "0.5000");
  EXPECT_EQ(first.taker_buy_quote_volume.to_string(), "15000.125000");
  // Last bar, index 2999: 2999 mod 200 = 199 → open 30000.00 + 199·0.50 = 30099.50; odd → close 30099.25;
  // high 30100.50, low 30098.25; 2999 mod 7 = 3 → volume 1.375; 2999 mod 50 = 49 → 149 trades.
  const Kline& last = got.bars.back();
  EXPECT_EQ(last.bar.open.value().to_string(), "30099.50");
  EXPECT_EQ(last.bar.close.value().to_string(), "30099.25");
  EXPECT_EQ(last.bar.high.value().to_string(), "30100.50");
  EXPECT_EQ(last.bar.low.value().to_string(), "30098.25");
  EXPECT_EQ(last.bar.volume.value().to_string(), "1.375");
  EXPECT_EQ(last.trade_count, 149);
  // And both agree with the generator itself.
  const MockKline g = mock_kline(2999, kStartMs + 2999 * kMinuteMs, kStartMs + 3000 * kMinuteMs - 1);
  EXPECT_EQ(last.quote_volume.to_string(), g.quote_volume);
  EXPECT_EQ(last.taker_buy_quote_volume.to_string(), g.taker_buy_quote);
}

TEST(DownloadKlines, AGapIsReportedAsAWarningAndTheBarsAroundItAreKept) {
  RestHarness h;
  h.mock.set_klines("BTCUSDT", "1m", kStartMs, 3000);
  h.mock.add_kline_gap(kStartMs + 100 * kMinuteMs, kStartMs + 105 * kMinuteMs);  // bars 100..104 missing
  Collected got;
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(0), minute(3000), got.handler());
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(got.bars.size(), 2995u);
  ASSERT_EQ(summary->gaps.size(), 1u);
  EXPECT_EQ(summary->gaps[0].expected_open, minute(100));
  EXPECT_EQ(summary->gaps[0].next_open, minute(105));
  EXPECT_EQ(summary->gaps[0].missing_bars, 5);
  // 100 minutes after midnight is 01:40.
  EXPECT_EQ(summary->gaps[0].describe(), "5 bars missing from 2024-01-01T01:40:00Z to 2024-01-01T01:45:00Z");
  EXPECT_EQ(got.bars[99].bar.ts_event, minute(99));
  EXPECT_EQ(got.bars[100].bar.ts_event, minute(105));
  for (std::size_t i = 1; i < got.bars.size(); ++i) ASSERT_LT(got.bars[i - 1].bar.ts_event, got.bars[i].bar.ts_event);
}

TEST(DownloadKlines, AMissingStartIsAGapButARangeStartingMidBarIsNot) {
  RestHarness h;
  h.mock.set_klines("BTCUSDT", "1m", kStartMs + 10 * kMinuteMs, 20);  // "listed" at 00:10
  Collected got;
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(0), minute(30), got.handler());
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(got.bars.size(), 20u);
  ASSERT_EQ(summary->gaps.size(), 1u);
  EXPECT_EQ(summary->gaps[0].expected_open, minute(0));
  EXPECT_EQ(summary->gaps[0].missing_bars, 10);

  // From 00:10:30 the first whole bar opens at 00:11: nothing is missing.
  Collected mid;
  auto from_mid = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1,
                                  minute(10) + core::Duration(30 * core::kNanosPerSecond), minute(30), mid.handler());
  ASSERT_TRUE(from_mid.has_value()) << from_mid.error().message();
  EXPECT_EQ(mid.bars.size(), 19u);
  EXPECT_EQ(mid.bars.front().bar.ts_event, minute(11));
  EXPECT_TRUE(from_mid->gaps.empty());
}

TEST(DownloadKlines, A429DuringPagingIsWaitedOutAndThePageAskedForAgain) {
  RestHarness h;
  h.mock.set_klines("BTCUSDT", "1m", kStartMs, 3000);
  Collected got;
  const KlinePageHandler collect = got.handler();
  bool injected = false;
  const KlinePageHandler handler = [&](std::span<const Kline> page) {
    collect(page);
    if (!injected) {
      injected = true;
      h.mock.fail_next(429, 1, -1003, "Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute.",
                       7);
    }
  };
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(0), minute(3000), handler);
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(got.bars.size(), 3000u);
  EXPECT_EQ(summary->rate_limit_waits, 1u);
  EXPECT_EQ(summary->requests, 3u);
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/klines"), 3u);
  // The wait is the Retry-After of the 429 (7 s), taken through the client's sleeper.
  ASSERT_FALSE(h.sleeps.empty());
  EXPECT_EQ(h.sleeps.back(), core::Duration(7 * core::kNanosPerSecond));
  for (std::size_t i = 0; i < got.bars.size(); ++i) ASSERT_EQ(got.bars[i].bar.ts_event, minute(static_cast<std::int64_t>(i)));
}

TEST(DownloadKlines, GivesUpAfterTooMany429sInARow) {
  RestHarness h;
  h.mock.set_klines("BTCUSDT", "1m", kStartMs, 100);
  h.mock.fail_next(429, 10, -1003, "Too many requests.", 1);
  KlineDownloadOptions options;
  options.max_rate_limit_waits = 2;
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(0), minute(100), {}, options);
  ASSERT_FALSE(summary.has_value());
  EXPECT_EQ(summary.error().kind, ApiErrorKind::RateLimited);
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/klines"), 3u);  // the first try and two more after waiting
}

TEST(DownloadKlines, An418BanEndsTheDownload) {
  RestHarness h;
  h.mock.set_klines("BTCUSDT", "1m", kStartMs, 100);
  h.mock.fail_next(418, 1, -1003, "Way too many requests; IP banned until 1700000999000.");
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(0), minute(100), {});
  ASSERT_FALSE(summary.has_value());
  EXPECT_EQ(summary.error().kind, ApiErrorKind::Banned);
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/klines"), 1u);
}

TEST(DownloadKlines, TheWeightLimiterMakesTheSecondPageWaitForTheNextMinute) {
  // Budget 15 per minute; a 1500-bar page weighs 10, so the second page must wait for the next minute.
  RestHarness h([](BinanceRestConfig& c) { c.weight_limit_per_minute = 15; });
  h.mock.set_klines("BTCUSDT", "1m", kStartMs, 3000);
  Collected got;
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(0), minute(3000), got.handler());
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(got.bars.size(), 3000u);
  // The test clock starts at 1700000000 s; 1700000000 mod 60 = 20, so the next minute is 40 s away.
  ASSERT_EQ(h.sleeps.size(), 1u);
  EXPECT_EQ(h.sleeps[0], core::Duration(40 * core::kNanosPerSecond));
}

TEST(DownloadKlines, AnUnknownSymbolIsTheVenuesMinus1121) {
  RestHarness h;
  h.mock.set_klines("BTCUSDT", "1m", kStartMs, 10);
  auto summary = download_klines(*h.rest, "BTCUSDX", KlineInterval::Min1, minute(0), minute(10), {});
  ASSERT_FALSE(summary.has_value());
  EXPECT_TRUE(summary.error().has_code(-1121)) << summary.error().message();
  EXPECT_EQ(summary.error().kind, ApiErrorKind::VenueReject);
}

TEST(DownloadKlines, AnEmptyRangeIsRefusedWithoutARequest) {
  RestHarness h;
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(10), minute(10), {});
  ASSERT_FALSE(summary.has_value());
  EXPECT_EQ(summary.error().kind, ApiErrorKind::InvalidRequest);
  EXPECT_EQ(h.mock.request_count(), 0u);
}

TEST(DownloadKlines, MonthlyBarsArePagedByTheirCloseTimes) {
  RestHarness h;
  h.mock.set_klines("BTCUSDT", "1M", kStartMs, 14);  // 2024-01 … 2025-02
  Collected got;
  KlineDownloadOptions options;
  options.page_limit = 5;
  const auto from = core::UnixNanos::from_millis(kStartMs);
  const auto to = core::UnixNanos::from_millis(1'740'787'200'000);  // 2025-03-01T00:00:00Z
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Month1, from, to, got.handler(), options);
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(got.page_sizes, (std::vector<std::size_t>{5, 5, 4}));
  ASSERT_EQ(got.bars.size(), 14u);
  EXPECT_TRUE(summary->gaps.empty());
  // February 2024 (a leap year, 29 days): 2024-02-01 = 1706745600 s, 2024-03-01 = 1706745600 + 29·86400 s.
  EXPECT_EQ(got.bars[1].bar.ts_event, core::UnixNanos::from_millis(1'706'745'600'000));
  EXPECT_EQ(got.bars[1].bar.ts_recv, core::UnixNanos::from_millis(1'709'251'200'000));
  // The third page starts at 2024-11-01 = 1730419200 s (the close of October + 1 ms).
  const auto targets = h.mock.targets("/fapi/v1/klines");
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_NE(targets[2].find("startTime=1730419200000"), std::string::npos) << targets[2];
  EXPECT_EQ(expected_kline_count(KlineInterval::Month1, from, to), 14);
}

TEST(DownloadKlines, BarsNotClosedYetAreLeftOut) {
  RestHarness h;
  h.mock.set_klines("BTCUSDT", "1m", kStartMs, 10);
  Collected got;
  KlineDownloadOptions options;
  options.now = minute(5) + core::Duration(30 * core::kNanosPerSecond);  // bar 5 (00:05–00:06) still open
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(0), minute(10), got.handler(), options);
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(got.bars.size(), 5u);
  EXPECT_EQ(summary->unclosed_dropped, 1u);
  EXPECT_TRUE(summary->gaps.empty());
}

TEST(DownloadKlines, AMissingEndIsAGapOnlyWhenTheBarsShouldExist) {
  RestHarness h;
  h.mock.set_klines("BTCUSDT", "1m", kStartMs, 5);
  KlineDownloadOptions options;
  options.now = minute(20);
  auto summary = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(0), minute(10), {}, options);
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(summary->bars, 5u);
  ASSERT_EQ(summary->gaps.size(), 1u);
  EXPECT_EQ(summary->gaps[0].expected_open, minute(5));
  EXPECT_EQ(summary->gaps[0].missing_bars, 5);

  // Without `now` the end is not judged (the bars may not exist yet).
  auto unjudged = download_klines(*h.rest, "BTCUSDT", KlineInterval::Min1, minute(0), minute(10), {});
  ASSERT_TRUE(unjudged.has_value());
  EXPECT_TRUE(unjudged->gaps.empty());
}

TEST(ExpectedKlineCount, CountsAlignedOpensInTheRange) {
  const auto day = core::Duration(core::kNanosPerDay);
  EXPECT_EQ(expected_kline_count(KlineInterval::Min1, minute(0), minute(0) + day), 1440);
  EXPECT_EQ(expected_kline_count(KlineInterval::Hour4, minute(0), minute(0) + day), 6);
  // January 2024 has Mondays on the 1st, 8th, 15th, 22nd and 29th.
  EXPECT_EQ(expected_kline_count(KlineInterval::Week1, minute(0), minute(0) + 31 * day), 5);
  // From 2024-01-15 to 2024-04-01: months opening on Feb 1 and Mar 1.
  EXPECT_EQ(expected_kline_count(KlineInterval::Month1, minute(0) + 14 * day, minute(0) + 91 * day), 2);
}

}  // namespace
}  // namespace ballast::adapters::binance::testing
