#include "ballast/core/error.hpp"

#include <array>
#include <utility>

namespace ballast::core {
namespace {
constexpr std::array<std::pair<ErrorCode, std::string_view>, 10> kErrorCodeNames{{
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
}};
}  // namespace

std::string_view to_string(ErrorCode code) noexcept {
  for (const auto& [c, name] : kErrorCodeNames) {
    if (c == code) return name;
  }
  return "INTERNAL";
}

bool parse(std::string_view text, ErrorCode& out) noexcept {
  for (const auto& [c, name] : kErrorCodeNames) {
    if (name == text) {
      out = c;
      return true;
    }
  }
  return false;
}

std::string Error::to_string() const {
  if (where_.empty()) return message_;
  return where_ + ": " + message_;
}

Error Error::with_context(std::string_view context) const {
  if (where_.empty()) return Error(code_, message_, std::string(context));
  return Error(code_, message_, std::string(context) + ":" + where_);
}

}  // namespace ballast::core
