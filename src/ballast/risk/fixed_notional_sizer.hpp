#pragma once
// FixedNotionalSizer: the same notional on every trade, whatever the equity.
//   quantity = notional / (entry × multiplier)       (inverse: notional × entry / multiplier)

#include "ballast/model/money.hpp"
#include "ballast/risk/position_sizer.hpp"

#include <string_view>

namespace ballast::risk {

struct FixedNotionalConfig {
  model::Money notional{};  // > 0, in the instrument's settlement currency
};

class FixedNotionalSizer final : public PositionSizer {
 public:
  static core::Result<FixedNotionalSizer> create(FixedNotionalConfig config);

  std::string_view name() const noexcept override { return "FIXED_NOTIONAL"; }
  core::Result<SizingResult> size(const SizingContext& context) const override;

 private:
  explicit FixedNotionalSizer(FixedNotionalConfig config) : config_(config) {}

  FixedNotionalConfig config_;
};

}  // namespace ballast::risk
