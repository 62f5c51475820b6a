#pragma once
// Volume-following and hidden-size algorithms (child pricing, protection and catch-up: see
// execution_algorithm.hpp).
//
// POV (percentage of volume): keeps the executed-plus-working quantity at `rate` × the market volume
// observed since the start: at each update the deficit rate·V − filled − working is sent when it reaches
// min_child (and the instrument's minimum). Market volume that includes our own fills makes the true
// participation rate/(1 − rate)·… slightly lower than `rate` — the usual convention is to count the
// tape's volume as reported; we do, and document it.
// Iceberg: shows only `display_quantity` at a time at the parent's limit price (required), as a GTC
// limit; when the shown child has filled (or was canceled by the venue), the next one is shown, after
// `refresh_delay`. Display sizes may be randomised (seeded) by ±display_randomisation so the refills are
// not all the same size.

#include "ballast/analytics/random_stream.hpp"
#include "ballast/execution/execution_algorithm.hpp"

#include <memory>
#include <optional>

namespace ballast::execution {

struct PovConfig {
  double rate{0.1};                  // (0, 1)
  core::Decimal min_child{};         // smallest child worth sending (instrument units, >= 0)
};

struct IcebergConfig {
  model::Quantity display_quantity{};         // > 0, on the step, >= the instrument's minimum
  double display_randomisation{0.0};          // [0, 0.5]
  core::Duration refresh_delay{0};            // >= 0
  std::uint64_t seed{1};
};

class PovAlgorithm final : public ExecutionAlgorithm {
 public:
  static core::Result<std::unique_ptr<PovAlgorithm>> create(ParentOrder parent, const model::Instrument& instrument,
                                                            const PovConfig& config);
  std::string_view name() const noexcept override { return "POV"; }
  const core::Decimal& observed_volume() const noexcept { return observed_; }

 private:
  PovAlgorithm(ParentOrder parent, const model::Instrument& instrument, const PovConfig& config)
      : ExecutionAlgorithm(std::move(parent), instrument), config_(config) {}
  void decide(const MarketState& market, std::vector<AlgoAction>& actions) override;

  PovConfig config_;
  core::Decimal observed_{};
};

class IcebergAlgorithm final : public ExecutionAlgorithm {
 public:
  // The parent must have a limit price.
  static core::Result<std::unique_ptr<IcebergAlgorithm>> create(ParentOrder parent, const model::Instrument& instrument,
                                                                const IcebergConfig& config);
  std::string_view name() const noexcept override { return "ICEBERG"; }

 private:
  IcebergAlgorithm(ParentOrder parent, const model::Instrument& instrument, const IcebergConfig& config)
      : ExecutionAlgorithm(std::move(parent), instrument), config_(config), random_(config.seed) {}
  void decide(const MarketState& market, std::vector<AlgoAction>& actions) override;

  IcebergConfig config_;
  analytics::RandomStream random_;
  std::optional<core::UnixNanos> emptied_at_{};  // when the last shown child closed
  bool showing_{false};
};

}  // namespace ballast::execution
