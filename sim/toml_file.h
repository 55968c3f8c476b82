// Reading a TOML file with toml++ as Debian builds it (with exceptions): a syntax error becomes
// one Error naming file:line:col. Shared by the catalogue, scenarios and core profiles.
#pragma once

#include "isa/expected.h"

#include <filesystem>
#include <toml++/toml.h>

namespace tracesim {

// `kind`: a bad catalogue or profile is a tool error, a bad scenario the user's (usage).
inline Expected<toml::table> parse_toml_file(const std::filesystem::path& file,
                                             ExitCode kind = ExitCode::tool_error) {
    try {
        return toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        return Error{fmt::format("{}:{}:{}: {}", file.string(), e.source().begin.line,
                                 e.source().begin.column, e.description()),
                     kind};
    } catch (const std::exception& e) { // e.g. the file cannot be read
        return Error{fmt::format("{}: {}", file.string(), e.what()), kind};
    }
}

} // namespace tracesim
