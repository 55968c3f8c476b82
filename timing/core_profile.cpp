#include "timing/core_profile.h"

#include "base/toml_file.h"
#include "isa/isa.h"
#include "timing/override_table.h"

#include <algorithm>

namespace tracesim {

namespace {

using Keys = std::vector<std::string_view>;

// The TOML reader with what only a profile has: every key of a section required unless listed
// optional, and values that carry their provenance.
struct Reader : TomlReader {
    using TomlReader::TomlReader;

    // Unlike TomlReader::check_keys (unknown keys only), a profile's section must also have
    // every key that is not optional: a core with a cache size missing is an error, not a 0.
    Expected<void> check_known_and_required(const toml::table& table, const Keys& known,
                                            std::string_view what,
                                            const Keys& optional = {}) const {
        if (auto ok = TomlReader::check_keys(table, known, what); !ok) return ok;
        Keys required;
        for (std::string_view key : known)
            if (std::find(optional.begin(), optional.end(), key) == optional.end())
                required.push_back(key);
        return require_keys(table, required, what, known);
    }

    Expected<const toml::table*> table(const toml::table& parent, std::string_view key,
                                       const Keys& known) const {
        const toml::node* node = parent.get(key);
        const toml::table* t = node ? node->as_table() : nullptr;
        if (!t) return make_error("{}: '{}' must be a table", at(*node), key);
        if (auto ok = check_known_and_required(*t, known, fmt::format("[{}]", key)); !ok)
            return ok.take_error();
        return t;
    }

    // { value = N, source = "..." } or { value = N, estimate = "..." }; N a non-negative integer.
    // Bounded above too: a core has no 1 TiB cache, and the cache and return-stack models
    // allocate and divide by these.
    Expected<Sourced> sourced(const toml::table& parent, std::string_view key, int64_t minimum = 0,
                              int64_t maximum = 1'000'000) const {
        const toml::node* node = parent.get(key);
        if (!node) return make_error("{}: '{}' is missing", file().string(), key);
        const toml::table* t = node->as_table();
        if (!t)
            return make_error("{}: '{}' must be {{ value = N, source = \"...\" }} or "
                              "{{ value = N, estimate = \"...\" }}",
                              at(*node), key);
        for (const auto& [k, v] : *t)
            if (k.str() != "value" && k.str() != "source" && k.str() != "estimate")
                return make_error("{}: unknown key '{}' in '{}' (valid keys: value, source, "
                                  "estimate)",
                                  at(v), k.str(), key);
        const toml::node* value = t->get("value");
        if (!value || !value->is_integer())
            return make_error("{}: '{}.value' must be an integer", at(value ? *value : *node), key);
        Sourced out;
        out.value = value->value<int64_t>().value_or(0);
        if (out.value < minimum || out.value > maximum)
            return make_error("{}: '{}.value' must be from {} to {}", at(*value), key, minimum,
                              maximum);
        const toml::node* source = t->get("source");
        const toml::node* estimate = t->get("estimate");
        if ((source != nullptr) == (estimate != nullptr))
            return make_error("{}: '{}' needs exactly one of 'source' and 'estimate'", at(*node),
                              key);
        const toml::node* text = source ? source : estimate;
        auto s = text->value<std::string>();
        if (!s || s->empty())
            return make_error("{}: '{}.{}' must be a non-empty string", at(*text), key,
                              source ? "source" : "estimate");
        out.provenance = *s;
        out.estimate = estimate != nullptr;
        return out;
    }
};

#define TRY_ASSIGN(target, expr)                                                                   \
    do {                                                                                           \
        auto tried_ = (expr);                                                                      \
        if (!tried_) return tried_.take_error();                                                   \
        target = std::move(*tried_);                                                               \
    } while (0)

Expected<void> check_geometry(const CoreProfile& p, const CacheLevel& level,
                              std::string_view name) {
    int64_t bytes = level.size_kib.value * 1024;
    int64_t way_bytes = level.ways.value * level.line_bytes.value;
    int64_t line = level.line_bytes.value;
    if ((line & (line - 1)) != 0)
        return make_error("{}: [{}] line_bytes {} is not a power of two", p.file.string(), name,
                          line);
    if (bytes % way_bytes != 0)
        return make_error("{}: [{}] size {} KiB is not a whole number of sets of {} ways x {} B",
                          p.file.string(), name, level.size_kib.value, level.ways.value, line);
    return {};
}

} // namespace

Expected<CoreProfile> load_core_profile(const std::filesystem::path& file) {
    auto parsed = parse_toml_file(file);
    if (!parsed) return parsed.take_error();
    const toml::table& root = *parsed;
    const Reader r(file);
    CoreProfile p;
    p.file = file;
    if (auto ok = r.check_known_and_required(root,
                                             {"name", "arch", "description", "llvm_cpu", "in_order",
                                              "pipeline", "l1d", "l2", "memory", "branch",
                                              "exception", "override"},
                                             "the profile", {"override"});
        !ok)
        return ok.take_error();
    TRY_ASSIGN(p.name, r.string(root, "name"));
    if (p.name != file.stem().string())
        return make_error("{}: name '{}' differs from the file name '{}'", r.at(*root.get("name")),
                          p.name, file.filename().string());
    std::string arch;
    TRY_ASSIGN(arch, r.string(root, "arch"));
    auto parsed_arch = parse_arch(arch);
    if (!parsed_arch)
        return make_error("{}: unknown arch '{}' (valid: x86_64, arm64)", r.at(*root.get("arch")),
                          arch);
    p.arch = *parsed_arch;
    TRY_ASSIGN(p.description, r.string(root, "description"));
    TRY_ASSIGN(p.llvm_cpu, r.string(root, "llvm_cpu"));
    TRY_ASSIGN(p.in_order, r.boolean(root, "in_order"));

    const toml::table* t = nullptr;
    TRY_ASSIGN(t, r.table(root, "pipeline", {"call_latency", "load_latency_l1"}));
    TRY_ASSIGN(p.call_latency, r.sourced(*t, "call_latency"));
    TRY_ASSIGN(p.load_latency_l1, r.sourced(*t, "load_latency_l1", 1));
    TRY_ASSIGN(t, r.table(root, "l1d", {"size_kib", "ways", "line_bytes"}));
    TRY_ASSIGN(p.l1d.size_kib, r.sourced(*t, "size_kib", 1, 1 << 20));
    TRY_ASSIGN(p.l1d.ways, r.sourced(*t, "ways", 1, 256));
    TRY_ASSIGN(p.l1d.line_bytes, r.sourced(*t, "line_bytes", 8, 4096));
    p.l1d.latency = p.load_latency_l1;
    TRY_ASSIGN(t, r.table(root, "l2", {"size_kib", "ways", "latency"}));
    TRY_ASSIGN(p.l2.size_kib, r.sourced(*t, "size_kib", 1, 1 << 20));
    TRY_ASSIGN(p.l2.ways, r.sourced(*t, "ways", 1, 256));
    TRY_ASSIGN(p.l2.latency, r.sourced(*t, "latency", 1));
    p.l2.line_bytes = p.l1d.line_bytes;
    TRY_ASSIGN(t, r.table(root, "memory", {"latency"}));
    TRY_ASSIGN(p.memory_latency, r.sourced(*t, "latency", 1));
    TRY_ASSIGN(t, r.table(root, "branch", {"return_stack_entries", "mispredict_penalty"}));
    TRY_ASSIGN(p.return_stack_entries, r.sourced(*t, "return_stack_entries", 1, 4096));
    TRY_ASSIGN(p.mispredict_penalty, r.sourced(*t, "mispredict_penalty"));
    TRY_ASSIGN(t, r.table(root, "exception", {"entry", "return"}));
    TRY_ASSIGN(p.exception_entry, r.sourced(*t, "entry"));
    TRY_ASSIGN(p.exception_return, r.sourced(*t, "return"));

    const toml::array empty;
    const toml::node* override_node = root.get("override");
    const toml::array* overrides = override_node ? override_node->as_array() : &empty;
    if (!overrides)
        return make_error("{}: 'override' must be an array of tables ([[override]])",
                          r.at(*override_node));
    for (const toml::node& node : *overrides) {
        const toml::table* o = node.as_table();
        if (!o) return make_error("{}: [[override]] entries must be tables", r.at(node));
        if (auto ok =
                r.check_known_and_required(*o, {"match", "cycles", "serializing"}, "[[override]]");
            !ok)
            return ok.take_error();
        CoreOverride row;
        row.line = static_cast<int>(o->source().begin.line);
        TRY_ASSIGN(row.match, r.string(*o, "match"));
        TRY_ASSIGN(row.serializing, r.boolean(*o, "serializing"));
        // A serializing instruction occupies the machine alone: it must cost at least a cycle.
        TRY_ASSIGN(row.cycles, r.sourced(*o, "cycles", row.serializing ? 1 : 0));
        if (row.match.empty() || normalise_disassembly(row.match) != row.match)
            return make_error("{}: 'match' must be non-empty, lower-case, single-spaced text "
                              "(got '{}'; docs/cores.md §1)",
                              r.at(*o), row.match);
        for (const CoreOverride& other : p.overrides)
            if (other.match == row.match)
                return make_error("{}: override '{}' is already defined at line {}", r.at(*o),
                                  row.match, other.line);
        p.overrides.push_back(std::move(row));
    }
    if (auto ok = check_geometry(p, p.l1d, "l1d"); !ok) return ok.take_error();
    if (auto ok = check_geometry(p, p.l2, "l2"); !ok) return ok.take_error();

    auto out_of_order = llvm_model_is_out_of_order(p.arch, p.llvm_cpu);
    if (!out_of_order)
        return make_error("{}: llvm_cpu '{}': {}", r.at(*root.get("llvm_cpu")), p.llvm_cpu,
                          out_of_order.error().message);
    if (*out_of_order == p.in_order)
        return make_error("{}: in_order = {} but LLVM's model for '{}' is {}",
                          r.at(*root.get("in_order")), p.in_order, p.llvm_cpu,
                          *out_of_order ? "out-of-order" : "in-order");
    return p;
}

Expected<std::vector<CoreProfile>> load_core_profiles(const std::filesystem::path& dir) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    if (ec) return make_error("{}: {}", dir.string(), ec.message());
    if (files.empty()) return make_error("{}: no core profiles (*.toml)", dir.string());
    std::vector<CoreProfile> out;
    for (const auto& file : files) {
        auto profile = load_core_profile(file);
        if (!profile) return profile.take_error();
        out.push_back(std::move(*profile));
    }
    std::sort(out.begin(), out.end(), [](const CoreProfile& a, const CoreProfile& b) {
        if (a.arch != b.arch) return a.arch < b.arch;
        return a.name < b.name;
    });
    return out;
}

std::string_view default_core_name(Arch arch) {
    return isa_for(arch).pricing.default_core;
}

Expected<const CoreProfile*> find_core(const std::vector<CoreProfile>& profiles,
                                       std::string_view name, Arch arch) {
    std::vector<std::string_view> names;
    for (const CoreProfile& p : profiles) {
        if (p.arch != arch) continue;
        if (p.name == name) return &p;
        names.push_back(p.name);
    }
    return usage_error("no core '{}' for {} (cores: {})", name, arch, fmt::join(names, ", "));
}

} // namespace tracesim
