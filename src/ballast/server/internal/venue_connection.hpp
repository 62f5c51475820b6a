#pragma once
// Opening a live venue for a VenueService: the only place in the server that knows the adapters
// (adapters/binance_futures, adapters/hyperliquid). Private to the server module.
//
// open_venue() reads the credentials the [[venues]] entry names (environment variable, or a file that
// only its owner may read or write: mode 0600 or stricter), builds the venue's REST client, reads its
// instruments and keeps the configured symbols (an unknown symbol is an error naming it), reads the
// account's balance in the settlement currency, and builds — without connecting — the execution client
// (reporting to `execution_sink`) and the data client (reporting to `data_sink`). No secret appears in an
// error message or a log line.

#include "ballast/core/clock.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/runtime/data_client.hpp"
#include "ballast/runtime/execution_client.hpp"
#include "ballast/server/service_config.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ballast::server {

struct VenueConnection {
  std::shared_ptr<void> resources;  // what the clients use (REST clients, signer); outlives them
  core::VenueId venue;
  std::vector<model::Instrument> instruments;  // the configured symbols, in the configured order
  model::Currency settlement_currency{model::Currency::USDT()};
  core::Decimal wallet_balance;  // the venue account's balance in the settlement currency, at open
  std::unique_ptr<runtime::ExecutionClient> execution;
  std::unique_ptr<runtime::DataClient> data;
  // The client order id the venue reports, in a later session, for an order Ballast placed under `id`
  // (Binance: the same id; Hyperliquid: the cloid derived from it). Reconciliation at start finds the
  // orders of earlier sessions with it.
  std::function<std::string(const std::string& id)> reported_client_order_id;
  // The venue's REST request-weight budget for the status: {used in the current window, limit}. Empty when
  // the venue has no such budget.
  std::function<std::pair<std::int64_t, std::int64_t>()> request_weight;
};

// What a venue tells about the account outside the order and market-data ports (a Binance MARGIN_CALL):
// kind ("MARGIN_CALL"), a message for people, and its details as JSON text. Called on a client thread.
using VenueNotice = std::function<void(std::string kind, std::string message, std::string details)>;

core::Result<VenueConnection> open_venue(const VenueConfig& config, runtime::ExecutionEventSink& execution_sink,
                                         runtime::MarketDataSink& data_sink, const core::Clock& clock,
                                         VenueNotice notice);

// A secret from the environment variable `env` or the file `file` (exactly one of them set). The file must
// not be readable or writable by group or others. `what` names it in errors ("venues[binance].api_key").
core::Result<std::string> read_secret(const std::string& env, const std::filesystem::path& file, std::string_view what);

}  // namespace ballast::server
