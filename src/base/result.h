// Result<T, E>: a value or an error, in the spirit of C++23 std::expected,
// which neither g++ 12 nor Emscripten 3.1.6's libc++ has. Bad input is
// reported through it; nothing in src/ throws.
//
//   Result<Message, stun::Error> parse(ByteView);
//   ...
//   if (!r) return Unexpected(stun::Error::Truncated);   // or r.error()
//
// Reading value() of an error (or error() of a value) is a programming
// error and aborts, as there are no exceptions to throw.
#pragma once

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

namespace wasmrtc::base {

// The error alternative, wrapped so Result<E, E> stays unambiguous.
template <typename E>
struct Unexpected {
  constexpr explicit Unexpected(E e) : error(std::move(e)) {}
  E error;
};
template <typename E>
Unexpected(E) -> Unexpected<E>;

namespace detail {
template <typename U>
struct is_unexpected : std::false_type {};
template <typename E>
struct is_unexpected<Unexpected<E>> : std::true_type {};

[[noreturn]] inline void bad_result_access() { std::abort(); }
}  // namespace detail

template <typename T, typename E>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = E;

  template <typename U = T>
    requires(std::is_constructible_v<T, U &&> &&
             !std::is_same_v<std::remove_cvref_t<U>, Result> &&
             !detail::is_unexpected<std::remove_cvref_t<U>>::value)
  Result(U&& value) : v_(std::in_place_index<0>, std::forward<U>(value)) {}

  template <typename G>
    requires std::is_constructible_v<E, const G&>
  Result(const Unexpected<G>& e) : v_(std::in_place_index<1>, e.error) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    if (!ok()) detail::bad_result_access();
    return std::get<0>(v_);
  }
  const T& value() const& {
    if (!ok()) detail::bad_result_access();
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) detail::bad_result_access();
    return std::get<0>(std::move(v_));
  }

  const E& error() const {
    if (ok()) detail::bad_result_access();
    return std::get<1>(v_);
  }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, E> v_;
};

// Success carries no value: `return {};` is success.
template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  using value_type = void;
  using error_type = E;

  Result() = default;

  template <typename G>
    requires std::is_constructible_v<E, const G&>
  Result(const Unexpected<G>& e) : error_(e.error), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }

  void value() const {
    if (!ok_) detail::bad_result_access();
  }

  const E& error() const {
    if (ok_) detail::bad_result_access();
    return error_;
  }

 private:
  E error_{};
  bool ok_ = true;
};

}  // namespace wasmrtc::base
