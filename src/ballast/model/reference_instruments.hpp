#pragma once
// Reference instruments: the BTCUSDT, ETHUSDT and SOLUSDT USDⓈ-M perpetuals with Binance's published
// filters (tick 0.1 / 0.01 / 0.01, step 0.001 / 0.001 / 1, minimum notional 100 / 20 / 5 USDT), fees
// (maker 0.02 %, taker 0.05 %) and leverage brackets, listed on a venue of the caller's choosing. The CLI
// uses them when no instrument file is given (venue BINANCE); `ballast serve` lists them on the paper venue.

#include "ballast/model/instrument.hpp"

#include <string_view>
#include <vector>

namespace ballast::model {

// Specs in the order BTCUSDT, ETHUSDT, SOLUSDT, with ids "<SYMBOL>.<venue>".
std::vector<InstrumentSpec> reference_perpetual_specs(std::string_view venue);

}  // namespace ballast::model
