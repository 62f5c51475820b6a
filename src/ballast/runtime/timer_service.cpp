#include "ballast/runtime/timer_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace ballast::runtime {

using core::Error;
using core::ErrorCode;
using core::UnixNanos;

namespace {

// Clears a flag when the scope ends, also when a callback throws.
class FlagGuard {
 public:
  explicit FlagGuard(bool& flag) : flag_(flag) { flag_ = true; }
  ~FlagGuard() { flag_ = false; }
  FlagGuard(const FlagGuard&) = delete;
  FlagGuard& operator=(const FlagGuard&) = delete;

 private:
  bool& flag_;
};

}  // namespace

TimerService::TimerService(core::Clock& clock) : clock_(clock) {}
TimerService::TimerService(core::TestClock& clock) : clock_(clock), test_clock_(&clock) {}
TimerService::~TimerService() = default;

core::Status TimerService::check_name(std::string_view name) const {
  if (name.empty()) return Error(ErrorCode::InvalidArgument, "a timer needs a non-empty name");
  if (const auto it = by_name_.find(name); it != by_name_.end()) {
    return Error(ErrorCode::AlreadyExists, fmt::format("timer '{}' is already set (next event at {})", name,
                                                       core::format_iso8601(it->second->next)));
  }
  return core::ok();
}

void TimerService::schedule(std::shared_ptr<Timer> timer) {
  const UnixNanos next = timer->next;
  const std::uint64_t rank = timer->rank;
  by_name_.emplace(timer->name, timer);
  queue_.push(QueueEntry{next, rank, std::move(timer)});
}

core::Status TimerService::set_time_alert(std::string_view name, UnixNanos time, TimerCallback callback) {
  BALLAST_REQUIRE(callback != nullptr, "set_time_alert needs a callback");
  BALLAST_TRY(check_name(name));
  auto timer = std::make_shared<Timer>();
  timer->name = std::string(name);
  timer->rank = next_rank_++;
  timer->next = time;
  timer->callback = std::move(callback);
  schedule(std::move(timer));
  return core::ok();
}

core::Status TimerService::set_timer(std::string_view name, core::Duration interval, UnixNanos start,
                                     std::optional<UnixNanos> stop, TimerCallback callback) {
  BALLAST_REQUIRE(callback != nullptr, "set_timer needs a callback");
  if (interval.count() <= 0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("timer '{}' needs a positive interval, got {} ns", name, interval.count()));
  }
  BALLAST_TRY(check_name(name));
  const UnixNanos first = start + interval;
  if (stop && *stop < first) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("timer '{}' stops at {}, before its first event at {}", name, core::format_iso8601(*stop),
                             core::format_iso8601(first)));
  }
  auto timer = std::make_shared<Timer>();
  timer->name = std::string(name);
  timer->rank = next_rank_++;
  timer->next = first;
  timer->interval = interval;
  timer->stop = stop;
  timer->callback = std::move(callback);
  schedule(std::move(timer));
  return core::ok();
}

bool TimerService::cancel(std::string_view name) {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return false;
  it->second->live = false;  // its queue entry goes stale
  by_name_.erase(it);
  return true;
}

void TimerService::cancel_all() {
  for (auto& [name, timer] : by_name_) timer->live = false;
  by_name_.clear();
  queue_ = decltype(queue_)();
}

bool TimerService::has_timer(std::string_view name) const { return by_name_.find(name) != by_name_.end(); }

std::vector<std::string> TimerService::timer_names() const {
  std::vector<std::string> names;
  names.reserve(by_name_.size());
  for (const auto& [name, timer] : by_name_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

void TimerService::drop_stale() {
  while (!queue_.empty()) {
    const QueueEntry& top = queue_.top();
    if (top.timer->live && top.timer->next == top.time) return;
    queue_.pop();
  }
}

std::optional<UnixNanos> TimerService::next_deadline() {
  drop_stale();
  if (queue_.empty()) return std::nullopt;
  return queue_.top().time;
}

std::optional<UnixNanos> TimerService::next_time(std::string_view name) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second->next;
}

std::size_t TimerService::run_due(UnixNanos until, bool move_clock) {
  BALLAST_REQUIRE(!firing_, "TimerService::advance_to/fire_due cannot be called from inside a timer callback");
  FlagGuard firing(firing_);
  std::size_t fired = 0;
  while (true) {
    drop_stale();
    if (queue_.empty() || queue_.top().time > until) break;
    QueueEntry entry = queue_.top();
    queue_.pop();
    // Holding the shared_ptr keeps the timer (its name, its callback) alive even if the callback
    // cancels it.
    const std::shared_ptr<Timer> timer = std::move(entry.timer);
    // Reschedule or retire first, so the callback sees the service as it will be after this event.
    bool finished = timer->interval.count() == 0;
    if (!finished) {
      const UnixNanos next = timer->next + timer->interval;
      if (timer->stop && next > *timer->stop) {
        finished = true;
      } else {
        timer->next = next;
        queue_.push(QueueEntry{next, timer->rank, timer});
      }
    }
    if (finished) {
      timer->live = false;
      if (const auto it = by_name_.find(timer->name); it != by_name_.end() && it->second == timer) by_name_.erase(it);
    }
    if (move_clock && entry.time > test_clock_->now()) test_clock_->set_time(entry.time);
    const TimeEvent event{timer->name, entry.time, clock_.now()};
    timer->callback(event);
    ++fired;
  }
  if (move_clock && until > test_clock_->now()) test_clock_->set_time(until);
  return fired;
}

std::size_t TimerService::advance_to(UnixNanos t) {
  BALLAST_REQUIRE(test_clock_ != nullptr,
                  "TimerService::advance_to needs a TestClock; live code calls fire_due(clock.now())");
  BALLAST_REQUIRE(t >= test_clock_->now(), fmt::format("TimerService::advance_to({}) is before now ({})",
                                                       core::format_iso8601(t), core::format_iso8601(test_clock_->now())));
  return run_due(t, true);
}

std::size_t TimerService::fire_due(UnixNanos now) { return run_due(now, false); }

}  // namespace ballast::runtime
