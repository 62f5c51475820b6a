#pragma once
// PaperMarket: the market data behind the paper venue — the instruments it lists and the bars it
// produces, one time step at a time. Two sources:
//  - synthetic: data::SyntheticMarketGenerator streaming correlated GBM bars for every configured
//    instrument (paper.instruments, paper.correlation, paper.seed), bar length paper.bar_interval,
//    starting at `start`;
//  - replay: one OHLCV CSV per instrument (paper.replay_files), merged in time order; a step delivers the
//    bars of every instrument that has one at that time.
// Instruments are USDⓈ-M-style linear perpetuals on the venue "PAPER": the reference BTCUSDT / ETHUSDT /
// SOLUSDT specs (model/reference_instruments.hpp: Binance filters, fees and leverage brackets) when the
// symbol is one of them, otherwise a generic perpetual (maker 0.02 %, taker 0.05 %, minimum notional 5,
// one 20× bracket with 2.5 % maintenance margin); tick and lot sizes come from the config.
//
// Shocks (operator drills, breaker tests): shock(i, move) shifts instrument i's synthetic price level for
// good, like a gap. Its next bar opens at the previous close × (1 + move) (on the tick, half away from
// zero; high/low widened to include it) and every later price is the generator's price × the product of
// the instrument's (1 + move) factors, on the tick (at least one tick): the path continues from the
// shifted level with the same returns. Volumes are unchanged. A replay feed cannot be shocked.
// The TradingService owns the market; the API reaches it on the kernel's bus, at the responder
// kPaperShockEndpoint (PaperShock → PaperShockReply).

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/server/service_config.hpp"

#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace ballast::server {

inline constexpr std::string_view kPaperVenue = "PAPER";
inline constexpr std::string_view kPaperShockEndpoint = "paper.market.shock";

// Accepted moves: −0.9 < move < 10 (a fraction: −0.08 = −8 %).
struct PaperShock {
  std::size_t instrument{0};  // index in the market's instruments
  core::Decimal move{};
};

struct PaperShockApplied {
  std::optional<model::Price> previous_close{};  // the instrument's latest bar close (none before the first bar)
  std::optional<model::Price> next_open{};       // the open its next bar will have (with previous_close)
  core::Decimal level_factor{};                  // product of every (1 + move) of the instrument so far
};

struct PaperShockReply {
  std::optional<core::Error> error{};  // InvalidState (replay feed), InvalidArgument (move, index), Overflow
  PaperShockApplied applied{};
};

// The instruments of paper.instruments, in config order.
core::Result<std::vector<std::unique_ptr<model::Instrument>>> paper_instruments(const ServiceConfig& config);

class PaperMarket {
 public:
  virtual ~PaperMarket() = default;
  // Market time at which the next step is complete (its bars' ts_recv); nullopt when a replay is over.
  virtual std::optional<core::UnixNanos> next_step_end() const = 0;
  // The next step: (instrument index, bar) pairs, all with the same ts_event.
  virtual const std::vector<std::pair<std::size_t, model::Bar>>& next() = 0;
  // Market time of the first bar (the paced clock starts here).
  virtual core::UnixNanos start() const = 0;
  // A permanent level shift of one instrument (see the header comment). The base class refuses it
  // (InvalidState): only the synthetic source can be shocked.
  virtual core::Result<PaperShockApplied> shock(std::size_t instrument, const core::Decimal& move);
};

// `start` is used by the synthetic source (aligned down to the bar interval); a replay starts at its first bar.
core::Result<std::unique_ptr<PaperMarket>> make_paper_market(const ServiceConfig& config,
                                                             const std::vector<const model::Instrument*>& instruments,
                                                             core::UnixNanos start);

}  // namespace ballast::server
