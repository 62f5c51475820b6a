#pragma once
// Shared by the RiskMonitor tests: an action sink that does nothing and reports nothing done (the tests
// read the monitor's events, not the actions' effects).

#include "ballast/risk/risk_actions.hpp"

#include <optional>
#include <string_view>

namespace ballast::risk::test {

class NullSink final : public RiskActionSink {
 public:
  ActionResult cancel_orders(const std::optional<core::InstrumentId>&, std::string_view, core::UnixNanos) override {
    return {};
  }
  ActionResult close_position(const core::InstrumentId&, std::string_view, core::UnixNanos) override { return {}; }
  ActionResult flatten_all(std::string_view, core::UnixNanos) override { return {}; }
};

}  // namespace ballast::risk::test
