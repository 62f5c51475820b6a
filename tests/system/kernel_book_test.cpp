// L2 books into the kernel: the top of a two-sided book marks the position at its mid (as a quote tick
// would), a one-sided or crossed book leaves the mark alone, and every book reaches the strategies'
// on_book. Expected numbers are worked out by hand in the comments.

#include "ballast/system/kernel.hpp"

#include "model/test_support.hpp"
#include "system/kernel_support.hpp"

#include <gtest/gtest.h>

namespace ballast::system {
namespace {

using model::test::dec;
using model::test::px;
using model::test::qty;

// Remembers each book it is shown: its best bid (or none) and how many it saw.
class BookWatcher final : public strategy::Strategy {
 public:
  BookWatcher() : parameters_("book_watcher", {}) {}
  std::string_view name() const noexcept override { return "book_watcher"; }
  const strategy::StrategyParameters& parameters() const noexcept override { return parameters_; }
  void on_book(strategy::StrategyContext&, const model::OrderBook& book) override {
    ++books;
    last_best_bid = book.best_bid_price();
  }

  int books{0};
  std::optional<model::Price> last_best_bid;

 private:
  strategy::StrategyParameters parameters_;
};

model::OrderBook book_of(const model::Instrument& instrument, std::vector<model::BookLevel> bids,
                         std::vector<model::BookLevel> asks, std::int64_t ts) {
  model::OrderBook book(instrument.id(), instrument.tick_size());
  model::BookSnapshot snapshot;
  snapshot.bids = std::move(bids);
  snapshot.asks = std::move(asks);
  snapshot.update_id = 1;
  snapshot.ts_event = core::UnixNanos(ts);
  snapshot.ts_recv = core::UnixNanos(ts);
  EXPECT_TRUE(book.apply_snapshot(snapshot));
  return book;
}

struct Desk {
  Desk() : clock(core::UnixNanos(1'000)) {
    const model::Instrument* list[] = {&instrument};
    kernel = Kernel::create(test::kernel_config(), list, clock, bus, nullptr).value();
    auto owned = std::make_unique<BookWatcher>();
    watcher = owned.get();
    kernel->add_strategy(std::move(owned));
    kernel->start();
    // Long 0.5 BTC from 50,000.
    EXPECT_TRUE(kernel->restore_position(instrument.id(), dec("0.5"), dec("50000")));
  }

  const portfolio::InstrumentSlot& slot() const { return kernel->book().slot(0); }

  model::Instrument instrument = model::test::linear_perp();
  core::TestClock clock;
  runtime::MessageBus bus;
  std::unique_ptr<Kernel> kernel;
  BookWatcher* watcher{nullptr};
};

TEST(KernelBook, TheMidOfATwoSidedBookMarksThePositionAndTheStrategySeesTheBook) {
  Desk d;
  // Best bid 50,999.9, best ask 51,000.1 (deeper levels do not matter): mid (50,999.9 + 51,000.1) / 2 = 51,000.
  const auto book = book_of(d.instrument, {{px("50999.9"), qty("2")}, {px("50999.0"), qty("5")}},
                            {{px("51000.1"), qty("1")}, {px("51002.0"), qty("3")}}, 1'000);
  ASSERT_TRUE(d.kernel->on_book(book));
  ASSERT_TRUE(d.slot().has_mark);
  EXPECT_EQ(d.slot().mark.value(), dec("51000"));
  // Unrealised P&L = 0.5 × (51,000 − 50,000) = 500; equity = 100,000 + 500.
  EXPECT_EQ(d.slot().unrealized_pnl, dec("500"));
  EXPECT_EQ(d.kernel->book().equity(), dec("100500"));
  EXPECT_EQ(d.watcher->books, 1);
  ASSERT_TRUE(d.watcher->last_best_bid.has_value());
  EXPECT_EQ(d.watcher->last_best_bid->value(), dec("50999.9"));
}

TEST(KernelBook, AHalfTickMidKeepsItsExtraPlace) {
  Desk d;
  // Bid 50,000.0, ask 50,000.1: mid 50,000.05 (one place finer than the 0.1 tick, exact).
  const auto book = book_of(d.instrument, {{px("50000.0"), qty("1")}}, {{px("50000.1"), qty("1")}}, 1'000);
  ASSERT_TRUE(d.kernel->on_book(book));
  EXPECT_EQ(d.slot().mark.value(), dec("50000.05"));
  // 0.5 × 0.05 = 0.025 of unrealised P&L.
  EXPECT_EQ(d.slot().unrealized_pnl, dec("0.025"));
}

TEST(KernelBook, AOneSidedOrCrossedBookLeavesTheMarkWhereItWasButStillReachesTheStrategy) {
  Desk d;
  ASSERT_TRUE(d.kernel->on_book(book_of(d.instrument, {{px("50999.9"), qty("1")}}, {{px("51000.1"), qty("1")}}, 1'000)));
  ASSERT_EQ(d.slot().mark.value(), dec("51000"));

  // Only bids: no quote to take a mid from.
  ASSERT_TRUE(d.kernel->on_book(book_of(d.instrument, {{px("52000.0"), qty("1")}}, {}, 2'000)));
  EXPECT_EQ(d.slot().mark.value(), dec("51000"));
  // Crossed (bid 53,000 above ask 52,500): not a market to value a position at.
  ASSERT_TRUE(d.kernel->on_book(book_of(d.instrument, {{px("53000.0"), qty("1")}}, {{px("52500.0"), qty("1")}}, 3'000)));
  EXPECT_EQ(d.slot().mark.value(), dec("51000"));
  // A locked book (bid == ask) is not taken either.
  ASSERT_TRUE(d.kernel->on_book(book_of(d.instrument, {{px("52000.0"), qty("1")}}, {{px("52000.0"), qty("1")}}, 4'000)));
  EXPECT_EQ(d.slot().mark.value(), dec("51000"));

  EXPECT_EQ(d.watcher->books, 4);
  ASSERT_TRUE(d.watcher->last_best_bid.has_value());
  EXPECT_EQ(d.watcher->last_best_bid->value(), dec("52000"));
}

TEST(KernelBook, ABookOfAnInstrumentTheKernelDoesNotHoldIsAnError) {
  Desk d;
  model::InstrumentSpec spec = model::test::linear_perp_spec();
  spec.id = core::InstrumentId::parse("ETHUSDT-PERP.BINANCE").value();
  const model::Instrument other = model::Instrument::create(spec).value();
  for (const bool two_sided : {true, false}) {
    const auto book = two_sided ? book_of(other, {{px("3000.0"), qty("1")}}, {{px("3000.1"), qty("1")}}, 1'000)
                                : book_of(other, {{px("3000.0"), qty("1")}}, {}, 1'000);
    const auto status = d.kernel->on_book(book);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code(), core::ErrorCode::NotFound);
    EXPECT_NE(status.error().message().find("ETHUSDT-PERP.BINANCE"), std::string::npos) << status.error().message();
  }
  EXPECT_EQ(d.watcher->books, 0);
}

}  // namespace
}  // namespace ballast::system
