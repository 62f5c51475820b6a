// Error codes, Result<T>/Status, BALLAST_TRY and the BALLAST_REQUIRE/ENSURE invariant macros.
// The stable code strings are the contract used in files and the API, so they are spelled out here.

#include "ballast/core/result.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ballast/core/decimal.hpp"
#include "ballast/core/error.hpp"
#include "ballast/core/require.hpp"

namespace ballast::core {
namespace {

const std::vector<std::pair<ErrorCode, std::string_view>>& all_codes() {
  static const std::vector<std::pair<ErrorCode, std::string_view>> codes{
      {ErrorCode::InvalidArgument, "INVALID_ARGUMENT"},
      {ErrorCode::ParseError, "PARSE_ERROR"},
      {ErrorCode::NotFound, "NOT_FOUND"},
      {ErrorCode::AlreadyExists, "ALREADY_EXISTS"},
      {ErrorCode::OutOfRange, "OUT_OF_RANGE"},
      {ErrorCode::Overflow, "OVERFLOW"},
      {ErrorCode::InvalidState, "INVALID_STATE"},
      {ErrorCode::IoError, "IO_ERROR"},
      {ErrorCode::Unsupported, "UNSUPPORTED"},
      {ErrorCode::Internal, "INTERNAL"},
  };
  return codes;
}

// ------------------------------------------------------------------------------------------ ErrorCode

TEST(ErrorCode, HasAStableStringForEveryCode) {
  // The enum is dense from InvalidArgument (0) to Internal (9); the table above names all ten.
  ASSERT_EQ(all_codes().size(), static_cast<std::size_t>(ErrorCode::Internal) + 1);
  for (const auto& [code, name] : all_codes()) {
    EXPECT_EQ(to_string(code), name);
  }
}

TEST(ErrorCode, ParseRoundTripsEveryCode) {
  for (const auto& [code, name] : all_codes()) {
    ErrorCode parsed = code == ErrorCode::Internal ? ErrorCode::InvalidArgument : ErrorCode::Internal;
    ASSERT_TRUE(parse(name, parsed)) << name;
    EXPECT_EQ(parsed, code) << name;
    ErrorCode again = ErrorCode::Internal;
    ASSERT_TRUE(parse(to_string(code), again));
    EXPECT_EQ(again, code);
  }
}

TEST(ErrorCode, ParseRefusesUnknownTextAndLeavesTheOutputAlone) {
  for (std::string_view text : {"", "invalid_argument", "INVALID ARGUMENT", "InvalidArgument", "OVERFLOW ", "NOPE"}) {
    ErrorCode out = ErrorCode::NotFound;
    EXPECT_FALSE(parse(text, out)) << text;
    EXPECT_EQ(out, ErrorCode::NotFound) << text;
  }
}

// ---------------------------------------------------------------------------------------------- Error

TEST(Error, CarriesCodeMessageAndLocation) {
  const Error e(ErrorCode::ParseError, "bad price", "bars.csv:12");
  EXPECT_EQ(e.code(), ErrorCode::ParseError);
  EXPECT_EQ(e.message(), "bad price");
  EXPECT_EQ(e.where(), "bars.csv:12");
  EXPECT_EQ(e.to_string(), "bars.csv:12: bad price");
}

TEST(Error, ToStringWithoutALocationIsTheMessage) {
  const Error e(ErrorCode::NotFound, "no such instrument");
  EXPECT_EQ(e.where(), "");
  EXPECT_EQ(e.to_string(), "no such instrument");
}

TEST(Error, WithContextPrefixesTheLocation) {
  const Error line(ErrorCode::ParseError, "bad price", "12");
  const Error file = line.with_context("bars.csv");
  EXPECT_EQ(file.where(), "bars.csv:12");
  EXPECT_EQ(file.to_string(), "bars.csv:12: bad price");
  EXPECT_EQ(file.code(), ErrorCode::ParseError);
  EXPECT_EQ(file.message(), "bad price");
  EXPECT_EQ(line.where(), "12");  // the original is unchanged

  const Error bare(ErrorCode::IoError, "cannot open");
  EXPECT_EQ(bare.with_context("config.toml").to_string(), "config.toml: cannot open");
  EXPECT_EQ(bare.with_context("a").with_context("b").where(), "b:a");
}

// --------------------------------------------------------------------------------------------- Result

Result<int> half(int v) {
  if (v % 2 != 0) return Error(ErrorCode::InvalidArgument, "odd value " + std::to_string(v));
  return v / 2;
}

TEST(Result, HoldsAValue) {
  Result<int> r = half(10);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 5);
  EXPECT_EQ(*r, 5);
  *r = 7;
  EXPECT_EQ(r.value(), 7);
  EXPECT_EQ(r.value_or(-1), 7);
}

TEST(Result, HoldsAnError) {
  const Result<int> r = half(3);
  ASSERT_FALSE(r.has_value());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(r.error().message(), "odd value 3");
  EXPECT_EQ(r.value_or(-1), -1);
}

TEST(Result, ValueOnAnErrorThrowsInvariantErrorWithTheMessage) {
  const Result<int> r = Error(ErrorCode::NotFound, "no bar at 12:00", "bars.csv:7");
  try {
    (void)r.value();
    FAIL() << "expected InvariantError";
  } catch (const InvariantError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("Result::value() on an error"), std::string::npos) << what;
    EXPECT_NE(what.find("bars.csv:7: no bar at 12:00"), std::string::npos) << what;
  }
  Result<int> m = half(1);
  EXPECT_THROW((void)*m, InvariantError);
  EXPECT_THROW((void)std::move(m).value(), InvariantError);
}

TEST(Result, ErrorOnAValueThrowsInvariantError) {
  const Result<int> r = half(4);
  EXPECT_THROW((void)r.error(), InvariantError);
  EXPECT_THROW((void)half(4).error(), InvariantError);
}

TEST(Result, ArrowReachesMembersOfTheValue) {
  Result<std::string> r = std::string("abc");
  EXPECT_EQ(r->size(), 3u);
  r->push_back('d');
  EXPECT_EQ(*r, "abcd");
}

TEST(Result, ConvertsFromTypesThatBuildTheValue) {
  const Result<std::string> s = "literal";  // const char* → std::string
  EXPECT_EQ(*s, "literal");
  const Result<std::int64_t> i = 42;  // int → int64
  EXPECT_EQ(*i, 42);
}

TEST(Result, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(9);
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 9);
}

TEST(Result, MovesOutTheError) {
  Error e = half(5).error();
  EXPECT_EQ(e.message(), "odd value 5");
}

TEST(Status, OkHasNoError) {
  const Status s = ok();
  EXPECT_TRUE(s.has_value());
  EXPECT_TRUE(static_cast<bool>(s));
  EXPECT_THROW((void)s.error(), InvariantError);
}

TEST(Status, CarriesAnError) {
  const Status s = Error(ErrorCode::IoError, "disk full");
  EXPECT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), ErrorCode::IoError);
  EXPECT_EQ(s.error().message(), "disk full");
}

// A Status holds its error apart from itself: copies are deep (each keeps the error after the other is gone or
// reassigned), a copy of a success is a success, and a moved Status keeps the error in its new place.
TEST(Status, CopiesAndMovesKeepTheError) {
  std::optional<Status> original(Error(ErrorCode::NotFound, "no such order", "client_order_id"));
  Status copy = *original;
  Status assigned = ok();
  assigned = *original;
  original.reset();
  ASSERT_FALSE(copy.has_value());
  EXPECT_EQ(copy.error().code(), ErrorCode::NotFound);
  EXPECT_EQ(copy.error().message(), "no such order");
  EXPECT_EQ(copy.error().where(), "client_order_id");
  ASSERT_FALSE(assigned.has_value());
  EXPECT_EQ(assigned.error().message(), "no such order");
  assigned = ok();
  EXPECT_TRUE(assigned.has_value());
  EXPECT_FALSE(copy.has_value());  // its own copy, untouched
  const Status moved = std::move(copy);
  ASSERT_FALSE(moved.has_value());
  EXPECT_EQ(moved.error().message(), "no such order");
  Status success_copy = ok();
  success_copy = Status(ok());
  EXPECT_TRUE(success_copy.has_value());
  // Assigning over an error replaces it (the one replaced is freed: LeakSanitizer checks that in the asan run).
  Status target(Error(ErrorCode::InvalidArgument, "first"));
  target = Status(Error(ErrorCode::NotFound, "second"));
  ASSERT_FALSE(target.has_value());
  EXPECT_EQ(target.error().message(), "second");
  Status source(Error(ErrorCode::IoError, "third"));
  target = std::move(source);
  ASSERT_FALSE(target.has_value());
  EXPECT_EQ(target.error().code(), ErrorCode::IoError);
  EXPECT_EQ(target.error().message(), "third");
}

// ------------------------------------------------------------------------------------------ BALLAST_TRY

Status halve_twice(int v, int& out) {
  auto once = half(v);
  BALLAST_TRY(once);
  auto twice = half(*once);
  BALLAST_TRY(twice);
  out = *twice;
  return ok();
}

Status check_positive(int v) {
  if (v <= 0) return Error(ErrorCode::OutOfRange, "not positive");
  return ok();
}

Result<int> positive_half(int v) {
  BALLAST_TRY(check_positive(v));
  return half(v);
}

TEST(BallastTry, ContinuesWhenTheExpressionSucceeds) {
  int out = 0;
  const Status s = halve_twice(12, out);
  EXPECT_TRUE(s.has_value());
  EXPECT_EQ(out, 3);
}

TEST(BallastTry, ReturnsTheFirstErrorUnchanged) {
  int out = -1;
  const Status first = halve_twice(7, out);
  ASSERT_FALSE(first.has_value());
  EXPECT_EQ(first.error().message(), "odd value 7");
  EXPECT_EQ(out, -1);
  const Status second = halve_twice(6, out);  // 6 → 3, and 3 is odd
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().message(), "odd value 3");
  EXPECT_EQ(out, -1);
}

TEST(BallastTry, PropagatesAStatusIntoAResult) {
  EXPECT_EQ(*positive_half(8), 4);
  const Result<int> r = positive_half(-2);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::OutOfRange);
}

// ------------------------------------------------------------------------------------ REQUIRE / ENSURE

TEST(Require, PassesSilentlyAndDoesNotBuildTheMessage) {
  int built = 0;
  const auto message = [&] {
    ++built;
    return std::string("never");
  };
  EXPECT_NO_THROW(BALLAST_REQUIRE(1 + 1 == 2, message()));
  EXPECT_NO_THROW(BALLAST_ENSURE(true, message()));
  EXPECT_EQ(built, 0);
}

TEST(Require, MessageCarriesFileLineAndCondition) {
  int line = 0;
  try {
    line = __LINE__ + 1;
    BALLAST_REQUIRE(1 + 1 == 3, "arithmetic is broken");
    FAIL() << "expected InvariantError";
  } catch (const InvariantError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("result_test.cpp:" + std::to_string(line) + ":"), std::string::npos) << what;
    EXPECT_NE(what.find("precondition failed (1 + 1 == 3)"), std::string::npos) << what;
    EXPECT_NE(what.find("arithmetic is broken"), std::string::npos) << what;
  }
}

TEST(Require, EnsureReportsAPostcondition) {
  try {
    BALLAST_ENSURE(false, "result must be sorted");
    FAIL() << "expected InvariantError";
  } catch (const InvariantError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("postcondition failed (false)"), std::string::npos) << what;
    EXPECT_NE(what.find("result must be sorted"), std::string::npos) << what;
  }
}

TEST(Require, ReportsLibraryPathsFromSrcOn) {
  // A precondition inside the library: the absolute build path is cut down to "src/…".
  try {
    (void)Decimal::from_raw(1, 19);
    FAIL() << "expected InvariantError";
  } catch (const InvariantError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("src/ballast/core/decimal.cpp:", 0), 0u) << what;
  }
}

TEST(Require, InvariantErrorIsALogicError) {
  static_assert(std::is_base_of_v<std::logic_error, InvariantError>);
  EXPECT_THROW(BALLAST_REQUIRE(false, "x"), std::logic_error);
}

}  // namespace
}  // namespace ballast::core
