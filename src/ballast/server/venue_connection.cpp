// Opening a live venue: credentials, REST client, instruments, balance and the two clients
// (internal/venue_connection.hpp). The only server file that includes adapter headers.

#include "ballast/server/internal/venue_connection.hpp"

#include "ballast/adapters/binance_futures/data_client.hpp"
#include "ballast/adapters/binance_futures/execution_client.hpp"
#include "ballast/adapters/binance_futures/rest_client.hpp"
#include "ballast/adapters/hyperliquid/data_client.hpp"
#include "ballast/adapters/hyperliquid/execution_client.hpp"
#include "ballast/adapters/hyperliquid/hex.hpp"
#include "ballast/adapters/hyperliquid/hyperliquid_rest_client.hpp"
#include "ballast/adapters/hyperliquid/signing.hpp"
#include "ballast/adapters/hyperliquid/user_stream.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ballast::server {

using core::Error;
using core::ErrorCode;

namespace {

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// A command sent to a read-only venue is refused here, before any request: the account is watched, never
// traded — breaker actions and the emergency stop included (they report the refusal).
class ReadOnlyExecutionClient final : public runtime::ExecutionClient {
 public:
  explicit ReadOnlyExecutionClient(std::unique_ptr<runtime::ExecutionClient> inner) : inner_(std::move(inner)) {}
  const core::VenueId& venue() const override { return inner_->venue(); }
  const core::AccountId& account_id() const override { return inner_->account_id(); }
  core::Status connect() override { return inner_->connect(); }
  void disconnect() override { inner_->disconnect(); }
  bool is_connected() const override { return inner_->is_connected(); }
  core::Status submit_order(const model::SubmitOrder&) override { return refused(); }
  core::Status cancel_order(const model::CancelOrder&) override { return refused(); }
  core::Status cancel_all_orders(const model::CancelAllOrders&) override { return refused(); }
  core::Status modify_order(const model::ModifyOrder&) override { return refused(); }
  core::Result<std::vector<runtime::OrderStatusReport>> query_open_orders(
      const std::optional<core::InstrumentId>& instrument_id) override {
    return inner_->query_open_orders(instrument_id);
  }
  core::Result<std::vector<runtime::PositionStatusReport>> query_positions() override { return inner_->query_positions(); }
  core::Result<std::vector<model::Fill>> query_fills_since(core::UnixNanos since) override {
    return inner_->query_fills_since(since);
  }

 private:
  core::Status refused() const {
    return Error(ErrorCode::InvalidState, fmt::format("venue {} is read-only: no order is sent", inner_->venue().value()));
  }
  std::unique_ptr<runtime::ExecutionClient> inner_;
};

// --- Binance USDⓈ-M Futures -------------------------------------------------------------------------------

struct BinanceResources {
  std::unique_ptr<adapters::binance::BinanceRestClient> rest;
};

core::Result<VenueConnection> open_binance(const VenueConfig& v, runtime::ExecutionEventSink& execution_sink,
                                           runtime::MarketDataSink& data_sink, const core::Clock& clock,
                                           const VenueNotice& notice) {
  namespace bn = adapters::binance;
  const std::string where = fmt::format("venues[{}]", v.name);
  auto key = read_secret(v.api_key_env, v.api_key_file, where + ".api_key");
  if (!key) return key.error();
  auto secret = read_secret(v.api_secret_env, v.api_secret_file, where + ".api_secret");
  if (!secret) return secret.error();
  const bool mainnet = v.network == "mainnet";

  bn::BinanceRestConfig rc;
  rc.base_url = !v.rest_url.empty() ? v.rest_url : std::string(mainnet ? bn::kMainnetBaseUrl : bn::kTestnetBaseUrl);
  rc.venue = core::VenueId(effective_venue_id(v));
  rc.api_key = std::move(*key);
  rc.api_secret = std::move(*secret);
  auto resources = std::make_shared<BinanceResources>();
  resources->rest = std::make_unique<bn::BinanceRestClient>(rc, clock);
  bn::BinanceRestClient& rest = *resources->rest;

  VenueConnection out;
  out.resources = resources;
  out.reported_client_order_id = [](const std::string& id) { return id; };
  out.request_weight = [r = resources->rest.get()] { return std::pair{r->used_weight(), r->weight_limit()}; };
  out.venue = rc.venue;
  if (auto synced = rest.sync_time(); !synced) return synced.error().to_error();
  auto all = rest.instruments();
  if (!all) return all.error().to_error();
  for (const auto& symbol : v.symbols) {
    const auto it = std::find_if(all->begin(), all->end(), [&](const model::Instrument& i) { return i.id().symbol() == symbol; });
    if (it == all->end()) {
      return Error(ErrorCode::NotFound, fmt::format("'{}' is not a trading symbol of Binance USDⓈ-M Futures", symbol),
                   where + ".symbols");
    }
    out.instruments.push_back(*it);
  }
  out.settlement_currency = out.instruments.front().spec().settlement_currency;
  auto balances = rest.account_balances();
  if (!balances) return balances.error().to_error();
  for (const auto& b : *balances) {
    if (b.asset == out.settlement_currency.code()) out.wallet_balance = b.wallet_balance;
  }

  bn::BinanceExecutionConfig ec;
  ec.account_id = core::AccountId(effective_account_id(v));
  ec.symbols = v.symbols;
  ec.user_stream.url = !v.user_stream_url.empty() ? v.user_stream_url
                                                  : std::string(mainnet ? bn::kMainnetUserStreamUrl : bn::kTestnetUserStreamUrl);
  auto execution = std::make_unique<bn::BinanceExecutionClient>(ec, rest, execution_sink, clock);
  bn::AccountStreamListener listener;
  listener.on_margin_call = [notice](const bn::MarginCall& call) {
    if (!notice) return;
    std::string symbols;
    std::string details = "[";
    for (const auto& p : call.positions) {
      symbols += (symbols.empty() ? "" : ", ") + p.symbol;
      details += fmt::format("{}{{\"symbol\":\"{}\",\"amount\":\"{}\",\"mark_price\":\"{}\",\"unrealized_pnl\":\"{}\","
                             "\"maintenance_margin\":\"{}\"}}",
                             details.size() > 1 ? "," : "", p.symbol, p.amount.to_string_trimmed(),
                             p.mark_price.to_string_trimmed(), p.unrealized_pnl.to_string_trimmed(),
                             p.maintenance_margin.to_string_trimmed());
    }
    details += "]";
    notice("MARGIN_CALL", fmt::format("Binance margin call on {}: the margin ratio reached 100%; add margin or reduce",
                                      symbols.empty() ? "the account" : symbols),
           "{\"positions\":" + details + "}");
  };
  execution->set_account_listener(std::move(listener));
  out.execution = std::move(execution);

  bn::BinanceDataConfig dc;
  dc.rest_base_url = rc.base_url;
  dc.stream_base_url = !v.stream_url.empty() ? v.stream_url : std::string(mainnet ? bn::kMainnetStreamUrl : bn::kTestnetStreamUrl);
  dc.venue = rc.venue;
  dc.instruments = out.instruments;
  out.data = std::make_unique<bn::BinanceDataClient>(dc, data_sink, clock);
  return out;
}

// --- Hyperliquid -----------------------------------------------------------------------------------------

struct HyperliquidResources {
  std::unique_ptr<adapters::hyperliquid::Signer> signer;
  std::unique_ptr<adapters::hyperliquid::HyperliquidRestClient> rest;       // the execution client's
  std::unique_ptr<adapters::hyperliquid::HyperliquidRestClient> data_rest;  // the data client's (own mutex)
};

core::Result<VenueConnection> open_hyperliquid(const VenueConfig& v, runtime::ExecutionEventSink& execution_sink,
                                               runtime::MarketDataSink& data_sink, const core::Clock& clock) {
  namespace hl = adapters::hyperliquid;
  const std::string where = fmt::format("venues[{}]", v.name);
  const bool mainnet = v.network == "mainnet";
  auto resources = std::make_shared<HyperliquidResources>();
  auto signer = !v.private_key_env.empty() ? hl::Signer::from_env(v.private_key_env) : hl::Signer::from_file(v.private_key_file);
  if (!signer) return Error(signer.error().code(), signer.error().message(), where + ".private_key");
  resources->signer = std::make_unique<hl::Signer>(std::move(*signer));

  hl::HyperliquidConfig rc;
  rc.network = mainnet ? hl::Network::Mainnet : hl::Network::Testnet;
  rc.base_url = !v.rest_url.empty() ? v.rest_url : std::string(mainnet ? hl::kMainnetUrl : hl::kTestnetUrl);
  rc.instruments.venue = core::VenueId(effective_venue_id(v));
  resources->rest = std::make_unique<hl::HyperliquidRestClient>(rc, resources->signer.get());
  resources->data_rest = std::make_unique<hl::HyperliquidRestClient>(rc, nullptr);

  hl::Address account = resources->signer->address();
  const bool agent = !v.account_address.empty();
  if (agent) {
    auto parsed = hl::parse_address(v.account_address, where + ".account_address");
    if (!parsed) return parsed.error();
    account = *parsed;
  }

  VenueConnection out;
  out.resources = resources;
  out.reported_client_order_id = [](const std::string& id) {
    return hl::Cloid::from_client_order_id(core::ClientOrderId(id)).to_wire();
  };
  out.request_weight = [r = resources->rest.get()] { return std::pair{r->used_weight(), r->weight_limit()}; };
  out.venue = rc.instruments.venue;
  auto assets = resources->rest->meta();
  if (!assets) return assets.error();
  for (const auto& coin : v.symbols) {
    const auto it = std::find_if(assets->begin(), assets->end(), [&](const hl::PerpAsset& a) { return a.name == coin; });
    if (it == assets->end()) {
      return Error(ErrorCode::NotFound, fmt::format("'{}' is not a Hyperliquid perpetual", coin), where + ".symbols");
    }
    out.instruments.push_back(it->instrument);
  }
  out.settlement_currency = out.instruments.front().spec().settlement_currency;
  auto state = resources->rest->clearinghouse_state(account);
  if (!state) return state.error();
  // Hyperliquid reports the account value (collateral + unrealised P&L); the wallet is that less the
  // positions' unrealised P&L, which the kernel adds back from its own marks.
  core::Decimal unrealized;
  for (const auto& p : state->positions) unrealized = unrealized + p.unrealized_pnl;
  out.wallet_balance = state->margin_summary.account_value - unrealized;

  hl::HyperliquidExecutionConfig ec;
  ec.account_id = core::AccountId(effective_account_id(v));
  ec.account_address = account;
  ec.signer_is_agent = agent;
  if (v.dead_man_seconds != 0) ec.dead_man_seconds = v.dead_man_seconds;
  hl::HyperliquidUserStreamConfig us;
  us.ws_url = !v.stream_url.empty() ? v.stream_url : std::string(mainnet ? hl::kMainnetWsUrl : hl::kTestnetWsUrl);
  ec.user_stream = us;
  out.execution = std::make_unique<hl::HyperliquidExecutionClient>(ec, *resources->rest, execution_sink, clock);

  hl::HyperliquidDataConfig dc;
  dc.venue = rc.instruments.venue;
  dc.ws_url = us.ws_url;
  out.data = std::make_unique<hl::HyperliquidDataClient>(dc, resources->data_rest.get(), data_sink, clock);
  return out;
}

}  // namespace

core::Result<std::string> read_secret(const std::string& env, const std::filesystem::path& file, std::string_view what) {
  if (!env.empty()) {
    const char* value = std::getenv(env.c_str());
    if (value == nullptr || trimmed(value).empty()) {
      return Error(ErrorCode::InvalidArgument, fmt::format("the environment variable {} is not set", env), std::string(what));
    }
    return trimmed(value);
  }
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) {
    return Error(ErrorCode::NotFound, fmt::format("cannot read the secret file {}", file.string()), std::string(what));
  }
  if ((info.st_mode & 077) != 0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("the secret file {} may be read or written by group or others (mode {:o}); chmod 600 it",
                             file.string(), info.st_mode & 0777),
                 std::string(what));
  }
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string value = trimmed(text.str());
  if (!in.good() && !in.eof()) {
    return Error(ErrorCode::IoError, fmt::format("cannot read the secret file {}", file.string()), std::string(what));
  }
  if (value.empty()) return Error(ErrorCode::InvalidArgument, fmt::format("the secret file {} is empty", file.string()), std::string(what));
  return value;
}

core::Result<VenueConnection> open_venue(const VenueConfig& config, runtime::ExecutionEventSink& execution_sink,
                                         runtime::MarketDataSink& data_sink, const core::Clock& clock,
                                         VenueNotice notice) {
  auto opened = config.kind == "binance_futures" ? open_binance(config, execution_sink, data_sink, clock, notice)
                                                  : open_hyperliquid(config, execution_sink, data_sink, clock);
  if (!opened) return opened.error();
  if (config.read_only) opened->execution = std::make_unique<ReadOnlyExecutionClient>(std::move(opened->execution));
  return opened;
}

}  // namespace ballast::server
