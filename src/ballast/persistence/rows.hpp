#pragma once
// Plain rows stored by persistence::Store. Money, prices and quantities are core::Decimal and are stored
// as TEXT (exact, never REAL) in both databases; times are core::UnixNanos stored as BIGINT nanoseconds
// since the epoch (UTC); JSON documents travel as std::string and are stored verbatim.
// Signs: PositionSnapshotRow::quantity is signed (long > 0, short < 0).

#include "ballast/core/decimal.hpp"
#include "ballast/core/time.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace ballast::persistence {

struct UserRow {
  std::int64_t id = 0;
  std::string name;
  std::string role;
  std::string password_hash;
  core::UnixNanos created{};
  bool disabled = false;
};

struct AccountRow {
  std::string id;
  std::string venue;
  std::string mode;  // "paper" | "live"
  std::string currency;
  core::Decimal starting_balance{};
  core::UnixNanos created{};
};

struct InstrumentRow {
  std::string id;  // "BTCUSDT-PERP.SIM"
  std::string venue;
  std::string symbol;
  std::string definition;  // JSON
};

struct OrderRow {
  std::string client_order_id;
  std::string account_id;
  std::string instrument_id;
  std::string strategy_id;
  std::string side;
  std::string type;
  std::string time_in_force;
  core::Decimal quantity{};
  std::optional<core::Decimal> price;
  std::optional<core::Decimal> trigger_price;
  core::Decimal filled_quantity{};
  std::optional<core::Decimal> avg_fill_price;
  std::string status;
  std::string venue_order_id;
  bool reduce_only = false;
  bool post_only = false;
  std::string reason;
  core::UnixNanos created{};
  core::UnixNanos updated{};
};

struct FillRow {
  std::string trade_id;
  std::string client_order_id;
  std::string account_id;
  std::string instrument_id;
  std::string side;
  core::Decimal quantity{};
  core::Decimal price{};
  core::Decimal fee{};
  std::string fee_currency;
  std::string liquidity;
  core::UnixNanos ts_event{};
};

struct PositionSnapshotRow {
  std::string account_id;
  std::string instrument_id;
  core::Decimal quantity{};  // signed
  core::Decimal avg_entry_price{};
  core::Decimal realized_pnl{};
  core::Decimal unrealized_pnl{};
  core::Decimal mark_price{};
  core::UnixNanos ts{};
};

struct RiskConfigurationRow {
  std::string account_id;
  std::string name;
  std::string document;  // JSON RiskConfig
  bool active = false;
  core::UnixNanos updated{};
  std::string updated_by;
};

struct SymbolRiskConfigurationRow {
  std::string account_id;
  std::string config_name;
  std::string symbol;
  std::string document;  // JSON
  core::UnixNanos updated{};
};

struct CircuitBreakerRow {
  std::string account_id;
  std::string name;
  std::string definition;  // JSON
  bool enabled = true;
  std::string state;
  core::UnixNanos updated{};
};

struct CircuitBreakerEventRow {
  std::int64_t id = 0;  // assigned by the store
  std::string account_id;
  std::string breaker;
  std::string kind;  // TRIGGERED | ACTION | RESET | ...
  std::string condition;
  std::string action;
  std::optional<double> measured;
  std::optional<double> threshold;
  std::string message;
  core::UnixNanos ts{};
};

struct AlertRow {
  std::int64_t id = 0;  // assigned by the store
  std::string account_id;
  std::string severity;
  std::string kind;
  std::string message;
  std::string details;  // JSON
  core::UnixNanos ts{};
};

struct TradingStateRow {
  std::string account_id;
  std::string state;
  std::string reason;
  std::string changed_by;
  core::UnixNanos ts{};
};

struct AuditRow {
  std::int64_t id = 0;  // assigned by the store
  core::UnixNanos ts{};
  std::string user;
  std::string action;
  std::string target;
  std::string details;
  std::string remote;
};

struct RiskSnapshotRow {
  std::string account_id;
  core::UnixNanos ts{};
  core::Decimal equity{};
  core::Decimal gross_exposure{};
  core::Decimal net_exposure{};
  core::Decimal margin_used{};
  double var_95 = 0;
  double margin_usage = 0;
  std::string document;  // JSON: limit utilisation etc.
};

}  // namespace ballast::persistence
