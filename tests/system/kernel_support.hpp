#pragma once
// The kernel configuration the system tests share: account "ACC", 100,000 USDT, the given risk limits
// without circuit breakers (a test that wants one adds it).

#include "ballast/system/kernel.hpp"
#include "model/test_support.hpp"

namespace ballast::system::test {

inline KernelConfig kernel_config(risk::RiskConfig risk = {}) {
  risk.circuit_breakers.clear();
  KernelConfig kc;
  kc.account_id = core::AccountId("ACC");
  kc.starting_balance = model::test::dec("100000");
  kc.risk = std::move(risk);
  return kc;
}

}  // namespace ballast::system::test
