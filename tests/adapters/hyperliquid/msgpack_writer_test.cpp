// MessagePack byte layouts checked by hand against the specification
// (github.com/msgpack/msgpack/blob/master/spec.md, "Formats").
#include "ballast/adapters/hyperliquid/msgpack_writer.hpp"

#include "ballast/adapters/hyperliquid/wire_value.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hl = ballast::adapters::hyperliquid;
using Bytes = std::vector<std::uint8_t>;

namespace {

template <class F>
Bytes encode(F&& write) {
  hl::MsgpackWriter w;
  write(w);
  return w.take();
}

}  // namespace

TEST(MsgpackWriter, WritesNilTrueAndFalseAsSingleBytes) {
  EXPECT_EQ(encode([](auto& w) { w.write_nil(); }), (Bytes{0xc0}));
  EXPECT_EQ(encode([](auto& w) { w.write_bool(true); }), (Bytes{0xc3}));
  EXPECT_EQ(encode([](auto& w) { w.write_bool(false); }), (Bytes{0xc2}));
}

TEST(MsgpackWriter, WritesUnsignedIntegersInTheSmallestFormat) {
  EXPECT_EQ(encode([](auto& w) { w.write_uint(0); }), (Bytes{0x00}));           // positive fixint
  EXPECT_EQ(encode([](auto& w) { w.write_uint(127); }), (Bytes{0x7f}));         // largest fixint
  EXPECT_EQ(encode([](auto& w) { w.write_uint(128); }), (Bytes{0xcc, 0x80}));   // uint8
  EXPECT_EQ(encode([](auto& w) { w.write_uint(255); }), (Bytes{0xcc, 0xff}));
  EXPECT_EQ(encode([](auto& w) { w.write_uint(256); }), (Bytes{0xcd, 0x01, 0x00}));  // uint16
  EXPECT_EQ(encode([](auto& w) { w.write_uint(65535); }), (Bytes{0xcd, 0xff, 0xff}));
  EXPECT_EQ(encode([](auto& w) { w.write_uint(65536); }), (Bytes{0xce, 0x00, 0x01, 0x00, 0x00}));  // uint32
  EXPECT_EQ(encode([](auto& w) { w.write_uint(4294967295ULL); }), (Bytes{0xce, 0xff, 0xff, 0xff, 0xff}));
  // 100000000000 = 0x17_4876_E800 needs uint64.
  EXPECT_EQ(encode([](auto& w) { w.write_uint(100000000000ULL); }),
            (Bytes{0xcf, 0x00, 0x00, 0x00, 0x17, 0x48, 0x76, 0xe8, 0x00}));
}

TEST(MsgpackWriter, WritesNegativeIntegersInTheSmallestSignedFormat) {
  EXPECT_EQ(encode([](auto& w) { w.write_int(-1); }), (Bytes{0xff}));   // negative fixint 111xxxxx
  EXPECT_EQ(encode([](auto& w) { w.write_int(-32); }), (Bytes{0xe0}));
  EXPECT_EQ(encode([](auto& w) { w.write_int(-33); }), (Bytes{0xd0, 0xdf}));    // int8, 0xdf = -33
  EXPECT_EQ(encode([](auto& w) { w.write_int(-128); }), (Bytes{0xd0, 0x80}));
  EXPECT_EQ(encode([](auto& w) { w.write_int(-129); }), (Bytes{0xd1, 0xff, 0x7f}));  // int16
  EXPECT_EQ(encode([](auto& w) { w.write_int(-32768); }), (Bytes{0xd1, 0x80, 0x00}));
  EXPECT_EQ(encode([](auto& w) { w.write_int(-32769); }), (Bytes{0xd2, 0xff, 0xff, 0x7f, 0xff}));  // int32
  EXPECT_EQ(encode([](auto& w) { w.write_int(-2147483649LL); }),
            (Bytes{0xd3, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff}));  // int64
  // A non-negative value written as signed still takes the unsigned family (as msgpack-python does).
  EXPECT_EQ(encode([](auto& w) { w.write_int(200); }), (Bytes{0xcc, 0xc8}));
}

TEST(MsgpackWriter, WritesFixstrUpTo31BytesThenStr8) {
  EXPECT_EQ(encode([](auto& w) { w.write_string(""); }), (Bytes{0xa0}));
  EXPECT_EQ(encode([](auto& w) { w.write_string("na"); }), (Bytes{0xa2, 'n', 'a'}));
  const std::string s31(31, 'x');
  const Bytes b31 = encode([&](auto& w) { w.write_string(s31); });
  ASSERT_EQ(b31.size(), 32U);
  EXPECT_EQ(b31[0], 0xbf);
  const std::string s32(32, 'x');
  const Bytes b32 = encode([&](auto& w) { w.write_string(s32); });
  ASSERT_EQ(b32.size(), 34U);
  EXPECT_EQ(b32[0], 0xd9);
  EXPECT_EQ(b32[1], 32);
  const std::string s256(256, 'x');
  const Bytes b256 = encode([&](auto& w) { w.write_string(s256); });
  EXPECT_EQ((Bytes{b256[0], b256[1], b256[2]}), (Bytes{0xda, 0x01, 0x00}));  // str16
}

TEST(MsgpackWriter, WritesFixarrayThenArray16AndFixmapThenMap16) {
  EXPECT_EQ(encode([](auto& w) { w.write_array_header(0); }), (Bytes{0x90}));
  EXPECT_EQ(encode([](auto& w) { w.write_array_header(15); }), (Bytes{0x9f}));
  EXPECT_EQ(encode([](auto& w) { w.write_array_header(16); }), (Bytes{0xdc, 0x00, 0x10}));
  EXPECT_EQ(encode([](auto& w) { w.write_array_header(70000); }), (Bytes{0xdd, 0x00, 0x01, 0x11, 0x70}));
  EXPECT_EQ(encode([](auto& w) { w.write_map_header(3); }), (Bytes{0x83}));
  EXPECT_EQ(encode([](auto& w) { w.write_map_header(16); }), (Bytes{0xde, 0x00, 0x10}));
}

// The SDK's test_l1_action_signing_matches action {"type": "dummy", "num": 100000000000}, by hand:
// fixmap(2), fixstr "type", fixstr "dummy", fixstr "num", uint64 0x000000174876e800.
TEST(WireValue, EncodesAMapInInsertionOrderWithTheSmallestFormats) {
  hl::WireValue action = hl::WireValue::map();
  action.set("type", hl::WireValue::string("dummy"));
  action.set("num", hl::WireValue::unsigned_integer(100000000000ULL));
  const Bytes expected{0x82, 0xa4, 't', 'y', 'p', 'e', 0xa5, 'd', 'u', 'm', 'm', 'y', 0xa3, 'n', 'u', 'm',
                       0xcf, 0x00, 0x00, 0x00, 0x17, 0x48, 0x76, 0xe8, 0x00};
  EXPECT_EQ(action.to_msgpack(), expected);
  EXPECT_EQ(action.to_json(), R"({"type":"dummy","num":100000000000})");
}

TEST(WireValue, EncodesNestedArraysBooleansAndNil) {
  hl::WireValue v = hl::WireValue::map();
  v.set("a", hl::WireValue::array({hl::WireValue::boolean(true), hl::WireValue(), hl::WireValue::integer(-1)}));
  // fixmap(1) "a" fixarray(3) true nil -1
  EXPECT_EQ(v.to_msgpack(), (Bytes{0x81, 0xa1, 'a', 0x93, 0xc3, 0xc0, 0xff}));
  EXPECT_EQ(v.to_json(), R"({"a":[true,null,-1]})");
}

TEST(WireValue, ParsesJsonKeepingTheKeyOrderOfTheText) {
  auto parsed = hl::parse_wire_value(R"({"z":1,"a":{"y":"s","b":[false]}})");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  EXPECT_EQ(parsed->to_json(), R"({"z":1,"a":{"y":"s","b":[false]}})");
  EXPECT_EQ(parsed->as_map()[0].first, "z");
}

TEST(WireValue, RejectsAFractionalNumberNamingItsJsonPath) {
  auto parsed = hl::parse_wire_value(R"({"orders":[{"a":1,"p":1.5}]})");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().where(), "orders[0].p");
}

TEST(WireValue, EscapesStringsInJson) {
  EXPECT_EQ(hl::WireValue::string("a\"b\\c\n").to_json(), R"("a\"b\\c\n")");
}
