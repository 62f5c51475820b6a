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

#include "ballast/core/result.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/server/service_config.hpp"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace ballast::server {

inline constexpr std::string_view kPaperVenue = "PAPER";

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
};

// `start` is used by the synthetic source (aligned down to the bar interval); a replay starts at its first bar.
core::Result<std::unique_ptr<PaperMarket>> make_paper_market(const ServiceConfig& config,
                                                             const std::vector<const model::Instrument*>& instruments,
                                                             core::UnixNanos start);

}  // namespace ballast::server
