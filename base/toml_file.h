// The one TOML reader: toml++ as Debian builds it (with exceptions) behind a parser whose syntax
// errors name file:line:col, and a TomlReader whose typed getters name file:line of the value at
// fault. The catalogue, scenarios, core profiles and the booted-kernel rules all read through it.
#pragma once

#include "base/expected.h"

#include <filesystem>
#include <string>
#include <toml++/toml.h>
#include <vector>

namespace tracesim {

// `kind`: a bad catalogue or profile is a tool error, a bad scenario the user's (usage).
Expected<toml::table> parse_toml_file(const std::filesystem::path& file,
                                      ExitCode kind = ExitCode::tool_error);

class TomlReader {
  public:
    explicit TomlReader(std::filesystem::path file, ExitCode kind = ExitCode::tool_error)
        : file_(std::move(file)), kind_(kind) {}

    const std::filesystem::path& file() const { return file_; }

    // "file:line" of a node, for messages.
    std::string at(const toml::node& node) const;

    // An error of this file's kind (tool or usage).
    template <class... Args> Error error(fmt::format_string<Args...> format, Args&&... args) const {
        return Error{fmt::format(format, std::forward<Args>(args)...), kind_};
    }

    // A key the schema does not know is an error naming its line and the known keys.
    Expected<void> check_keys(const toml::table& table, const std::vector<std::string_view>& known,
                              std::string_view what) const;
    // ... and so is a missing one, among `required`.
    Expected<void> require_keys(const toml::table& table,
                                const std::vector<std::string_view>& required,
                                std::string_view what,
                                const std::vector<std::string_view>& known) const;

    // A string that must be there.
    Expected<std::string> string(const toml::table& table, std::string_view key) const;
    // A string, or `fallback` when the key is absent.
    Expected<std::string> string(const toml::table& table, std::string_view key,
                                 std::string fallback) const;
    // A string or a list of strings (absent: empty).
    Expected<std::vector<std::string>> strings(const toml::table& table,
                                               std::string_view key) const;
    // true or false, which must be there.
    Expected<bool> boolean(const toml::table& table, std::string_view key) const;

  private:
    std::filesystem::path file_;
    ExitCode kind_;
};

} // namespace tracesim
