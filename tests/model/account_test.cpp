#include "ballast/model/account.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

namespace ballast::model {
namespace {

using test::at;
using test::btc;
using test::dec;
using test::make_fill;
using test::usdt;

void ok(const core::Status& s) {
  ASSERT_TRUE(s) << s.error().to_string();
}

Account funded(std::string_view amount) {
  Account account(core::AccountId("ACC-1"));
  EXPECT_TRUE(account.deposit(usdt(amount), at(1)));
  return account;
}

TEST(Account, DepositsWithdrawalsAndMarginLocksMoveTotalLockedAndFree) {
  Account account = funded("1000");
  EXPECT_EQ(account.total(Currency::USDT()), usdt("1000"));
  ok(account.withdraw(usdt("200"), at(2)));
  ok(account.lock(usdt("300"), at(3)));
  EXPECT_EQ(account.total(Currency::USDT()), usdt("800"));  // 1000 − 200
  EXPECT_EQ(account.locked(Currency::USDT()), usdt("300"));
  EXPECT_EQ(account.free(Currency::USDT()), usdt("500"));  // 800 − 300
  ok(account.unlock(usdt("100"), at(4)));
  EXPECT_EQ(account.free(Currency::USDT()), usdt("600"));
  EXPECT_EQ(account.ts_last(), at(4));
}

TEST(Account, RefusesAWithdrawalBeyondTheFreeBalance) {
  Account account = funded("1000");
  ok(account.lock(usdt("300"), at(2)));
  const core::Status refused = account.withdraw(usdt("700.01"), at(3));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::OutOfRange);
  EXPECT_EQ(refused.error().where(), "account ACC-1");
  EXPECT_EQ(refused.error().message(),
            "withdrawal of 700.01000000 USDT exceeds the free balance 700.00000000 USDT "
            "(total 1000.00000000 USDT, locked 300.00000000 USDT)");
  EXPECT_EQ(account.total(Currency::USDT()), usdt("1000"));
  ok(account.withdraw(usdt("700"), at(4)));  // exactly the free balance
  EXPECT_EQ(account.free(Currency::USDT()), usdt("0"));
}

TEST(Account, RefusesNonPositiveAmountsAndOverdrawnLocks) {
  Account account = funded("100");
  const core::Status zero = account.deposit(usdt("0"), at(2));
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(zero.error().message(), "deposit amount must be positive, got 0.00000000 USDT");
  EXPECT_FALSE(account.withdraw(usdt("-5"), at(2)));
  EXPECT_FALSE(account.withdraw(btc("1"), at(2)));  // never held any BTC
  EXPECT_EQ(account.lock(usdt("100.00000001"), at(2)).error().code(), core::ErrorCode::OutOfRange);
  EXPECT_EQ(account.unlock(usdt("1"), at(2)).error().message(),
            "margin release of 1.00000000 USDT exceeds the locked 0.00000000 USDT");
  EXPECT_EQ(account.total(Currency::USDT()), usdt("100"));
}

TEST(Account, AppliesRealizedPnlAndCommissionOfAMarginFill) {
  const Instrument btcusdt = test::linear_perp();
  Account account = funded("1000");
  // Realized 22.5, commission 0.072 → 1000 + 22.5 − 0.072 = 1022.428
  ok(account.apply_fill(make_fill(btcusdt, OrderSide::Sell, "1.5", "120", usdt("0.072"), 3), usdt("22.5")));
  EXPECT_EQ(account.total(Currency::USDT()), usdt("1022.428"));
  // A loss larger than the balance is recorded, not refused: 1022.428 − 1100 − 0.5 = −78.072
  ok(account.apply_fill(make_fill(btcusdt, OrderSide::Buy, "1", "100", usdt("0.5"), 4), usdt("-1100")));
  EXPECT_EQ(account.total(Currency::USDT()), usdt("-78.072"));
  EXPECT_EQ(account.ts_last(), at(4));
}

TEST(Account, CommissionInAFeeTokenDebitsThatToken) {
  const Instrument btcusdt = test::linear_perp();
  Account account = funded("1000");
  const Currency bnb("BNB", 8);
  ok(account.deposit(Money(dec("1"), bnb), at(2)));
  ok(account.apply_fill(make_fill(btcusdt, OrderSide::Buy, "1", "100", Money(dec("0.0003"), bnb), 3), usdt("0")));
  EXPECT_EQ(account.total(bnb), Money(dec("0.9997"), bnb));
  EXPECT_EQ(account.total(Currency::USDT()), usdt("1000"));
}

TEST(Account, RefusesAFillOfAnotherAccount) {
  const Instrument btcusdt = test::linear_perp();
  Account account = funded("1000");
  Fill fill = make_fill(btcusdt, OrderSide::Buy, "1", "100", usdt("0.04"), 3);
  fill.account_id = core::AccountId("ACC-2");
  const core::Status refused = account.apply_fill(fill, usdt("0"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message(), "fill T-3 is for account ACC-2");
  EXPECT_EQ(account.total(Currency::USDT()), usdt("1000"));
}

TEST(Account, CashFillExchangesBaseAndQuote) {
  const Instrument spot = test::spot();
  Account account = funded("50000");
  // Buy 0.5 BTC @ 40000: USDT 50000 − 20000 = 30000; BTC 0.5 − 0.0005 fee = 0.4995
  ok(account.apply_cash_fill(make_fill(spot, OrderSide::Buy, "0.5", "40000", btc("0.0005"), 2), spot));
  EXPECT_EQ(account.total(Currency::USDT()), usdt("30000"));
  EXPECT_EQ(account.total(Currency::BTC()), btc("0.4995"));
  // Sell 0.2 BTC @ 41000 with 8.2 USDT fee: BTC 0.2995; USDT 30000 + 8200 − 8.2 = 38191.8
  ok(account.apply_cash_fill(make_fill(spot, OrderSide::Sell, "0.2", "41000", usdt("8.2"), 3), spot));
  EXPECT_EQ(account.total(Currency::BTC()), btc("0.2995"));
  EXPECT_EQ(account.total(Currency::USDT()), usdt("38191.8"));
  const auto balances = account.balances();
  ASSERT_EQ(balances.size(), 2U);
  EXPECT_EQ(balances[0].currency(), Currency::BTC());  // ordered by code
  EXPECT_EQ(balances[1].currency(), Currency::USDT());
}

TEST(Account, CashFillIsOnlyForSpotAndEquities) {
  const Instrument perp = test::linear_perp();
  Account account = funded("1000");
  const core::Status refused = account.apply_cash_fill(make_fill(perp, OrderSide::Buy, "1", "100", usdt("0"), 2), perp);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message(),
            "cash settlement is for linear SPOT or EQUITY instruments, BTCUSDT-PERP.BINANCE is PERPETUAL");
}

TEST(Account, LeverageDefaultsAndPerInstrumentOverrides) {
  Account account(core::AccountId("ACC-1"), MarginMode::Isolated, dec("5"));
  EXPECT_EQ(account.margin_mode(), MarginMode::Isolated);
  const auto btcusdt = test::instrument_id("BTCUSDT-PERP.BINANCE");
  const auto ethusdt = test::instrument_id("ETHUSDT-PERP.BINANCE");
  EXPECT_EQ(account.leverage(btcusdt), dec("5"));
  ok(account.set_leverage(btcusdt, dec("20")));
  EXPECT_EQ(account.leverage(btcusdt), dec("20"));
  EXPECT_EQ(account.leverage(ethusdt), dec("5"));
  const core::Status below_one = account.set_leverage(ethusdt, dec("0.5"));
  ASSERT_FALSE(below_one);
  EXPECT_EQ(below_one.error().message(), "leverage for ETHUSDT-PERP.BINANCE must be at least 1, got 0.5");
  EXPECT_FALSE(account.set_default_leverage(dec("0")));
  ok(account.set_default_leverage(dec("3")));
  EXPECT_EQ(account.leverage(ethusdt), dec("3"));
  EXPECT_FALSE(account.balance(Currency::USDT()).has_value());
}

}  // namespace
}  // namespace ballast::model
