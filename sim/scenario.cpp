#include "sim/scenario.h"

#include "base/toml_file.h"
#include "sim/metric_table.h"
#include "sim/runner.h"

#include <algorithm>
#include <cmath>

namespace tracesim {

namespace {

const std::vector<std::string_view> scenario_keys = {
    "title",   "description", "arches", "paths",     "cores",     "handlers", "calls",
    "metrics", "reference",   "chart",  "tolerance", "clock_ghz", "ratios"};

// `where` may be null (a default value): the message then names the file alone.
Expected<void> choose(const TomlReader& r, const toml::node* where, std::string_view what,
                      const std::string& value, const std::vector<std::string>& valid) {
    if (std::find(valid.begin(), valid.end(), value) != valid.end()) return {};
    return usage_error("{}: unknown {} '{}' (known: {})", where ? r.at(*where) : r.file().string(),
                       what, value, fmt::join(valid, ", "));
}

// Reads one scenario file step by step into `s`; each step's errors name file:line.
struct ScenarioReader {
    const TomlReader& r;
    const toml::table& root;
    const std::filesystem::path& file;
    const Catalogue& catalogue;
    const std::vector<KnownCore>& cores;
    Scenario& s;
    std::vector<std::string> arch_names;                     // as the file lists them
    std::vector<std::pair<std::string, std::string>> wanted; // paths: name, era

    // arches = [...]: default every arch.
    Expected<void> read_arches() {
        auto arches = r.strings(root, "arches");
        if (!arches) return arches.take_error();
        arch_names = *arches;
        if (arches->empty()) s.arches.assign(std::begin(all_arches), std::end(all_arches));
        for (const std::string& a : *arches) {
            auto arch = parse_arch(a);
            if (!arch)
                return usage_error("{}: unknown arch '{}' (known: x86_64, arm64)",
                                   r.at(*root.get("arches")), a);
            s.arches.push_back(*arch);
        }
        return {};
    }

    // paths = [...], each optionally pinned to an era: "fprobe-rethook@6.1".
    Expected<void> read_paths() {
        const toml::node* paths_node = root.get("paths");
        if (!paths_node) return usage_error("{}: a scenario needs 'paths'", file.string());
        auto paths = r.strings(root, "paths");
        if (!paths) return paths.take_error();
        for (const std::string& p : *paths) {
            size_t at = p.find('@');
            std::string name = p.substr(0, at),
                        era = at == std::string::npos ? "" : p.substr(at + 1);
            if (auto ok = choose(r, paths_node, "path", name, catalogue.path_names()); !ok)
                return ok.take_error();
            bool found = false;
            for (Arch arch : s.arches)
                if (catalogue.has_path(name, arch) &&
                    (era.empty() || catalogue.find_path(name, arch, era)))
                    found = true;
            if (!found)
                return usage_error("{}: path '{}' has no model on {}{}", r.at(*paths_node), p,
                                   fmt::join(arch_names, ", "),
                                   era.empty() ? "" : " for kernel " + era);
            wanted.emplace_back(name, era);
        }
        return {};
    }

    // cores, handlers, calls.
    Expected<void> read_runs() {
        // cores: each must exist; the scenario's arches must each have one (or take the default)
        auto core_names = r.strings(root, "cores");
        if (!core_names) return core_names.take_error();
        std::vector<std::string> valid_cores;
        for (const KnownCore& c : cores)
            valid_cores.push_back(c.name);
        for (const std::string& c : *core_names) {
            if (auto ok = choose(r, root.get("cores"), "core", c, valid_cores); !ok)
                return ok.take_error();
            s.cores.push_back(c);
        }

        auto handlers = r.strings(root, "handlers");
        if (!handlers) return handlers.take_error();
        s.handlers = handlers->empty() ? std::vector<std::string>{"read-all"} : *handlers;
        for (const std::string& h : s.handlers)
            if (!catalogue.find_handler(h)) {
                std::vector<std::string> names;
                for (const HandlerSpec& spec : catalogue.handlers)
                    names.push_back(spec.name);
                return usage_error("{}: unknown handler '{}' (known: {})",
                                   r.at(*root.get("handlers")), h, fmt::join(names, ", "));
            }

        if (const toml::node* calls = root.get("calls")) {
            auto n = calls->value<int64_t>();
            if (!n || *n < 1 || *n > 1'000'000)
                return usage_error("{}: 'calls' must be a whole number from 1 to 1000000",
                                   r.at(*calls));
            s.calls = static_cast<int>(*n);
        }
        return {};
    }

    // What the report shows: metrics, reference, clock_ghz, ratios, chart.
    Expected<void> read_report() {
        auto metrics = r.strings(root, "metrics");
        if (!metrics) return metrics.take_error();
        s.report.metrics = metrics->empty()
                               ? std::vector<std::string>{"instructions", "stores", "bytes_stored"}
                               : *metrics;
        for (const std::string& m : s.report.metrics)
            if (auto ok = choose(r, root.get("metrics"), "metric", m, scenario_metrics()); !ok)
                return ok.take_error();

        // "name" or "name@era": a listed path, and with an era, one the scenario runs at that era
        // (listed so, or listed without an era and modeled at it): else it would vanish.
        auto listed = [&](const std::string& path) {
            size_t at = path.find('@');
            std::string name = path.substr(0, at);
            std::string era = at == std::string::npos ? "" : path.substr(at + 1);
            return std::any_of(wanted.begin(), wanted.end(), [&](auto& w) {
                if (w.first != name) return false;
                if (era.empty() || w.second == era) return true;
                if (!w.second.empty()) return false;
                return std::any_of(
                    catalogue.paths.begin(), catalogue.paths.end(),
                    [&](const PathSpec& p) { return p.name == name && p.kernel == era; });
            });
        };
        if (!s.report.reference.empty() && !listed(s.report.reference))
            return usage_error("{}: reference '{}' is not one of the scenario's paths",
                               r.at(*root.get("reference")), s.report.reference);

        if (const toml::node* clock = root.get("clock_ghz")) {
            auto ghz = clock->value<double>();
            if (!ghz || !std::isfinite(*ghz) || *ghz <= 0 || *ghz > 10)
                return usage_error("{}: 'clock_ghz' must be a number above 0 and at most 10",
                                   r.at(*clock));
            s.report.clock_ghz = *ghz;
        }
        if (std::find(s.report.metrics.begin(), s.report.metrics.end(), "hits_per_s_warm") !=
                s.report.metrics.end() &&
            s.report.clock_ghz == 0)
            return usage_error(
                "{}: metric 'hits_per_s_warm' needs 'clock_ghz' (the clock it converts cycles at)",
                r.at(*root.get("metrics")));

        // ratios = ["trig-kprobe/trig-fentry", ...]: numerator / denominator of the chart metric
        auto ratios = r.strings(root, "ratios");
        if (!ratios) return ratios.take_error();
        for (const std::string& ratio : *ratios) {
            size_t slash = ratio.find('/');
            std::string num = ratio.substr(0, slash),
                        den = slash == std::string::npos ? "" : ratio.substr(slash + 1);
            if (num.empty() || den.empty())
                return usage_error("{}: ratio '{}' must be 'path/path'", r.at(*root.get("ratios")),
                                   ratio);
            for (const std::string& path : {num, den})
                if (!listed(path))
                    return usage_error("{}: ratio '{}': '{}' is not one of the scenario's paths",
                                       r.at(*root.get("ratios")), ratio, path);
            s.report.ratios.emplace_back(num, den);
        }

        s.report.chart_metric = s.report.metrics.front();
        if (const toml::node* chart = root.get("chart")) {
            const toml::table* t = chart->as_table();
            if (!t)
                return usage_error("{}: 'chart' must be a table {{ metric = \"...\" }}",
                                   r.at(*chart));
            for (const auto& [key, value] : *t)
                if (key.str() != "metric" && key.str() != "stack")
                    return usage_error("{}: unknown key '{}' in chart (known: metric, stack)",
                                       r.at(value), key.str());
            auto metric = r.string(*t, "metric", s.report.chart_metric);
            if (!metric) return metric.take_error();
            if (auto ok = choose(r, chart, "chart metric", *metric, scenario_metrics()); !ok)
                return ok.take_error();
            auto stack = r.string(*t, "stack", "none");
            if (!stack) return stack.take_error();
            if (auto ok = choose(r, chart, "chart stack", *stack, {"none", "phase"}); !ok)
                return ok.take_error();
            if (*stack == "phase" && !stacks_by_phase(*metric))
                return usage_error(
                    "{}: chart metric '{}' is not a sum over the call's phases, so it "
                    "cannot be stacked by phase (use stack = \"none\")",
                    r.at(*chart), *metric);
            s.report.chart_stack = *stack == "phase" ? ChartStack::phase : ChartStack::none;
            s.report.chart_metric = *metric;
        }
        return {};
    }

    // tolerance = { metric = { relative, absolute } }: how far check lets cycle metrics move.
    Expected<void> read_tolerances() {
        if (const toml::node* tolerance = root.get("tolerance")) {
            const toml::table* t = tolerance->as_table();
            if (!t)
                return usage_error(
                    "{}: 'tolerance' must be a table of metric = {{ relative, absolute }}",
                    r.at(*tolerance));
            for (const auto& [metric, value] : *t) {
                const toml::table* entry = value.as_table();
                if (!entry)
                    return usage_error(
                        "{}: tolerance.{} must be {{ relative = 0.05, absolute = 2 }}", r.at(value),
                        metric.str());
                Tolerance tol;
                for (const auto& [key, number] : *entry) {
                    auto v = number.value<double>();
                    if (!v || !std::isfinite(*v) || *v < 0)
                        return usage_error("{}: tolerance.{}.{} must be a finite number >= 0",
                                           r.at(number), metric.str(), key.str());
                    if (key.str() == "relative")
                        tol.relative = *v;
                    else if (key.str() == "absolute")
                        tol.absolute = *v;
                    else
                        return usage_error(
                            "{}: unknown key '{}' in tolerance.{} (known: relative, absolute)",
                            r.at(number), key.str(), metric.str());
                }
                s.tolerances[std::string(metric.str())] = tol;
            }
        }
        return {};
    }

    // The matrix, in output order: arch, path (as listed), handler, core.
    Expected<void> expand_matrix() {
        for (Arch arch : s.arches) {
            std::vector<std::string> arch_cores;
            for (const std::string& c : s.cores)
                for (const KnownCore& k : cores)
                    if (k.name == c && k.arch == arch) arch_cores.push_back(c);
            if (arch_cores.empty()) arch_cores.push_back("");
            for (const auto& [name, era] : wanted) {
                if (!catalogue.has_path(name, arch) ||
                    (!era.empty() && !catalogue.find_path(name, arch, era)))
                    continue;
                for (const std::string& handler : s.handlers)
                    for (const std::string& core : arch_cores) {
                        RunRequest request{arch, name, era, handler, s.calls};
                        request.core = core;
                        s.requests.push_back(request);
                    }
            }
        }
        return {};
    }
};

} // namespace

const std::vector<std::string>& scenario_metrics() {
    static const std::vector<std::string> metrics = [] {
        std::vector<std::string> out;
        for (const MetricInfo& m : metric_table())
            if (m.reportable) out.emplace_back(m.name);
        return out;
    }();
    return metrics;
}

Expected<Scenario> load_scenario(const std::filesystem::path& file, const Catalogue& catalogue,
                                 const std::vector<KnownCore>& cores) {
    auto parsed = parse_toml_file(file, ExitCode::usage_error);
    if (!parsed) return parsed.take_error();
    const toml::table& root = *parsed;
    const TomlReader r(file, ExitCode::usage_error);
    for (const auto& [key, value] : root)
        if (std::find(scenario_keys.begin(), scenario_keys.end(), key.str()) == scenario_keys.end())
            return usage_error("{}: unknown key '{}' (known: {})", r.at(value), key.str(),
                               fmt::join(scenario_keys, ", "));

    Scenario s;
    s.file = file;
    s.name = file.stem().string();
    for (auto [member, key] : {std::pair{&ReportSpec::title, "title"},
                               {&ReportSpec::description, "description"},
                               {&ReportSpec::reference, "reference"}}) {
        auto value = r.string(root, key, key == std::string("title") ? s.name : "");
        if (!value) return value.take_error();
        s.report.*member = *value;
    }

    ScenarioReader reader{r, root, file, catalogue, cores, s};
    for (auto step : {&ScenarioReader::read_arches, &ScenarioReader::read_paths,
                      &ScenarioReader::read_runs, &ScenarioReader::read_report,
                      &ScenarioReader::read_tolerances, &ScenarioReader::expand_matrix})
        if (auto ok = (reader.*step)(); !ok) return ok.take_error();
    return s;
}

Expected<std::vector<KnownCore>> known_cores() {
    auto profiles = core_profiles();
    if (!profiles) return profiles.take_error();
    std::vector<KnownCore> cores;
    for (const CoreProfile& p : **profiles)
        cores.push_back({p.name, p.arch});
    return cores;
}

} // namespace tracesim
