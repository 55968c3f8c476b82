#include "sim/boot/rules.h"

#include "base/toml_file.h"

#include <fnmatch.h>

namespace tracesim {

namespace {

Expected<std::vector<uint64_t>> integers(const TomlReader& r, const toml::table& t,
                                         std::string_view key) {
    std::vector<uint64_t> out;
    const toml::node* node = t.get(key);
    if (!node) return out;
    const toml::array* array = node->as_array();
    if (!array) return make_error("{}: '{}' must be an array of integers", r.at(*node), key);
    for (const toml::node& item : *array) {
        auto v = item.value<int64_t>();
        if (!v || *v < 0) return make_error("{}: '{}' must hold offsets", r.at(item), key);
        out.push_back(static_cast<uint64_t>(*v));
    }
    return out;
}

Expected<std::vector<uint8_t>> hex_bytes(const TomlReader& r, const toml::node& n,
                                         const std::string& text) {
    std::vector<uint8_t> out;
    if (text.size() % 2 || text.empty())
        return make_error("{}: '{}' is not an instruction's bytes in hex", r.at(n), text);
    for (size_t i = 0; i < text.size(); i += 2) {
        unsigned value = 0;
        if (sscanf(text.c_str() + i, "%2x", &value) != 1)
            return make_error("{}: '{}' is not hex", r.at(n), text);
        out.push_back(static_cast<uint8_t>(value));
    }
    return out;
}

} // namespace

bool symbol_matches(std::string_view pattern, std::string_view name) {
    size_t star = pattern.find('*');
    if (star == std::string_view::npos) return pattern == name;
    // A trailing '*' is a prefix (most patterns; find_calls asks per instruction): no fnmatch.
    if (star == pattern.size() - 1) return name.starts_with(pattern.substr(0, star));
    return fnmatch(std::string(pattern).c_str(), std::string(name).c_str(), 0) == 0;
}

const PhaseRule* BootRules::rule_for(std::string_view symbol, std::string_view path) const {
    for (const PhaseRule& rule : phases) {
        bool applies = rule.paths.empty();
        for (const std::string& pattern : rule.paths)
            applies = applies || symbol_matches(pattern, path);
        if (!applies) continue;
        for (const std::string& pattern : rule.symbols)
            if (symbol_matches(pattern, symbol)) return &rule;
    }
    return nullptr;
}

Expected<BootRules> load_boot_rules(const std::filesystem::path& dir, Arch arch) {
    BootRules rules;
    rules.arch = arch;
    rules.file = dir / fmt::format("{}.toml", arch);
    auto parsed = parse_toml_file(rules.file);
    if (!parsed) return parsed.take_error();
    const toml::table& root = *parsed;
    const std::filesystem::path& file = rules.file;
    const TomlReader r(file);
    for (auto&& [key, node] : root)
        if (key != "site" && key != "exceptions" && key != "phase")
            return make_error("{}: unknown key '{}' (known: site, exceptions, phase)", r.at(node),
                              key.str());
    if (const toml::table* site = root["site"].as_table()) {
        rules.site_bytes = static_cast<uint32_t>((*site)["bytes"].value_or(0));
        auto after = r.strings(*site, "after");
        if (!after) return after.take_error();
        for (const std::string& text : *after) {
            auto bytes = hex_bytes(r, *site, text);
            if (!bytes) return bytes.take_error();
            rules.site_after.push_back(*bytes);
        }
    }
    if (rules.site_bytes == 0) return make_error("{}: [site] needs bytes = N", file.string());
    if (const toml::table* e = root["exceptions"].as_table()) {
        for (auto&& [key, node] : *e)
            if (key != "async" && key != "async_tables" && key != "sync" && key != "vector_table" &&
                key != "async_offsets" && key != "sync_offsets")
                return make_error("{}: unknown key '{}' in [exceptions]", r.at(node), key.str());
        auto async = r.strings(*e, "async");
        auto tables = r.strings(*e, "async_tables");
        auto sync = r.strings(*e, "sync");
        auto async_offsets = integers(r, *e, "async_offsets");
        auto sync_offsets = integers(r, *e, "sync_offsets");
        for (auto* r : {&async, &tables, &sync})
            if (!*r) return r->take_error();
        for (auto* r : {&async_offsets, &sync_offsets})
            if (!*r) return r->take_error();
        rules.async_entries = *async;
        rules.async_tables = *tables;
        rules.sync_entries = *sync;
        rules.vector_table = (*e)["vector_table"].value_or(std::string());
        rules.async_offsets = *async_offsets;
        rules.sync_offsets = *sync_offsets;
    }
    if (const toml::array* phases = root["phase"].as_array()) {
        for (const toml::node& node : *phases) {
            const toml::table* t = node.as_table();
            if (!t) return make_error("{}: [[phase]] must be a table", r.at(node));
            std::string name = (*t)["phase"].value_or(std::string());
            PhaseRule rule;
            if (name == "save+restore") {
                rule.phase = Phase::save;
                rule.save_then_restore = true;
            } else if (name == "save+dispatch+restore") {
                rule.phase = Phase::save;
                rule.save_dispatch_restore = true;
            } else if (auto phase = parse_phase(name)) {
                rule.phase = *phase;
            } else {
                return make_error("{}: unknown phase '{}'", r.at(node), name);
            }
            for (auto&& [key, value] : *t)
                if (key != "phase" && key != "symbols" && key != "paths")
                    return make_error("{}: unknown key '{}' in [[phase]] (known: phase, symbols, "
                                      "paths)",
                                      r.at(value), key.str());
            auto symbols = r.strings(*t, "symbols");
            if (!symbols) return symbols.take_error();
            auto paths = r.strings(*t, "paths");
            if (!paths) return paths.take_error();
            rule.paths = *paths;
            if (symbols->empty())
                return make_error("{}: [[phase]] '{}' names no symbols", r.at(node), name);
            rule.symbols = *symbols;
            rules.phases.push_back(std::move(rule));
        }
    }
    return rules;
}

VectorEntry vector_entry_at(const BootRules& rules, const KernelSymbols& symbols, uint64_t pc) {
    auto hit = symbols.lookup(pc);
    if (!hit) return VectorEntry::none;
    const std::string& name = hit->symbol->name;
    if (!rules.vector_table.empty() && name == rules.vector_table) {
        for (uint64_t offset : rules.async_offsets)
            if (hit->offset == offset) return VectorEntry::async;
        for (uint64_t offset : rules.sync_offsets)
            if (hit->offset == offset) return VectorEntry::sync;
        return VectorEntry::none;
    }
    for (const std::string& pattern : rules.async_tables)
        if (symbol_matches(pattern, name)) return VectorEntry::async;
    if (hit->offset != 0) return VectorEntry::none;
    for (const std::string& pattern : rules.async_entries)
        if (symbol_matches(pattern, name)) return VectorEntry::async;
    for (const std::string& pattern : rules.sync_entries)
        if (symbol_matches(pattern, name)) return VectorEntry::sync;
    return VectorEntry::none;
}

} // namespace tracesim
