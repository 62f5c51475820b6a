#pragma once
// MsgpackWriter: the subset of MessagePack (github.com/msgpack/msgpack/blob/master/spec.md) that
// Hyperliquid actions need, always in the smallest encoding the spec allows — the same bytes Python's
// msgpack.packb produces, which is what the exchange hashes:
//   nil 0xc0, false 0xc2, true 0xc3;
//   unsigned: positive fixint 0x00-0x7f, uint8 0xcc, uint16 0xcd, uint32 0xce, uint64 0xcf;
//   negative: negative fixint 0xe0-0xff (-32..-1), int8 0xd0, int16 0xd1, int32 0xd2, int64 0xd3;
//   strings (UTF-8 bytes as given): fixstr 0xa0|n (n < 32), str8 0xd9, str16 0xda, str32 0xdb;
//   arrays: fixarray 0x90|n (n < 16), array16 0xdc, array32 0xdd;
//   maps: fixmap 0x80|n (n < 16), map16 0xde, map32 0xdf.
// Multi-byte lengths and integers are big-endian. A map header is followed by n key/value pairs, an
// array header by n values; the writer does not check that the caller wrote them.

#include <cstdint>
#include <string_view>
#include <vector>

namespace ballast::adapters::hyperliquid {

class MsgpackWriter {
 public:
  void write_nil();
  void write_bool(bool value);
  // Non-negative integers use the unsigned family even when written through write_int, as msgpack-python does.
  void write_uint(std::uint64_t value);
  void write_int(std::int64_t value);
  void write_string(std::string_view text);
  void write_array_header(std::uint32_t count);
  void write_map_header(std::uint32_t count);

  const std::vector<std::uint8_t>& bytes() const noexcept { return out_; }
  std::vector<std::uint8_t> take() { return std::move(out_); }

 private:
  void put(std::uint8_t byte) { out_.push_back(byte); }
  void put_be(std::uint64_t value, int bytes);

  std::vector<std::uint8_t> out_;
};

}  // namespace ballast::adapters::hyperliquid
