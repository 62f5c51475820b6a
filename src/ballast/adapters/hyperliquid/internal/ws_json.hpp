#pragma once
// The JSON reader behind ws_messages.cpp and ws_user_messages.cpp (private to the adapter): a forward-only
// scanner over the message text, the JSON path of the value being read (turned into text only for an
// error), and typed readers that return a ParseError naming that path. No DOM, no allocation on the way.

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ballast/adapters/hyperliquid/ws_messages.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/error.hpp"
#include "ballast/core/result.hpp"

namespace ballast::adapters::hyperliquid::internal {

using core::Decimal;
using core::Error;
using core::ErrorCode;

// The JSON path of the value being read, kept as a small stack of keys (views into the message) and array
// indices; turned into text only when an error is reported.
class Path {
 public:
  void key(std::string_view k) {
    if (n_ < segs_.size()) segs_[n_] = Seg{k, 0, false};
    ++n_;
  }
  void index(std::size_t i) {
    if (n_ < segs_.size()) segs_[n_] = Seg{{}, i, true};
    ++n_;
  }
  void pop() { --n_; }
  std::string str() const {
    std::string out;
    for (std::size_t i = 0; i < std::min(n_, segs_.size()); ++i) {
      if (segs_[i].is_index) {
        out += fmt::format("[{}]", segs_[i].idx);
      } else {
        if (!out.empty()) out += '.';
        out.append(segs_[i].k);
      }
    }
    return out;
  }

 private:
  struct Seg {
    std::string_view k;
    std::size_t idx;
    bool is_index;
  };
  std::array<Seg, 10> segs_{};
  std::size_t n_ = 0;
};

inline Error fail(const Path& path, std::string message) {
  return Error(ErrorCode::ParseError, std::move(message), path.str());
}

// A forward-only JSON reader over the message text.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool peek(char c) {
    skip_ws();
    return p_ < end_ && *p_ == c;
  }
  bool eat(char c) {
    skip_ws();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool at_end() {
    skip_ws();
    return p_ >= end_;
  }
  const char* pos() const { return p_; }

  // The raw content between the quotes (escapes left as written).
  bool string(std::string_view& out) {
    if (!eat('"')) return false;
    const char* start = p_;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\') ++p_;
      ++p_;
    }
    if (p_ >= end_) return false;
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }
  // A bare number token.
  bool number(std::string_view& out) {
    skip_ws();
    const char* start = p_;
    while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '-' || *p_ == '+' || *p_ == '.' || *p_ == 'e' ||
                         *p_ == 'E')) {
      ++p_;
    }
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    return !out.empty();
  }
  bool literal(std::string_view word) {
    skip_ws();
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }
  bool skip_value(int depth = 0) {
    if (depth > 64) return false;
    skip_ws();
    if (p_ >= end_) return false;
    std::string_view ignored;
    switch (*p_) {
      case '"': return string(ignored);
      case '{': {
        ++p_;
        if (eat('}')) return true;
        for (;;) {
          if (!string(ignored) || !eat(':') || !skip_value(depth + 1)) return false;
          if (eat(',')) continue;
          return eat('}');
        }
      }
      case '[': {
        ++p_;
        if (eat(']')) return true;
        for (;;) {
          if (!skip_value(depth + 1)) return false;
          if (eat(',')) continue;
          return eat(']');
        }
      }
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number(ignored);
    }
  }

 private:
  const char* p_;
  const char* end_;
};


// A plain decimal string ("123.45", "-0.5", "7", at most 18 digits) without a Result, for the hot paths;
// false for anything else (exponents, "+", more digits, not a number).
inline bool fast_decimal(std::string_view t, Decimal& out) {
  std::size_t i = 0;
  bool negative = false;
  if (!t.empty() && t[0] == '-') {
    negative = true;
    i = 1;
  }
  std::int64_t raw = 0;
  int digits = 0;
  int scale = -1;
  for (; i < t.size(); ++i) {
    const char c = t[i];
    if (c >= '0' && c <= '9') {
      if (++digits > 18) return false;
      raw = raw * 10 + (c - '0');
      if (scale >= 0) ++scale;
    } else if (c == '.' && scale < 0) {
      scale = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || scale == 0) return false;
  out = Decimal::from_raw(negative ? -raw : raw, scale < 0 ? 0 : scale);
  return true;
}

// "123.45", "-0.5", "7": up to 18 digits, read directly; anything else goes through Decimal::parse.
inline core::Result<Decimal> to_decimal(std::string_view t) {
  Decimal d;
  if (fast_decimal(t, d)) return d;
  return Decimal::parse(t);
}

// Reads an object's members, calling f(key) with the scanner at the value; f consumes the value.
template <class F>
inline core::Status members(Scanner& s, Path& path, F&& f) {
  if (!s.eat('{')) return fail(path, "expected an object");
  if (s.eat('}')) return core::ok();
  for (;;) {
    std::string_view key;
    if (!s.string(key)) return fail(path, "expected a field name");
    if (!s.eat(':')) return fail(path, fmt::format("expected ':' after \"{}\"", key));
    path.key(key);
    if (auto st = f(key); !st) return st;
    path.pop();
    if (s.eat(',')) continue;
    if (s.eat('}')) return core::ok();
    return fail(path, "expected ',' or '}'");
  }
}

// Reads an array's elements, calling f(index) with the scanner at the element.
template <class F>
inline core::Status elements(Scanner& s, Path& path, F&& f) {
  if (!s.eat('[')) return fail(path, "expected an array");
  if (s.eat(']')) return core::ok();
  for (std::size_t i = 0;; ++i) {
    path.index(i);
    if (auto st = f(i); !st) return st;
    path.pop();
    if (s.eat(',')) continue;
    if (s.eat(']')) return core::ok();
    return fail(path, "expected ',' or ']'");
  }
}

inline core::Status skip(Scanner& s, const Path& path) {
  if (!s.skip_value()) return fail(path, "malformed JSON value");
  return core::ok();
}

inline core::Result<std::string_view> read_string(Scanner& s, const Path& path) {
  std::string_view v;
  if (!s.string(v)) return fail(path, "expected a string");
  return v;
}

inline core::Result<Decimal> read_decimal(Scanner& s, const Path& path, bool allow_number = false) {
  std::string_view v;
  if (s.peek('"')) {
    s.string(v);
  } else if (!allow_number || !s.number(v)) {
    return fail(path, "expected a decimal string");
  }
  auto d = to_decimal(v);
  if (!d) return fail(path, fmt::format("'{}' is not a decimal: {}", v, d.error().message()));
  return *d;
}

inline core::Result<std::uint64_t> read_uint(Scanner& s, const Path& path) {
  std::string_view v;
  if (!s.number(v)) return fail(path, "expected a non-negative integer");
  std::uint64_t out = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return fail(path, fmt::format("expected a non-negative integer, got {}", v));
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (out > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return fail(path, "integer out of range");
    out = out * 10 + digit;
  }
  return out;
}

inline core::Result<core::UnixNanos> read_millis(Scanner& s, const Path& path) {
  auto ms = read_uint(s, path);
  if (!ms) return ms.error();
  if (*ms > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 1000000)) {
    return fail(path, fmt::format("timestamp {} ms is out of range", *ms));
  }
  return core::UnixNanos::from_millis(static_cast<std::int64_t>(*ms));
}

inline core::Result<bool> read_bool(Scanner& s, const Path& path) {
  if (s.literal("true")) return true;
  if (s.literal("false")) return false;
  return fail(path, "expected true or false");
}

inline core::Result<bool> read_side(Scanner& s, const Path& path) {
  auto v = read_string(s, path);
  if (!v) return v.error();
  if (*v == "B") return true;
  if (*v == "A") return false;
  return fail(path, fmt::format("side must be \"B\" (buy) or \"A\" (sell), got \"{}\"", *v));
}

inline Error missing(const Path& path, std::string_view field) {
  std::string where = path.str();
  where += where.empty() ? "" : ".";
  where += field;
  return Error(ErrorCode::ParseError, "missing field", std::move(where));
}

// The user channels (ws_user_messages.cpp).
core::Status parse_order_update(Scanner& s, Path& path, WsOrderUpdate& u);
core::Status parse_user_fills_data(Scanner& s, Path& path, WsUserFills& u);
core::Status parse_user_event(Scanner& s, Path& path, WsUserEvent& e);

}  // namespace ballast::adapters::hyperliquid::internal
