// The venue's liquidation prices against our margin manager's (system/liquidation_check.hpp). Our
// figures are solved by hand from the one-way-mode formula of portfolio/liquidation.hpp,
// LP = (WB − TMM1 + UPNL1 + cum − side × Q × EP) / (Q × MMR − side × Q), with the BTCUSDT brackets of
// model/test_support.hpp ((0, 50000] 0.4 % 0; (50000, 250000] 0.5 % 50; …), tick 0.1; the differences in
// basis points are worked out in the comments.
#include "ballast/system/liquidation_check.hpp"

#include "ballast/system/kernel.hpp"
#include "model/test_support.hpp"
#include "system/scripted_venue.hpp"

#include <gtest/gtest.h>

namespace ballast::system {
namespace {

using model::test::dec;
using model::test::px;
using portfolio::LiquidationOutcome;

// A cross account with `wallet` USDT holding `quantity` BTCUSDT-PERP at `entry`, marked at `mark`.
struct Book {
  Book(std::string_view wallet, std::string_view quantity, std::string_view entry, std::string_view mark)
      : book(make(wallet)) {
    const auto index = *book.find(instrument.id());
    EXPECT_TRUE(book.set_position(index, dec(quantity), dec(entry)));
    if (!mark.empty()) {
      EXPECT_TRUE(book.set_mark(index, px(mark), core::UnixNanos(1)));
    }
  }
  portfolio::PortfolioBook make(std::string_view wallet) const {
    const model::Instrument* list[] = {&instrument};
    return portfolio::PortfolioBook::create(model::Currency::USDT(), list, dec(wallet)).value();
  }
  model::Instrument instrument = model::test::linear_perp();
  portfolio::PortfolioBook book;
};

runtime::PositionStatusReport venue_position(const core::InstrumentId& id, std::string_view quantity,
                                             std::optional<std::string_view> liquidation,
                                             std::optional<model::MarginMode> mode = model::MarginMode::Cross) {
  runtime::PositionStatusReport r;
  r.instrument_id = id;
  r.quantity = dec(quantity);
  if (liquidation) r.liquidation_price = px(*liquidation);
  r.margin_mode = mode;
  return r;
}

std::vector<LiquidationComparison> compare(const Book& b, const runtime::PositionStatusReport& v,
                                           std::string_view tolerance = "50") {
  const runtime::PositionStatusReport list[] = {v};
  return compare_liquidation_prices(b.book, list, dec(tolerance));
}

// Long 1 @ 50000, cross wallet 10000: (10000 − 50000) / (0.004 − 1) = 40160.6425…, notional 40160 in
// tier 1, rounded up for a long onto the tick: 40160.7.
TEST(LiquidationCheck, TheVenuesPriceEqualToOursAgreesWithADifferenceOfZero) {
  const Book b("10000", "1", "50000", "50000");
  const auto out = compare(b, venue_position(b.instrument.id(), "1", "40160.7"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].verdict, LiquidationVerdict::Agrees);
  EXPECT_EQ(*out[0].our_outcome, LiquidationOutcome::AtPrice);
  EXPECT_EQ(*out[0].our_price, px("40160.7"));
  EXPECT_EQ(*out[0].difference_bps, dec("0"));
  EXPECT_TRUE(out[0].note.empty());
}

// Venue 40562.3: (40160.7 − 40562.3) / 40562.3 × 10 000 = −99.00819… bp → −99.01; outside 50 bp, inside 100.
TEST(LiquidationCheck, ADifferenceBeyondTheToleranceDiffersAndSaysByHowMuch) {
  const Book b("10000", "1", "50000", "50000");
  const auto v = venue_position(b.instrument.id(), "1", "40562.3");
  const auto out = compare(b, v, "50");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].verdict, LiquidationVerdict::Differs);
  EXPECT_EQ(*out[0].difference_bps, dec("-99.01"));
  EXPECT_NE(out[0].note.find("ours 40160.7 against the venue's 40562.3: -99.01 bp (tolerance 50 bp)"),
            std::string::npos)
      << out[0].note;
  EXPECT_EQ(compare(b, v, "100")[0].verdict, LiquidationVerdict::Agrees);
  EXPECT_EQ(compare(b, v, "99.01")[0].verdict, LiquidationVerdict::Agrees);  // the bound is inclusive
  EXPECT_EQ(compare(b, v, "99")[0].verdict, LiquidationVerdict::Differs);
}

TEST(LiquidationCheck, AMarginModeTheBookDoesNotShareIsNamedInTheNote) {
  const Book b("10000", "1", "50000", "50000");
  const auto out = compare(b, venue_position(b.instrument.id(), "1", "45180.8", model::MarginMode::Isolated));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].verdict, LiquidationVerdict::Differs);
  EXPECT_EQ(*out[0].venue_margin_mode, model::MarginMode::Isolated);
  EXPECT_EQ(out[0].book_margin_mode, model::MarginMode::Cross);
  EXPECT_NE(out[0].note.find("the venue holds the position ISOLATED, the book CROSS"), std::string::npos) << out[0].note;
}

// Long 1 @ 50000 with 100000 in the wallet: (100000 − 50000) / (0.004 − 1) < 0, so NEVER.
TEST(LiquidationCheck, NoVenuePriceAgreesOnlyWithAPositionWeNeverLiquidate) {
  const Book covered("100000", "1", "50000", "50000");
  const auto agree = compare(covered, venue_position(covered.instrument.id(), "1", std::nullopt));
  EXPECT_EQ(agree[0].verdict, LiquidationVerdict::Agrees);
  EXPECT_EQ(*agree[0].our_outcome, LiquidationOutcome::Never);
  EXPECT_FALSE(agree[0].difference_bps.has_value());

  const auto venue_prices_it = compare(covered, venue_position(covered.instrument.id(), "1", "100.0"));
  EXPECT_EQ(venue_prices_it[0].verdict, LiquidationVerdict::Differs);
  EXPECT_EQ(venue_prices_it[0].note, "the venue liquidates at 100; ours is NEVER");

  const Book leveraged("10000", "1", "50000", "50000");
  const auto none = compare(leveraged, venue_position(leveraged.instrument.id(), "1", std::nullopt));
  EXPECT_EQ(none[0].verdict, LiquidationVerdict::Differs);
  EXPECT_EQ(none[0].note, "the venue reports no liquidation price; ours is 40160.7");
}

TEST(LiquidationCheck, PositionsThatCannotBeComparedSayWhy) {
  const Book b("10000", "1", "50000", "50000");
  const auto other = compare(b, venue_position(*core::InstrumentId::parse("ETHUSDT-PERP.BINANCE"), "2", "1500.0"));
  EXPECT_EQ(other[0].verdict, LiquidationVerdict::NotCompared);
  EXPECT_EQ(other[0].note, "the kernel has no instrument ETHUSDT-PERP.BINANCE");

  const auto size = compare(b, venue_position(b.instrument.id(), "1.5", "40160.7"));
  EXPECT_EQ(size[0].verdict, LiquidationVerdict::NotCompared);
  EXPECT_EQ(size[0].note, "the book holds 1 and the venue 1.5: reconcile first");
  EXPECT_FALSE(size[0].our_outcome.has_value());

  const Book unmarked("10000", "1", "50000", "");
  const auto no_mark = compare(unmarked, venue_position(unmarked.instrument.id(), "1", "40160.7"));
  EXPECT_EQ(no_mark[0].verdict, LiquidationVerdict::NotCompared);
  EXPECT_EQ(no_mark[0].note, "no mark price yet");
}

TEST(LiquidationVerdict, HasStableCodes) {
  EXPECT_EQ(to_string(LiquidationVerdict::Agrees), "AGREES");
  EXPECT_EQ(to_string(LiquidationVerdict::Differs), "DIFFERS");
  EXPECT_EQ(to_string(LiquidationVerdict::NotCompared), "NOT_COMPARED");
}

// Through the kernel: the venue's short of 2 @ 30000 is reconciled into a cross book with 100000 in the
// wallet, marked at 30000. Tier 1 gives (100000 + 60000) / (2 × 0.004 + 2) = 79681.27…, notional 159362
// in tier 2; tier 2 gives (100000 + 50 + 60000) / (2 × 0.005 + 2) = 160050 / 2.01 = 79626.8656…, notional
// 159253.7 in tier 2: consistent; rounded down for a short: 79626.8. The venue says 79000.0:
// (79626.8 − 79000) / 79000 × 10 000 = 79.3417… → 79.34 bp.
TEST(LiquidationCheck, TheKernelReadsTheVenuesPositionsAndComparesThem) {
  core::TestClock clock(core::UnixNanos(60'000'000'000));
  runtime::MessageBus bus;
  test::ScriptedVenue venue;
  const model::Instrument instrument = model::test::linear_perp();
  KernelConfig kc;
  kc.account_id = core::AccountId("ACC");
  kc.starting_balance = dec("100000");
  const model::Instrument* list[] = {&instrument};
  auto kernel = Kernel::create(kc, list, clock, bus, nullptr).value();
  ASSERT_TRUE(kernel->add_execution_client(venue));
  const model::Bar bar{core::UnixNanos(0), core::UnixNanos(60'000'000'000), px("30000"), px("30000"), px("30000"),
                       px("30000"), model::test::qty("100")};
  ASSERT_TRUE(kernel->on_bar(instrument.id(), bar));
  runtime::PositionStatusReport short_two = venue_position(instrument.id(), "-2", "79000.0");
  short_two.avg_px_open = px("30000");
  venue.positions = std::vector<runtime::PositionStatusReport>{short_two};
  ReconcileInputs inputs;
  ASSERT_TRUE(kernel->reconcile(core::VenueId("BINANCE"), inputs));

  const auto out = kernel->check_liquidation_prices(core::VenueId("BINANCE"), dec("100")).value();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(*out[0].our_price, px("79626.8"));
  EXPECT_EQ(*out[0].difference_bps, dec("79.34"));
  EXPECT_EQ(out[0].verdict, LiquidationVerdict::Agrees);
  EXPECT_EQ(kernel->check_liquidation_prices(core::VenueId("BINANCE"), dec("50")).value()[0].verdict,
            LiquidationVerdict::Differs);

  venue.positions = core::Error(core::ErrorCode::IoError, "venue down");
  const auto failed = kernel->check_liquidation_prices(core::VenueId("BINANCE"), dec("100"));
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message().find("venue down"), std::string::npos);
  EXPECT_EQ(kernel->check_liquidation_prices(core::VenueId("NOPE"), dec("100")).error().code(),
            core::ErrorCode::NotFound);
  EXPECT_EQ(kernel->check_liquidation_prices(core::VenueId("BINANCE"), dec("-1")).error().code(),
            core::ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace ballast::system
