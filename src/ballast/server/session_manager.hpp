#pragma once
// The session manager's operations on the Desk (kernel thread only): restore the session at start,
// start/stop it (the risk engine's session switch, a persisted row, a WebSocket "session" message) and
// describe it as JSON for GET /api/session and the "session" channel. Private to the server module.
//
// Persistence: a change is a row of the trading_states table under the account id
// "<account_id>/session" with state RUNNING or STOPPED (the latest row wins), written in the Desk's
// pending batch: the route that changes it answers after Desk::flush (durable before acknowledged).
// At start: with [session] autostart = false the session starts STOPPED; otherwise it resumes the
// stored state (a session stopped before a restart stays stopped) and is RUNNING when none is stored.

#include "ballast/core/result.hpp"
#include "ballast/persistence/store.hpp"
#include "ballast/server/session_state.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace ballast::server {

class Desk;

// "PAPER-1" → "PAPER-1/session": the trading_states key of the account's session.
std::string session_state_key(std::string_view account_id);
std::string_view session_state_code(bool running) noexcept;  // "RUNNING" / "STOPPED"

// Loads the stored state (see above) into the desk and the risk engine; a forced stop (autostart =
// false) is recorded in the desk's batch. Call once, before the kernel thread starts.
core::Status restore_session(Desk& desk, persistence::Store& store);
// Starts or stops the session: engine switch, desk state, a trading_states row in the batch, a
// {"type":"session"} message on the "session" channel. The caller audits and flushes.
void change_session(Desk& desk, bool running, std::string_view by, std::string reason);
// {"state","mode","since","by","reason","instruments":[{"symbol","open","next_open","next_close"}]}:
// "open" is whether the instrument's trading hours (the active risk configuration) are open now,
// next_open/next_close the next opening/closing (null when the hours never close: no hours or 24/7).
nlohmann::json session_json(const Desk& desk);

}  // namespace ballast::server
