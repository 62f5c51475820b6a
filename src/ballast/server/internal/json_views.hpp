#pragma once
// JSON views of domain objects for the API, the WebSocket channels and the store's rows. Conventions
// (docs/api.md): money, prices and quantities are decimal strings (exact; "60000.10"), ratios and
// analytics figures are JSON numbers, times are ISO-8601 UTC strings with nanoseconds ("ts") next to
// integer epoch milliseconds ("ts_ms") where a chart needs them. Private to the server module.

#include "ballast/model/fill.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/order.hpp"
#include "ballast/persistence/rows.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/circuit_breaker.hpp"
#include "ballast/risk/risk_events.hpp"
#include "ballast/risk/risk_types.hpp"
#include "ballast/system/kernel.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace ballast::server::json_views {

using Json = nlohmann::json;

std::string time_text(core::UnixNanos t);
std::string decimal_text(const core::Decimal& d);

Json order(const model::Order& order);
// json_views::order written directly as JSON text (order_text.cpp): the same keys and values in the same
// order as order(o).dump(), without building a DOM (the order path's answer and event payload).
std::string order_text(const model::Order& order);
void append_order_text(std::string& out, const model::Order& order);
// The "orders" channel message {"data":<order>,"event":<event>,"type":"order"} around an order_text.
std::string order_message_text(std::string_view event, const std::string& order);
Json order(const persistence::OrderRow& row);
Json fill(const model::Fill& fill);
Json fill(const persistence::FillRow& row);
// One position with its mark, P&L, notional, margin and liquidation price (nullopt when none exists).
Json position(const portfolio::InstrumentSlot& slot, const std::string& venue, const std::optional<core::Decimal>& liquidation);
// Every position of the book (flat ones with include_flat) with its liquidation: "liquidation" is AT_PRICE
// (with liquidation_price), NEVER or AT_ANY_PRICE. The API's positions and the WebSocket channel share it.
Json positions(const portfolio::PortfolioBook& book, const std::string& venue, bool include_flat);
Json bar(const core::InstrumentId& id, const model::Bar& bar);
Json performance(const risk::PerformanceUpdated& p);
Json breaker_event(const risk::CircuitBreakerEvent& e);
Json breaker_event(const persistence::CircuitBreakerEventRow& row);
Json breaker_status(const risk::BreakerStatus& s);
// A breaker's definition in the JSON form of the risk configuration file (docs/risk/configuration.md):
// every key, so an edit form can show it and send it back to PUT /api/risk/circuit-breakers/{name}.
Json breaker_config(const risk::CircuitBreakerConfig& c);
Json alert(const risk::Alert& a);
Json alert(const persistence::AlertRow& row);
Json decision(const risk::RiskDecision& d);

// Store rows from domain objects.
persistence::OrderRow order_row(const model::Order& order);
persistence::FillRow fill_row(const model::Fill& fill, std::string_view side);
persistence::CircuitBreakerEventRow breaker_event_row(const risk::CircuitBreakerEvent& e, const std::string& account);
persistence::AlertRow alert_row(const risk::Alert& a, const std::string& account);
persistence::TradingStateRow trading_state_row(const std::string& account, risk::TradingState state,
                                                std::string reason, std::string_view changed_by, core::UnixNanos ts);
// The kernel's trading state as a row: while its emergency stop is engaged, reason "EMERGENCY_STOP: <its
// reason>" changed by whoever engaged it; otherwise `reason` changed by `changed_by`.
persistence::TradingStateRow trading_state_row(const system::Kernel& kernel, const std::string& account,
                                                std::string reason, std::string_view changed_by, core::UnixNanos ts);
// Puts a stored trading state back into a kernel before it starts: an engaged emergency stop (the row
// above) is restored as engaged (HALTED until reset); another state that is not ACTIVE as the operator's.
void restore_trading_state(system::Kernel& kernel, const persistence::TradingStateRow& row);
persistence::AuditRow audit_row(core::UnixNanos ts, std::string_view user, std::string_view action,
                                std::string_view target, std::string details, std::string_view remote);
// The account's risk history row now: equity, exposures, margin used and usage, the engine's portfolio VaR;
// `document` carries the rest (trading state, counts).
persistence::RiskSnapshotRow risk_snapshot_row(const portfolio::PortfolioBook& book, double var_95,
                                               const std::string& account, core::UnixNanos ts, std::string document);

}  // namespace ballast::server::json_views
