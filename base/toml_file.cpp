#include "base/toml_file.h"

#include "base/input_file.h"

#include <algorithm>

namespace tracesim {

Expected<toml::table> parse_toml_file(const std::filesystem::path& file, ExitCode kind) {
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

std::string TomlReader::at(const toml::node& node) const {
    return fmt::format("{}:{}", file_.string(), node.source().begin.line);
}

Expected<void> TomlReader::check_keys(const toml::table& table,
                                      const std::vector<std::string_view>& known,
                                      std::string_view what) const {
    for (const auto& [key, value] : table) {
        if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
        return error("{}: unknown key '{}' in {} (known: {})", at(value), key.str(), what,
                     fmt::join(known, ", "));
    }
    return {};
}

Expected<void> TomlReader::require_keys(const toml::table& table,
                                        const std::vector<std::string_view>& required,
                                        std::string_view what,
                                        const std::vector<std::string_view>& known) const {
    for (std::string_view key : required)
        if (!table.contains(key))
            return error("{}: missing key '{}' in {} (known: {})", at(table), key, what,
                         fmt::join(known, ", "));
    return {};
}

Expected<std::string> TomlReader::string(const toml::table& table, std::string_view key) const {
    const toml::node* node = table.get(key);
    if (!node) return error("{}: missing key '{}'", at(table), key);
    if (auto s = node->value<std::string>()) return *s;
    return error("{}: '{}' must be a string", at(*node), key);
}

Expected<std::string> TomlReader::string(const toml::table& table, std::string_view key,
                                         std::string fallback) const {
    if (!table.contains(key)) return fallback;
    return string(table, key);
}

Expected<std::vector<std::string>> TomlReader::strings(const toml::table& table,
                                                       std::string_view key) const {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (!node) return out;
    if (auto s = node->value<std::string>()) return std::vector<std::string>{*s};
    const toml::array* array = node->as_array();
    if (!array) return error("{}: '{}' must be a string or a list of strings", at(*node), key);
    for (const toml::node& item : *array) {
        auto s = item.value<std::string>();
        if (!s) return error("{}: '{}' must list strings", at(item), key);
        out.push_back(*s);
    }
    return out;
}

Expected<bool> TomlReader::boolean(const toml::table& table, std::string_view key) const {
    const toml::node* node = table.get(key);
    if (!node) return error("{}: missing key '{}'", at(table), key);
    if (auto b = node->value<bool>(); b && node->is_boolean()) return *b;
    return error("{}: '{}' must be true or false", at(*node), key);
}

} // namespace tracesim
