#pragma once
// Preconditions and postconditions for broken invariants (programming errors), in the spirit of
// QuantLib's QL_REQUIRE. They throw ballast::core::InvariantError carrying file:line and the message;
// expected failures (bad user input) return Result<T> instead.

#include <stdexcept>
#include <string>
#include <string_view>

namespace ballast::core {

class InvariantError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void throw_invariant_error(std::string_view kind, std::string_view condition,
                                        std::string_view message, const char* file, int line);

}  // namespace ballast::core

#define BALLAST_REQUIRE(cond, message)                                                              \
  do {                                                                                              \
    if (!(cond)) [[unlikely]]                                                                       \
      ::ballast::core::throw_invariant_error("precondition", #cond, (message), __FILE__, __LINE__); \
  } while (false)

#define BALLAST_ENSURE(cond, message)                                                                \
  do {                                                                                               \
    if (!(cond)) [[unlikely]]                                                                        \
      ::ballast::core::throw_invariant_error("postcondition", #cond, (message), __FILE__, __LINE__); \
  } while (false)
