// Reference perpetuals (see reference_instruments.hpp).

#include "ballast/model/reference_instruments.hpp"

#include <fmt/format.h>

#include <utility>

namespace ballast::model {
namespace {

using core::Decimal;

Decimal dec(std::string_view text) { return Decimal::parse(text).value(); }

// One bracket: (floor, cap] → max leverage, maintenance margin rate, maintenance amount.
MarginTier tier(std::string_view floor, std::string_view cap, std::string_view leverage, std::string_view mmr,
                       std::string_view amount) {
  return MarginTier{dec(floor), dec(cap), dec(leverage), dec(mmr), dec(amount)};
}

InstrumentSpec perp(std::string_view venue, std::string_view symbol, std::string_view base, std::string_view tick, std::string_view step,
                           std::string_view max_quantity, std::string_view min_notional,
                           std::vector<MarginTier> tiers) {
  InstrumentSpec spec;
  spec.id = core::InstrumentId::parse(fmt::format("{}.{}", symbol, venue)).value();
  spec.kind = InstrumentKind::Perpetual;
  spec.base_currency = Currency(base, 8);
  spec.quote_currency = Currency::USDT();
  spec.settlement_currency = Currency::USDT();
  spec.tick_size = Price::parse(tick).value();
  spec.step_size = Quantity::parse(step).value();
  spec.min_quantity = Quantity::parse(step).value();
  spec.max_quantity = Quantity::parse(max_quantity).value();
  spec.min_notional = Money::parse(min_notional, Currency::USDT()).value();
  spec.maker_fee_rate = dec("0.0002");
  spec.taker_fee_rate = dec("0.0005");
  spec.margin_tiers = std::move(tiers);
  return spec;
}

// Brackets in the shape Binance publishes for USDⓈ-M perpetuals: each maintenance amount is
// amount(i−1) + floor(i) × (rate(i) − rate(i−1)), so maintenance margin is continuous at every cap.
}  // namespace

std::vector<InstrumentSpec> reference_perpetual_specs(std::string_view venue) {
  return {
      perp(venue, "BTCUSDT", "BTC", "0.1", "0.001", "1000", "100",
           {tier("0", "50000", "125", "0.004", "0"), tier("50000", "500000", "100", "0.005", "50"),
            tier("500000", "8000000", "50", "0.01", "2550"), tier("8000000", "50000000", "20", "0.025", "122550"),
            tier("50000000", "80000000", "10", "0.05", "1372550"), tier("80000000", "100000000", "5", "0.1", "5372550"),
            tier("100000000", "120000000", "4", "0.125", "7872550"),
            tier("120000000", "200000000", "3", "0.15", "10872550"),
            tier("200000000", "300000000", "2", "0.25", "30872550"),
            tier("300000000", "500000000", "1", "0.5", "105872550")}),
      perp(venue, "ETHUSDT", "ETH", "0.01", "0.001", "10000", "20",
           {tier("0", "50000", "100", "0.005", "0"), tier("50000", "500000", "75", "0.0065", "75"),
            tier("500000", "1000000", "50", "0.01", "1825"), tier("1000000", "5000000", "20", "0.02", "11825"),
            tier("5000000", "10000000", "10", "0.05", "161825"), tier("10000000", "20000000", "5", "0.1", "661825"),
            tier("20000000", "50000000", "4", "0.125", "1161825"), tier("50000000", "100000000", "3", "0.15", "2411825"),
            tier("100000000", "200000000", "2", "0.25", "12411825"),
            tier("200000000", "300000000", "1", "0.5", "62411825")}),
      perp(venue, "SOLUSDT", "SOL", "0.01", "1", "1000000", "5",
           {tier("0", "5000", "50", "0.01", "0"), tier("5000", "50000", "25", "0.02", "50"),
            tier("50000", "250000", "20", "0.025", "300"), tier("250000", "1000000", "10", "0.05", "6550"),
            tier("1000000", "2000000", "5", "0.1", "56550"), tier("2000000", "5000000", "4", "0.125", "106550"),
            tier("5000000", "10000000", "3", "0.15", "231550"), tier("10000000", "20000000", "2", "0.25", "1231550"),
            tier("20000000", "30000000", "1", "0.5", "6231550")}),
  };
}

}  // namespace ballast::model
