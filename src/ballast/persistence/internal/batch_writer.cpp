// Writes one WriteBatch inside the caller's transaction, table by table in the order WriteBatch declares.

#include "ballast/persistence/internal/codec.hpp"
#include "ballast/persistence/internal/sql_store.hpp"

#include <string_view>
#include <unordered_set>
#include <vector>

namespace ballast::persistence::internal {

using core::Error;
using core::ErrorCode;

core::Status validate_events(std::span<const runtime::EventRecord> records) {
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].stream.empty()) {
      return Error(ErrorCode::InvalidArgument, "event record " + std::to_string(i) + " (" + records[i].type +
                                                   ") has no stream; nothing was written");
    }
    if (records[i].type.empty()) {
      return Error(ErrorCode::InvalidArgument, "event record " + std::to_string(i) + " in stream '" +
                                                   records[i].stream + "' has no type; nothing was written");
    }
  }
  return core::ok();
}

namespace {

core::Result<std::uint64_t> write_events(Connection& c, const std::vector<runtime::EventRecord>& events) {
  BALLAST_TRY(validate_events(events));
  static const std::string kReserve = "UPDATE event_sequence SET value = value + $1 WHERE id = 1 RETURNING value";
  static const std::string kAppend =
      "INSERT INTO event_log (sequence, stream, type, payload, ts_event, ts_init) VALUES ($1, $2, $3, $4, $5, $6)";
  auto counter = c.exec("reserve event sequences", kReserve, {static_cast<std::int64_t>(events.size())});
  if (!counter) return counter.error();
  if (counter->rows.size() != 1) return Error(ErrorCode::Internal, "event_sequence has no row");
  const auto last = static_cast<std::uint64_t>(counter->rows[0].integer(0));
  std::uint64_t sequence = last - events.size() + 1;
  for (const runtime::EventRecord& e : events) {
    BALLAST_TRY(c.exec("append event " + e.stream + "/" + e.type, kAppend,
                       {static_cast<std::int64_t>(sequence), e.stream, e.type, e.payload, ns(e.ts_event), ns(e.ts_init)}));
    ++sequence;
  }
  return last;
}

// std::string objects built once: Connection::exec takes `const std::string&`, and a `const char*` made a
// temporary copy of the statement (the order upsert is ~700 bytes) for every row written.
const std::string kUpsertOrder =
    "INSERT INTO orders (client_order_id, account_id, instrument_id, strategy_id, side, type, time_in_force, quantity, "
    "price, trigger_price, filled_quantity, avg_fill_price, status, venue_order_id, reduce_only, post_only, reason, "
    "created, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) "
    "ON CONFLICT (client_order_id) DO UPDATE SET account_id = excluded.account_id, instrument_id = "
    "excluded.instrument_id, "
    "strategy_id = excluded.strategy_id, side = excluded.side, type = excluded.type, "
    "time_in_force = excluded.time_in_force, quantity = excluded.quantity, price = excluded.price, "
    "trigger_price = excluded.trigger_price, filled_quantity = excluded.filled_quantity, "
    "avg_fill_price = excluded.avg_fill_price, status = excluded.status, venue_order_id = excluded.venue_order_id, "
    "reduce_only = excluded.reduce_only, post_only = excluded.post_only, reason = excluded.reason, "
    "updated = excluded.updated";

const std::string kInsertFill =
    "INSERT INTO fills (trade_id, client_order_id, account_id, instrument_id, side, quantity, price, fee, "
    "fee_currency, "
    "liquidity, ts_event) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (trade_id) DO NOTHING";

const std::string kInsertPosition =
    "INSERT INTO position_snapshots (account_id, instrument_id, quantity, avg_entry_price, realized_pnl, "
    "unrealized_pnl, "
    "mark_price, ts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

// The latest snapshot wins by time; an older one arriving late only goes to the history.
const std::string kUpsertLatestPosition =
    "INSERT INTO positions_latest (account_id, instrument_id, quantity, avg_entry_price, realized_pnl, unrealized_pnl, "
    "mark_price, ts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (account_id, instrument_id) DO UPDATE SET "
    "quantity = excluded.quantity, avg_entry_price = excluded.avg_entry_price, realized_pnl = excluded.realized_pnl, "
    "unrealized_pnl = excluded.unrealized_pnl, mark_price = excluded.mark_price, ts = excluded.ts "
    "WHERE excluded.ts >= positions_latest.ts";

// An order row followed later in the same batch by a row of the same order need not be written: the upsert
// replaces every column but `created`, which is the same in both (the order's creation time), so the
// last row alone leaves the table as writing all of them in turn would. A batch carries several rows of
// one order when its events (submitted, accepted, filled, …) happen between two flushes of the kernel.
std::vector<bool> superseded_orders(const std::vector<OrderRow>& orders) {
  std::vector<bool> out(orders.size(), false);
  if (orders.size() < 2) return out;
  std::unordered_set<std::string_view> later;
  later.reserve(orders.size());
  for (std::size_t i = orders.size(); i-- > 0;) {
    if (!later.insert(orders[i].client_order_id).second) out[i] = true;
  }
  return out;
}

}  // namespace

core::Result<std::uint64_t> write_batch(Connection& c, const WriteBatch& batch) {
  std::uint64_t last_sequence = 0;
  if (!batch.events.empty()) {
    auto last = write_events(c, batch.events);
    if (!last) return last.error();
    last_sequence = *last;
  }
  const std::vector<bool> superseded = superseded_orders(batch.orders);
  for (std::size_t i = 0; i < batch.orders.size(); ++i) {
    if (superseded[i]) continue;
    const OrderRow& o = batch.orders[i];
    BALLAST_TRY(c.exec(
        "upsert order " + o.client_order_id, kUpsertOrder,
        {o.client_order_id, o.account_id, o.instrument_id, o.strategy_id, o.side, o.type, o.time_in_force,
         dec(o.quantity), dec(o.price), dec(o.trigger_price), dec(o.filled_quantity), dec(o.avg_fill_price), o.status,
         o.venue_order_id, flag(o.reduce_only), flag(o.post_only), o.reason, ns(o.created), ns(o.updated)}));
  }
  for (const FillRow& f : batch.fills) {
    BALLAST_TRY(c.exec("insert fill " + f.trade_id, kInsertFill,
                       {f.trade_id, f.client_order_id, f.account_id, f.instrument_id, f.side, dec(f.quantity),
                        dec(f.price), dec(f.fee), f.fee_currency, f.liquidity, ns(f.ts_event)}));
  }
  for (const PositionSnapshotRow& p : batch.positions) {
    const std::vector<Value> values{
        p.account_id,        p.instrument_id,       dec(p.quantity),   dec(p.avg_entry_price),
        dec(p.realized_pnl), dec(p.unrealized_pnl), dec(p.mark_price), ns(p.ts)};
    const std::string what = "insert position " + p.account_id + "/" + p.instrument_id;
    BALLAST_TRY(c.exec(what, kInsertPosition, values));
    BALLAST_TRY(c.exec(what, kUpsertLatestPosition, values));
  }
  for (const CircuitBreakerEventRow& e : batch.breaker_events) {
    BALLAST_TRY(
        c.exec("insert breaker event " + e.breaker,
               "INSERT INTO circuit_breaker_events (account_id, breaker, kind, condition_text, action, measured, "
               "threshold, message, ts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
               {e.account_id, e.breaker, e.kind, e.condition, e.action, real(e.measured), real(e.threshold), e.message,
                ns(e.ts)}));
  }
  for (const AlertRow& a : batch.alerts) {
    BALLAST_TRY(
        c.exec("insert alert " + a.kind,
               "INSERT INTO alerts (account_id, severity, kind, message, details, ts) VALUES ($1, $2, $3, $4, $5, $6)",
               {a.account_id, a.severity, a.kind, a.message, a.details, ns(a.ts)}));
  }
  for (const TradingStateRow& s : batch.trading_states) {
    BALLAST_TRY(
        c.exec("insert trading state " + s.account_id,
               "INSERT INTO trading_states (account_id, state, reason, changed_by, ts) VALUES ($1, $2, $3, $4, $5)",
               {s.account_id, s.state, s.reason, s.changed_by, ns(s.ts)}));
  }
  for (const AuditRow& a : batch.audit) {
    static const std::string kInsertAudit =
        "INSERT INTO audit_log (ts, user_name, action, target, details, remote) VALUES ($1, $2, $3, $4, $5, $6)";
    BALLAST_TRY(c.exec("insert audit " + a.action, kInsertAudit, {ns(a.ts), a.user, a.action, a.target, a.details, a.remote}));
  }
  for (const RiskSnapshotRow& r : batch.risk_snapshots) {
    BALLAST_TRY(c.exec("insert risk snapshot " + r.account_id,
                       "INSERT INTO risk_snapshots (account_id, ts, equity, gross_exposure, net_exposure, margin_used, "
                       "var_95, margin_usage, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                       {r.account_id, ns(r.ts), dec(r.equity), dec(r.gross_exposure), dec(r.net_exposure),
                        dec(r.margin_used), r.var_95, r.margin_usage, r.document}));
  }
  return last_sequence;
}

}  // namespace ballast::persistence::internal
