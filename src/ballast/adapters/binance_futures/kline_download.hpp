#pragma once
// download_klines: the bars of one symbol and interval with open time in [from, to), fetched page by page
// from GET /fapi/v1/klines, oldest first.
//
// Paging: each request asks for startTime = cursor, endTime = to − 1 ms, limit = page_limit. The next
// cursor is the last bar's open time + the interval (1M: its close time + 1 ms, since months differ in
// length). It stops when the cursor reaches `to`, or when a page is empty or shorter than the limit (the
// venue has nothing more in the range). Every request goes through BinanceRestClient::send, so the
// request-weight limiter paces it (kline_request_weight(page_limit) per page).
//
// Continuity: bars must come in strictly increasing open time, each at or after the expected next open
// (the previous open + interval; 1M: previous close + 1 ms); a bar before it (a duplicate or an overlap)
// is a BadResponse error. A bar after it is a gap, reported as a warning in the summary — exchanges do
// have real gaps (maintenance) and the bars around it are still good. A missing start (the first bar opens
// one interval or more after `from`, e.g. the symbol was listed later) is a gap too; a missing end is
// reported only when `now` is given (bars that could not exist yet are not missing).
//
// Rate limits: a 429 makes the client refuse calls until Retry-After has passed; the download waits that
// long (through the client's Sleeper) and asks for the same page again, up to max_rate_limit_waits times
// in a row. A 418 (IP ban) or any other error ends the download with that error; the pages already
// delivered to on_page stay delivered.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ballast/adapters/binance_futures/api_error.hpp"
#include "ballast/adapters/binance_futures/klines.hpp"
#include "ballast/adapters/binance_futures/rest_client.hpp"
#include "ballast/core/time.hpp"

namespace ballast::adapters::binance {

struct KlineGap {
  core::UnixNanos expected_open;  // the first open time that did not come
  core::UnixNanos next_open;      // the open time that came instead (or the end of the range)
  std::int64_t missing_bars{0};   // whole bars missing (months for 1M)
  // "3 bars missing from 2024-01-01T00:10:00Z to 2024-01-01T00:13:00Z".
  std::string describe() const;
};

struct KlineDownloadOptions {
  int page_limit{kKlineMaxLimit};  // 1..1500
  int max_rate_limit_waits{5};     // consecutive 429s waited out for one page before giving up
  // The current time: bars not closed yet (ts_recv > now) are left out and a missing end is reported.
  std::optional<core::UnixNanos> now;
};

struct KlineDownloadSummary {
  std::size_t bars{0};
  std::size_t requests{0};          // pages asked for, including those refused with 429
  std::size_t rate_limit_waits{0};  // 429s waited out
  std::size_t unclosed_dropped{0};  // bars left out because they were not closed at `now`
  std::vector<KlineGap> gaps;
};

// Receives each page's bars (never empty, strictly increasing, no bar twice) as soon as it is checked.
using KlinePageHandler = std::function<void(std::span<const Kline> page)>;

ApiResult<KlineDownloadSummary> download_klines(BinanceRestClient& rest, const std::string& symbol,
                                                KlineInterval interval, core::UnixNanos from, core::UnixNanos to,
                                                const KlinePageHandler& on_page,
                                                const KlineDownloadOptions& options = {});

// How many bars [from, to) holds when none is missing: bars opening at UTC-aligned multiples of the
// interval (1w: Mondays; 1M: first days of months) in the range. An estimate for 3d, whose alignment is
// Binance's own.
std::int64_t expected_kline_count(KlineInterval interval, core::UnixNanos from, core::UnixNanos to);

}  // namespace ballast::adapters::binance
