// Result<T>: a value or an Error naming what failed (STYLE.md §5). Shaped like std::expected so a
// later move to C++23 is mechanical. Used for operations that fail; user-program problems are
// Diagnostics and evaluation refusals are Rejections, not Errors.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace merit {

// The kind of failure, chosen by what the caller should do next (after absl::StatusCode).
enum class ErrorCode : std::uint8_t {
  kInvalidArgument,     // the input is wrong; retrying the same input fails again
  kNotFound,            // a named thing (member, reward, program version) does not exist
  kConflict,            // an id was reused with a different body; insufficient points; no stock
  kFailedPrecondition,  // valid input, but the program or state forbids it
  kResourceExhausted,   // a limit was hit (body size, nesting depth)
  kUnavailable,         // transient; the same call may succeed later
  kDataLoss,            // stored data is corrupt; stop serving
  kInternal,            // a bug: an invariant did not hold
};

// The snake_case name of a code, as it appears in JSON ("invalid_argument").
const char* error_code_name(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Error invalid_argument(std::string m) {
    return {ErrorCode::kInvalidArgument, std::move(m)};
  }
  static Error not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Error conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
  static Error failed_precondition(std::string m) {
    return {ErrorCode::kFailedPrecondition, std::move(m)};
  }
  static Error resource_exhausted(std::string m) {
    return {ErrorCode::kResourceExhausted, std::move(m)};
  }
  static Error unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
  static Error internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  ErrorCode code() const { return code_; }
  // Names the thing (file:line:col, event id, member, rule) and what would be right.
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_;
  std::string message_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& operator*() & {
    assert(has_value());
    return *std::get_if<0>(&v_);
  }
  const T& operator*() const& {
    assert(has_value());
    return *std::get_if<0>(&v_);
  }
  T&& operator*() && {
    assert(has_value());
    return std::move(*std::get_if<0>(&v_));
  }
  T* operator->() {
    assert(has_value());
    return std::get_if<0>(&v_);
  }
  const T* operator->() const {
    assert(has_value());
    return std::get_if<0>(&v_);
  }
  T& value() & { return **this; }
  const T& value() const& { return **this; }
  T&& value() && { return std::move(**this); }

  const Error& error() const& {
    assert(!has_value());
    return *std::get_if<1>(&v_);
  }
  Error&& error() && {
    assert(!has_value());
    return std::move(*std::get_if<1>(&v_));
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

inline Result<void> ok() { return {}; }

}  // namespace merit

#define MERIT_CONCAT_INNER_(a, b) a##b
#define MERIT_CONCAT_(a, b) MERIT_CONCAT_INNER_(a, b)

#define MERIT_RETURN_IF_ERROR(expr)                    \
  do {                                                 \
    if (auto merit_status_ = (expr); !merit_status_) { \
      return std::move(merit_status_).error();         \
    }                                                  \
  } while (false)

#define MERIT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp) return std::move(tmp).error();           \
  lhs = std::move(*tmp)

#define MERIT_ASSIGN_OR_RETURN(lhs, expr) \
  MERIT_ASSIGN_OR_RETURN_IMPL_(MERIT_CONCAT_(merit_result_, __LINE__), lhs, expr)
