#include "sim/catalogue.h"

#include "base/toml_file.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace tracesim {

namespace {

// `vmlinux = { runs = "fgraph", stands_for = ["fprobe_return"] }` or `{ absent = "why" }`.
Expected<PathSpec::VmlinuxRun> read_vmlinux_run(const TomlReader& r, const toml::node& node) {
    const toml::table* t = node.as_table();
    if (!t)
        return make_error("{}: 'vmlinux' must be a table ({{ runs = \"...\" }} or "
                          "{{ absent = \"why\" }})",
                          r.at(node));
    if (auto ok = r.check_keys(*t, {"runs", "stands_for", "absent", "simulates_nop"}, "vmlinux");
        !ok)
        return ok.take_error();
    PathSpec::VmlinuxRun run;
    auto runs = r.string(*t, "runs", "");
    auto absent = r.string(*t, "absent", "");
    auto stands_for = r.strings(*t, "stands_for");
    if (!runs) return runs.take_error();
    if (!absent) return absent.take_error();
    if (!stands_for) return stands_for.take_error();
    if (runs->empty() == absent->empty())
        return make_error("{}: 'vmlinux' needs one of 'runs' (the importer's mechanism) and "
                          "'absent' (why no image has the path's code)",
                          r.at(node));
    run.runs = std::move(*runs), run.absent = std::move(*absent);
    run.stands_for = std::move(*stands_for);
    if (t->contains("simulates_nop")) {
        auto b = r.boolean(*t, "simulates_nop");
        if (!b) return b.take_error();
        run.simulates_nop = *b;
    }
    return run;
}

Expected<void> read_path(const TomlReader& r, const toml::table& t, Catalogue& out) {
    if (auto ok = r.check_keys(t,
                               {"name", "arch", "kernel", "supported", "reason", "summary", "entry",
                                "exit", "regs_struct", "exit_regs_struct", "models", "sources",
                                "site", "site_at", "returns", "vmlinux"},
                               "[[path]]");
        !ok)
        return ok;
    auto arches = r.strings(t, "arch");
    if (!arches) return arches.take_error();
    if (arches->empty()) return make_error("{}: [[path]] needs 'arch'", r.at(t));
    PathSpec spec;
    spec.defined_at = r.at(t);
    struct Field {
        std::string PathSpec::*member;
        std::string_view key;
        std::optional<std::string> fallback;
    };
    for (const Field& f :
         {Field{&PathSpec::name, "name", std::nullopt},
          Field{&PathSpec::kernel, "kernel", std::nullopt}, Field{&PathSpec::reason, "reason", ""},
          Field{&PathSpec::summary, "summary", ""}, Field{&PathSpec::entry, "entry", ""},
          Field{&PathSpec::exit, "exit", ""}, Field{&PathSpec::regs_struct, "regs_struct", "none"},
          Field{&PathSpec::exit_regs_struct, "exit_regs_struct", ""},
          Field{&PathSpec::models, "models", ""}, Field{&PathSpec::site, "site", ""},
          Field{&PathSpec::site_at, "site_at", "phase.site.traced_func"}}) {
        auto value = f.fallback ? r.string(t, f.key, *f.fallback) : r.string(t, f.key);
        if (!value) return value.take_error();
        spec.*f.member = *value;
    }
    if (t.contains("supported")) {
        auto b = r.boolean(t, "supported");
        if (!b) return b.take_error();
        spec.supported = *b;
    }
    if (const toml::node* returns = t.get("returns")) {
        auto value = returns->value<int64_t>();
        if (!value)
            return make_error("{}: 'returns' must be an integer (the traced call's value)",
                              r.at(*returns));
        spec.returns = static_cast<uint64_t>(*value);
    }
    if (!spec.supported && spec.reason.empty())
        return make_error("{}: an unsupported path must say why ('reason')", r.at(t));
    if (const toml::node* vmlinux = t.get("vmlinux")) {
        auto run = read_vmlinux_run(r, *vmlinux);
        if (!run) return run.take_error();
        spec.vmlinux = std::move(*run);
    }
    auto sources = r.strings(t, "sources");
    if (!sources) return sources.take_error();
    spec.sources = *sources;
    for (const std::string& a : *arches) {
        auto arch = parse_arch(a);
        if (!arch) return make_error("{}: unknown arch '{}' (known: x86_64, arm64)", r.at(t), a);
        spec.arch = *arch;
        for (const PathSpec& other : out.paths)
            if (other.name == spec.name && other.arch == spec.arch && other.kernel == spec.kernel)
                return make_error("{}: path '{}' on {} for kernel {} is already defined at {}",
                                  r.at(t), spec.name, a, spec.kernel, other.defined_at);
        out.paths.push_back(spec);
    }
    return {};
}

Expected<void> read_handler(const TomlReader& r, const toml::table& t, Catalogue& out) {
    if (auto ok = r.check_keys(t, {"name", "entry", "exit", "records", "summary"}, "[[handler]]");
        !ok)
        return ok;
    HandlerSpec h;
    auto read = [&](std::string& member, std::string_view key,
                    std::optional<std::string> fallback) -> Expected<void> {
        auto value = fallback ? r.string(t, key, std::move(*fallback)) : r.string(t, key);
        if (!value) return value.take_error();
        member = *value;
        return {};
    };
    for (auto ok :
         {read(h.name, "name", std::nullopt), read(h.entry_symbol, "entry", "handler_empty"),
          read(h.exit_symbol, "exit", "handler_empty"), read(h.summary, "summary", "")})
        if (!ok) return ok;
    auto records = r.strings(t, "records");
    if (!records) return records.take_error();
    for (const std::string& record : *records) {
        if (record == "args")
            h.records_args = true;
        else if (record == "ret")
            h.records_ret = true;
        else
            return make_error("{}: 'records' lists \"args\" and/or \"ret\", not \"{}\"", r.at(t),
                              record);
    }
    out.handlers.push_back(h);
    return {};
}

Expected<void> read_file(const std::filesystem::path& file, bool top_level, Catalogue& out) {
    auto parsed = parse_toml_file(file);
    if (!parsed) return parsed.take_error();
    const toml::table& root = *parsed;
    const TomlReader r(file);
    std::vector<std::string_view> keys = {"path"};
    if (top_level) keys = {"arch", "path", "handler"};
    if (auto ok = r.check_keys(root, keys, "the catalogue"); !ok) return ok;
    if (const toml::table* arches = root["arch"].as_table()) {
        for (const auto& [key, value] : *arches) {
            auto arch = parse_arch(key.str());
            const toml::table* t = value.as_table();
            if (!arch || !t)
                return make_error("{}: [arch.{}] is not a known arch", r.at(value), key.str());
            if (auto ok = r.check_keys(*t, {"common"}, "[arch.*]"); !ok) return ok;
            auto common = r.strings(*t, "common");
            if (!common) return common.take_error();
            out.common_sources[*arch] = *common;
        }
    }
    if (const toml::array* paths = root["path"].as_array()) {
        for (const toml::node& node : *paths) {
            const toml::table* t = node.as_table();
            if (!t) return make_error("{}: [[path]] must be a table", r.at(node));
            if (auto ok = read_path(r, *t, out); !ok) return ok;
        }
    }
    if (const toml::array* handlers = root["handler"].as_array()) {
        for (const toml::node& node : *handlers) {
            const toml::table* t = node.as_table();
            if (!t) return make_error("{}: [[handler]] must be a table", r.at(node));
            if (auto ok = read_handler(r, *t, out); !ok) return ok;
        }
    }
    return {};
}

} // namespace

std::filesystem::path kernel_source(const std::filesystem::path& kernels_dir, Arch arch,
                                    const std::string& name) {
    const std::filesystem::path dir = kernels_dir / std::string(name_of(arch));
    if (name.find('/') != std::string::npos) return dir / name;
    for (const char* folder : {"harness", "paths", "bench"})
        if (std::filesystem::exists(dir / folder / name)) return dir / folder / name;
    return dir / "paths" / name;
}

std::vector<std::string> kernel_include_dirs(const std::filesystem::path& kernels_dir, Arch arch) {
    return {(kernels_dir / std::string(name_of(arch)) / "macros").string()};
}

Expected<Catalogue> load_catalogue(const std::filesystem::path& kernels_dir) {
    Catalogue out;
    out.kernels_dir = kernels_dir;
    if (auto ok = read_file(kernels_dir / "paths.toml", true, out); !ok) return ok.take_error();
    for (Arch arch : all_arches) {
        std::filesystem::path file = kernels_dir / std::string(name_of(arch)) / "paths.toml";
        if (!std::filesystem::exists(file)) continue;
        size_t before = out.paths.size();
        if (auto ok = read_file(file, false, out); !ok) return ok.take_error();
        for (size_t i = before; i < out.paths.size(); ++i)
            if (out.paths[i].arch != arch)
                return make_error("{}: path '{}' is for {}, not {}", out.paths[i].defined_at,
                                  out.paths[i].name, out.paths[i].arch, arch);
    }
    return out;
}

bool kernel_older(std::string_view a, std::string_view b) {
    auto parts = [](std::string_view v) {
        std::vector<int> out;
        int n = 0;
        bool any = false;
        for (char c : v) {
            if (c >= '0' && c <= '9') {
                n = n * 10 + (c - '0');
                any = true;
            } else if (c == '.') {
                out.push_back(n);
                n = 0;
            }
        }
        if (any) out.push_back(n);
        return out;
    };
    return parts(a) < parts(b);
}

std::string kernel_version(std::string_view release) {
    std::string version(release.substr(0, release.find_first_not_of("0123456789.")));
    if (auto dot = version.find('.', version.find('.') + 1); dot != std::string::npos)
        version.resize(dot);
    return version;
}

Expected<Catalogue> load_catalogue() {
    return load_catalogue(tracesim_home() / "kernels");
}

Expected<const PathSpec*> Catalogue::find_path(std::string_view name, Arch arch,
                                               std::string_view kernel) const {
    const PathSpec* best = nullptr;
    std::vector<std::string> eras;
    for (const PathSpec& p : paths) {
        if (p.name != name || p.arch != arch) continue;
        eras.push_back(p.kernel);
        if (!kernel.empty() ? p.kernel == kernel : (!best || kernel_older(best->kernel, p.kernel)))
            best = &p;
    }
    if (best) return best;
    if (!eras.empty())
        return usage_error("path '{}' on {} has no kernel '{}' model (available: {})", name, arch,
                           kernel, fmt::join(eras, ", "));
    for (const PathSpec& p : paths)
        if (p.name == name)
            return usage_error("path '{}' is not modeled on {} (it is on {})", name, arch, p.arch);
    return usage_error("unknown path '{}' (known: {})", name, fmt::join(path_names(), ", "));
}

bool Catalogue::has_path(std::string_view name, Arch arch) const {
    for (const PathSpec& p : paths)
        if (p.name == name && p.arch == arch) return true;
    return false;
}

Expected<const HandlerSpec*> Catalogue::find_handler(std::string_view name) const {
    std::vector<std::string> names;
    for (const HandlerSpec& h : handlers) {
        if (h.name == name) return &h;
        names.push_back(h.name);
    }
    return usage_error("unknown handler '{}' (known: {})", name, fmt::join(names, ", "));
}

std::vector<std::string> Catalogue::path_names() const {
    std::vector<std::string> names;
    for (const PathSpec& p : paths)
        if (std::find(names.begin(), names.end(), p.name) == names.end()) names.push_back(p.name);
    return names;
}

std::filesystem::path tracesim_home() {
    if (const char* env = std::getenv("TRACESIM_HOME"); env && *env) return env;
    return TRACESIM_HOME_DEFAULT;
}

} // namespace tracesim
