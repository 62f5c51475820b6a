// Identifier rules from ids.hpp: 1-128 bytes, no whitespace or control characters; InstrumentId is
// SYMBOL.VENUE with the venue after the last '.'.

#include "ballast/core/ids.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ballast::core {
namespace {

static_assert(!std::is_convertible_v<AccountId, ClientOrderId>, "ids of different kinds must not mix");
static_assert(!std::is_constructible_v<ClientOrderId, AccountId>, "ids of different kinds must not mix");
static_assert(!std::is_convertible_v<std::string, AccountId>, "constructing an id must be explicit");

TEST(Identifier, AcceptsPrintableTextUpTo128Bytes) {
  EXPECT_TRUE(is_valid_identifier("A"));
  EXPECT_TRUE(is_valid_identifier("O-123_x.y/z:#@"));
  EXPECT_TRUE(is_valid_identifier(std::string(128, 'x')));
  EXPECT_TRUE(is_valid_identifier("caf\xc3\xa9"));  // UTF-8 bytes are not control characters
}

TEST(Identifier, RejectsEmptyOverlongWhitespaceAndControlCharacters) {
  EXPECT_FALSE(is_valid_identifier(""));
  EXPECT_FALSE(is_valid_identifier(std::string(129, 'x')));
  EXPECT_FALSE(is_valid_identifier("a b"));
  EXPECT_FALSE(is_valid_identifier("a\tb"));
  EXPECT_FALSE(is_valid_identifier("ab\n"));
  EXPECT_FALSE(is_valid_identifier("\x7f"));
  EXPECT_FALSE(is_valid_identifier(std::string_view("a\0b", 3)));
}

TEST(Id, ConstructsFromAValidIdentifier) {
  const ClientOrderId id("O-20240101-000001");
  EXPECT_EQ(id.value(), "O-20240101-000001");
  EXPECT_EQ(id.to_string(), "O-20240101-000001");
  EXPECT_FALSE(id.empty());
}

TEST(Id, DefaultIsEmptyMeaningNotSet) {
  const AccountId id;
  EXPECT_TRUE(id.empty());
  EXPECT_EQ(id.value(), "");
}

TEST(Id, ConstructorThrowsOnAnInvalidIdentifierNamingTheKind) {
  try {
    (void)ClientOrderId("has space");
    FAIL() << "expected InvariantError";
  } catch (const InvariantError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("ClientOrderId"), std::string::npos) << what;
    EXPECT_NE(what.find("'has space'"), std::string::npos) << what;
  }
  EXPECT_THROW((void)VenueId(""), InvariantError);
}

TEST(Id, ParseReturnsAnErrorForBadInput) {
  auto ok = StrategyId::parse("ema-cross-1");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->value(), "ema-cross-1");
  auto bad = StrategyId::parse("ema cross");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(bad.error().message().find("StrategyId"), std::string::npos) << bad.error().message();
  EXPECT_NE(bad.error().message().find("'ema cross'"), std::string::npos) << bad.error().message();
  EXPECT_FALSE(TradeId::parse("").has_value());
  EXPECT_FALSE(PositionId::parse(std::string(129, 'p')).has_value());
}

TEST(Id, ComparesAndOrdersByValue) {
  EXPECT_EQ(VenueOrderId("123"), VenueOrderId("123"));
  EXPECT_NE(VenueOrderId("123"), VenueOrderId("124"));
  EXPECT_LT(VenueOrderId("123"), VenueOrderId("124"));
  EXPECT_LT(VenueOrderId(), VenueOrderId("0"));
}

// Equality compares eight bytes at a time with the last eight overlapping: every length from 1 to 40 (the
// short loop under 8, exact multiples of 8 and the overlapping tails), a difference at each position, and
// lengths that differ with a common prefix.
TEST(Id, EqualityFindsADifferenceAtEveryPositionOfEveryLength) {
  for (std::size_t n = 1; n <= 40; ++n) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) text += static_cast<char>('A' + i % 26);
    const ClientOrderId id(text);
    EXPECT_EQ(id, ClientOrderId(std::string(text))) << n;
    EXPECT_EQ(InstrumentId::parse(text + ".V").value(), InstrumentId::parse(text + ".V").value()) << n;
    for (std::size_t i = 0; i < n; ++i) {
      std::string other = text;
      other[i] = '0';
      EXPECT_NE(id, ClientOrderId(other)) << "length " << n << ", position " << i;
      EXPECT_NE(InstrumentId::parse(text + ".V").value(), InstrumentId::parse(other + ".V").value())
          << "length " << n << ", position " << i;
    }
    EXPECT_NE(id, ClientOrderId(text + "A")) << n;
    EXPECT_NE(ClientOrderId(text + "A"), id) << n;
  }
  EXPECT_NE(ClientOrderId(), ClientOrderId("A"));
  EXPECT_EQ(ClientOrderId(), ClientOrderId());
}

TEST(Id, HashesForUseInUnorderedContainers) {
  std::unordered_map<AccountId, int> balances;
  balances[AccountId("ACC-1")] = 1;
  balances[AccountId("ACC-2")] = 2;
  balances[AccountId("ACC-1")] += 10;
  EXPECT_EQ(balances.size(), 2u);
  EXPECT_EQ(balances.at(AccountId("ACC-1")), 11);
  EXPECT_EQ(balances.count(AccountId("ACC-3")), 0u);
  EXPECT_EQ(std::hash<AccountId>{}(AccountId("x")), std::hash<AccountId>{}(AccountId("x")));
}

TEST(InstrumentId, ParsesSymbolAndVenue) {
  auto id = InstrumentId::parse("BTCUSDT.BINANCE");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->symbol(), "BTCUSDT");
  EXPECT_EQ(id->venue_name(), "BINANCE");
  EXPECT_EQ(id->venue(), VenueId("BINANCE"));
  EXPECT_EQ(id->value(), "BTCUSDT.BINANCE");
  EXPECT_EQ(id->to_string(), "BTCUSDT.BINANCE");
  EXPECT_FALSE(id->empty());
}

TEST(InstrumentId, TakesTheVenueAfterTheLastDot) {
  auto id = InstrumentId::parse("BTC.P.BINANCE");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->symbol(), "BTC.P");
  EXPECT_EQ(id->venue_name(), "BINANCE");
  auto odd = InstrumentId::parse("BTC..BINANCE");
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->symbol(), "BTC.");
}

TEST(InstrumentId, ConstructsFromSymbolAndVenue) {
  const InstrumentId id("BTC.P", VenueId("BINANCE"));
  EXPECT_EQ(id.value(), "BTC.P.BINANCE");
  EXPECT_EQ(id.symbol(), "BTC.P");
  EXPECT_EQ(id.venue_name(), "BINANCE");
  EXPECT_EQ(id, InstrumentId::parse("BTC.P.BINANCE").value());
}

TEST(InstrumentId, ConstructorRequiresValidParts) {
  EXPECT_THROW((void)InstrumentId("BTC USDT", VenueId("BINANCE")), InvariantError);
  EXPECT_THROW((void)InstrumentId("", VenueId("BINANCE")), InvariantError);
  EXPECT_THROW((void)InstrumentId("BTCUSDT", VenueId()), InvariantError);
  // A venue with a dot could not be parsed back, so it is refused.
  EXPECT_THROW((void)InstrumentId("BTCUSDT", VenueId("BIN.ANCE")), InvariantError);
}

TEST(InstrumentId, ParseRejectsMalformedText) {
  for (std::string_view text :
       {"", "BTCUSDT", ".BINANCE", "BTCUSDT.", ".", "BTC USDT.BINANCE", "BTCUSDT.BIN ANCE", "BTCUSDT.BINANCE\n"}) {
    auto r = InstrumentId::parse(text);
    ASSERT_FALSE(r.has_value()) << "'" << text << "'";
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument) << text;
  }
  EXPECT_NE(InstrumentId::parse("BTCUSDT").error().message().find("'BTCUSDT'"), std::string::npos);
}

TEST(InstrumentId, DefaultIsEmptyWithEmptyParts) {
  const InstrumentId id;
  EXPECT_TRUE(id.empty());
  EXPECT_EQ(id.symbol(), "");
  EXPECT_EQ(id.venue_name(), "");
  EXPECT_TRUE(id.venue().empty());
}

TEST(InstrumentId, ComparesOrdersAndHashesByValue) {
  const InstrumentId a = InstrumentId::parse("BTCUSDT.BINANCE").value();
  const InstrumentId b = InstrumentId::parse("ETHUSDT.BINANCE").value();
  const InstrumentId c("BTCUSDT", VenueId("BINANCE"));
  EXPECT_EQ(a, c);
  EXPECT_NE(a, b);
  EXPECT_LT(a, b);
  EXPECT_EQ(std::hash<InstrumentId>{}(a), std::hash<InstrumentId>{}(c));

  std::unordered_map<InstrumentId, int> positions;
  positions[a] = 1;
  positions[b] = 2;
  positions[c] += 5;
  EXPECT_EQ(positions.size(), 2u);
  EXPECT_EQ(positions.at(a), 6);

  std::unordered_set<InstrumentId> seen{a, b, c};
  EXPECT_EQ(seen.size(), 2u);

  std::vector<InstrumentId> sorted{b, a};
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted.front(), a);
}

}  // namespace
}  // namespace ballast::core
