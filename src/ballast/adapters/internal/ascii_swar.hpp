#pragma once
// Eight bytes of ASCII text at a time (SWAR, "SIMD within a register"), for the venues' hot market-data
// parsers (Binance depthUpdate levels, Hyperliquid l2Book levels; issue 8: parse + book update under 1 µs
// per message). Private to the adapters module.
//
// A word is eight bytes of text loaded little-endian: the first byte is the lowest. The caller guarantees
// that eight bytes are readable at the address (the parsers check the distance to the end of the text
// before taking these paths). Digits are '0'..'9' only; a number's value is exact up to 8 digits a word.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ballast::adapters::internal {

inline constexpr std::array<std::int64_t, 19> kPow10{1,
                                                     10,
                                                     100,
                                                     1'000,
                                                     10'000,
                                                     100'000,
                                                     1'000'000,
                                                     10'000'000,
                                                     100'000'000,
                                                     1'000'000'000,
                                                     10'000'000'000,
                                                     100'000'000'000,
                                                     1'000'000'000'000,
                                                     10'000'000'000'000,
                                                     100'000'000'000'000,
                                                     1'000'000'000'000'000,
                                                     10'000'000'000'000'000,
                                                     100'000'000'000'000'000,
                                                     1'000'000'000'000'000'000};

// Eight bytes of text as one little-endian word (the first byte lowest).
inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// The i-th byte (0..7) of a word, i.e. the character at offset i of the text it was loaded from.
inline char byte_at(std::uint64_t w, int i) noexcept { return static_cast<char>(w >> (8 * i)); }

// How many of the word's bytes, from the first, are ASCII digits (8 when all are). A byte below '0' shows
// in bit 7 of w − 0x30…, one above '9' in bit 7 of w + 0x46…, a non-ASCII one in bit 7 of w itself; a
// digit never borrows or carries into the next byte, so the first non-digit is always found exactly.
inline int digit_run(std::uint64_t w) noexcept {
  const std::uint64_t non_digit =
      ((w - 0x3030303030303030ULL) | (w + 0x4646464646464646ULL) | w) & 0x8080808080808080ULL;
  return non_digit == 0 ? 8 : __builtin_ctzll(non_digit) / 8;
}

// The value of the first n (1..8) ASCII digits of the word: shifted so that they end the word (zero bytes
// in front read as leading zeros), then combined pairwise by three multiplications (the SWAR method
// described by Lemire, "Fast number parsing", 2020).
inline std::int64_t digits_value(std::uint64_t w, int n) noexcept {
  w <<= 8 * (8 - n);
  w = (w & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;
  w = (w & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;
  return static_cast<std::int64_t>((w & 0x0000FFFF0000FFFFULL) * 42949672960001ULL >> 32);
}

// A fixed piece of text (at most 8 characters) as the word it loads as, and the mask of its bytes, so that
// (load8(p) & word_mask<N>()) == word_of(text) checks it with one comparison.
template <std::size_t N>
constexpr std::uint64_t word_of(const char (&text)[N]) noexcept {
  static_assert(N >= 2 && N <= 9, "one to eight characters");
  std::uint64_t w = 0;
  for (std::size_t i = 0; i + 1 < N; ++i) w |= static_cast<std::uint64_t>(static_cast<unsigned char>(text[i])) << (8 * i);
  return w;
}
template <std::size_t N>
constexpr std::uint64_t word_mask(const char (&)[N]) noexcept {
  return N - 1 == 8 ? ~0ULL : (1ULL << (8 * (N - 1))) - 1;
}
template <std::size_t N>
inline bool starts_with_word(const char* p, const char (&text)[N]) noexcept {
  return (load8(p) & word_mask(text)) == word_of(text);
}

// An unsigned decimal written digits[.digits] and ended by `terminator` (which is consumed), with 1..7
// digits on each side of the point: its digits as an integer and the number of digits after the point.
// The end of each digit run is found byte by byte — a branch per byte that the processor predicts, so the
// position of the next field does not wait for the value (finding it with digit_run measured slower: the
// next load then waits for the count) — and each run is then converted eight bytes at a time
// (digits_value), off that critical path. Reads at most 17 bytes from p. False, p unchanged, for
// anything else (more digits, no digit before or after the point, another character): the caller takes
// its general path, which handles every form.
struct SwarDecimal {
  std::int64_t raw{0};
  int places{0};
};
inline bool is_digit(char c) noexcept { return static_cast<unsigned char>(c - '0') < 10; }
[[gnu::always_inline]] inline bool swar_decimal(const char*& p, char terminator, SwarDecimal& out) noexcept {
  // Each run must end within its first eight bytes (checked on the loaded word, off the critical path),
  // so the byte loops need no bound of their own.
  const std::uint64_t head = load8(p);
  if (digit_run(head) == 8) return false;
  const char* q = p;
  while (is_digit(*q)) ++q;
  const auto n = static_cast<int>(q - p);
  if (n == 0) return false;
  if (*q != '.') {
    if (*q != terminator) return false;
    p = q + 1;
    out.raw = digits_value(head, n);
    out.places = 0;
    return true;
  }
  const char* const first = ++q;
  const std::uint64_t tail = load8(first);
  if (digit_run(tail) == 8) return false;
  while (is_digit(*q)) ++q;
  const auto places = static_cast<int>(q - first);
  if (places == 0 || *q != terminator) return false;
  p = q + 1;
  out.places = places;
  if (n + places <= 7) {
    // The whole number, point included, lies in the first word ("30000.5", "0.00125"): the point's byte is
    // squeezed out (the bytes after it move down one) and the n + places digits are converted at once.
    const std::uint64_t below = (std::uint64_t{1} << (8 * n)) - 1;  // the integer digits' bytes
    out.raw = digits_value((head & below) | ((head >> 8) & ~below), n + places);
  } else {
    out.raw = digits_value(head, n) * kPow10[static_cast<std::size_t>(places)] + digits_value(tail, places);  // <= 14 digits
  }
  return true;
}

}  // namespace ballast::adapters::internal
