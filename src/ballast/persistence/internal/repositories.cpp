// SqlStore's repository methods: synchronous admin writes (run as jobs on the writer thread, so they are
// durable on return and serialised with group commits) and reads (on the reader connection).

#include "ballast/persistence/internal/codec.hpp"
#include "ballast/persistence/internal/sql_store.hpp"

namespace ballast::persistence::internal {

using core::Error;
using core::ErrorCode;

namespace {

// Runs a SELECT on `c` and decodes each row with `decode(Decoder&)`.
template <class T, class F>
core::Result<std::vector<T>> select(Connection& c, std::string_view what, const std::string& sql,
                                    const std::vector<Value>& params, F decode) {
  auto rows = c.exec(what, sql, params);
  if (!rows) return rows.error();
  std::vector<T> out;
  out.reserve(rows->rows.size());
  for (const Row& row : rows->rows) {
    Decoder d(row, what);
    T value = decode(d);
    if (d.error()) return *d.error();
    out.push_back(std::move(value));
  }
  return out;
}

template <class T>
core::Result<std::optional<T>> first(core::Result<std::vector<T>> rows) {
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<T>{};
  return std::optional<T>(std::move(rows->front()));
}

core::Status require_affected(const core::Result<ResultSet>& result, std::string message) {
  if (!result) return result.error();
  if (result->affected == 0) return Error(ErrorCode::NotFound, std::move(message));
  return core::ok();
}

constexpr const char* kUserColumns = "SELECT id, name, role, password_hash, created, disabled FROM users";
UserRow decode_user(Decoder& d) {
  return UserRow{d.integer(0), d.text(1), d.text(2), d.text(3), d.ns(4), d.flag(5)};
}

constexpr const char* kOrderColumns =
    "SELECT client_order_id, account_id, instrument_id, strategy_id, side, type, time_in_force, quantity, price, "
    "trigger_price, filled_quantity, avg_fill_price, status, venue_order_id, reduce_only, post_only, reason, created, "
    "updated FROM orders";
OrderRow decode_order(Decoder& d) {
  OrderRow o;
  o.client_order_id = d.text(0);
  o.account_id = d.text(1);
  o.instrument_id = d.text(2);
  o.strategy_id = d.text(3);
  o.side = d.text(4);
  o.type = d.text(5);
  o.time_in_force = d.text(6);
  o.quantity = d.dec(7);
  o.price = d.optional_dec(8);
  o.trigger_price = d.optional_dec(9);
  o.filled_quantity = d.dec(10);
  o.avg_fill_price = d.optional_dec(11);
  o.status = d.text(12);
  o.venue_order_id = d.text(13);
  o.reduce_only = d.flag(14);
  o.post_only = d.flag(15);
  o.reason = d.text(16);
  o.created = d.ns(17);
  o.updated = d.ns(18);
  return o;
}

constexpr const char* kRiskConfigColumns =
    "SELECT account_id, name, document, active, updated, updated_by FROM risk_configurations";
RiskConfigurationRow decode_risk_config(Decoder& d) {
  return RiskConfigurationRow{d.text(0), d.text(1), d.text(2), d.flag(3), d.ns(4), d.text(5)};
}

// Order statuses that end an order's life (both spellings of cancelled).
constexpr const char* kTerminalStatuses = "('FILLED', 'CANCELED', 'CANCELLED', 'REJECTED', 'EXPIRED', 'DENIED')";

}  // namespace

// ---- users ----

core::Result<std::int64_t> SqlStore::add_user(const UserRow& user) {
  std::int64_t id = 0;
  auto status = run_job([&](Connection& c) -> core::Status {
    auto rows = c.exec("add user " + user.name,
                       "INSERT INTO users (name, role, password_hash, created, disabled) VALUES ($1, $2, $3, $4, $5) "
                       "RETURNING id",
                       {user.name, user.role, user.password_hash, ns(user.created), flag(user.disabled)});
    if (!rows) {
      if (rows.error().code() == ErrorCode::AlreadyExists) {
        return Error(ErrorCode::AlreadyExists,
                     "user '" + user.name + "' already exists (" + rows.error().message() + ")");
      }
      return rows.error();
    }
    id = rows->rows.at(0).integer(0);
    return core::ok();
  });
  if (!status) return status.error();
  return id;
}

core::Result<std::optional<UserRow>> SqlStore::find_user(std::string_view name) {
  return read([&](Connection& c) {
    return first(
        select<UserRow>(c, "find user", std::string(kUserColumns) + " WHERE name = $1", {text(name)}, decode_user));
  });
}

core::Result<std::vector<UserRow>> SqlStore::list_users() {
  return read([&](Connection& c) {
    return select<UserRow>(c, "list users", std::string(kUserColumns) + " ORDER BY name", {}, decode_user);
  });
}

core::Status SqlStore::update_user(const UserRow& user) {
  return run_job([&](Connection& c) {
    return require_affected(c.exec("update user " + user.name,
                                   "UPDATE users SET role = $2, password_hash = $3, disabled = $4 WHERE name = $1",
                                   {user.name, user.role, user.password_hash, flag(user.disabled)}),
                            "user '" + user.name + "' not found");
  });
}

// ---- accounts & instruments ----

core::Status SqlStore::upsert_account(const AccountRow& a) {
  return run_job([&](Connection& c) -> core::Status {
    BALLAST_TRY(
        c.exec("upsert account " + a.id,
               "INSERT INTO accounts (id, venue, mode, currency, starting_balance, created) VALUES ($1, $2, $3, $4, "
               "$5, $6) ON CONFLICT (id) DO UPDATE SET venue = excluded.venue, mode = excluded.mode, "
               "currency = excluded.currency, starting_balance = excluded.starting_balance",
               {a.id, a.venue, a.mode, a.currency, dec(a.starting_balance), ns(a.created)}));
    return core::ok();
  });
}

core::Result<std::vector<AccountRow>> SqlStore::list_accounts() {
  return read([&](Connection& c) {
    return select<AccountRow>(
        c, "list accounts", "SELECT id, venue, mode, currency, starting_balance, created FROM accounts ORDER BY id", {},
        [](Decoder& d) { return AccountRow{d.text(0), d.text(1), d.text(2), d.text(3), d.dec(4), d.ns(5)}; });
  });
}

core::Status SqlStore::upsert_instrument(const InstrumentRow& i) {
  return run_job([&](Connection& c) -> core::Status {
    BALLAST_TRY(
        c.exec("upsert instrument " + i.id,
               "INSERT INTO instruments (id, venue, symbol, definition) VALUES ($1, $2, $3, $4) ON CONFLICT (id) "
               "DO UPDATE SET venue = excluded.venue, symbol = excluded.symbol, definition = excluded.definition",
               {i.id, i.venue, i.symbol, i.definition}));
    return core::ok();
  });
}

core::Result<std::vector<InstrumentRow>> SqlStore::list_instruments() {
  return read([&](Connection& c) {
    return select<InstrumentRow>(
        c, "list instruments", "SELECT id, venue, symbol, definition FROM instruments ORDER BY id", {}, [](Decoder& d) {
          return InstrumentRow{d.text(0), d.text(1), d.text(2), d.text(3)};
        });
  });
}

// ---- orders, fills, positions ----

core::Result<std::optional<OrderRow>> SqlStore::find_order(std::string_view client_order_id) {
  return read([&](Connection& c) {
    return first(select<OrderRow>(c, "find order " + std::string(client_order_id),
                                  std::string(kOrderColumns) + " WHERE client_order_id = $1", {text(client_order_id)},
                                  decode_order));
  });
}

core::Result<std::vector<OrderRow>> SqlStore::query_orders(const OrderQuery& q) {
  Filter f;
  if (q.account_id) f.add("account_id = ", text(*q.account_id));
  if (q.instrument_id) f.add("instrument_id = ", text(*q.instrument_id));
  if (q.strategy_id) f.add("strategy_id = ", text(*q.strategy_id));
  if (!q.statuses.empty()) {
    std::string in = "status IN (";
    for (std::size_t i = 0; i < q.statuses.size(); ++i) in += (i > 0 ? ", " : "") + f.param(q.statuses[i]);
    f.add_clause(in + ")");
  }
  if (q.open_only) f.add_clause(std::string("status NOT IN ") + kTerminalStatuses);
  if (q.from) f.add("created >= ", ns(*q.from));
  if (q.to) f.add("created < ", ns(*q.to));
  const std::string sql = std::string(kOrderColumns) + f.where() + " ORDER BY created DESC, client_order_id DESC" +
                          f.page(q.limit, q.offset);
  return read([&](Connection& c) { return select<OrderRow>(c, "query orders", sql, f.params(), decode_order); });
}

core::Result<std::vector<FillRow>> SqlStore::query_fills(const TimeQuery& q,
                                                         std::optional<std::string> client_order_id) {
  Filter f;
  add_time_filters(f, q, "ts_event");
  if (client_order_id) f.add("client_order_id = ", text(*client_order_id));
  const std::string sql =
      "SELECT trade_id, client_order_id, account_id, instrument_id, side, quantity, price, fee, fee_currency, "
      "liquidity, "
      "ts_event FROM fills" +
      f.where() + " ORDER BY ts_event DESC, trade_id DESC" + f.page(q.limit, q.offset);
  return read([&](Connection& c) {
    return select<FillRow>(c, "query fills", sql, f.params(), [](Decoder& d) {
      return FillRow{d.text(0), d.text(1), d.text(2), d.text(3), d.text(4), d.dec(5),
                     d.dec(6),  d.dec(7),  d.text(8), d.text(9), d.ns(10)};
    });
  });
}

core::Result<std::vector<PositionSnapshotRow>> SqlStore::latest_positions(std::string_view account_id) {
  return read([&](Connection& c) {
    return select<PositionSnapshotRow>(
        c, "latest positions",
        "SELECT account_id, instrument_id, quantity, avg_entry_price, realized_pnl, unrealized_pnl, mark_price, ts "
        "FROM positions_latest WHERE account_id = $1 ORDER BY instrument_id",
        {text(account_id)}, [](Decoder& d) {
          return PositionSnapshotRow{d.text(0), d.text(1), d.dec(2), d.dec(3), d.dec(4), d.dec(5), d.dec(6), d.ns(7)};
        });
  });
}

// ---- risk configuration ----

core::Status SqlStore::save_risk_configuration(const RiskConfigurationRow& r) {
  return run_job([&](Connection& c) -> core::Status {
    const std::string what = "save risk configuration " + r.account_id + "/" + r.name;
    bool make_active = r.active;
    if (make_active) {
      BALLAST_TRY(c.exec(what, "UPDATE risk_configurations SET active = 0 WHERE account_id = $1 AND name <> $2",
                         {r.account_id, r.name}));
    } else {
      // The first configuration of an account becomes its active one (there is always exactly one active).
      auto active =
          c.exec(what, "SELECT name FROM risk_configurations WHERE account_id = $1 AND active = 1", {r.account_id});
      if (!active) return active.error();
      make_active = active->rows.empty() || active->rows[0].text(0) == r.name;
    }
    BALLAST_TRY(
        c.exec(what,
               "INSERT INTO risk_configurations (account_id, name, document, active, updated, updated_by) VALUES "
               "($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, name) DO UPDATE SET document = "
               "excluded.document, active = excluded.active, updated = excluded.updated, updated_by = "
               "excluded.updated_by",
               {r.account_id, r.name, r.document, flag(make_active), ns(r.updated), r.updated_by}));
    return core::ok();
  });
}

core::Result<std::vector<RiskConfigurationRow>> SqlStore::list_risk_configurations(std::string_view account_id) {
  return read([&](Connection& c) {
    return select<RiskConfigurationRow>(c, "list risk configurations",
                                        std::string(kRiskConfigColumns) + " WHERE account_id = $1 ORDER BY name",
                                        {text(account_id)}, decode_risk_config);
  });
}

core::Result<std::optional<RiskConfigurationRow>> SqlStore::active_risk_configuration(std::string_view account_id) {
  return read([&](Connection& c) {
    return first(select<RiskConfigurationRow>(c, "active risk configuration",
                                              std::string(kRiskConfigColumns) + " WHERE account_id = $1 AND active = 1",
                                              {text(account_id)}, decode_risk_config));
  });
}

core::Status SqlStore::activate_risk_configuration(std::string_view account_id, std::string_view name) {
  return run_job([&](Connection& c) -> core::Status {
    const std::string what = "activate risk configuration " + std::string(account_id) + "/" + std::string(name);
    auto exists = c.exec(what, "SELECT 1 FROM risk_configurations WHERE account_id = $1 AND name = $2",
                         {text(account_id), text(name)});
    if (!exists) return exists.error();
    if (exists->rows.empty()) {
      return Error(ErrorCode::NotFound, "risk configuration '" + std::string(name) + "' of account '" +
                                            std::string(account_id) + "' not found");
    }
    // Deactivate first: the unique index allows one active configuration per account at any moment.
    BALLAST_TRY(c.exec(what, "UPDATE risk_configurations SET active = 0 WHERE account_id = $1 AND name <> $2",
                       {text(account_id), text(name)}));
    BALLAST_TRY(c.exec(what, "UPDATE risk_configurations SET active = 1 WHERE account_id = $1 AND name = $2",
                       {text(account_id), text(name)}));
    return core::ok();
  });
}

core::Status SqlStore::save_symbol_risk_configuration(const SymbolRiskConfigurationRow& r) {
  return run_job([&](Connection& c) -> core::Status {
    BALLAST_TRY(
        c.exec("save symbol risk configuration " + r.account_id + "/" + r.config_name + "/" + r.symbol,
               "INSERT INTO symbol_risk_configurations (account_id, config_name, symbol, document, updated) VALUES "
               "($1, $2, $3, $4, $5) ON CONFLICT (account_id, config_name, symbol) DO UPDATE SET document = "
               "excluded.document, updated = excluded.updated",
               {r.account_id, r.config_name, r.symbol, r.document, ns(r.updated)}));
    return core::ok();
  });
}

core::Status SqlStore::delete_symbol_risk_configuration(std::string_view account_id, std::string_view config_name,
                                                        std::string_view symbol) {
  return run_job([&](Connection& c) {
    return require_affected(
        c.exec("delete symbol risk configuration " + std::string(symbol),
               "DELETE FROM symbol_risk_configurations WHERE account_id = $1 AND config_name = $2 AND symbol = $3",
               {text(account_id), text(config_name), text(symbol)}),
        "symbol risk configuration '" + std::string(symbol) + "' of '" + std::string(account_id) + "/" +
            std::string(config_name) + "' not found");
  });
}

core::Result<std::vector<SymbolRiskConfigurationRow>> SqlStore::list_symbol_risk_configurations(
    std::string_view account_id, std::string_view config_name) {
  return read([&](Connection& c) {
    return select<SymbolRiskConfigurationRow>(
        c, "list symbol risk configurations",
        "SELECT account_id, config_name, symbol, document, updated FROM symbol_risk_configurations WHERE account_id = "
        "$1 "
        "AND config_name = $2 ORDER BY symbol",
        {text(account_id), text(config_name)}, [](Decoder& d) {
          return SymbolRiskConfigurationRow{d.text(0), d.text(1), d.text(2), d.text(3), d.ns(4)};
        });
  });
}

// ---- circuit breakers ----

core::Status SqlStore::save_circuit_breaker(const CircuitBreakerRow& r) {
  return run_job([&](Connection& c) -> core::Status {
    BALLAST_TRY(
        c.exec("save circuit breaker " + r.account_id + "/" + r.name,
               "INSERT INTO circuit_breakers (account_id, name, definition, enabled, state, updated) VALUES ($1, "
               "$2, $3, $4, $5, $6) ON CONFLICT (account_id, name) DO UPDATE SET definition = excluded.definition, "
               "enabled = excluded.enabled, state = excluded.state, updated = excluded.updated",
               {r.account_id, r.name, r.definition, flag(r.enabled), r.state, ns(r.updated)}));
    return core::ok();
  });
}

core::Status SqlStore::delete_circuit_breaker(std::string_view account_id, std::string_view name) {
  return run_job([&](Connection& c) {
    return require_affected(
        c.exec("delete circuit breaker " + std::string(name),
               "DELETE FROM circuit_breakers WHERE account_id = $1 AND name = $2", {text(account_id), text(name)}),
        "circuit breaker '" + std::string(name) + "' of account '" + std::string(account_id) + "' not found");
  });
}

core::Result<std::vector<CircuitBreakerRow>> SqlStore::list_circuit_breakers(std::string_view account_id) {
  return read([&](Connection& c) {
    return select<CircuitBreakerRow>(
        c, "list circuit breakers",
        "SELECT account_id, name, definition, enabled, state, updated FROM circuit_breakers WHERE account_id = $1 "
        "ORDER "
        "BY name",
        {text(account_id)},
        [](Decoder& d) { return CircuitBreakerRow{d.text(0), d.text(1), d.text(2), d.flag(3), d.text(4), d.ns(5)}; });
  });
}

core::Result<std::vector<CircuitBreakerEventRow>> SqlStore::query_breaker_events(const TimeQuery& q) {
  Filter f;
  add_time_filters(f, q, "ts");
  const std::string sql =
      "SELECT id, account_id, breaker, kind, condition_text, action, measured, threshold, message, ts FROM "
      "circuit_breaker_events" +
      f.where() + " ORDER BY ts DESC, id DESC" + f.page(q.limit, q.offset);
  return read([&](Connection& c) {
    return select<CircuitBreakerEventRow>(c, "query breaker events", sql, f.params(), [](Decoder& d) {
      return CircuitBreakerEventRow{d.integer(0), d.text(1),          d.text(2),          d.text(3), d.text(4),
                                    d.text(5),    d.optional_real(6), d.optional_real(7), d.text(8), d.ns(9)};
    });
  });
}

// ---- alerts, trading state, audit, risk history ----

core::Result<std::vector<AlertRow>> SqlStore::query_alerts(const TimeQuery& q) {
  Filter f;
  add_time_filters(f, q, "ts");
  const std::string sql = "SELECT id, account_id, severity, kind, message, details, ts FROM alerts" + f.where() +
                          " ORDER BY ts DESC, id DESC" + f.page(q.limit, q.offset);
  return read([&](Connection& c) {
    return select<AlertRow>(c, "query alerts", sql, f.params(), [](Decoder& d) {
      return AlertRow{d.integer(0), d.text(1), d.text(2), d.text(3), d.text(4), d.text(5), d.ns(6)};
    });
  });
}

core::Result<std::optional<TradingStateRow>> SqlStore::trading_state(std::string_view account_id) {
  return read([&](Connection& c) {
    return first(select<TradingStateRow>(
        c, "trading state",
        "SELECT account_id, state, reason, changed_by, ts FROM trading_states WHERE account_id = $1 ORDER BY ts DESC, "
        "id DESC LIMIT 1",
        {text(account_id)}, [](Decoder& d) {
          return TradingStateRow{d.text(0), d.text(1), d.text(2), d.text(3), d.ns(4)};
        }));
  });
}

core::Result<std::vector<AuditRow>> SqlStore::query_audit(const TimeQuery& q) {
  Filter f;
  // The audit log has no account column; TimeQuery::account_id filters on the target instead.
  if (q.account_id) f.add("target = ", text(*q.account_id));
  if (q.from) f.add("ts >= ", ns(*q.from));
  if (q.to) f.add("ts < ", ns(*q.to));
  const std::string sql = "SELECT id, ts, user_name, action, target, details, remote FROM audit_log" + f.where() +
                          " ORDER BY ts DESC, id DESC" + f.page(q.limit, q.offset);
  return read([&](Connection& c) {
    return select<AuditRow>(c, "query audit", sql, f.params(), [](Decoder& d) {
      return AuditRow{d.integer(0), d.ns(1), d.text(2), d.text(3), d.text(4), d.text(5), d.text(6)};
    });
  });
}

core::Result<std::vector<RiskSnapshotRow>> SqlStore::query_risk_snapshots(const TimeQuery& q) {
  Filter f;
  add_time_filters(f, q, "ts");
  const std::string sql =
      "SELECT account_id, ts, equity, gross_exposure, net_exposure, margin_used, var_95, margin_usage, document FROM "
      "risk_snapshots" +
      f.where() + " ORDER BY ts ASC, id ASC" + f.page(q.limit, q.offset);
  return read([&](Connection& c) {
    return select<RiskSnapshotRow>(c, "query risk snapshots", sql, f.params(), [](Decoder& d) {
      return RiskSnapshotRow{d.text(0), d.ns(1),   d.dec(2),  d.dec(3), d.dec(4),
                             d.dec(5),  d.real(6), d.real(7), d.text(8)};
    });
  });
}

}  // namespace ballast::persistence::internal
