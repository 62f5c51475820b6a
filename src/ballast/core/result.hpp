#pragma once
// Result<T>: either a value or an Error (g++ 12 has no std::expected). Expected failures travel as
// Results; broken invariants use BALLAST_REQUIRE instead (see require.hpp).
//
//   Result<Bar> r = parse_bar(line);
//   if (!r) return r.error();
//   use(*r);

#include <memory>
#include <type_traits>
#include <utility>
#include <variant>

#include "ballast/core/error.hpp"
#include "ballast/core/require.hpp"

namespace ballast::core {

template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<T, Error>, "Result<Error> is ambiguous");

 public:
  using value_type = T;

  Result(const T& value) : data_(std::in_place_index<0>, value) {}                 // NOLINT
  Result(T&& value) : data_(std::in_place_index<0>, std::move(value)) {}           // NOLINT
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}         // NOLINT
  template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result>)
  Result(U&& value) : data_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT

  bool has_value() const noexcept { return data_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    BALLAST_REQUIRE(has_value(), "Result::value() on an error: " + std::get<1>(data_).to_string());
    return std::get<0>(data_);
  }
  const T& value() const& {
    BALLAST_REQUIRE(has_value(), "Result::value() on an error: " + std::get<1>(data_).to_string());
    return std::get<0>(data_);
  }
  T&& value() && {
    BALLAST_REQUIRE(has_value(), "Result::value() on an error: " + std::get<1>(data_).to_string());
    return std::get<0>(std::move(data_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    BALLAST_REQUIRE(!has_value(), "Result::error() on a value");
    return std::get<1>(data_);
  }
  Error&& error() && {
    BALLAST_REQUIRE(!has_value(), "Result::error() on a value");
    return std::get<1>(std::move(data_));
  }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> data_;
};

// Result<void>: success, or an Error. The error lives on the heap: a success is one null pointer to make,
// return and destroy (a Status is returned on every market-data step; holding the Error inline built and
// destroyed two empty strings for each success). The pointer is owned by hand so that destroying a success is
// one inline test, not a call (GCC kept std::unique_ptr<Error>'s destructor out of line).
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(new Error(std::move(error))) {}  // NOLINT
  Result(const Result& other) : error_(other.error_ != nullptr ? new Error(*other.error_) : nullptr) {}
  Result(Result&& other) noexcept : error_(std::exchange(other.error_, nullptr)) {}
  Result& operator=(const Result& other) {
    if (this != &other) {
      Result copy(other);
      std::swap(error_, copy.error_);
    }
    return *this;
  }
  Result& operator=(Result&& other) noexcept {
    if (this != &other) {
      if (error_ != nullptr) drop();
      error_ = std::exchange(other.error_, nullptr);
    }
    return *this;
  }
  ~Result() {
    if (error_ != nullptr) [[unlikely]] drop();
  }

  bool has_value() const noexcept { return error_ == nullptr; }
  explicit operator bool() const noexcept { return error_ == nullptr; }
  const Error& error() const& {
    BALLAST_REQUIRE(error_ != nullptr, "Result<void>::error() on success");
    return *error_;
  }

 private:
  [[gnu::noinline]] void drop() noexcept { delete error_; }

  Error* error_ = nullptr;
};

using Status = Result<void>;

inline Status ok() { return {}; }

}  // namespace ballast::core

// Propagates an error from an expression returning a Result: BALLAST_TRY(status_expr);
#define BALLAST_TRY(expr)                                          \
  do {                                                             \
    auto&& ballast_try_result_ = (expr);                           \
    if (!ballast_try_result_) return ballast_try_result_.error();  \
  } while (false)
