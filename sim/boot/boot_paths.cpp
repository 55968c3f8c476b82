#include "sim/boot/boot_paths.h"

#include "base/toml_file.h"

#include <algorithm>

namespace tracesim {

namespace {

std::vector<std::string> split_alternatives(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        size_t bar = text.find("||", start);
        std::string part = text.substr(start, bar == std::string::npos ? bar : bar - start);
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        out.push_back(part);
        if (bar == std::string::npos) return out;
        start = bar + 2;
    }
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

} // namespace

bool BootPath::on(Arch arch) const {
    return arches.empty() || std::find(arches.begin(), arches.end(), arch) != arches.end();
}

const BootPath* BootPathCatalogue::find(std::string_view name) const {
    for (const BootPath& p : paths)
        if (p.name == name) return &p;
    return nullptr;
}

Expected<BootPathCatalogue> load_boot_paths(const std::filesystem::path& file) {
    auto parsed = parse_toml_file(file);
    if (!parsed) return parsed.take_error();
    BootPathCatalogue out;
    out.file = file;
    const TomlReader r(file);
    const toml::table& root = *parsed;
    if (const toml::table* arches = root["arch"].as_table()) {
        for (auto&& [key, node] : *arches) {
            auto arch = parse_arch(key.str());
            const toml::table* t = node.as_table();
            if (!arch || !t) return make_error("{}: unknown arch '{}'", r.at(node), key.str());
            BootArchDefaults d;
            d.function = (*t)["function"].value_or(std::string());
            d.alias = (*t)["alias"].value_or(std::string());
            d.syscall = (*t)["syscall"].value_or(std::string());
            d.body_probe = (*t)["body_probe"].value_or(std::string());
            if (d.function.empty() || d.syscall.empty())
                return make_error("{}: [arch.{}] needs function and syscall", r.at(node),
                                  key.str());
            out.defaults[*arch] = d;
        }
    }
    const toml::array* paths = root["path"].as_array();
    if (!paths) return make_error("{}: no [[path]]", file.string());
    for (const toml::node& node : *paths) {
        const toml::table* t = node.as_table();
        if (!t) return make_error("{}: [[path]] must be a table", r.at(node));
        for (auto&& [key, value] : *t)
            if (key != "name" && key != "about" && key != "model" && key != "arches" &&
                key != "probe_in_body" && key != "setup" && key != "teardown" &&
                key != "requires" && key != "model_before" && key != "function" &&
                key != "baseline" && key != "group")
                return make_error("{}: unknown key '{}' in [[path]]", r.at(value), key.str());
        BootPath p;
        p.name = (*t)["name"].value_or(std::string());
        p.about = (*t)["about"].value_or(std::string());
        p.probe_in_body = (*t)["probe_in_body"].value_or(false);
        p.function = (*t)["function"].value_or(std::string());
        p.baseline = (*t)["baseline"].value_or(std::string("none"));
        p.group = (*t)["group"].value_or(std::string());
        if (p.name.empty()) return make_error("{}: [[path]] needs a name", r.at(node));
        if (const toml::node* m = t->get("model")) {
            if (auto one = m->value<std::string>()) {
                for (Arch a : all_arches)
                    p.model[a] = *one;
            } else if (const toml::table* per = m->as_table()) {
                for (auto&& [key, value] : *per) {
                    auto arch = parse_arch(key.str());
                    auto name = value.value<std::string>();
                    if (!arch || !name)
                        return make_error("{}: model.{} must name a path", r.at(value), key.str());
                    p.model[*arch] = *name;
                }
            }
        }
        if (const toml::table* before = (*t)["model_before"].as_table()) {
            for (auto&& [era, value] : *before) {
                auto name = value.value<std::string>();
                if (!name)
                    return make_error("{}: model_before.{} must name a path", r.at(value),
                                      era.str());
                p.model_before.emplace_back(std::string(era.str()), *name);
            }
        }
        auto arches = r.strings(*t, "arches");
        auto setup = r.strings(*t, "setup");
        auto teardown = r.strings(*t, "teardown");
        auto needs = r.strings(*t, "requires");
        for (auto* r : {&arches, &setup, &teardown, &needs})
            if (!*r) return r->take_error();
        for (const std::string& a : *arches) {
            auto arch = parse_arch(a);
            if (!arch) return make_error("{}: unknown arch '{}'", r.at(node), a);
            p.arches.push_back(*arch);
        }
        p.setup = *setup;
        p.teardown = *teardown;
        p.needs_config = *needs;
        for (const auto* steps : {&p.setup, &p.teardown})
            for (const std::string& step : *steps)
                if (!step.starts_with("write ") && !step.starts_with("append ") &&
                    !step.starts_with("sleep ") && !step.starts_with("bpf "))
                    return make_error("{}: path '{}': step '{}' is not write, append, sleep or bpf",
                                      r.at(node), p.name, step);
        out.paths.push_back(std::move(p));
    }
    for (const BootPath& p : out.paths)
        if (p.name != p.baseline && !out.find(p.baseline))
            return make_error("{}: path '{}': baseline '{}' is not a booted path", file.string(),
                              p.name, p.baseline);
    return out;
}

Expected<std::string> write_plan(const BootPathCatalogue& catalogue, const PlanRequest& r) {
    auto d = catalogue.defaults.find(r.arch);
    if (d == catalogue.defaults.end())
        return make_error("{}: no [arch.{}]", catalogue.file.string(), r.arch);
    const std::string function = r.function.empty() ? d->second.function : r.function;
    const std::string syscall = r.syscall.empty() ? d->second.syscall : r.syscall;
    if (std::find(agent_syscalls.begin(), agent_syscalls.end(), syscall) == agent_syscalls.end())
        return usage_error("unknown syscall '{}' (the agent knows: {})", syscall,
                           fmt::join(agent_syscalls, ", "));
    // A user's function has no alias: its set_ftrace_filter alternative is itself.
    const std::string alias = r.function.empty() ? d->second.alias : function;
    std::map<std::string, std::vector<std::string>> vars = {
        {"$BODY_PROBE", split_alternatives(d->second.body_probe)},
        {"$FUNC", {function}},
        {"$ALIAS", {alias}},
    };
    auto expand = [&](const std::string& step) {
        // "write FILE TEXT": alternatives live in TEXT; each variable with several values
        // multiplies them.
        size_t verb_end = step.find(' ');
        size_t file_end = step.find(' ', verb_end + 1);
        std::string head = step.substr(0, file_end == std::string::npos ? step.size() : file_end);
        if (file_end == std::string::npos) return head;
        std::vector<std::string> alts = split_alternatives(step.substr(file_end + 1));
        for (const auto& [name, values] : vars) {
            std::vector<std::string> next;
            for (const std::string& alt : alts) {
                if (alt.find(name) == std::string::npos) {
                    next.push_back(alt);
                    continue;
                }
                for (const std::string& value : values) {
                    std::string expanded = alt;
                    replace_all(expanded, name, value);
                    next.push_back(expanded);
                }
            }
            alts = next;
        }
        std::vector<std::string> unique;
        for (const std::string& a : alts)
            if (std::find(unique.begin(), unique.end(), a) == unique.end()) unique.push_back(a);
        return head + " " + fmt::format("{}", fmt::join(unique, " || "));
    };
    std::string plan = fmt::format("# tracesim boot plan ({} {}, {} calls of {})\n", r.arch,
                                   function, r.calls, syscall);
    plan += fmt::format("calls {}\nsyscall {}\nsyms {}\n", r.calls, syscall, r.symbols ? 1 : 0);
    for (const BootPath* p : r.paths) {
        plan += "path " + p->name + "\n";
        for (const std::string& step : p->setup)
            plan += expand(step) + "\n";
        plan += "run\n";
        for (const std::string& step : p->teardown)
            plan += expand(step) + "\n";
    }
    return plan;
}

} // namespace tracesim
