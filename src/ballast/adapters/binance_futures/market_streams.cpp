#include "ballast/adapters/binance_futures/market_streams.hpp"

#include "ballast/adapters/internal/ascii_swar.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <limits>

#include <fmt/format.h>

namespace ballast::adapters::binance {

namespace {

using core::Error;
using core::ErrorCode;

std::string join(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out;
  out.reserve(parent.size() + 1 + key.size());
  out.append(parent).push_back('.');
  out.append(key);
  return out;
}

std::string indexed(std::string_view parent, std::size_t i) { return fmt::format("{}[{}]", parent, i); }

Error field_error(std::string_view where, std::string_view message) {
  const std::string_view shown = where.empty() ? std::string_view("$") : where;
  return Error(ErrorCode::ParseError, fmt::format("field '{}': {}", shown, message), std::string(shown));
}

// Unsigned digits with at most one point and a digit before it ("30000.10", "0", "0.001"), read up to the
// first other character and decoded in the same loop: at most 18 significant digits, so the raw value fits
// an int64 at any scale. With want >= 0 the value comes out at exactly `want` decimal places: digits past
// them must be zeros (dropped), and a shorter fraction is padded (still within 18 digits). False for
// anything else, with nothing reported: level_decimal() says what is wrong. Inlined, with the value in two
// integers rather than a Decimal, so the hot loop keeps it in registers.
struct RawDecimal {
  std::int64_t raw{0};
  int scale{0};
};

bool plain_decimal_by_digit(const char*& p, const char* end, int want, RawDecimal& out) noexcept {
  std::int64_t raw = 0;
  bool any = false;
  int significant = 0;
  int written = -1;  // fraction digits written; -1 before the point
  int kept = 0;      // fraction digits accumulated into raw
  for (; p < end; ++p) {
    const char c = *p;
    if (c >= '0' && c <= '9') {
      any = true;
      if (written >= 0) {
        ++written;
        if (kept == want) {  // past the wanted places: only zeros may follow
          if (c != '0') return false;
          continue;
        }
        ++kept;
      }
      if ((raw != 0 || c != '0') && ++significant > 18) return false;
      raw = raw * 10 + (c - '0');
    } else if (c == '.' && written < 0 && any) {
      written = 0;
    } else {
      break;
    }
  }
  if (!any || written == 0) return false;
  for (; kept < want; ++kept) {
    if (raw != 0 && ++significant > 18) return false;
    raw *= 10;
  }
  out.raw = raw;
  out.scale = kept;
  return true;
}

using internal::kPow10;

// One value of a compact level, after its opening quote, with its closing quote consumed, brought to `want`
// places as plain_decimal_by_digit does. The common form (at most 7 digits on each side of the point, 17
// bytes readable) goes through internal::swar_decimal: the ends found by predicted byte branches, the
// digits converted eight bytes at a time. Anything else is read digit by digit.
[[gnu::always_inline]] inline bool level_value(const char*& p, const char* end, int want, RawDecimal& out) noexcept {
  internal::SwarDecimal v;
  const char* q = p;
  if (end - p < 17 || !internal::swar_decimal(q, '"', v)) {
    if (!plain_decimal_by_digit(p, end, want, out) || p == end || *p != '"') return false;
    ++p;
    return true;
  }
  if (want >= 0 && v.places > want) {  // the digits past the wanted places must be zeros
    const std::int64_t dropped = kPow10[static_cast<std::size_t>(v.places - want)];
    if (v.raw % dropped != 0) return false;
    v.raw /= dropped;
    v.places = want;
  } else if (want > v.places) {  // padded, within 18 significant digits
    const auto pad = static_cast<std::size_t>(want - v.places);
    if (v.raw >= kPow10[18 - pad]) return false;
    v.raw *= kPow10[pad];
    v.places = want;
  }
  p = q;
  out.raw = v.raw;
  out.scale = v.places;
  return true;
}

// The `["price","qty"` of a compact level (Binance's form: no whitespace, both values plain unsigned
// decimals, read by level_value), leaving `p` on what follows the quantity's closing quote (the level's
// `]` when well formed). False for anything else.
[[gnu::always_inline]] inline bool compact_level_values(const char*& p, const char* end, const DepthPrecision& precision,
                                                        RawDecimal& price, RawDecimal& qty) noexcept {
  if (end - p < 2 || p[0] != '[' || p[1] != '"') return false;
  p += 2;
  if (!level_value(p, end, precision.price, price)) return false;
  if (end - p < 2 || p[0] != ',' || p[1] != '"') return false;
  p += 2;
  return level_value(p, end, precision.quantity, qty);
}

// A forward-only reader over one JSON text. Each primitive returns false on malformed input and leaves a
// description in what(); the parsers add the field path. Strings are returned as views into the text, so a
// string holding an escape sequence is refused where its value is read (Binance never escapes the fields we
// read) but skipped correctly anywhere else.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  const std::string& what() const noexcept { return what_; }
  bool failed() const noexcept { return failed_; }
  std::size_t pos() const noexcept { return pos_; }
  std::string_view text() const noexcept { return s_; }

  void ws() noexcept {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) ++pos_;
  }
  bool at_end() {
    ws();
    return pos_ >= s_.size();
  }

  bool begin_object() { return expect('{', "a JSON object"); }
  bool begin_array() { return expect('[', "a JSON array"); }

  // Object members: call with first = true before the first member. Returns false at the closing brace
  // (failed() false) or on malformed input (failed() true).
  bool next_member(bool& first, std::string_view& key) {
    ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return false;
    }
    if (!first && !expect(',', "',' or '}'")) return false;
    first = false;
    ws();
    if (!string(key)) return false;
    ws();
    if (!expect(':', "':'")) return false;
    ws();
    return true;
  }
  // The compact level Binance writes, ["price","qty"] with no whitespace and both values plain unsigned
  // decimals, decoded in the same pass that finds their ends (level_value). False (position unchanged)
  // for anything else: the caller then takes the general path, which accepts every valid form and
  // reports errors.
  bool compact_level(const DepthPrecision& precision, RawDecimal& price, RawDecimal& qty) noexcept {
    const char* p = s_.data() + pos_;
    const char* const end = s_.data() + s_.size();
    if (!compact_level_values(p, end, precision, price, qty)) return false;
    if (p == end || *p != ']') return false;
    pos_ = static_cast<std::size_t>(p + 1 - s_.data());
    return true;
  }

  // Array elements, as next_member.
  bool next_element(bool& first) {
    ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return false;
    }
    if (!first && !expect(',', "',' or ']'")) return false;
    first = false;
    ws();
    return true;
  }

  bool string(std::string_view& out) {
    if (pos_ >= s_.size() || s_[pos_] != '"') return fail("a string");
    const std::size_t start = ++pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '"') {
        out = s_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\') return fail_text("a string with an escape sequence, which this field never has");
      if (static_cast<unsigned char>(c) < 0x20) return fail_text("a control character inside a string");
      ++pos_;
    }
    return fail_text("an unterminated string");
  }

  // A JSON integer (no fraction, no exponent) that fits int64.
  bool integer(std::int64_t& out) {
    if (s_.size() - pos_ >= 16 && short_integer(out)) return true;
    return integer_by_digit(out);
  }
  // Every form, and the errors.
  [[gnu::noinline]] bool integer_by_digit(std::int64_t& out) {
    const std::size_t start = pos_;
    bool negative = false;
    if (pos_ < s_.size() && s_[pos_] == '-') {
      negative = true;
      ++pos_;
    }
    if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') {
      pos_ = start;
      return fail("an integer");
    }
    std::uint64_t v = 0;
    constexpr std::uint64_t kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      const auto digit = static_cast<std::uint64_t>(s_[pos_] - '0');
      if (v > (kMax - digit) / 10) return fail_text("an integer out of the 64-bit range");
      v = v * 10 + digit;
      ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) {
      return fail_text("a number with a fraction or exponent where an integer belongs");
    }
    out = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
    return true;
  }
  // integer()'s common case, 16 bytes readable: 1..15 digits (no sign) followed by something other than a fraction or
  // an exponent, converted eight bytes at a time. False (nothing consumed) for anything else.
  bool short_integer(std::int64_t& out) noexcept {
    const char* const p = s_.data() + pos_;
    const std::uint64_t head = internal::load8(p);
    const int n = internal::digit_run(head);
    if (n == 0) return false;
    std::int64_t v = 0;
    int length = n;
    char next = 0;
    if (n < 8) {
      v = internal::digits_value(head, n);
      next = internal::byte_at(head, n);
    } else {
      const std::uint64_t tail = internal::load8(p + 8);
      const int m = internal::digit_run(tail);
      if (m == 8) return false;
      v = internal::digits_value(head, 8) * kPow10[static_cast<std::size_t>(m)] + (m > 0 ? internal::digits_value(tail, m) : 0);
      length = 8 + m;
      next = internal::byte_at(tail, m);
    }
    if (next == '.' || next == 'e' || next == 'E') return false;
    out = v;
    pos_ += static_cast<std::size_t>(length);
    return true;
  }
  bool unsigned_integer(std::uint64_t& out) {
    std::int64_t v = 0;
    if (!integer(v)) return false;
    if (v < 0) return fail_text("a negative number where an update id belongs");
    out = static_cast<std::uint64_t>(v);
    return true;
  }

  bool boolean(bool& out) {
    if (literal("true")) {
      out = true;
      return true;
    }
    if (literal("false")) {
      out = false;
      return true;
    }
    return fail("true or false");
  }
  bool null() { return literal("null"); }

  // Skips any JSON value (nesting limited to 64 levels).
  bool skip_value() {
    ws();
    if (pos_ >= s_.size()) return fail("a value");
    const char c = s_[pos_];
    if (c == '"') return skip_string();
    if (c == '{' || c == '[') return skip_container();
    if (c == '-' || (c >= '0' && c <= '9')) return skip_number();
    if (literal("true") || literal("false") || literal("null")) return true;
    return fail("a value");
  }

  bool fail(std::string_view expected) {
    failed_ = true;
    if (pos_ >= s_.size()) {
      what_ = fmt::format("expected {} at byte {}, found the end of the text", expected, pos_);
    } else {
      what_ = fmt::format("expected {} at byte {}, found '{}'", expected, pos_, s_[pos_]);
    }
    return false;
  }
  bool fail_text(std::string_view found) {
    failed_ = true;
    what_ = fmt::format("found {} at byte {}", found, pos_);
    return false;
  }

 private:
  bool expect(char c, std::string_view expected) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return fail(expected);
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }
  bool skip_string() {
    ++pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        if (pos_ + 1 >= s_.size()) break;
        pos_ += 2;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20) return fail_text("a control character inside a string");
      ++pos_;
    }
    return fail_text("an unterminated string");
  }
  // An object or array, found by matching brackets outside strings (the members' syntax is checked by the
  // parser that reads them; a skipped unknown member only has to be well nested).
  bool skip_container() {
    char stack[64];
    int depth = 0;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '"') {
        if (!skip_string()) return false;
        continue;
      }
      if (c == '{' || c == '[') {
        if (depth == 64) return fail_text("nesting deeper than 64 levels");
        stack[depth++] = c == '{' ? '}' : ']';
      } else if (c == '}' || c == ']') {
        if (depth == 0 || stack[depth - 1] != c) return fail("a matching bracket");
        if (--depth == 0) {
          ++pos_;
          return true;
        }
      }
      ++pos_;
    }
    return fail("a closing bracket");
  }
  bool skip_number() {
    const std::size_t start = pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
        ++pos_;
      } else {
        break;
      }
    }
    if (pos_ == start) return fail("a number");
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  std::string what_;
};

Error scan_error(const Scanner& sc, std::string_view where) { return field_error(where, sc.what()); }

// Decimal text → Price / Quantity. Errors carry no path yet: the callers add it (only on failure, so the
// hot path builds no strings).
// The form Binance writes ("30000.10", "0", "-0.5"): at most 18 digits, an optional sign and point. Decoded
// without building a Result; anything else (and every error) goes through Decimal::parse.
bool simple_decimal(std::string_view t, core::Decimal& out) noexcept {
  std::size_t i = 0;
  bool negative = false;
  if (!t.empty() && t[0] == '-') {
    negative = true;
    i = 1;
  }
  std::uint64_t v = 0;
  int digits = 0;
  int fraction = -1;  // digits after the point; -1 while no point was seen
  for (; i < t.size(); ++i) {
    const char c = t[i];
    if (c >= '0' && c <= '9') {
      if (digits == 18) return false;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
      if (fraction >= 0) ++fraction;
    } else if (c == '.' && fraction < 0) {
      fraction = 0;
    } else {
      return false;
    }
  }
  if (digits == 0) return false;
  const auto raw = static_cast<std::int64_t>(v);
  out = core::Decimal::from_raw(negative ? -raw : raw, fraction < 0 ? 0 : fraction);
  return true;
}

std::optional<std::string> price_problem(std::string_view text, model::Price& out) {
  core::Decimal fast;
  if (simple_decimal(text, fast)) {
    out = model::Price(fast);
    return std::nullopt;
  }
  auto v = core::Decimal::parse(text);
  if (!v) return fmt::format("'{}' is not a decimal ({})", text, v.error().message());
  out = model::Price(*v);
  return std::nullopt;
}

std::optional<std::string> quantity_problem(std::string_view text, model::Quantity& out) {
  core::Decimal fast;
  if (simple_decimal(text, fast) && !fast.is_negative()) {
    out = model::Quantity(fast);
    return std::nullopt;
  }
  auto v = core::Decimal::parse(text);
  if (!v) return fmt::format("'{}' is not a decimal ({})", text, v.error().message());
  if (v->is_negative()) return fmt::format("quantity '{}' is negative", text);
  out = model::Quantity(*v);
  return std::nullopt;
}

// A price or quantity of a book level: a plain unsigned decimal (what Binance writes), brought to
// `want` places when want >= 0. A problem says what is wrong with the text; `what` is "price" or
// "quantity".
std::optional<std::string> level_decimal(std::string_view text, int want, std::string_view what, RawDecimal& out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  if (plain_decimal_by_digit(p, end, want, out) && p == end) return std::nullopt;
  if (text.empty()) return fmt::format("empty {}", what);
  if (text.find_first_of("eE") != std::string_view::npos) {
    return fmt::format("{} '{}' has an exponent; a book level is written as plain digits", what, text);
  }
  if (text.find_first_of("+-") != std::string_view::npos) {
    return fmt::format("{} '{}' has a sign; a book level is written as plain unsigned digits", what, text);
  }
  p = text.data();
  RawDecimal as_written;
  if (plain_decimal_by_digit(p, end, -1, as_written) && p == end) {  // fine as written: the precision is the problem
    if (as_written.scale > want) {
      return fmt::format("{} '{}' has more decimal places than the instrument's {} ({})", what, text, want,
                         what == "price" ? "tick size" : "step size");
    }
    return fmt::format("{} '{}' does not fit in 18 digits at {} decimal places", what, text, want);
  }
  const auto digits = static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  }));
  if (digits + 1 == text.size() || digits == text.size()) {
    if (text.find('.') != std::string_view::npos && (text.front() == '.' || text.back() == '.')) {
      return fmt::format("{} '{}' needs digits on both sides of its point", what, text);
    }
    if (digits > 18) return fmt::format("{} '{}' has more than 18 significant digits (out of the 64-bit range)", what, text);
  }
  return fmt::format("{} '{}' is not a plain decimal (digits with at most one point)", what, text);
}

// The general path of one level ([ "price" , "qty" ] with any whitespace, or anything wrong), reporting
// the JSON path of the entry or the value at fault.
bool read_level(Scanner& sc, const std::string& entry, const DepthPrecision& precision, std::optional<Error>& err,
                RawDecimal& px, RawDecimal& qty) {
  if (!sc.begin_array()) {
    err = scan_error(sc, entry);
    return false;
  }
  bool first = true;
  for (std::size_t column = 0; column < 2; ++column) {
    std::string_view text;
    if (!sc.next_element(first)) {
      err = sc.failed() ? scan_error(sc, entry) : field_error(entry, "a level needs [price, quantity]");
      return false;
    }
    if (!sc.string(text)) {
      err = scan_error(sc, indexed(entry, column));
      return false;
    }
    const bool price = column == 0;
    if (auto problem = level_decimal(text, price ? precision.price : precision.quantity, price ? "price" : "quantity",
                                     price ? px : qty)) {
      err = field_error(indexed(entry, column), *problem);
      return false;
    }
  }
  if (sc.next_element(first) || sc.failed()) {
    err = sc.failed() ? scan_error(sc, entry) : field_error(entry, "a level has more than [price, quantity]");
    return false;
  }
  return true;
}

// [[price, qty], …] → the visitor, with the JSON path of each entry for errors. The compact form goes
// through Scanner::compact_level; anything else is read element by element.
// `path` and `key` name the array ("data" and "b"); their join is only built for an error or a level off
// the compact form, so the hot path makes no string.
template <class Visit>
bool read_levels(Scanner& sc, std::string_view path, std::string_view key, const DepthPrecision& precision,
                 std::optional<Error>& err, Visit&& visit) {
  if (!sc.begin_array()) {
    err = scan_error(sc, join(path, key));
    return false;
  }
  bool first = true;
  std::size_t i = 0;
  RawDecimal px;
  RawDecimal qty;
  while (sc.next_element(first)) {
    if (!sc.compact_level(precision, px, qty) && !read_level(sc, indexed(join(path, key), i), precision, err, px, qty)) {
      return false;
    }
    visit(model::Price::from_raw(px.raw, px.scale), model::Quantity::from_raw(qty.raw, qty.scale));
    ++i;
  }
  if (sc.failed()) {
    err = scan_error(sc, indexed(join(path, key), i));
    return false;
  }
  return true;
}

// The depthUpdate event exactly as Binance writes it — {"e":"depthUpdate","E":…,"T":…,"s":"…","U":…,"u":…,
// "pu":…,"b":[…],"a":[…]} with no whitespace inside and every level in the compact form — read in one forward
// pass over a local pointer: fixed pieces compared whole, no member dispatch, no Result, the levels of a side
// in one loop. Anything else (another order, whitespace, an unknown member, an escape, a time out of range,
// a level value level_value() refuses) returns false with `out` partly written, and parse_depth_update
// reads the text again with the general parser, which accepts every valid form and names the field of an
// error. The checks made after either reader (symbol, U ≤ u, pu < u) are shared.
class CompactDepthReader {
 public:
  CompactDepthReader(std::string_view json, const DepthPrecision& precision)
      : p_(json.data()), end_(json.data() + json.size()), precision_(precision) {}

  bool read(DepthUpdate& out) {
    std::int64_t ms = 0;
    if (!piece(R"({"e":"depthUpdate","E":)") || !millis(ms)) return false;
    out.event_time = core::UnixNanos::from_millis(ms);
    if (!piece(R"(,"T":)") || !millis(ms)) return false;
    out.transaction_time = core::UnixNanos::from_millis(ms);
    if (!piece(R"(,"s":")") || !symbol(out.symbol)) return false;
    if (!piece(R"(,"U":)") || !id(out.first_update_id)) return false;
    if (!piece(R"(,"u":)") || !id(out.final_update_id)) return false;
    if (!piece(R"(,"pu":)") || !id(out.prev_final_update_id)) return false;
    if (!piece(R"(,"b":[)") || !side(model::OrderSide::Buy, out.deltas)) return false;
    if (!piece(R"(,"a":[)") || !side(model::OrderSide::Sell, out.deltas)) return false;
    if (!piece("}")) return false;
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    return p_ == end_;
  }

 private:
  // A fixed piece of the layout; its length is a constant, so the comparison compiles to a few word compares.
  template <std::size_t N>
  bool piece(const char (&text)[N]) noexcept {
    constexpr auto n = static_cast<std::ptrdiff_t>(N - 1);
    if (end_ - p_ < n || std::memcmp(p_, text, N - 1) != 0) return false;
    p_ += n;
    return true;
  }
  // 1..18 digits (so no overflow): what Scanner::integer reads as the same value. A sign, a fraction, an
  // exponent or more digits fail the next piece or this count, and go to the general parser.
  bool digits(std::int64_t& out) noexcept {
    if (end_ - p_ >= 16) {  // eight digits at a time, as Scanner::short_integer
      const std::uint64_t head = internal::load8(p_);
      const int n = internal::digit_run(head);
      if (n == 0) return false;
      if (n < 8) {
        out = internal::digits_value(head, n);
        p_ += n;
        return true;
      }
      const std::uint64_t tail = internal::load8(p_ + 8);
      const int m = internal::digit_run(tail);
      if (m < 8) {
        out = internal::digits_value(head, 8) * kPow10[static_cast<std::size_t>(m)] +
              (m > 0 ? internal::digits_value(tail, m) : 0);
        p_ += 8 + m;
        return true;
      }
    }
    std::int64_t v = 0;
    const char* const start = p_;
    while (p_ < end_ && internal::is_digit(*p_)) {
      if (p_ - start == 18) return false;
      v = v * 10 + (*p_ - '0');
      ++p_;
    }
    out = v;
    return p_ != start;
  }
  bool millis(std::int64_t& out) noexcept {
    return digits(out) && out <= std::numeric_limits<std::int64_t>::max() / 1'000'000;
  }
  bool id(std::uint64_t& out) noexcept {
    std::int64_t v = 0;
    if (!digits(v)) return false;
    out = static_cast<std::uint64_t>(v);
    return true;
  }
  // After the opening quote: up to the closing one, with no escape and no control character.
  bool symbol(std::string& out) {
    const char* const start = p_;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\' || static_cast<unsigned char>(*p_) < 0x20) return false;
      ++p_;
    }
    if (p_ == end_) return false;
    out.assign(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }
  // The levels of one side after its opening bracket, through the closing one: [] or ["price","qty"],….
  bool side(model::OrderSide side, std::vector<model::BookDelta>& deltas) {
    const char* p = p_;
    if (p < end_ && *p == ']') {
      p_ = p + 1;
      return true;
    }
    RawDecimal px;
    RawDecimal qty;
    for (;;) {
      if (!compact_level_values(p, end_, precision_, px, qty)) return false;
      if (end_ - p < 2 || p[0] != ']') return false;
      deltas.push_back(model::BookDelta{side, model::Price::from_raw(px.raw, px.scale),
                                        model::Quantity::from_raw(qty.raw, qty.scale)});
      if (p[1] == ',') {
        p += 2;
        continue;
      }
      if (p[1] != ']') return false;
      p_ = p + 2;
      return true;
    }
  }

  const char* p_;
  const char* end_;
  DepthPrecision precision_;
};

core::Status check_precision(const DepthPrecision& precision) {
  const auto bad = [](int places) { return places < -1 || places > core::Decimal::kMaxScale; };
  if (bad(precision.price) || bad(precision.quantity)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("depth precision {} / {} decimal places is outside -1 (as written) .. 18", precision.price,
                             precision.quantity));
  }
  return core::ok();
}

// After the closing brace of the event only whitespace may follow.
core::Status finish(Scanner& sc, std::string_view path) {
  if (sc.failed()) return scan_error(sc, path);
  if (!sc.at_end()) return field_error(path, fmt::format("unexpected text after the JSON object at byte {}", sc.pos()));
  return core::ok();
}

// One JSON object read member by member: the scanner, the object's JSON path, the first error, and the
// required members seen (bit i stands for the i-th name of the list given to check()). Each value reader
// consumes one member's value, marks its bit (when given one) and, on failure, leaves an error naming the
// field; the parsers below are then one line per member.
class ObjectReader {
 public:
  ObjectReader(Scanner& sc, std::string_view path) : sc_(sc), path_(path) {}

  std::string field(std::string_view key) const { return join(path_, key); }

  // The members of the object at the scanner: member(key) reads one value and returns false on an error.
  template <class Member>
  core::Status members(Member&& member) {
    if (!sc_.begin_object()) return scan_error(sc_, path_);
    bool first = true;
    std::string_view key;
    while (sc_.next_member(first, key)) {
      if (!member(key)) return err_ ? *err_ : scan_error(sc_, field(key));
    }
    if (sc_.failed()) return scan_error(sc_, path_);
    return core::ok();
  }
  // A whole event: its members, nothing after the object, then every required member.
  template <std::size_t N, class Member>
  core::Status event(const std::array<std::string_view, N>& required, Member&& member) {
    sc_.ws();
    BALLAST_TRY(members(member));
    BALLAST_TRY(finish(sc_, path_));
    return check(required);
  }
  template <std::size_t N>
  core::Status check(const std::array<std::string_view, N>& required) const {
    for (std::size_t i = 0; i < N; ++i) {
      if ((seen_ & (1u << i)) == 0) return field_error(field(required[i]), "missing");
    }
    return core::ok();
  }

  bool skip() { return sc_.skip_value(); }
  bool integer(std::int64_t& out, int bit) { return mark(sc_.integer(out), bit); }
  bool unsigned_integer(std::uint64_t& out, int bit) { return mark(sc_.unsigned_integer(out), bit); }
  bool boolean(bool& out, int bit) { return mark(sc_.boolean(out), bit); }
  bool text(std::string& out, int bit) {
    std::string_view v;
    if (!sc_.string(v)) return false;
    out.assign(v);
    return mark(true, bit);
  }
  bool event_type(std::string_view expected) {
    std::string_view type;
    if (!sc_.string(type)) return fail_scan("e");
    if (type != expected) return fail("e", fmt::format("event type '{}' is not '{}'", type, expected));
    return true;
  }
  bool millis(std::string_view key, core::UnixNanos& out, int bit) {
    std::int64_t ms = 0;
    if (!sc_.integer(ms)) return fail_scan(key);
    if (ms < 0 || ms > std::numeric_limits<std::int64_t>::max() / 1'000'000) {
      return fail(key, fmt::format("time {} ms is out of range", ms));
    }
    out = core::UnixNanos::from_millis(ms);
    return mark(true, bit);
  }
  bool price(std::string_view key, model::Price& out, int bit) {
    std::string_view v;
    if (!sc_.string(v)) return fail_scan(key);
    if (auto problem = price_problem(v, out)) return fail(key, *problem);
    return mark(true, bit);
  }
  bool quantity(std::string_view key, model::Quantity& out, int bit) {
    std::string_view v;
    if (!sc_.string(v)) return fail_scan(key);
    if (auto problem = quantity_problem(v, out)) return fail(key, *problem);
    return mark(true, bit);
  }
  // "" → none.
  bool optional_price(std::string_view key, std::optional<model::Price>& out) {
    std::string_view v;
    if (!sc_.string(v)) return fail_scan(key);
    if (v.empty()) return true;
    model::Price p;
    if (auto problem = price_problem(v, p)) return fail(key, *problem);
    out = p;
    return true;
  }
  bool decimal(std::string_view key, std::optional<core::Decimal>& out, bool empty_is_none, int bit) {
    std::string_view v;
    if (!sc_.string(v)) return fail_scan(key);
    if (v.empty() && empty_is_none) return mark(true, bit);
    auto d = core::Decimal::parse(v);
    if (!d) return fail(key, fmt::format("'{}' is not a decimal ({})", v, d.error().message()));
    out = *d;
    return mark(true, bit);
  }
  template <class Visit>
  bool levels(std::string_view key, const DepthPrecision& precision, int bit, Visit&& visit) {
    return mark(read_levels(sc_, path_, key, precision, err_, visit), bit);
  }
  bool fail(std::string_view key, std::string_view message) {
    err_ = field_error(field(key), message);
    return false;
  }
  bool fail(Error error) {
    err_ = std::move(error);
    return false;
  }
  // A member read by the caller (a nested object).
  bool mark_seen(int bit) noexcept { return mark(true, bit); }

 private:
  bool mark(bool ok, int bit) noexcept {
    if (ok && bit >= 0) seen_ |= 1u << bit;
    return ok;
  }
  bool fail_scan(std::string_view key) {
    err_ = scan_error(sc_, field(key));
    return false;
  }

  Scanner& sc_;
  std::string_view path_;
  std::optional<Error> err_;
  std::uint32_t seen_ = 0;
};

std::string lower(std::string_view symbol) {
  std::string out(symbol);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::int64_t depth_request_weight(int limit) noexcept {
  switch (limit) {
    case 5:
    case 10:
    case 20:
    case 50:
      return 2;
    case 100:
      return 5;
    case 500:
      return 10;
    case 1000:
      return 20;
    default:
      return 0;
  }
}

std::optional<int> depth_limit_for(std::size_t levels) noexcept {
  if (levels == 0) return 1000;
  for (int limit : {5, 10, 20, 50, 100, 500, 1000}) {
    if (levels <= static_cast<std::size_t>(limit)) return limit;
  }
  return std::nullopt;
}

std::string agg_trade_stream(std::string_view symbol) { return lower(symbol) + "@aggTrade"; }
std::string depth_stream(std::string_view symbol) { return lower(symbol) + "@depth@100ms"; }
std::string mark_price_stream(std::string_view symbol) { return lower(symbol) + "@markPrice@1s"; }
std::string kline_stream(std::string_view symbol, KlineInterval interval) {
  return lower(symbol) + "@kline_" + std::string(to_string(interval));
}
std::string book_ticker_stream(std::string_view symbol) { return lower(symbol) + "@bookTicker"; }

core::Result<StreamFrame> split_stream_message(std::string_view text, bool verify_data) {
  Scanner sc(text);
  sc.ws();
  if (!sc.begin_object()) return scan_error(sc, "");
  StreamFrame frame;
  bool has_data = false, has_result = false, has_error = false, has_stream = false;
  bool first = true;
  std::string_view key;
  while (sc.next_member(first, key)) {
    if (key == "stream") {
      if (!sc.string(frame.stream)) return scan_error(sc, "stream");
      has_stream = true;
    } else if (key == "data") {
      const std::size_t start = sc.pos();
      if (!verify_data && has_stream) {
        // Binance sends {"stream":…,"data":{…}}: data runs to the last closing brace. Its own syntax is
        // checked by the event's parser, which also refuses text after the object (data_unverified).
        std::size_t end = text.find_last_not_of(" \t\r\n");
        if (end != std::string_view::npos && end > start && text[end] == '}') {
          end = text.find_last_not_of(" \t\r\n", end - 1);
          if (end != std::string_view::npos && end >= start) {
            frame.data = text.substr(start, end + 1 - start);
            frame.data_unverified = true;
            frame.kind = StreamFrame::Kind::Event;
            return frame;
          }
        }
      }
      if (!sc.skip_value()) return scan_error(sc, "data");
      frame.data = text.substr(start, sc.pos() - start);
      has_data = true;
    } else if (key == "e") {
      if (!sc.string(frame.event_type)) return scan_error(sc, "e");
    } else if (key == "result") {
      has_result = true;
      if (!sc.skip_value()) return scan_error(sc, "result");
    } else if (key == "id") {
      if (!sc.null()) {
        std::int64_t id = 0;
        if (!sc.integer(id)) return scan_error(sc, "id");
        frame.id = id;
      }
    } else if (key == "error") {
      has_error = true;
      std::int64_t code = 0;
      std::string_view msg;
      if (!sc.begin_object()) return scan_error(sc, "error");
      bool inner_first = true;
      std::string_view inner;
      while (sc.next_member(inner_first, inner)) {
        if (inner == "code") {
          if (!sc.integer(code)) return scan_error(sc, "error.code");
        } else if (inner == "msg") {
          if (!sc.string(msg)) return scan_error(sc, "error.msg");
        } else if (!sc.skip_value()) {
          return scan_error(sc, join("error", inner));
        }
      }
      if (sc.failed()) return scan_error(sc, "error");
      frame.error_message = fmt::format("code {}: {}", code, msg);
    } else if (!sc.skip_value()) {
      return scan_error(sc, key);
    }
  }
  BALLAST_TRY(finish(sc, ""));
  if (has_error) {
    frame.kind = StreamFrame::Kind::Error;
    return frame;
  }
  if (has_data) {
    if (!has_stream) return field_error("stream", "missing next to 'data'");
    frame.kind = StreamFrame::Kind::Event;
    return frame;
  }
  if (has_result) {
    frame.kind = StreamFrame::Kind::Result;
    return frame;
  }
  if (!frame.event_type.empty()) {  // a raw stream (/ws/<name>): the message is the event
    frame.kind = StreamFrame::Kind::Event;
    frame.data = text;
    return frame;
  }
  return field_error("", "neither an event ({\"stream\",\"data\"} or \"e\") nor a control answer (\"result\"/\"error\")");
}

model::TradeTick AggTrade::to_trade_tick(const core::InstrumentId& instrument_id, core::UnixNanos ts_recv) const {
  model::TradeTick t;
  t.instrument_id = instrument_id;
  t.price = price;
  t.size = quantity;
  t.aggressor = buyer_is_maker ? model::AggressorSide::Seller : model::AggressorSide::Buyer;
  t.trade_id = core::TradeId(std::to_string(aggregate_id));
  t.ts_event = trade_time;
  t.ts_recv = ts_recv;
  return t;
}

model::BookUpdate DepthUpdate::book_update(core::UnixNanos ts_recv) const {
  return model::BookUpdate{prev_final_update_id + 1, final_update_id, transaction_time, ts_recv};
}

model::QuoteTick BookTicker::to_quote_tick(const core::InstrumentId& instrument_id, core::UnixNanos ts_recv) const {
  model::QuoteTick q;
  q.instrument_id = instrument_id;
  q.bid_price = bid_price;
  q.ask_price = ask_price;
  q.bid_size = bid_quantity;
  q.ask_size = ask_quantity;
  q.ts_event = transaction_time;
  q.ts_recv = ts_recv;
  return q;
}

core::Status parse_agg_trade(std::string_view json, AggTrade& out, std::string_view path) {
  static constexpr std::array<std::string_view, 9> kNames{"E", "s", "a", "p", "q", "f", "l", "T", "m"};
  Scanner sc(json);
  ObjectReader r(sc, path);
  auto read = r.event(kNames, [&](std::string_view key) {
    if (key.size() != 1) return r.skip();
    switch (key[0]) {
      case 'e': return r.event_type("aggTrade");
      case 'E': return r.millis(key, out.event_time, 0);
      case 's': return r.text(out.symbol, 1);
      case 'a': return r.integer(out.aggregate_id, 2);
      case 'p': return r.price(key, out.price, 3);
      case 'q': return r.quantity(key, out.quantity, 4);
      case 'f': return r.integer(out.first_trade_id, 5);
      case 'l': return r.integer(out.last_trade_id, 6);
      case 'T': return r.millis(key, out.trade_time, 7);
      case 'm': return r.boolean(out.buyer_is_maker, 8);
      default: return r.skip();
    }
  });
  if (!read) return read;
  if (out.symbol.empty()) return field_error(r.field("s"), "empty symbol");
  if (out.quantity.is_zero()) return field_error(r.field("q"), "a trade of zero quantity");
  return core::ok();
}

namespace {

// The checks after a depthUpdate's members are read (by either reader).
core::Status check_depth_update(const DepthUpdate& out, std::string_view path) {
  if (out.symbol.empty()) return field_error(join(path, "s"), "empty symbol");
  if (out.first_update_id > out.final_update_id) {
    return field_error(join(path, "U"), fmt::format("first update id {} is after the final update id u = {}",
                                                    out.first_update_id, out.final_update_id));
  }
  if (out.prev_final_update_id >= out.final_update_id) {
    return field_error(join(path, "pu"), fmt::format("previous final update id {} is not before u = {}",
                                                     out.prev_final_update_id, out.final_update_id));
  }
  return core::ok();
}

}  // namespace

core::Status parse_depth_update(std::string_view json, DepthUpdate& out, std::string_view path,
                                DepthPrecision precision) {
  static constexpr std::array<std::string_view, 8> kNames{"E", "T", "s", "U", "u", "pu", "b", "a"};
  BALLAST_TRY(check_precision(precision));
  out.deltas.clear();
  if (CompactDepthReader(json, precision).read(out)) return check_depth_update(out, path);
  out.deltas.clear();
  Scanner sc(json);
  ObjectReader r(sc, path);
  const auto levels = [&](std::string_view key, model::OrderSide side, int bit) {
    return r.levels(key, precision, bit, [&](const model::Price& p, const model::Quantity& q) {
      out.deltas.push_back(model::BookDelta{side, p, q});
    });
  };
  auto read = r.event(kNames, [&](std::string_view key) {
    if (key == "pu") return r.unsigned_integer(out.prev_final_update_id, 5);
    if (key.size() != 1) return r.skip();
    switch (key[0]) {
      case 'e': return r.event_type("depthUpdate");
      case 'E': return r.millis(key, out.event_time, 0);
      case 'T': return r.millis(key, out.transaction_time, 1);
      case 's': return r.text(out.symbol, 2);
      case 'U': return r.unsigned_integer(out.first_update_id, 3);
      case 'u': return r.unsigned_integer(out.final_update_id, 4);
      case 'b': return levels(key, model::OrderSide::Buy, 6);
      case 'a': return levels(key, model::OrderSide::Sell, 7);
      default: return r.skip();
    }
  });
  if (!read) return read;
  return check_depth_update(out, path);
}

core::Result<MarkPriceUpdate> parse_mark_price_update(std::string_view json, std::string_view path) {
  static constexpr std::array<std::string_view, 6> kNames{"E", "s", "p", "i", "r", "T"};
  MarkPriceUpdate out;
  Scanner sc(json);
  ObjectReader r(sc, path);
  auto read = r.event(kNames, [&](std::string_view key) {
    if (key == "e") return r.event_type("markPriceUpdate");
    if (key == "E") return r.millis(key, out.event_time, 0);
    if (key == "s") return r.text(out.symbol, 1);
    if (key == "p") return r.price(key, out.mark_price, 2);
    if (key == "i") return r.price(key, out.index_price, 3);
    if (key == "P") return r.optional_price(key, out.estimated_settle_price);
    if (key == "r") return r.decimal(key, out.funding_rate, true, 4);  // "" for delivery contracts
    if (key == "T") {
      core::UnixNanos t;
      if (!r.millis(key, t, 5)) return false;
      if (t.value != 0) out.next_funding_time = t;
      return true;
    }
    return r.skip();
  });
  if (!read) return read.error();
  if (out.symbol.empty()) return field_error(r.field("s"), "empty symbol");
  return out;
}

core::Result<KlineUpdate> parse_kline_update(std::string_view json, std::string_view path) {
  static constexpr std::array<std::string_view, 3> kTop{"E", "s", "k"};
  static constexpr std::array<std::string_view, 10> kK{"t", "T", "i", "o", "c", "h", "l", "v", "n", "x"};
  KlineUpdate out;
  core::UnixNanos close_time;
  Scanner sc(json);
  ObjectReader r(sc, path);
  const std::string kpath = r.field("k");
  const auto kline = [&]() -> core::Status {
    ObjectReader k(sc, kpath);
    std::optional<core::Decimal> quote_volume;
    auto members = k.members([&](std::string_view key) {
      if (key.size() != 1) return k.skip();
      switch (key[0]) {
        case 't': return k.millis(key, out.bar.ts_event, 0);
        case 'T': return k.millis(key, close_time, 1);
        case 'i': {
          std::string interval_text;
          if (!k.text(interval_text, 2)) return false;
          auto interval = parse_kline_interval(interval_text);
          if (!interval) return k.fail(key, interval.error().message());
          out.interval = *interval;
          return true;
        }
        case 'o': return k.price(key, out.bar.open, 3);
        case 'c': return k.price(key, out.bar.close, 4);
        case 'h': return k.price(key, out.bar.high, 5);
        case 'l': return k.price(key, out.bar.low, 6);
        case 'v': return k.quantity(key, out.bar.volume, 7);
        case 'n': return k.integer(out.trade_count, 8);
        case 'x': return k.boolean(out.closed, 9);
        case 'q':
          if (!k.decimal(key, quote_volume, false, -1)) return false;
          out.quote_volume = *quote_volume;
          return true;
        default: return k.skip();
      }
    });
    if (!members) return members;
    return k.check(kK);
  };
  auto read = r.event(kTop, [&](std::string_view key) {
    if (key == "e") return r.event_type("kline");
    if (key == "E") return r.millis(key, out.event_time, 0);
    if (key == "s") return r.text(out.symbol, 1);
    if (key == "k") {
      if (auto k = kline(); !k) return r.fail(k.error());
      return r.mark_seen(2);
    }
    return r.skip();
  });
  if (!read) return read.error();
  if (close_time < out.bar.ts_event) return field_error(join(kpath, "T"), "kline close time before its start time");
  out.bar.ts_recv = close_time + core::Duration(1'000'000);
  if (out.bar.low > out.bar.high) return field_error(join(kpath, "l"), "low above high");
  if (out.bar.open < out.bar.low || out.bar.open > out.bar.high) return field_error(join(kpath, "o"), "open outside [low, high]");
  if (out.bar.close < out.bar.low || out.bar.close > out.bar.high) {
    return field_error(join(kpath, "c"), "close outside [low, high]");
  }
  return out;
}

core::Result<BookTicker> parse_book_ticker(std::string_view json, std::string_view path) {
  static constexpr std::array<std::string_view, 8> kNames{"u", "E", "T", "s", "b", "B", "a", "A"};
  BookTicker out;
  Scanner sc(json);
  ObjectReader r(sc, path);
  auto read = r.event(kNames, [&](std::string_view key) {
    if (key.size() != 1) return r.skip();
    switch (key[0]) {
      case 'e': return r.event_type("bookTicker");
      case 'u': return r.unsigned_integer(out.update_id, 0);
      case 'E': return r.millis(key, out.event_time, 1);
      case 'T': return r.millis(key, out.transaction_time, 2);
      case 's': return r.text(out.symbol, 3);
      case 'b': return r.price(key, out.bid_price, 4);
      case 'B': return r.quantity(key, out.bid_quantity, 5);
      case 'a': return r.price(key, out.ask_price, 6);
      case 'A': return r.quantity(key, out.ask_quantity, 7);
      default: return r.skip();
    }
  });
  if (!read) return read.error();
  if (out.symbol.empty()) return field_error(r.field("s"), "empty symbol");
  return out;
}

core::Result<model::BookSnapshot> parse_depth_snapshot(std::string_view body, core::UnixNanos ts_recv,
                                                       DepthPrecision precision) {
  static constexpr std::array<std::string_view, 4> kNames{"lastUpdateId", "T", "bids", "asks"};
  BALLAST_TRY(check_precision(precision));
  model::BookSnapshot out;
  out.ts_recv = ts_recv;
  Scanner sc(body);
  ObjectReader r(sc, "");
  const auto levels = [&](std::string_view key, std::vector<model::BookLevel>& side, int bit) {
    return r.levels(key, precision, bit, [&](const model::Price& p, const model::Quantity& q) {
      side.push_back(model::BookLevel{p, q});
    });
  };
  auto read = r.event(kNames, [&](std::string_view key) {
    if (key == "lastUpdateId") return r.unsigned_integer(out.update_id, 0);
    if (key == "T") return r.millis(key, out.ts_event, 1);
    if (key == "bids") return levels(key, out.bids, 2);
    if (key == "asks") return levels(key, out.asks, 3);
    return r.skip();
  });
  if (!read) return read.error();
  return out;
}

}  // namespace ballast::adapters::binance
