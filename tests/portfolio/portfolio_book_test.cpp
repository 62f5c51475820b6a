#include "ballast/portfolio/portfolio_book.hpp"

#include "ballast/model/position.hpp"
#include "ballast/portfolio/margin_manager.hpp"
#include "portfolio/portfolio_test_support.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <vector>

// Expected values are computed by hand from the conventions in portfolio_book.hpp (the arithmetic is in
// the comments), or taken from an independent implementation of the same convention: model::Position for
// average entry and realised P&L, MarginManager for margins.

namespace ballast::portfolio {
namespace {

using core::Decimal;
using model::MarginMode;
using model::OrderSide;
using test::dec;
using test::px;

struct Desk {
  model::Instrument btc = model::test::linear_perp();                  // tick 0.1, step 0.001
  model::Instrument eth = test::alt_perp("ETHUSDT-PERP.BINANCE");       // tick 0.01, step 0.001
  std::array<const model::Instrument*, 2> list{&btc, &eth};

  PortfolioBook book(std::string_view wallet) const {
    return PortfolioBook::create(model::Currency::USDT(), list, dec(wallet)).value();
  }
};

TEST(PortfolioBook, MarksPositionsWithSignedNotionalUnrealisedPnlAndMarginRoundedUp) {
  const Desk desk;
  PortfolioBook book = desk.book("10000");
  ASSERT_TRUE(book.set_position(0, dec("0.5"), dec("50000")));
  ASSERT_TRUE(book.set_leverage(0, dec("3")));
  ASSERT_TRUE(book.set_mark(0, px("49000.1"), model::test::at(1)));
  ASSERT_TRUE(book.set_position(1, dec("-2"), dec("3000")));
  ASSERT_TRUE(book.set_leverage(1, dec("7")));
  ASSERT_TRUE(book.set_mark(1, px("2950.37"), model::test::at(1)));

  const InstrumentSlot& btc = book.slot(0);
  EXPECT_EQ(btc.notional, dec("24500.05"));           // 0.5 × 49000.1
  EXPECT_EQ(btc.unrealized_pnl, dec("-499.95"));      // 0.5 × (49000.1 − 50000)
  EXPECT_EQ(btc.initial_margin, dec("8166.68333334"));  // 24500.05 / 3 = 8166.683333… rounded up at 8 places
  const InstrumentSlot& eth = book.slot(1);
  EXPECT_EQ(eth.notional, dec("-5900.74"));           // −2 × 2950.37: a short has a negative notional
  EXPECT_EQ(eth.unrealized_pnl, dec("99.26"));        // −1 × 2 × (2950.37 − 3000)
  EXPECT_EQ(eth.initial_margin, dec("842.96285715"));  // 5900.74 / 7 = 842.962857142… rounded up

  EXPECT_EQ(book.gross_exposure(), dec("30400.79"));   // 24500.05 + 5900.74
  EXPECT_EQ(book.net_exposure(), dec("18599.31"));     // 24500.05 − 5900.74
  EXPECT_EQ(book.unrealized_pnl(), dec("-400.69"));    // −499.95 + 99.26
  EXPECT_EQ(book.equity(), dec("9599.31"));            // 10000 − 400.69
  EXPECT_EQ(book.initial_margin(), dec("9009.64619049"));  // 8166.68333334 + 842.96285715
  EXPECT_EQ(book.available_margin(), dec("589.66380951"));  // 10000 − 400.69 − 9009.64619049
  EXPECT_EQ(book.positions_open(), 2);
}

TEST(PortfolioBook, ChargesTheLargerOrderSidePerInstrumentRoundedUp) {
  const Desk desk;
  PortfolioBook book = desk.book("10000");
  ASSERT_TRUE(book.set_leverage(0, dec("7")));
  ASSERT_TRUE(book.add_open_order(0, OrderSide::Buy, dec("0.3"), px("48000.5")));
  ASSERT_TRUE(book.add_open_order(0, OrderSide::Buy, dec("0.2"), px("47000")));
  ASSERT_TRUE(book.add_open_order(0, OrderSide::Sell, dec("0.4"), px("52000")));
  const InstrumentSlot& s = book.slot(0);
  EXPECT_EQ(s.open_buy_notional, dec("23800.15"));   // 0.3 × 48000.5 + 0.2 × 47000 = 14400.15 + 9400
  EXPECT_EQ(s.open_sell_notional, dec("20800"));     // 0.4 × 52000
  // buy 23800.15 / 7 = 3400.021428571… → 3400.02142858; sell 20800 / 7 = 2971.42857143.
  EXPECT_EQ(s.open_order_margin, dec("3400.02142858"));
  EXPECT_EQ(book.open_order_margin(), dec("3400.02142858"));
  EXPECT_EQ(book.open_orders(), 3);
  EXPECT_EQ(book.available_margin(), dec("6599.97857142"));  // 10000 − 3400.02142858

  // The 0.2 @ 47000 buy is canceled: buy 14400.15 / 7 = 2057.16428572 < sell 2971.42857143.
  ASSERT_TRUE(book.remove_open_order(0, OrderSide::Buy, dec("0.2"), px("47000"), true));
  EXPECT_EQ(book.open_order_margin(), dec("2971.42857143"));
  EXPECT_EQ(book.open_orders(), 2);
  // A partial fill of the sell removes quantity but keeps the order counted.
  ASSERT_TRUE(book.remove_open_order(0, OrderSide::Sell, dec("0.1"), px("52000"), false));
  EXPECT_EQ(book.slot(0).open_sell_quantity, dec("0.3"));
  EXPECT_EQ(book.open_orders(), 2);
  // 0.3 × 52000 / 7 = 2228.571428571… → 2228.57142858 > buy 2057.16428572.
  EXPECT_EQ(book.open_order_margin(), dec("2228.57142858"));
}

TEST(PortfolioBook, AppliesFillsWithTheAverageEntryAndRealisedPnlOfModelPosition) {
  const Desk desk;
  PortfolioBook book = desk.book("1000");
  model::Position position(desk.btc, core::AccountId("ACC-1"));
  struct Step {
    OrderSide side;
    const char* qty;
    const char* price;
    const char* fee;
  };
  const std::vector<Step> steps{
      {OrderSide::Buy, "0.010", "50000.0", "0.2"},   {OrderSide::Buy, "0.030", "50100.3", "0.6"},
      {OrderSide::Sell, "0.025", "50500.7", "0.5"},  {OrderSide::Sell, "0.030", "49900.1", "0.6"},
      {OrderSide::Buy, "0.007", "49000.0", "0.14"},  {OrderSide::Buy, "0.008", "49500.3", "0.16"},
  };
  Decimal wallet = dec("1000");
  int n = 0;
  for (const Step& st : steps) {
    ++n;
    const auto fill = model::test::make_fill(desk.btc, st.side, st.qty, st.price, model::test::usdt(st.fee), n);
    const model::PositionUpdate update = position.apply(fill).value();
    const FillEffect effect = book.apply_fill(0, st.side, dec(st.qty), px(st.price), dec(st.fee)).value();
    const Decimal net = update.realized_pnl.amount() - update.commission.amount();
    wallet += net;
    SCOPED_TRACE(n);
    EXPECT_EQ(effect.quantity_after, position.quantity());
    EXPECT_EQ(effect.realized_pnl, net);
    EXPECT_EQ(book.slot(0).avg_entry, position.avg_px_open().value_or(Decimal()));
    EXPECT_EQ(book.slot(0).open_cost, position.open_cost());
    EXPECT_EQ(book.slot(0).realized_pnl, position.realized_pnl().amount());
    EXPECT_EQ(book.realized_pnl(), position.realized_pnl().amount());
    EXPECT_EQ(book.wallet_balance(), wallet);
  }
  // Hand check of the first close: cost 0.01 × 50000 + 0.03 × 50100.3 = 2003.009 for 0.04; selling 0.025
  // releases 2003.009 × 0.025 / 0.04 = 1251.880625 against an exit of 0.025 × 50500.7 = 1262.5175:
  // gross 10.636875, net of the 0.5 fee 10.136875.
  PortfolioBook fresh = desk.book("0");
  ASSERT_TRUE(fresh.apply_fill(0, OrderSide::Buy, dec("0.010"), px("50000.0"), dec("0")));
  ASSERT_TRUE(fresh.apply_fill(0, OrderSide::Buy, dec("0.030"), px("50100.3"), dec("0")));
  EXPECT_EQ(fresh.slot(0).avg_entry, dec("50075.225"));  // 2003.009 / 0.04
  const FillEffect close = fresh.apply_fill(0, OrderSide::Sell, dec("0.025"), px("50500.7"), dec("0.5")).value();
  EXPECT_EQ(close.realized_pnl, dec("10.136875"));
  EXPECT_TRUE(close.closed_or_reduced);
  EXPECT_FALSE(close.flipped);
  // Selling 0.030 against 0.015 long flips to 0.015 short at the fill price.
  const FillEffect flip = fresh.apply_fill(0, OrderSide::Sell, dec("0.030"), px("49900.1"), dec("0")).value();
  EXPECT_TRUE(flip.flipped);
  EXPECT_EQ(fresh.slot(0).quantity, dec("-0.015"));
  EXPECT_EQ(fresh.slot(0).avg_entry, dec("49900.1"));
}

// MarginManager on the book's snapshot reproduces the book's incrementally kept margins.
void expect_agrees_with_margin_manager(const PortfolioBook& book) {
  const MarginManager manager = MarginManager::create().value();
  const MarginSummary summary = manager.evaluate(book.margin_state()).value();
  EXPECT_EQ(summary.available_margin.amount(), book.available_margin());
  EXPECT_EQ(summary.cross_initial_margin.amount(), book.initial_margin());
  EXPECT_EQ(summary.open_order_margin.amount(), book.open_order_margin());
}

TEST(PortfolioBook, AgreesWithMarginManagerOnItsOwnSnapshot) {
  const Desk desk;
  {
    // Cross long with working orders on both sides at several prices.
    PortfolioBook book = desk.book("25000");
    ASSERT_TRUE(book.set_leverage(0, dec("9")));
    ASSERT_TRUE(book.apply_fill(0, OrderSide::Buy, dec("0.7"), px("50010.3"), dec("1.4")));
    ASSERT_TRUE(book.set_mark(0, px("49870.9"), model::test::at(2)));
    ASSERT_TRUE(book.add_open_order(0, OrderSide::Buy, dec("0.1"), px("49000.1")));
    ASSERT_TRUE(book.add_open_order(0, OrderSide::Buy, dec("0.25"), px("48777.7")));
    ASSERT_TRUE(book.add_open_order(0, OrderSide::Buy, dec("0.003"), px("48001.3")));
    ASSERT_TRUE(book.add_open_order(0, OrderSide::Sell, dec("0.2"), px("52000")));
    expect_agrees_with_margin_manager(book);
  }
  {
    // A cross short and an isolated long; orders on the instrument without a position.
    PortfolioBook book = desk.book("12000");
    ASSERT_TRUE(book.set_leverage(0, dec("20")));
    ASSERT_TRUE(book.set_position(0, dec("-0.35"), dec("51000.7")));
    ASSERT_TRUE(book.set_mark(0, px("50555.5"), model::test::at(1)));
    ASSERT_TRUE(book.set_leverage(1, dec("11")));
    ASSERT_TRUE(book.set_position(1, dec("3.333"), dec("2999.99")));
    ASSERT_TRUE(book.set_margin_mode(1, MarginMode::Isolated, dec("1000")));
    ASSERT_TRUE(book.set_mark(1, px("3050.01"), model::test::at(1)));
    ASSERT_TRUE(book.add_open_order(1, OrderSide::Sell, dec("0.5"), px("3100.07")));
    ASSERT_TRUE(book.add_open_order(1, OrderSide::Sell, dec("0.333"), px("3110.11")));
    expect_agrees_with_margin_manager(book);
  }
  {
    // Orders only, with odd leverage.
    PortfolioBook book = desk.book("5000");
    ASSERT_TRUE(book.set_leverage(1, dec("7")));
    ASSERT_TRUE(book.add_open_order(1, OrderSide::Buy, dec("1.111"), px("2000.01")));
    ASSERT_TRUE(book.add_open_order(1, OrderSide::Buy, dec("0.777"), px("1999.99")));
    ASSERT_TRUE(book.add_open_order(1, OrderSide::Sell, dec("1.5"), px("2100.5")));
    expect_agrees_with_margin_manager(book);
  }
}

// Σ over the slots of each derived field, computed from scratch.
void expect_aggregates_match_slots(const PortfolioBook& book) {
  Decimal gross, net, upnl, cross_upnl, cross_im, oom, isolated;
  std::int32_t orders = 0;
  std::int32_t open = 0;
  for (const InstrumentSlot& s : book.slots()) {
    gross += s.notional.abs();
    net += s.notional;
    upnl += s.unrealized_pnl;
    oom += s.open_order_margin;
    orders += s.open_orders;
    open += s.quantity.is_zero() ? 0 : 1;
    if (s.margin_mode == MarginMode::Cross) {
      cross_upnl += s.unrealized_pnl;
      cross_im += s.initial_margin;
    } else {
      isolated += s.isolated_margin;
    }
  }
  EXPECT_EQ(book.gross_exposure(), gross);
  EXPECT_EQ(book.net_exposure(), net);
  EXPECT_EQ(book.unrealized_pnl(), upnl);
  EXPECT_EQ(book.initial_margin(), cross_im);
  EXPECT_EQ(book.open_order_margin(), oom);
  EXPECT_EQ(book.open_orders(), orders);
  EXPECT_EQ(book.positions_open(), open);
  EXPECT_EQ(book.available_margin(), book.wallet_balance() - isolated + cross_upnl - cross_im - oom);
}

TEST(PortfolioBook, KeepsAggregatesEqualToTheSumOfItsSlotsThroughRandomUpdates) {
  const Desk desk;
  PortfolioBook book = desk.book("50000");
  std::mt19937_64 rng(20240301);
  std::uniform_int_distribution<int> op(0, 5);
  std::uniform_int_distribution<int> slot(0, 1);
  std::uniform_int_distribution<int> units(1, 500);
  std::uniform_int_distribution<int> ticks(-300, 300);
  struct Working {
    SlotIndex slot;
    OrderSide side;
    Decimal qty;
    model::Price price;
  };
  std::vector<Working> working;
  for (int i = 0; i < 2000; ++i) {
    const auto k = static_cast<SlotIndex>(slot(rng));
    const model::Price base = k == 0 ? px("50000") : px("3000");
    const model::Price price(base.value() + Decimal::from_raw(ticks(rng), k == 0 ? 1 : 2));
    const Decimal qty = Decimal::from_raw(units(rng), 3);
    const OrderSide side = units(rng) % 2 == 0 ? OrderSide::Buy : OrderSide::Sell;
    switch (op(rng)) {
      case 0: ASSERT_TRUE(book.set_mark(k, price, model::test::at(i))); break;
      case 1: ASSERT_TRUE(book.apply_fill(k, side, qty, price, dec("0.01"))); break;
      case 2:
        ASSERT_TRUE(book.add_open_order(k, side, qty, price));
        working.push_back(Working{k, side, qty, price});
        break;
      case 3: ASSERT_TRUE(book.set_leverage(k, Decimal::from_int(1 + units(rng) % 20))); break;
      case 4:
        ASSERT_TRUE(book.set_margin_mode(k, units(rng) % 3 == 0 ? MarginMode::Isolated : MarginMode::Cross,
                                         Decimal::from_int(units(rng))));
        break;
      default:
        if (!working.empty()) {
          const Working w = working.back();
          working.pop_back();
          ASSERT_TRUE(book.remove_open_order(w.slot, w.side, w.qty, w.price, true));
        }
        break;
    }
    expect_aggregates_match_slots(book);
    if (HasFailure()) return;
  }
  // Every working order removed: nothing is left working, exactly.
  while (!working.empty()) {
    const Working w = working.back();
    working.pop_back();
    ASSERT_TRUE(book.remove_open_order(w.slot, w.side, w.qty, w.price, true));
  }
  EXPECT_EQ(book.open_orders(), 0);
  EXPECT_EQ(book.open_order_margin(), dec("0"));
  EXPECT_EQ(book.slot(0).open_buy_notional, dec("0"));
}

// An instrument's slot by the book's own id object (compared by address), by an equal copy of it (compared
// by value), or not at all — in a book of a few instruments (scanned) and one of many (hashed beyond 8).
TEST(PortfolioBook, FindsSlotsByTheirOwnIdAnEqualCopyOrNotAtAll) {
  for (const std::size_t n : {std::size_t{3}, std::size_t{20}}) {
    std::vector<model::Instrument> owned;
    owned.reserve(n);
    for (std::size_t i = 0; i < n; ++i) owned.push_back(test::alt_perp("A" + std::to_string(i) + "USDT-PERP.BINANCE"));
    std::vector<const model::Instrument*> listed;
    for (const auto& i : owned) listed.push_back(&i);
    const PortfolioBook book = PortfolioBook::create(model::Currency::USDT(), listed, dec("100")).value();
    for (std::size_t i = 0; i < n; ++i) {
      const core::InstrumentId copy = owned[i].id();
      EXPECT_EQ(book.slot_index(owned[i].id()), i) << n;
      EXPECT_EQ(book.slot_index(copy), i) << n;
      EXPECT_EQ(book.find(copy), static_cast<SlotIndex>(i)) << n;
    }
    const core::InstrumentId unknown = model::test::instrument_id("XRPUSDT-PERP.BINANCE");
    EXPECT_EQ(book.slot_index(unknown), PortfolioBook::kNoSlot) << n;
    EXPECT_FALSE(book.find(unknown).has_value()) << n;
  }
}

TEST(PortfolioBook, RefusesInverseDuplicateAndForeignInstrumentsAndBadUpdates) {
  const Desk desk;
  const model::Instrument inverse = model::test::inverse_perp();
  const std::array<const model::Instrument*, 1> inv{&inverse};
  EXPECT_EQ(PortfolioBook::create(model::Currency::USDT(), inv, dec("1")).error().code(), core::ErrorCode::Unsupported);
  const std::array<const model::Instrument*, 2> twice{&desk.btc, &desk.btc};
  EXPECT_EQ(PortfolioBook::create(model::Currency::USDT(), twice, dec("1")).error().code(),
            core::ErrorCode::AlreadyExists);
  const std::array<const model::Instrument*, 1> btc{&desk.btc};
  EXPECT_EQ(PortfolioBook::create(model::Currency::USDC(), btc, dec("1")).error().code(),
            core::ErrorCode::InvalidArgument);

  PortfolioBook book = desk.book("100");
  EXPECT_EQ(book.find(desk.eth.id()), SlotIndex{1});
  EXPECT_FALSE(book.find(model::test::instrument_id("XRPUSDT-PERP.BINANCE")).has_value());
  EXPECT_EQ(book.set_mark(2, px("1"), model::test::at(0)).error().code(), core::ErrorCode::OutOfRange);
  EXPECT_FALSE(book.set_leverage(0, dec("0.5")));
  EXPECT_FALSE(book.apply_fill(0, OrderSide::Buy, dec("0"), px("1"), dec("0")));
  ASSERT_TRUE(book.add_open_order(0, OrderSide::Buy, dec("0.1"), px("50000")));
  EXPECT_EQ(book.remove_open_order(0, OrderSide::Buy, dec("0.2"), px("50000"), true).error().code(),
            core::ErrorCode::InvalidState);
  // Nothing changed by the refused removal.
  EXPECT_EQ(book.slot(0).open_buy_quantity, dec("0.1"));
  EXPECT_EQ(book.open_orders(), 1);
}

}  // namespace
}  // namespace ballast::portfolio
