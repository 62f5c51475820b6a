// The session manager (session_manager.hpp): restore, start/stop and the JSON view of the trading session.

#include "ballast/server/session_manager.hpp"

#include "ballast/core/log.hpp"
#include "ballast/risk/trading_hours.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"

#include <fmt/format.h>

#include <utility>

namespace ballast::server {

namespace jv = json_views;
using Json = nlohmann::json;

std::string session_state_key(std::string_view account_id) { return std::string(account_id) + "/session"; }

std::string_view session_state_code(bool running) noexcept { return running ? "RUNNING" : "STOPPED"; }

namespace {

void apply(Desk& desk, SessionState state) {
  desk.kernel().engine().set_session_running(state.running);
  desk.session() = std::move(state);
}

void record(Desk& desk) {
  const SessionState& s = desk.session();
  persistence::TradingStateRow row;
  row.account_id = session_state_key(desk.account_id());
  row.state = std::string(session_state_code(s.running));
  row.reason = s.reason;
  row.changed_by = s.by;
  row.ts = s.since;
  desk.batch().trading_states.push_back(std::move(row));
}

Json time_or_null(const std::optional<core::UnixNanos>& t) { return t ? Json(jv::time_text(*t)) : Json(nullptr); }

}  // namespace

core::Status restore_session(Desk& desk, persistence::Store& store) {
  auto stored = store.trading_state(session_state_key(desk.account_id()));
  if (!stored) return stored.error().with_context("trading session");
  SessionState state;
  state.since = desk.now();
  if (stored->has_value()) {
    const persistence::TradingStateRow& row = **stored;
    if (row.state != "RUNNING" && row.state != "STOPPED") {
      return core::Error(core::ErrorCode::ParseError,
                         fmt::format("stored trading session state '{}' is neither RUNNING nor STOPPED", row.state),
                         row.account_id);
    }
    state.running = row.state == "RUNNING";
    state.since = row.ts;
    state.by = row.changed_by;
    state.reason = row.reason;
  }
  if (!desk.config().session_autostart && state.running) {
    state = SessionState{false, desk.now(), "system", "[session] autostart = false"};
    apply(desk, std::move(state));
    record(desk);
  } else {
    apply(desk, std::move(state));
  }
  if (!desk.session().running) {
    core::logger().warn("serve: the trading session is STOPPED ({}): new orders are refused until POST /api/session/start",
                        desk.session().reason.empty() ? desk.session().by : desk.session().reason);
  }
  return core::ok();
}

void change_session(Desk& desk, bool running, std::string_view by, std::string reason) {
  apply(desk, SessionState{running, desk.now(), std::string(by), std::move(reason)});
  record(desk);
  core::logger().info("serve: trading session {} by {}", session_state_code(running), by);
  desk.publish("session", Json{{"type", "session"}, {"data", session_json(desk)}}.dump());
}

Json session_json(const Desk& desk) {
  const SessionState& s = desk.session();
  const core::UnixNanos now = desk.now();
  const risk::RiskConfig& config = desk.kernel().engine().config();
  Json instruments = Json::array();
  for (const model::Instrument* instrument : desk.instruments()) {
    const auto& hours = config.trading_hours_for(instrument->id());
    instruments.push_back(Json{{"symbol", std::string(instrument->id().symbol())},
                               {"open", risk::trading_hours_open(hours, now)},
                               {"next_open", time_or_null(risk::next_trading_open(hours, now))},
                               {"next_close", time_or_null(risk::next_trading_close(hours, now))}});
  }
  return Json{{"state", session_state_code(s.running)},
              {"mode", desk.config().session_mode},
              {"since", jv::time_text(s.since)},
              {"by", s.by},
              {"reason", s.reason},
              {"market_time", jv::time_text(now)},
              {"instruments", std::move(instruments)}};
}

}  // namespace ballast::server
