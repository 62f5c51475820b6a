#include "ballast/adapters/binance_futures/kline_download.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace ballast::adapters::binance {
namespace {

constexpr std::string_view kEndpoint = "GET /fapi/v1/klines";

// Weekly klines open on Mondays 00:00 UTC; 1970-01-01 was a Thursday, so the first Monday is 4 days later.
core::Duration alignment_offset(KlineInterval interval) {
  return interval == KlineInterval::Week1 ? core::Duration(4 * core::kNanosPerDay) : core::Duration(0);
}

// The first aligned open time at or after t.
core::UnixNanos first_open_at_or_after(core::UnixNanos t, core::Duration length, core::Duration offset) {
  const std::int64_t len = length.count();
  const std::int64_t shifted = t.value - offset.count();
  std::int64_t k = core::floor_div(shifted, len);
  if (k * len < shifted) ++k;
  return core::UnixNanos(k * len + offset.count());
}

core::UnixNanos month_start(std::int64_t year, unsigned month) {
  return core::UnixNanos(core::days_from_civil(year, month, 1) * core::kNanosPerDay);
}

core::UnixNanos next_month(core::UnixNanos t) {
  const core::CivilDate c = core::civil_from_days(core::floor_div(t.value, core::kNanosPerDay));
  return c.month == 12 ? month_start(c.year + 1, 1) : month_start(c.year, c.month + 1);
}

core::UnixNanos month_start_at_or_after(core::UnixNanos t) {
  const core::CivilDate c = core::civil_from_days(core::floor_div(t.value, core::kNanosPerDay));
  const core::UnixNanos start = month_start(c.year, c.month);
  return start == t ? start : next_month(start);
}

// Whole bars whose open is in [from, until) for a series aligned at `from` (months counted by calendar).
std::int64_t bars_between(KlineInterval interval, core::UnixNanos from, core::UnixNanos until) {
  if (until <= from) return 0;
  if (const auto length = kline_interval_length(interval)) {
    return (until.value - from.value + length->count() - 1) / length->count();
  }
  std::int64_t n = 0;
  for (core::UnixNanos m = from; m < until; m = next_month(m)) ++n;
  return n;
}

// Bars that are complete by `end`, starting at the aligned open `from`.
std::int64_t closed_bars_between(KlineInterval interval, core::UnixNanos from, core::UnixNanos end) {
  if (end <= from) return 0;
  if (const auto length = kline_interval_length(interval)) return (end.value - from.value) / length->count();
  std::int64_t n = 0;
  for (core::UnixNanos m = from; next_month(m) <= end; m = next_month(m)) ++n;
  return n;
}

ApiError bad_page(std::string msg) {
  ApiError e;
  e.kind = ApiErrorKind::BadResponse;
  e.http_status = 200;
  e.msg = std::move(msg);
  e.where = std::string(kEndpoint);
  return e;
}

ApiError invalid(std::string msg, std::string where) {
  ApiError e;
  e.kind = ApiErrorKind::InvalidRequest;
  e.sent = false;
  e.msg = std::move(msg);
  e.where = std::move(where);
  return e;
}

}  // namespace

std::string KlineGap::describe() const {
  return fmt::format("{} bar{} missing from {} to {}", missing_bars, missing_bars == 1 ? "" : "s",
                     core::format_iso8601(expected_open), core::format_iso8601(next_open));
}

std::int64_t expected_kline_count(KlineInterval interval, core::UnixNanos from, core::UnixNanos to) {
  if (to <= from) return 0;
  if (const auto length = kline_interval_length(interval)) {
    const core::UnixNanos first = first_open_at_or_after(from, *length, alignment_offset(interval));
    return bars_between(interval, first, to);
  }
  return bars_between(interval, month_start_at_or_after(from), to);
}

ApiResult<KlineDownloadSummary> download_klines(BinanceRestClient& rest, const std::string& symbol,
                                                KlineInterval interval, core::UnixNanos from, core::UnixNanos to,
                                                const KlinePageHandler& on_page, const KlineDownloadOptions& options) {
  if (from >= to) {
    return invalid(fmt::format("from {} is not before to {}", core::format_iso8601(from), core::format_iso8601(to)),
                   "from");
  }
  if (from.value % core::kNanosPerMilli != 0 || to.value % core::kNanosPerMilli != 0) {
    return invalid("from and to must be whole milliseconds (Binance times are epoch milliseconds)", "from");
  }
  if (options.page_limit < 1 || options.page_limit > kKlineMaxLimit) {
    return invalid(fmt::format("page_limit {} is outside 1..{}", options.page_limit, kKlineMaxLimit), "page_limit");
  }
  const std::optional<core::Duration> length = kline_interval_length(interval);
  const core::UnixNanos first_expected = length ? first_open_at_or_after(from, *length, alignment_offset(interval))
                                                : month_start_at_or_after(from);
  const core::UnixNanos last_ms = to - core::Duration(core::kNanosPerMilli);

  KlineDownloadSummary summary;
  std::optional<core::UnixNanos> expected_next;  // open time the next bar should have
  core::UnixNanos cursor = from;
  int waits_in_row = 0;
  bool reached_now = false;
  std::vector<Kline> keep;
  while (cursor < to) {
    auto page = rest.klines(symbol, interval, cursor, last_ms, options.page_limit);
    ++summary.requests;
    if (!page) {
      const ApiError& e = page.error();
      if (e.kind == ApiErrorKind::RateLimited && waits_in_row < options.max_rate_limit_waits) {
        ++waits_in_row;
        ++summary.rate_limit_waits;
        rest.wait(std::max(e.retry_after, core::Duration(core::kNanosPerSecond)));
        continue;
      }
      return e;
    }
    waits_in_row = 0;
    keep.clear();
    for (std::size_t i = 0; i < page->size(); ++i) {
      const Kline& k = (*page)[i];
      const core::UnixNanos open = k.bar.ts_event;
      // A venue that also returns the bar containing startTime, or one past endTime: not in the range.
      if (open < cursor || open >= to) continue;
      if (length && k.bar.ts_recv - open != *length) {
        return bad_page(fmt::format("row {} (open {}): closeTime is {} after openTime, a {} bar lasts {}", i,
                                    core::format_iso8601(open), core::format_duration(k.bar.ts_recv - open),
                                    to_string(interval), core::format_duration(*length)));
      }
      const core::UnixNanos expected = expected_next.value_or(first_expected);
      if (open < expected) {
        return bad_page(fmt::format("row {}: bar opening at {} repeats or overlaps the previous bar (expected {} or "
                                    "later)",
                                    i, core::format_iso8601(open), core::format_iso8601(expected)));
      }
      if (open > expected) {
        const std::int64_t missing = bars_between(interval, expected, open);
        // Before the first bar only whole missing bars count (the range may start mid-bar).
        if (expected_next || closed_bars_between(interval, expected, open) > 0) {
          summary.gaps.push_back(KlineGap{expected, open, missing});
        }
      }
      if (options.now && k.bar.ts_recv > *options.now) {
        ++summary.unclosed_dropped;
        reached_now = true;
        break;
      }
      keep.push_back(k);
      expected_next = length ? open + *length : k.bar.ts_recv;
    }
    if (!keep.empty()) {
      summary.bars += keep.size();
      if (on_page) on_page(keep);
    }
    if (reached_now || page->empty() || page->size() < static_cast<std::size_t>(options.page_limit)) break;
    if (!expected_next || *expected_next <= cursor) {
      return bad_page(fmt::format("a full page of {} bars from {} had no bar at or after startTime", page->size(),
                                  core::format_iso8601(cursor)));
    }
    cursor = *expected_next;
  }
  if (options.now && !reached_now) {
    const core::UnixNanos end = std::min(to, *options.now);
    const core::UnixNanos next = expected_next.value_or(first_expected);
    if (const std::int64_t missing = closed_bars_between(interval, next, end); missing > 0) {
      summary.gaps.push_back(KlineGap{next, end, missing});
    }
  }
  return summary;
}

}  // namespace ballast::adapters::binance
