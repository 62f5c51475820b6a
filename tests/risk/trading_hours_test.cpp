// Trading hours: the window arithmetic (trading_hours.hpp), the TRADING_HOURS pre-trade check of the
// risk engine (account hours, per-symbol hours, the session switch, reducing orders) and the hours in
// the risk configuration files.
//
// Dates are worked out by hand from the calendar: 2024-03-01 was a Friday; 2024-03-01T00:00:00Z is Unix
// 1709251200 (kT0 = 12:00 that day = 1709294400, minus 12 × 3600); each day adds 86400 s.

#include "ballast/risk/trading_hours.hpp"

#include "risk/risk_engine_test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ballast::risk::test {
namespace {

constexpr std::int64_t kFri = 1709251200;  // 2024-03-01T00:00:00Z, a Friday
constexpr std::int64_t kDay = 86400;
constexpr std::uint8_t kMonToFri = 0x1f;
constexpr std::uint8_t kFriday = 0x10;  // bit 4 (Monday = bit 0)
constexpr std::uint8_t kEveryDay = 0x7f;

// Seconds since Unix epoch of day `day` (0 = Friday 2024-03-01) at hh:mm.
constexpr std::int64_t at(std::int64_t day, std::int64_t hh, std::int64_t mm) { return kFri + day * kDay + hh * 3600 + mm * 60; }
core::UnixNanos ns(std::int64_t seconds) { return core::UnixNanos::from_seconds(seconds); }

constexpr TradingSession window(std::int32_t h0, std::int32_t m0, std::int32_t h1, std::int32_t m1, std::uint8_t days) {
  return TradingSession{h0 * 60 + m0, h1 * 60 + m1, days};
}

const std::vector<TradingSession> kEquityHours{window(9, 30, 16, 0, kMonToFri)};

// --- window arithmetic -------------------------------------------------------------------------------

TEST(TradingHours, OpensAtTheStartMinuteAndClosesAtTheEndMinute) {
  EXPECT_FALSE(trading_hours_open(kEquityHours, ns(at(0, 9, 29))));
  EXPECT_TRUE(trading_hours_open(kEquityHours, ns(at(0, 9, 30))));
  EXPECT_TRUE(trading_hours_open(kEquityHours, ns(at(0, 9, 31))));
  EXPECT_TRUE(trading_hours_open(kEquityHours, ns(at(0, 15, 59))));
  EXPECT_FALSE(trading_hours_open(kEquityHours, ns(at(0, 16, 0))));
  EXPECT_FALSE(trading_hours_open(kEquityHours, ns(at(0, 16, 1))));
  // 15:59:59.999999999 is still inside; 16:00:00 exactly is not.
  EXPECT_TRUE(trading_hours_open(kEquityHours, core::UnixNanos(ns(at(0, 16, 0)).value - 1)));
}

TEST(TradingHours, AnEmptyListIsAlwaysOpenAndHasNoOpeningOrClosing) {
  const std::vector<TradingSession> none;
  EXPECT_TRUE(trading_hours_open(none, ns(at(1, 3, 0))));
  EXPECT_FALSE(next_trading_open(none, ns(at(1, 3, 0))));
  EXPECT_FALSE(next_trading_close(none, ns(at(1, 3, 0))));
}

TEST(TradingHours, TheWeekdayMaskSkipsTheWeekendToMondaysOpening) {
  // Friday 16:00 → Monday 2024-03-04 09:30 (day 3).
  EXPECT_FALSE(trading_hours_open(kEquityHours, ns(at(1, 12, 0))));  // Saturday noon
  EXPECT_FALSE(trading_hours_open(kEquityHours, ns(at(2, 12, 0))));  // Sunday noon
  EXPECT_TRUE(trading_hours_open(kEquityHours, ns(at(3, 12, 0))));   // Monday noon
  EXPECT_EQ(next_trading_open(kEquityHours, ns(at(0, 16, 0))), ns(at(3, 9, 30)));
  EXPECT_EQ(next_trading_open(kEquityHours, ns(at(0, 9, 29))), ns(at(0, 9, 30)));
  // At the opening minute itself the next opening is the following one (strictly after).
  EXPECT_EQ(next_trading_open(kEquityHours, ns(at(0, 9, 30))), ns(at(3, 9, 30)));
  EXPECT_EQ(next_trading_close(kEquityHours, ns(at(0, 12, 0))), ns(at(0, 16, 0)));
  EXPECT_EQ(next_trading_close(kEquityHours, ns(at(0, 16, 0))), ns(at(3, 16, 0)));
}

TEST(TradingHours, AWindowPastMidnightBelongsToTheWeekdayItStartsOn) {
  const std::vector<TradingSession> night{window(22, 0, 2, 0, kFriday)};
  EXPECT_FALSE(trading_hours_open(night, ns(at(0, 1, 0))));   // Friday 01:00 would be Thursday's window: off
  EXPECT_FALSE(trading_hours_open(night, ns(at(0, 21, 59))));
  EXPECT_TRUE(trading_hours_open(night, ns(at(0, 22, 0))));
  EXPECT_TRUE(trading_hours_open(night, ns(at(0, 23, 59))));
  EXPECT_TRUE(trading_hours_open(night, ns(at(1, 0, 0))));    // Saturday 00:00
  EXPECT_TRUE(trading_hours_open(night, ns(at(1, 1, 59))));
  EXPECT_FALSE(trading_hours_open(night, ns(at(1, 2, 0))));   // Saturday 02:00
  EXPECT_EQ(next_trading_close(night, ns(at(0, 23, 0))), ns(at(1, 2, 0)));
  // From Saturday 03:00 the next opening is next Friday 22:00 (day 7).
  EXPECT_EQ(next_trading_open(night, ns(at(1, 3, 0))), ns(at(7, 22, 0)));
}

TEST(TradingHours, OverlappingWindowsOpenAndCloseAsOne) {
  const std::vector<TradingSession> split{window(9, 0, 12, 0, kEveryDay), window(11, 0, 14, 0, kEveryDay)};
  // 12:00 is no closing (the second window is open), 11:00 no opening (the first one is).
  EXPECT_EQ(next_trading_close(split, ns(at(0, 10, 0))), ns(at(0, 14, 0)));
  EXPECT_EQ(next_trading_open(split, ns(at(0, 10, 0))), ns(at(1, 9, 0)));
  EXPECT_EQ(next_trading_open(split, ns(at(0, 14, 30))), ns(at(1, 9, 0)));
}

TEST(TradingHours, HoursThatNeverCloseHaveNoOpeningOrClosing) {
  const std::vector<TradingSession> always{window(0, 0, 24, 0, kEveryDay)};
  EXPECT_TRUE(trading_hours_open(always, ns(at(2, 23, 59))));
  EXPECT_FALSE(next_trading_open(always, ns(at(0, 12, 0))));
  EXPECT_FALSE(next_trading_close(always, ns(at(0, 12, 0))));
}

// --- the pre-trade check -------------------------------------------------------------------------------

class TradingHoursCheck : public EngineTest {
 protected:
  TradingHoursCheck() { config.trading_hours = kEquityHours; }
  RiskDecision buy_btc_at(const RiskEngine& e, std::int64_t seconds) const {
    return e.evaluate(market(kBtc, model::OrderSide::Buy, "0.01"), ns(seconds));
  }
};

TEST_F(TradingHoursCheck, DeniesANewPositionOneMinuteBeforeTheOpenWithTheOpeningTime) {
  const RiskEngine e = engine();
  const RiskDecision d = buy_btc_at(e, at(0, 9, 29));
  // limit = Friday 09:30 = 1709251200 + 34200; value = 09:29 = 1709251200 + 34140.
  expect_denied(d, DenyReason::OutsideTradingHours, "1709285400", "1709285340");
  EXPECT_EQ(d.check, RiskCheck::TradingHours);
  EXPECT_EQ(d.message(), "OUTSIDE_TRADING_HOURS: next_open=2024-03-01T09:30:00Z, now=2024-03-01T09:29:00Z");
}

TEST_F(TradingHoursCheck, ApprovesFromTheOpenToTheMinuteBeforeTheClose) {
  const RiskEngine e = engine();
  expect_approved(buy_btc_at(e, at(0, 9, 30)));
  expect_approved(buy_btc_at(e, at(0, 9, 31)));
  expect_approved(buy_btc_at(e, at(0, 15, 59)));
}

TEST_F(TradingHoursCheck, DeniesAtAndAfterTheCloseUntilMondaysOpen) {
  const RiskEngine e = engine();
  // Monday 2024-03-04 09:30 = 1709251200 + 3 × 86400 + 34200 = 1709544600.
  expect_denied(buy_btc_at(e, at(0, 16, 0)), DenyReason::OutsideTradingHours, "1709544600", "1709308800");
  expect_denied(buy_btc_at(e, at(0, 16, 1)), DenyReason::OutsideTradingHours, "1709544600", "1709308860");
  expect_denied(buy_btc_at(e, at(2, 12, 0)), DenyReason::OutsideTradingHours, "1709544600", "1709467200");
  expect_approved(buy_btc_at(e, at(3, 9, 30)));
}

TEST_F(TradingHoursCheck, AnOrderPastMidnightFollowsTheWindowOfTheDayBefore) {
  config.trading_hours = {window(22, 0, 2, 0, kFriday)};
  const RiskEngine e = engine();
  expect_approved(buy_btc_at(e, at(1, 1, 59)));  // Saturday 01:59: Friday's window
  expect_denied(buy_btc_at(e, at(1, 2, 0)), DenyReason::OutsideTradingHours, std::to_string(at(7, 22, 0)),
                std::to_string(at(1, 2, 0)));
  expect_denied(buy_btc_at(e, at(0, 1, 0)), DenyReason::OutsideTradingHours, std::to_string(at(0, 22, 0)),
                std::to_string(at(0, 1, 0)));
}

TEST_F(TradingHoursCheck, TheInstrumentsOwnHoursReplaceTheAccountsForThatInstrument) {
  SymbolRiskConfig btc_hours{.instrument_id = btc.id()};
  btc_hours.trading_hours = std::vector<TradingSession>{window(0, 0, 24, 0, kEveryDay)};
  config.symbols = {btc_hours};
  const RiskEngine e = engine();
  const std::int64_t saturday_noon = at(1, 12, 0);
  expect_approved(buy_btc_at(e, saturday_noon));  // BTC trades around the clock
  expect_denied(e.evaluate(market(kEth, model::OrderSide::Buy, "0.1"), ns(saturday_noon)),
                DenyReason::OutsideTradingHours, "1709544600", std::to_string(saturday_noon));
}

TEST_F(TradingHoursCheck, AnInstrumentsEmptyHoursListOpensItAtAllTimes) {
  SymbolRiskConfig btc_hours{.instrument_id = btc.id()};
  btc_hours.trading_hours.emplace();  // an empty list (not "no override"); built in place: g++ 12 under ASan
                                      // reports a false maybe-uninitialized on assigning an empty vector
  config.symbols = {btc_hours};
  const RiskEngine e = engine();
  expect_approved(buy_btc_at(e, at(1, 12, 0)));
}

TEST_F(TradingHoursCheck, AnInstrumentsHoursCanBeNarrowerThanTheAccounts) {
  SymbolRiskConfig btc_hours{.instrument_id = btc.id()};
  btc_hours.trading_hours = std::vector<TradingSession>{window(14, 0, 15, 0, kMonToFri)};
  config.symbols = {btc_hours};
  const RiskEngine e = engine();
  // Friday 12:00 is inside the account's hours but outside BTC's 14:00–15:00.
  expect_denied(buy_btc_at(e, at(0, 12, 0)), DenyReason::OutsideTradingHours, std::to_string(at(0, 14, 0)),
                std::to_string(at(0, 12, 0)));
  expect_approved(e.evaluate(market(kEth, model::OrderSide::Buy, "0.1"), ns(at(0, 12, 0))));
}

TEST_F(TradingHoursCheck, AReduceOnlyCloseOutsideTheHoursPasses) {
  hold(kBtc, "1");
  const RiskEngine e = engine();
  OrderRequest close = market(kBtc, model::OrderSide::Sell, "0.5");
  close.reduce_only = true;
  expect_approved(e.evaluate(close, ns(at(1, 12, 0))));
  // Closing the whole position without the flag is reducing too.
  expect_approved(e.evaluate(market(kBtc, model::OrderSide::Sell, "1"), ns(at(1, 12, 0))));
  // Selling more than the position would open a short: denied.
  expect_denied(e.evaluate(market(kBtc, model::OrderSide::Sell, "1.5"), ns(at(1, 12, 0))),
                DenyReason::OutsideTradingHours, "1709544600", std::to_string(at(1, 12, 0)));
  // Adding to the long is denied too.
  expect_denied(buy_btc_at(e, at(1, 12, 0)), DenyReason::OutsideTradingHours, "1709544600",
                std::to_string(at(1, 12, 0)));
}

TEST_F(TradingHoursCheck, NoHoursMeansAlwaysOpen) {
  config.trading_hours.clear();
  const RiskEngine e = engine();
  expect_approved(buy_btc_at(e, at(1, 3, 0)));
}

TEST_F(TradingHoursCheck, ASetConfigAppliesNewHoursToTheRunningEngine) {
  RiskEngine e = engine();
  expect_denied(buy_btc_at(e, at(1, 12, 0)), DenyReason::OutsideTradingHours, "1709544600",
                std::to_string(at(1, 12, 0)));
  RiskConfig open = config;
  open.trading_hours.clear();
  ASSERT_TRUE(e.set_config(open));
  expect_approved(buy_btc_at(e, at(1, 12, 0)));
}

TEST_F(TradingHoursCheck, ExplainReportsTheCheckRightAfterTheInstrumentCheck) {
  const RiskEngine e = engine();
  const std::vector<CheckOutcome> out = e.explain(market(kBtc, model::OrderSide::Buy, "0.01"), ns(at(1, 12, 0)));
  ASSERT_EQ(out.size(), kRiskCheckCount);
  EXPECT_EQ(out[2].check, RiskCheck::TradingHours);
  EXPECT_EQ(out[2].status, CheckStatus::Denied);
  EXPECT_EQ(out[2].reason, DenyReason::OutsideTradingHours);
  EXPECT_EQ(out[1].status, CheckStatus::Passed);  // INSTRUMENT
}

// --- the session switch ------------------------------------------------------------------------------

TEST_F(EngineTest, AStoppedSessionDeniesNewExposureButLetsAReducingOrderThrough) {
  hold(kBtc, "1");
  RiskEngine e = engine();
  EXPECT_TRUE(e.session_running());
  e.set_session_running(false);
  const RiskDecision d = e.evaluate(market(kBtc, model::OrderSide::Buy, "0.01"), kT0);
  EXPECT_EQ(d.verdict, Verdict::Denied);
  EXPECT_EQ(d.reason, DenyReason::SessionStopped);
  EXPECT_EQ(d.check, RiskCheck::TradingHours);
  EXPECT_EQ(d.message(), "SESSION_STOPPED");
  expect_approved(e.evaluate(market(kBtc, model::OrderSide::Sell, "0.4"), kT0));
  e.set_session_running(true);
  expect_approved(e.evaluate(market(kBtc, model::OrderSide::Buy, "0.01"), kT0));
}

TEST_F(EngineTest, AHaltBeatsAStoppedSession) {
  RiskEngine e = engine();
  e.set_session_running(false);
  e.set_trading_state(TradingState::Halted);
  EXPECT_EQ(e.evaluate(market(kBtc, model::OrderSide::Buy, "0.01"), kT0).reason, DenyReason::TradingHalted);
}

TEST(RiskTypesTradingHours, TheNewCodesAreStable) {
  EXPECT_EQ(to_string(DenyReason::OutsideTradingHours), "OUTSIDE_TRADING_HOURS");
  EXPECT_EQ(to_string(DenyReason::SessionStopped), "SESSION_STOPPED");
  EXPECT_EQ(to_string(RiskCheck::TradingHours), "TRADING_HOURS");
  EXPECT_EQ(parse<DenyReason>("OUTSIDE_TRADING_HOURS").value(), DenyReason::OutsideTradingHours);
}

// --- configuration files ---------------------------------------------------------------------------------

TEST(RiskConfigTradingHours, ReadsTheAccountsAndAnInstrumentsHoursFromToml) {
  auto c = parse_risk_config_toml(R"([account]
trading_hours = [{ start = "09:30", end = "16:00", days = ["MON", "TUE", "WED", "THU", "FRI"] },
                 { start = "22:00", end = "02:00", days = ["SUN"] }]

[[symbols]]
instrument = "BTCUSDT.BINANCE"
trading_hours = [{ start = "00:00", end = "24:00" }]

[[symbols]]
instrument = "ETHUSDT.BINANCE"
)",
                                  "risk.toml");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->trading_hours, (std::vector<TradingSession>{{570, 960, 0x1f}, {1320, 120, 0x40}}));
  const auto btc = core::InstrumentId::parse("BTCUSDT.BINANCE").value();
  const auto eth = core::InstrumentId::parse("ETHUSDT.BINANCE").value();
  // Without days: every day.
  EXPECT_EQ(c->trading_hours_for(btc), (std::vector<TradingSession>{{0, 1440, 0x7f}}));
  EXPECT_EQ(c->trading_hours_for(eth), c->trading_hours);  // no list of its own: the account's
}

TEST(RiskConfigTradingHours, RejectsTwentyFourAsAStartAndAnHourPastTwentyFourWithTheirLines) {
  auto r = parse_risk_config_toml(R"([account]
trading_hours = [{ start = "24:00", end = "10:00" }]

[[symbols]]
instrument = "BTCUSDT.BINANCE"
trading_hours = [{ start = "10:00", end = "24:30" }]
)",
                                  "risk.toml");
  ASSERT_FALSE(r);
  const std::string e = r.error().to_string();
  EXPECT_NE(e.find("risk.toml:2: account.trading_hours[0].start: must be within 00:00..23:59 (24:00 is an end only), "
                   "got 24:00"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("risk.toml:6: symbols[0].trading_hours[0].end: invalid time '24:30'"), std::string::npos) << e;
}

TEST(RiskConfigTradingHours, RejectsABadTimeAndAWeekdayName) {
  auto r = parse_risk_config_toml(R"([account]
trading_hours = [{ start = "9:30", end = "16:00", days = ["MONDAY"] }]
)",
                                  "risk.toml");
  ASSERT_FALSE(r);
  const std::string e = r.error().to_string();
  EXPECT_NE(e.find("risk.toml:2: account.trading_hours[0].start: invalid time '9:30': expected HH:MM"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("account.trading_hours[0].days[0]: 'MONDAY' is not a weekday"), std::string::npos) << e;
}

TEST(RiskConfigTradingHours, RejectsAnEmptyWindowAndLocatesJsonProblemsByPointer) {
  auto r = parse_risk_config_json(R"({"account": {"trading_hours": [{"start": "10:00", "end": "10:00"}]}})",
                                  "risk.json");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().to_string().find("/account/trading_hours/0/end: must differ from start"), std::string::npos)
      << r.error().to_string();
}

TEST(RiskConfigTradingHours, WritesAnInstrumentsEmptyListSoItReadsBackAsAlwaysOpen) {
  RiskConfig c;
  c.trading_hours = kEquityHours;
  SymbolRiskConfig btc{.instrument_id = core::InstrumentId::parse("BTCUSDT.BINANCE").value()};
  btc.trading_hours = std::vector<TradingSession>{};
  c.symbols = {btc};
  for (const bool toml : {true, false}) {
    const std::string text = toml ? to_toml(c) : to_json(c);
    auto back = toml ? parse_risk_config_toml(text, "w.toml") : parse_risk_config_json(text, "w.json");
    ASSERT_TRUE(back) << back.error().to_string() << "\n" << text;
    ASSERT_EQ(back->symbols.size(), 1u);
    ASSERT_TRUE(back->symbols[0].trading_hours.has_value()) << text;
    EXPECT_TRUE(back->symbols[0].trading_hours->empty()) << text;
    EXPECT_EQ(back->trading_hours, kEquityHours) << text;
  }
}

}  // namespace
}  // namespace ballast::risk::test
