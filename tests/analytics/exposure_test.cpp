#include "ballast/analytics/exposure.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace ballast::analytics {
namespace {

PositionExposure position(std::string_view symbol, std::string_view venue, std::string_view currency, double notional) {
  const core::VenueId v{std::string(venue)};
  return PositionExposure{core::InstrumentId(symbol, v), v, *model::Currency::parse(currency), notional};
}

// A hand-made book (notional in USD): two entries in BTCUSDT on Binance (two strategies), an ETH and
// a SOL short, and BTC on Hyperliquid.
std::vector<PositionExposure> book() {
  return {position("BTCUSDT", "BINANCE", "USDT", 100'000), position("ETHUSDT", "BINANCE", "USDT", -50'000),
          position("BTC", "HYPERLIQUID", "USDC", 30'000), position("SOLUSDT", "BINANCE", "USDT", -20'000),
          position("BTCUSDT", "BINANCE", "USDT", -40'000)};
}

TEST(Exposure, TotalsSplitLongShortGrossAndNet) {
  // long = 100 + 30 = 130k, short = 50 + 20 + 40 = 110k, gross 240k, net 20k.
  auto r = summarize_exposure(book());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->total.long_notional, 130'000);
  EXPECT_EQ(r->total.short_notional, 110'000);
  EXPECT_EQ(r->total.gross, 240'000);
  EXPECT_EQ(r->total.net, 20'000);
  EXPECT_EQ(r->total.positions, 5u);
}

TEST(Exposure, GroupsByInstrumentVenueAndCurrencySortedByKey) {
  auto r = summarize_exposure(book());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->by_instrument.size(), 4u);
  EXPECT_EQ(r->by_instrument[0].key, "BTC.HYPERLIQUID");  // '.' sorts before 'U'
  EXPECT_EQ(r->by_instrument[1].key, "BTCUSDT.BINANCE");
  EXPECT_EQ(r->by_instrument[1].totals.gross, 140'000);
  EXPECT_EQ(r->by_instrument[1].totals.net, 60'000);
  EXPECT_EQ(r->by_instrument[1].totals.positions, 2u);
  ASSERT_EQ(r->by_venue.size(), 2u);
  EXPECT_EQ(r->by_venue[0].key, "BINANCE");
  EXPECT_EQ(r->by_venue[0].totals.long_notional, 100'000);
  EXPECT_EQ(r->by_venue[0].totals.short_notional, 110'000);
  EXPECT_EQ(r->by_venue[0].totals.net, -10'000);
  EXPECT_DOUBLE_EQ(r->by_venue[0].share_of_gross, 210.0 / 240.0);
  ASSERT_EQ(r->by_currency.size(), 2u);
  EXPECT_EQ(r->by_currency[0].key, "USDC");
  EXPECT_EQ(r->by_currency[0].totals.gross, 30'000);
  EXPECT_EQ(r->by_currency[1].key, "USDT");
}

TEST(Exposure, ConcentrationNetsByInstrument) {
  // |net| by instrument: 30k, 60k, 50k, 20k of 160k → weights 0.1875, 0.375, 0.3125, 0.125.
  // H = 0.03515625 + 0.140625 + 0.09765625 + 0.015625 = 0.2890625.
  auto r = summarize_exposure(book());
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->concentration.largest_weight, 0.375);
  EXPECT_EQ(r->concentration.largest_instrument, "BTCUSDT.BINANCE");
  EXPECT_DOUBLE_EQ(r->concentration.herfindahl, 0.2890625);
  EXPECT_DOUBLE_EQ(r->concentration.effective_positions, 1.0 / 0.2890625);
}

TEST(Exposure, EqualPositionsHaveTheMinimumHerfindahl) {
  std::vector<PositionExposure> equal = {position("A", "X", "USD", 1e4), position("B", "X", "USD", -1e4),
                                         position("C", "X", "USD", 1e4), position("D", "X", "USD", -1e4)};
  auto r = summarize_exposure(equal);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->concentration.herfindahl, 0.25);
  EXPECT_DOUBLE_EQ(r->concentration.effective_positions, 4.0);
  EXPECT_EQ(r->total.net, 0.0);
}

TEST(Exposure, AnEmptyOrFlatBookHasNoConcentration) {
  auto empty = summarize_exposure({});
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->total.gross, 0.0);
  EXPECT_EQ(empty->concentration.herfindahl, 0.0);
  EXPECT_TRUE(empty->concentration.largest_instrument.empty());
  std::vector<PositionExposure> flat = {position("A", "X", "USD", 5.0), position("A", "X", "USD", -5.0)};
  auto r = summarize_exposure(flat);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total.gross, 10.0);
  EXPECT_EQ(r->concentration.largest_weight, 0.0);
}

TEST(Exposure, NamesANonFiniteNotional) {
  auto positions = book();
  positions[3].notional = std::numeric_limits<double>::quiet_NaN();
  auto r = summarize_exposure(positions);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "positions[3].notional");
  EXPECT_NE(r.error().message().find("SOLUSDT.BINANCE"), std::string::npos) << r.error().message();
}

TEST(DollarExposures, MultiplyQuantitiesByPricesKeepingSigns) {
  auto e = dollar_exposures(std::vector<double>{2.0, -3.0, 0.0}, std::vector<double>{100.0, 50.0, 7.0});
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)[0], 200.0);
  EXPECT_EQ((*e)[1], -150.0);
  EXPECT_EQ((*e)[2], 0.0);
  EXPECT_FALSE(dollar_exposures(std::vector<double>{1.0}, std::vector<double>{1.0, 2.0}));
  auto bad = dollar_exposures(std::vector<double>{1.0, 1.0}, std::vector<double>{1.0, 0.0});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("prices[1]"), std::string::npos);
}

}  // namespace
}  // namespace ballast::analytics
