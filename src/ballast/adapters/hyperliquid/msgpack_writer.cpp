#include "ballast/adapters/hyperliquid/msgpack_writer.hpp"

#include "ballast/core/require.hpp"

#include <limits>

namespace ballast::adapters::hyperliquid {

void MsgpackWriter::put_be(std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) put(static_cast<std::uint8_t>(value >> (8 * i)));
}

void MsgpackWriter::write_nil() { put(0xc0); }

void MsgpackWriter::write_bool(bool value) { put(value ? 0xc3 : 0xc2); }

void MsgpackWriter::write_uint(std::uint64_t value) {
  if (value <= 0x7f) {
    put(static_cast<std::uint8_t>(value));
  } else if (value <= 0xff) {
    put(0xcc);
    put_be(value, 1);
  } else if (value <= 0xffff) {
    put(0xcd);
    put_be(value, 2);
  } else if (value <= 0xffffffffULL) {
    put(0xce);
    put_be(value, 4);
  } else {
    put(0xcf);
    put_be(value, 8);
  }
}

void MsgpackWriter::write_int(std::int64_t value) {
  if (value >= 0) {
    write_uint(static_cast<std::uint64_t>(value));
    return;
  }
  // Two's complement of the narrowest signed type that holds the value.
  const auto bits = static_cast<std::uint64_t>(value);
  if (value >= -32) {
    put(static_cast<std::uint8_t>(bits));  // 0xe0..0xff
  } else if (value >= std::numeric_limits<std::int8_t>::min()) {
    put(0xd0);
    put_be(bits, 1);
  } else if (value >= std::numeric_limits<std::int16_t>::min()) {
    put(0xd1);
    put_be(bits, 2);
  } else if (value >= std::numeric_limits<std::int32_t>::min()) {
    put(0xd2);
    put_be(bits, 4);
  } else {
    put(0xd3);
    put_be(bits, 8);
  }
}

void MsgpackWriter::write_string(std::string_view text) {
  const std::uint64_t n = text.size();
  BALLAST_REQUIRE(n <= 0xffffffffULL, "msgpack string longer than 4 GiB");
  if (n < 32) {
    put(static_cast<std::uint8_t>(0xa0 | n));
  } else if (n <= 0xff) {
    put(0xd9);
    put_be(n, 1);
  } else if (n <= 0xffff) {
    put(0xda);
    put_be(n, 2);
  } else {
    put(0xdb);
    put_be(n, 4);
  }
  out_.insert(out_.end(), text.begin(), text.end());
}

void MsgpackWriter::write_array_header(std::uint32_t count) {
  if (count < 16) {
    put(static_cast<std::uint8_t>(0x90 | count));
  } else if (count <= 0xffff) {
    put(0xdc);
    put_be(count, 2);
  } else {
    put(0xdd);
    put_be(count, 4);
  }
}

void MsgpackWriter::write_map_header(std::uint32_t count) {
  if (count < 16) {
    put(static_cast<std::uint8_t>(0x80 | count));
  } else if (count <= 0xffff) {
    put(0xde);
    put_be(count, 2);
  } else {
    put(0xdf);
    put_be(count, 4);
  }
}

}  // namespace ballast::adapters::hyperliquid
