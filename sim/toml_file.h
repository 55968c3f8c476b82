// Reading a TOML file with toml++ as Debian builds it (with exceptions): a syntax error becomes
// one Error naming file:line:col. Shared by the catalogue, scenarios and core profiles.
#pragma once

#include "isa/expected.h"
#include "isa/input_file.h"

#include <filesystem>
#include <string>
#include <vector>
#include <toml++/toml.h>

namespace tracesim {

// `kind`: a bad catalogue or profile is a tool error, a bad scenario the user's (usage).
inline Expected<toml::table> parse_toml_file(const std::filesystem::path& file,
                                             ExitCode kind = ExitCode::tool_error) {
    auto text = read_input_file(file, max_text_input, kind);
    if (!text) return text.take_error();
    try {
        return toml::parse(*text, file.string());
    } catch (const toml::parse_error& e) {
        return Error{fmt::format("{}:{}:{}: {}", file.string(), e.source().begin.line,
                                 e.source().begin.column, e.description()),
                     kind};
    } catch (const std::exception& e) { // e.g. the file cannot be read
        return Error{fmt::format("{}: {}", file.string(), e.what()), kind};
    }
}

// "file:line" of a node, for messages.
inline std::string toml_where(const std::filesystem::path& file, const toml::node& node) {
    return fmt::format("{}:{}", file.string(), node.source().begin.line);
}

// An optional array of strings (absent: empty); anything else is an error naming file:line.
inline Expected<std::vector<std::string>>
toml_strings(const std::filesystem::path& file, const toml::table& table, std::string_view key) {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (!node) return out;
    const toml::array* array = node->as_array();
    if (!array)
        return make_error("{}: '{}' must be an array of strings", toml_where(file, *node), key);
    for (const toml::node& item : *array) {
        auto s = item.value<std::string>();
        if (!s) return make_error("{}: '{}' must hold strings", toml_where(file, item), key);
        out.push_back(*s);
    }
    return out;
}

} // namespace tracesim
