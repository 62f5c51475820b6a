#pragma once
// Schedule-driven execution algorithms (see execution_algorithm.hpp for child pricing, protection and the
// end-of-horizon catch-up).
//
// TWAP: the horizon [start, end) is cut into N equal slices (N given, or horizon / interval rounded up);
//   slice k starts at t_k = start + k·Δ and the schedule wants Σ_{j<=k} s_j done by then, with
//   s_j = Q/N. Optional randomisation (seeded, reproducible): each slice size is multiplied by 1 + u·r_size
//   and each start moved by v·r_time·Δ/2 (u, v uniform on [−1, 1]); sizes are renormalised to sum to Q and
//   starts stay ordered inside the horizon — so the schedule is harder to detect but still exact.
// VWAP: the same slices, sized by the expected share of the day's volume that falls in each
//   (data::IntradayVolumeProfile integrated over the slice). At every slice start the remaining quantity
//   is re-spread over the remaining slices in proportion to their weights (a shortfall — from the
//   participation cap or unfilled passive children — is spread forward instead of piling up at the end).
//   With max_participation set, a child never exceeds that share of the market volume observed during
//   the previous slice.
// At each slice start the working children are canceled and re-priced; between slice starts, whatever
// the schedule wants but is not working (after cancels and IOC expiries) is sent again.

#include "ballast/analytics/random_stream.hpp"
#include "ballast/data/intraday_volume_profile.hpp"
#include "ballast/execution/execution_algorithm.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace ballast::execution {

struct ScheduleSlice {
  core::UnixNanos start{};
  double weight{0.0};  // share of the parent quantity, Σ = 1
};

struct TwapConfig {
  int slices{10};                              // used when interval is not set; >= 1
  std::optional<core::Duration> interval{};    // slice length; > 0
  double size_randomisation{0.0};              // r_size in [0, 0.9]
  double timing_randomisation{0.0};            // r_time in [0, 0.9]
  std::uint64_t seed{1};
};

struct VwapConfig {
  int slices{24};
  std::optional<core::Duration> interval{};
  data::IntradayVolumeProfile profile{data::IntradayVolumeProfile::crypto_24h()};
  std::optional<double> max_participation{};   // (0, 1]: share of the observed market volume per slice
};

// Slices of the horizon: equal lengths, the last one ending at `end`.
core::Result<std::vector<core::UnixNanos>> slice_starts(core::UnixNanos start, core::UnixNanos end, int slices,
                                                        std::optional<core::Duration> interval);

class ScheduledAlgorithm : public ExecutionAlgorithm {
 public:
  const std::vector<ScheduleSlice>& schedule() const noexcept { return schedule_; }

 protected:
  ScheduledAlgorithm(ParentOrder parent, const model::Instrument& instrument, std::vector<ScheduleSlice> schedule,
                     bool respread, std::optional<double> max_participation);
  void decide(const MarketState& market, std::vector<AlgoAction>& actions) override;

 private:
  std::vector<ScheduleSlice> schedule_;
  bool respread_;
  std::optional<double> max_participation_;
  std::size_t next_slice_{0};
  core::Decimal target_{};              // cumulative quantity wanted by now
  core::Decimal slice_volume_{};        // market volume observed in the current slice
  std::optional<core::Decimal> cap_{};  // participation cap for children in this slice
  core::Decimal placed_in_slice_{};
};

class TwapAlgorithm final : public ScheduledAlgorithm {
 public:
  static core::Result<std::unique_ptr<TwapAlgorithm>> create(ParentOrder parent, const model::Instrument& instrument,
                                                             const TwapConfig& config);
  std::string_view name() const noexcept override { return "TWAP"; }

 private:
  using ScheduledAlgorithm::ScheduledAlgorithm;
};

class VwapAlgorithm final : public ScheduledAlgorithm {
 public:
  static core::Result<std::unique_ptr<VwapAlgorithm>> create(ParentOrder parent, const model::Instrument& instrument,
                                                             const VwapConfig& config);
  std::string_view name() const noexcept override { return "VWAP"; }

 private:
  using ScheduledAlgorithm::ScheduledAlgorithm;
};

}  // namespace ballast::execution
