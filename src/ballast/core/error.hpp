#pragma once
// Error values for expected failures (bad input, venue rejects, risk denials). An Error carries a
// stable machine code, a human message that says what went wrong, and where (file:line, JSON field),
// so a user can find and fix the cause without reading the source.

#include <string>
#include <string_view>

namespace ballast::core {

enum class ErrorCode {
  InvalidArgument,  // a parameter or value the caller passed is not acceptable
  ParseError,       // text (CSV, JSON, TOML, timestamp, number) could not be parsed
  NotFound,         // a referenced entity does not exist
  AlreadyExists,    // an entity with the same identity exists
  OutOfRange,       // a value is outside its permitted range
  Overflow,         // fixed-point or integer arithmetic would overflow
  InvalidState,     // the operation is not allowed in the current state (e.g. order transition)
  IoError,          // file or socket failure
  Unsupported,      // a layout, option or feature that is understood but not supported
  Internal,         // a bug: an invariant did not hold
};

std::string_view to_string(ErrorCode code) noexcept;
// Parses the stable code ("INVALID_ARGUMENT"); returns false when the text names no code.
bool parse(std::string_view text, ErrorCode& out) noexcept;

class Error {
 public:
  Error(ErrorCode code, std::string message, std::string where = {})
      : code_(code), message_(std::move(message)), where_(std::move(where)) {}

  ErrorCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  // Location of the fault in the input: "file.csv:12", "order.price", … (may be empty).
  const std::string& where() const noexcept { return where_; }

  // "where: message" (or just the message when there is no location).
  std::string to_string() const;

  // Prefixes more context, e.g. the file name around a line-level error.
  Error with_context(std::string_view context) const;

 private:
  ErrorCode code_;
  std::string message_;
  std::string where_;
};

}  // namespace ballast::core
