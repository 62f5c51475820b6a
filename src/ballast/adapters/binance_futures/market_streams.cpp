#include "ballast/adapters/binance_futures/market_streams.hpp"

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
  // The compact level Binance writes, ["price","qty"] with no whitespace and no escapes, read in one go.
  // False (position unchanged) for anything else: the caller then takes the general path.
  bool compact_pair(std::string_view& first, std::string_view& second) noexcept {
    const std::size_t n = s_.size();
    std::size_t p = pos_;
    if (p + 7 > n || s_[p] != '[' || s_[p + 1] != '"') return false;
    const std::size_t a = p + 2;
    std::size_t q = a;
    while (q < n && s_[q] != '"' && s_[q] != '\\' && static_cast<unsigned char>(s_[q]) >= 0x20) ++q;
    if (q + 3 >= n || s_[q] != '"' || s_[q + 1] != ',' || s_[q + 2] != '"') return false;
    const std::size_t b = q + 3;
    std::size_t r = b;
    while (r < n && s_[r] != '"' && s_[r] != '\\' && static_cast<unsigned char>(s_[r]) >= 0x20) ++r;
    if (r + 1 >= n || s_[r] != '"' || s_[r + 1] != ']') return false;
    first = s_.substr(a, q - a);
    second = s_.substr(b, r - b);
    pos_ = r + 2;
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

// The required members of one event, by bit; missing ones are reported by name.
struct Required {
  std::uint32_t seen = 0;
  void mark(unsigned bit) noexcept { seen |= (1u << bit); }
  // `names[i]` is the member for bit i.
  template <std::size_t N>
  core::Status check(const std::array<std::string_view, N>& names, std::string_view path) const {
    for (std::size_t i = 0; i < N; ++i) {
      if ((seen & (1u << i)) == 0) return field_error(join(path, names[i]), "missing");
    }
    return core::ok();
  }
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

core::Result<model::Price> to_price(std::string_view text, std::string_view where) {
  model::Price p;
  if (auto problem = price_problem(text, p)) return field_error(where, *problem);
  return p;
}

// Reads a string member holding a decimal price or quantity.
bool read_price(Scanner& sc, model::Price& out, std::string_view path, std::string_view key, std::optional<Error>& err) {
  std::string_view text;
  if (!sc.string(text)) {
    err = scan_error(sc, join(path, key));
    return false;
  }
  if (auto problem = price_problem(text, out)) {
    err = field_error(join(path, key), *problem);
    return false;
  }
  return true;
}

bool read_quantity(Scanner& sc, model::Quantity& out, std::string_view path, std::string_view key,
                   std::optional<Error>& err) {
  std::string_view text;
  if (!sc.string(text)) {
    err = scan_error(sc, join(path, key));
    return false;
  }
  if (auto problem = quantity_problem(text, out)) {
    err = field_error(join(path, key), *problem);
    return false;
  }
  return true;
}

bool read_millis(Scanner& sc, core::UnixNanos& out, std::string_view path, std::string_view key,
                 std::optional<Error>& err) {
  std::int64_t ms = 0;
  if (!sc.integer(ms)) {
    err = scan_error(sc, join(path, key));
    return false;
  }
  if (ms < 0 || ms > std::numeric_limits<std::int64_t>::max() / 1'000'000) {
    err = field_error(join(path, key), fmt::format("time {} ms is out of range", ms));
    return false;
  }
  out = core::UnixNanos::from_millis(ms);
  return true;
}

bool read_event_type(Scanner& sc, std::string_view expected, std::string_view path, std::optional<Error>& err) {
  std::string_view type;
  if (!sc.string(type)) {
    err = scan_error(sc, join(path, "e"));
    return false;
  }
  if (type != expected) {
    err = field_error(join(path, "e"), fmt::format("event type '{}' is not '{}'", type, expected));
    return false;
  }
  return true;
}

// [[price, qty], …] → the visitor, with the JSON path of each entry for errors.
template <class Visit>
bool read_levels(Scanner& sc, std::string_view where, std::optional<Error>& err, Visit&& visit) {
  if (!sc.begin_array()) {
    err = scan_error(sc, std::string(where));
    return false;
  }
  bool first = true;
  std::size_t i = 0;
  while (sc.next_element(first)) {
    bool inner_first = true;
    std::string_view px, qty;
    auto entry = [&] { return indexed(where, i); };
    if (!sc.compact_pair(px, qty)) {  // the general path: whitespace, escapes, errors
      if (!sc.begin_array()) {
        err = scan_error(sc, entry());
        return false;
      }
      for (int column = 0; column < 2; ++column) {
        if (!sc.next_element(inner_first)) {
          err = sc.failed() ? scan_error(sc, entry()) : field_error(entry(), "a level needs [price, quantity]");
          return false;
        }
        if (!sc.string(column == 0 ? px : qty)) {
          err = scan_error(sc, indexed(entry(), static_cast<std::size_t>(column)));
          return false;
        }
      }
      if (sc.next_element(inner_first) || sc.failed()) {
        err = sc.failed() ? scan_error(sc, entry()) : field_error(entry(), "a level has more than [price, quantity]");
        return false;
      }
    }
    model::Price p;
    model::Quantity q;
    if (auto problem = price_problem(px, p)) {
      err = field_error(indexed(entry(), 0), *problem);
      return false;
    }
    if (auto problem = quantity_problem(qty, q)) {
      err = field_error(indexed(entry(), 1), *problem);
      return false;
    }
    visit(p, q);
    ++i;
  }
  if (sc.failed()) {
    err = scan_error(sc, indexed(where, i));
    return false;
  }
  return true;
}

// After the closing brace of the event only whitespace may follow.
core::Status finish(Scanner& sc, std::string_view path) {
  if (sc.failed()) return scan_error(sc, path);
  if (!sc.at_end()) return field_error(path, fmt::format("unexpected text after the JSON object at byte {}", sc.pos()));
  return core::ok();
}

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
  Scanner sc(json);
  sc.ws();
  if (!sc.begin_object()) return scan_error(sc, path);
  static constexpr std::array<std::string_view, 9> kNames{"E", "s", "a", "p", "q", "f", "l", "T", "m"};
  Required req;
  std::optional<Error> err;
  bool first = true;
  std::string_view key;
  while (sc.next_member(first, key)) {
    bool ok = true;
    if (key.size() != 1) {
      ok = sc.skip_value();
    } else {
      switch (key[0]) {
        case 'e':
          if (!read_event_type(sc, "aggTrade", path, err)) return *err;
          break;
        case 'E':
          ok = read_millis(sc, out.event_time, path, key, err);
          req.mark(0);
          break;
        case 's': {
          std::string_view s;
          ok = sc.string(s);
          if (ok) out.symbol.assign(s);
          req.mark(1);
          break;
        }
        case 'a':
          ok = sc.integer(out.aggregate_id);
          req.mark(2);
          break;
        case 'p':
          ok = read_price(sc, out.price, path, key, err);
          req.mark(3);
          break;
        case 'q':
          ok = read_quantity(sc, out.quantity, path, key, err);
          req.mark(4);
          break;
        case 'f':
          ok = sc.integer(out.first_trade_id);
          req.mark(5);
          break;
        case 'l':
          ok = sc.integer(out.last_trade_id);
          req.mark(6);
          break;
        case 'T':
          ok = read_millis(sc, out.trade_time, path, key, err);
          req.mark(7);
          break;
        case 'm':
          ok = sc.boolean(out.buyer_is_maker);
          req.mark(8);
          break;
        default:
          ok = sc.skip_value();
      }
    }
    if (!ok) return err ? *err : scan_error(sc, join(path, key));
  }
  BALLAST_TRY(finish(sc, path));
  BALLAST_TRY(req.check(kNames, path));
  if (out.symbol.empty()) return field_error(join(path, "s"), "empty symbol");
  if (out.quantity.is_zero()) return field_error(join(path, "q"), "a trade of zero quantity");
  return core::ok();
}

core::Status parse_depth_update(std::string_view json, DepthUpdate& out, std::string_view path) {
  Scanner sc(json);
  sc.ws();
  if (!sc.begin_object()) return scan_error(sc, path);
  static constexpr std::array<std::string_view, 8> kNames{"E", "T", "s", "U", "u", "pu", "b", "a"};
  out.deltas.clear();
  Required req;
  std::optional<Error> err;
  bool first = true;
  std::string_view key;
  while (sc.next_member(first, key)) {
    bool ok = true;
    if (key == "pu") {
      ok = sc.unsigned_integer(out.prev_final_update_id);
      req.mark(5);
    } else if (key.size() != 1) {
      ok = sc.skip_value();
    } else {
      switch (key[0]) {
        case 'e':
          if (!read_event_type(sc, "depthUpdate", path, err)) return *err;
          break;
        case 'E':
          ok = read_millis(sc, out.event_time, path, key, err);
          req.mark(0);
          break;
        case 'T':
          ok = read_millis(sc, out.transaction_time, path, key, err);
          req.mark(1);
          break;
        case 's': {
          std::string_view s;
          ok = sc.string(s);
          if (ok) out.symbol.assign(s);
          req.mark(2);
          break;
        }
        case 'U':
          ok = sc.unsigned_integer(out.first_update_id);
          req.mark(3);
          break;
        case 'u':
          ok = sc.unsigned_integer(out.final_update_id);
          req.mark(4);
          break;
        case 'b':
        case 'a': {
          const model::OrderSide side = key[0] == 'b' ? model::OrderSide::Buy : model::OrderSide::Sell;
          if (!read_levels(sc, join(path, key), err, [&](const model::Price& p, const model::Quantity& q) {
                out.deltas.push_back(model::BookDelta{side, p, q});
              })) {
            return *err;
          }
          req.mark(key[0] == 'b' ? 6 : 7);
          break;
        }
        default:
          ok = sc.skip_value();
      }
    }
    if (!ok) return err ? *err : scan_error(sc, join(path, key));
  }
  BALLAST_TRY(finish(sc, path));
  BALLAST_TRY(req.check(kNames, path));
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

core::Result<MarkPriceUpdate> parse_mark_price_update(std::string_view json, std::string_view path) {
  Scanner sc(json);
  sc.ws();
  if (!sc.begin_object()) return scan_error(sc, path);
  static constexpr std::array<std::string_view, 6> kNames{"E", "s", "p", "i", "r", "T"};
  MarkPriceUpdate out;
  Required req;
  std::optional<Error> err;
  bool first = true;
  std::string_view key;
  while (sc.next_member(first, key)) {
    bool ok = true;
    std::string_view text;
    if (key == "e") {
      if (!read_event_type(sc, "markPriceUpdate", path, err)) return *err;
    } else if (key == "E") {
      ok = read_millis(sc, out.event_time, path, key, err);
      req.mark(0);
    } else if (key == "s") {
      ok = sc.string(text);
      out.symbol.assign(text);
      req.mark(1);
    } else if (key == "p") {
      ok = read_price(sc, out.mark_price, path, key, err);
      req.mark(2);
    } else if (key == "i") {
      ok = read_price(sc, out.index_price, path, key, err);
      req.mark(3);
    } else if (key == "P") {
      ok = sc.string(text);
      if (ok && !text.empty()) {
        auto p = to_price(text, join(path, key));
        if (!p) return p.error();
        out.estimated_settle_price = *p;
      }
    } else if (key == "r") {
      ok = sc.string(text);
      if (ok && !text.empty()) {
        auto r = core::Decimal::parse(text);
        if (!r) return field_error(join(path, key), fmt::format("'{}' is not a decimal ({})", text, r.error().message()));
        out.funding_rate = *r;
      }
      req.mark(4);
    } else if (key == "T") {
      core::UnixNanos t;
      ok = read_millis(sc, t, path, key, err);
      if (ok && t.value != 0) out.next_funding_time = t;
      req.mark(5);
    } else {
      ok = sc.skip_value();
    }
    if (!ok) return err ? *err : scan_error(sc, join(path, key));
  }
  BALLAST_TRY(finish(sc, path));
  BALLAST_TRY(req.check(kNames, path));
  if (out.symbol.empty()) return field_error(join(path, "s"), "empty symbol");
  return out;
}

core::Result<KlineUpdate> parse_kline_update(std::string_view json, std::string_view path) {
  Scanner sc(json);
  sc.ws();
  if (!sc.begin_object()) return scan_error(sc, path);
  KlineUpdate out;
  std::optional<Error> err;
  Required top;
  static constexpr std::array<std::string_view, 3> kTop{"E", "s", "k"};
  static constexpr std::array<std::string_view, 10> kK{"t", "T", "i", "o", "c", "h", "l", "v", "n", "x"};
  core::UnixNanos close_time;
  bool first = true;
  std::string_view key;
  while (sc.next_member(first, key)) {
    bool ok = true;
    std::string_view text;
    if (key == "e") {
      if (!read_event_type(sc, "kline", path, err)) return *err;
    } else if (key == "E") {
      ok = read_millis(sc, out.event_time, path, key, err);
      top.mark(0);
    } else if (key == "s") {
      ok = sc.string(text);
      out.symbol.assign(text);
      top.mark(1);
    } else if (key == "k") {
      const std::string kpath = join(path, "k");
      if (!sc.begin_object()) return scan_error(sc, kpath);
      Required kreq;
      bool kfirst = true;
      std::string_view kkey;
      while (sc.next_member(kfirst, kkey)) {
        bool kok = true;
        if (kkey == "t") {
          kok = read_millis(sc, out.bar.ts_event, kpath, kkey, err);
          kreq.mark(0);
        } else if (kkey == "T") {
          kok = read_millis(sc, close_time, kpath, kkey, err);
          kreq.mark(1);
        } else if (kkey == "i") {
          kok = sc.string(text);
          if (kok) {
            auto interval = parse_kline_interval(text);
            if (!interval) return field_error(join(kpath, kkey), interval.error().message());
            out.interval = *interval;
          }
          kreq.mark(2);
        } else if (kkey == "o") {
          kok = read_price(sc, out.bar.open, kpath, kkey, err);
          kreq.mark(3);
        } else if (kkey == "c") {
          kok = read_price(sc, out.bar.close, kpath, kkey, err);
          kreq.mark(4);
        } else if (kkey == "h") {
          kok = read_price(sc, out.bar.high, kpath, kkey, err);
          kreq.mark(5);
        } else if (kkey == "l") {
          kok = read_price(sc, out.bar.low, kpath, kkey, err);
          kreq.mark(6);
        } else if (kkey == "v") {
          kok = read_quantity(sc, out.bar.volume, kpath, kkey, err);
          kreq.mark(7);
        } else if (kkey == "n") {
          kok = sc.integer(out.trade_count);
          kreq.mark(8);
        } else if (kkey == "x") {
          kok = sc.boolean(out.closed);
          kreq.mark(9);
        } else if (kkey == "q") {
          kok = sc.string(text);
          if (kok) {
            auto q = core::Decimal::parse(text);
            if (!q) return field_error(join(kpath, kkey), fmt::format("'{}' is not a decimal", text));
            out.quote_volume = *q;
          }
        } else {
          kok = sc.skip_value();
        }
        if (!kok) return err ? *err : scan_error(sc, join(kpath, kkey));
      }
      if (sc.failed()) return scan_error(sc, kpath);
      BALLAST_TRY(kreq.check(kK, kpath));
      top.mark(2);
    } else {
      ok = sc.skip_value();
    }
    if (!ok) return err ? *err : scan_error(sc, join(path, key));
  }
  BALLAST_TRY(finish(sc, path));
  BALLAST_TRY(top.check(kTop, path));
  const std::string kpath = join(path, "k");
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
  Scanner sc(json);
  sc.ws();
  if (!sc.begin_object()) return scan_error(sc, path);
  static constexpr std::array<std::string_view, 8> kNames{"u", "E", "T", "s", "b", "B", "a", "A"};
  BookTicker out;
  Required req;
  std::optional<Error> err;
  bool first = true;
  std::string_view key;
  while (sc.next_member(first, key)) {
    bool ok = true;
    std::string_view text;
    if (key.size() != 1) {
      ok = sc.skip_value();
    } else {
      switch (key[0]) {
        case 'e':
          if (!read_event_type(sc, "bookTicker", path, err)) return *err;
          break;
        case 'u':
          ok = sc.unsigned_integer(out.update_id);
          req.mark(0);
          break;
        case 'E':
          ok = read_millis(sc, out.event_time, path, key, err);
          req.mark(1);
          break;
        case 'T':
          ok = read_millis(sc, out.transaction_time, path, key, err);
          req.mark(2);
          break;
        case 's':
          ok = sc.string(text);
          out.symbol.assign(text);
          req.mark(3);
          break;
        case 'b':
          ok = read_price(sc, out.bid_price, path, key, err);
          req.mark(4);
          break;
        case 'B':
          ok = read_quantity(sc, out.bid_quantity, path, key, err);
          req.mark(5);
          break;
        case 'a':
          ok = read_price(sc, out.ask_price, path, key, err);
          req.mark(6);
          break;
        case 'A':
          ok = read_quantity(sc, out.ask_quantity, path, key, err);
          req.mark(7);
          break;
        default:
          ok = sc.skip_value();
      }
    }
    if (!ok) return err ? *err : scan_error(sc, join(path, key));
  }
  BALLAST_TRY(finish(sc, path));
  BALLAST_TRY(req.check(kNames, path));
  if (out.symbol.empty()) return field_error(join(path, "s"), "empty symbol");
  return out;
}

core::Result<model::BookSnapshot> parse_depth_snapshot(std::string_view body, core::UnixNanos ts_recv) {
  Scanner sc(body);
  sc.ws();
  if (!sc.begin_object()) return scan_error(sc, "");
  static constexpr std::array<std::string_view, 4> kNames{"lastUpdateId", "T", "bids", "asks"};
  model::BookSnapshot out;
  out.ts_recv = ts_recv;
  Required req;
  std::optional<Error> err;
  bool first = true;
  std::string_view key;
  while (sc.next_member(first, key)) {
    bool ok = true;
    if (key == "lastUpdateId") {
      ok = sc.unsigned_integer(out.update_id);
      req.mark(0);
    } else if (key == "T") {
      ok = read_millis(sc, out.ts_event, "", key, err);
      req.mark(1);
    } else if (key == "bids" || key == "asks") {
      auto& levels = key == "bids" ? out.bids : out.asks;
      if (!read_levels(sc, key, err, [&](const model::Price& p, const model::Quantity& q) {
            levels.push_back(model::BookLevel{p, q});
          })) {
        return *err;
      }
      req.mark(key == "bids" ? 2 : 3);
    } else {
      ok = sc.skip_value();
    }
    if (!ok) return err ? *err : scan_error(sc, key);
  }
  BALLAST_TRY(finish(sc, ""));
  BALLAST_TRY(req.check(kNames, ""));
  return out;
}

}  // namespace ballast::adapters::binance
