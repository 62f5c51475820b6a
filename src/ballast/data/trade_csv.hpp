#pragma once
// Trade-tick CSV. Three layouts, chosen by the caller (they cannot be told apart reliably by shape):
//
//   Ballast            timestamp,price,size,side,trade_id
//                      side: BUYER/SELLER/NO_AGGRESSOR (also BUY/SELL, B/S, any case; empty = none);
//                      trade_id may be empty. Timestamps as in ohlcv_csv.hpp (epoch by magnitude or ISO).
//   BinanceTrades      id,price,qty,quote_qty,time,is_buyer_maker[,is_best_match]
//   BinanceAggTrades   agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,
//                      is_buyer_maker[,is_best_match]
// Binance times are epoch ms (µs in newer spot dumps), by magnitude. is_buyer_maker = true means the
// seller was the aggressor. The trade id is `id` / `agg_trade_id`.
//
// A header line is optional (a first cell starting with a letter) and skipped. Ticks may share a
// timestamp but must not go back in time. Each tick's ts_recv = ts_event (the file has one time).
// Errors stop the read with where() = "source:line": wrong column count, unparsable number, bad
// timestamp, time going backwards, negative size, unknown side, invalid trade id.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::data {

enum class TradeCsvFormat { Ballast, BinanceTrades, BinanceAggTrades };

struct TradeCsvReadOptions {
  core::InstrumentId instrument_id;
  TradeCsvFormat format = TradeCsvFormat::Ballast;
  std::optional<core::EpochUnit> epoch_unit;  // Ballast layout only; inferred per value when unset
};

core::Result<std::vector<model::TradeTick>> read_trade_csv(const std::filesystem::path& path,
                                                           const TradeCsvReadOptions& options = {});
core::Result<std::vector<model::TradeTick>> parse_trade_csv(std::string_view text,
                                                            std::string_view source_name = "<text>",
                                                            const TradeCsvReadOptions& options = {});

struct TradeCsvWriteOptions {
  CsvTimestampFormat timestamp_format = CsvTimestampFormat::EpochNanos;  // exact for any tick
  bool header = true;                                                    // "timestamp,price,size,side,trade_id"
};

// Writes the Ballast layout with the model's side codes (BUYER, SELLER, NO_AGGRESSOR).
core::Result<std::string> format_trade_csv(std::span<const model::TradeTick> ticks,
                                           const TradeCsvWriteOptions& options = {});
core::Status write_trade_csv(const std::filesystem::path& path, std::span<const model::TradeTick> ticks,
                             const TradeCsvWriteOptions& options = {});

}  // namespace ballast::data
