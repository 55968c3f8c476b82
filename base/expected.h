// Errors as values: every layer returns Expected<T>; the CLI turns an Error into one message and
// an exit code (docs/cli.md). Modeled on llvm::Expected, without its must-check machinery.
#pragma once

#include <fmt/format.h>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tracesim {

// Exit codes shared by every command.
enum class ExitCode : int { ok = 0, tool_error = 1, usage_error = 2, regression = 3 };

struct Error {
    std::string message;
    ExitCode exit_code = ExitCode::tool_error;
};

template <class... Args> Error make_error(fmt::format_string<Args...> format, Args&&... args) {
    return Error{fmt::format(format, std::forward<Args>(args)...), ExitCode::tool_error};
}

template <class... Args> Error usage_error(fmt::format_string<Args...> format, Args&&... args) {
    return Error{fmt::format(format, std::forward<Args>(args)...), ExitCode::usage_error};
}

template <class T> class [[nodiscard]] Expected {
  public:
    Expected(T value) : state_(std::move(value)) {}
    Expected(Error error) : state_(std::move(error)) {}

    explicit operator bool() const { return state_.index() == 0; }
    T& operator*() { return std::get<0>(state_); }
    const T& operator*() const { return std::get<0>(state_); }
    T* operator->() { return &std::get<0>(state_); }
    const T* operator->() const { return &std::get<0>(state_); }
    const Error& error() const { return std::get<1>(state_); }
    Error take_error() { return std::move(std::get<1>(state_)); }

  private:
    std::variant<T, Error> state_;
};

template <> class [[nodiscard]] Expected<void> {
  public:
    Expected() = default;
    Expected(Error error) : error_(std::move(error)) {}

    explicit operator bool() const { return !error_; }
    const Error& error() const { return *error_; }
    Error take_error() { return std::move(*error_); }

  private:
    std::optional<Error> error_;
};

} // namespace tracesim
