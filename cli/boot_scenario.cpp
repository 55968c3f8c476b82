// `tracesim boot --scenario FILE`: a scenario's paths booted in one kernel, its table from the
// booted records and from the models of the nearest era, its ratios from both. Written for
// scenarios/bpf-bench.toml (the trig-* paths, boot/paths.toml group bpf-bench); any scenario
// whose paths have booted counterparts works.
#include "sim/boot/boot.h"
#include "sim/catalogue.h"
#include "cli/boot.h"
#include "cli/chart_file.h"
#include "report/boot.h"
#include "report/render.h"
#include "sim/runner.h"
#include "sim/scenario.h"

#include <algorithm>
#include <set>

namespace tracesim {

namespace {

// "trig-fexit@6.14" -> "trig-fexit": one booted kernel has one era of each path.
std::string without_era(const std::string& path) { return path.substr(0, path.find('@')); }

// The scenario's ratios for records of one era: eras dropped, and a ratio of a path to itself
// (an era against another) dropped with them.
std::vector<std::pair<std::string, std::string>> ratios_of_one_era(
    const std::vector<std::pair<std::string, std::string>>& ratios) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [num, den] : ratios) {
        std::pair<std::string, std::string> r{without_era(num), without_era(den)};
        if (r.first != r.second && std::find(out.begin(), out.end(), r) == out.end())
            out.push_back(r);
    }
    return out;
}

} // namespace

Expected<void> boot_scenario_command(const BootOptions& o, const BootImage& kernel,
                                     const Catalogue& catalogue) {
    auto format = parse_format(o.format);
    if (!format) return format.take_error();
    auto known = known_cores();
    if (!known) return known.take_error();
    auto scenario = load_scenario(o.scenario, catalogue, *known);
    if (!scenario) return scenario.take_error();
    const Arch arch = kernel.arch;
    if (std::find(scenario->arches.begin(), scenario->arches.end(), arch) == scenario->arches.end())
        return usage_error("{}: the scenario has no {} paths", o.scenario, arch);
    auto booted_paths = load_boot_paths(tracesim_home() / "boot" / "paths.toml");
    if (!booted_paths) return booted_paths.take_error();

    // The scenario's paths on this arch that have a booted counterpart of the same name.
    std::vector<std::string> names, notes;
    std::set<std::string> seen;
    for (const RunRequest& r : scenario->requests) {
        if (r.arch != arch || r.path == "none" || !seen.insert(r.path).second) continue;
        const BootPath* p = booted_paths->find(r.path);
        if (p && p->on(arch))
            names.push_back(r.path);
        else
            notes.push_back(fmt::format("{}: not booted (no booted path of that name in "
                                        "boot/paths.toml)",
                                        r.path));
    }
    if (names.empty())
        return usage_error("{}: none of its {} paths has a booted counterpart in boot/paths.toml",
                           o.scenario, arch);

    auto profiles = core_profiles();
    if (!profiles) return profiles.take_error();
    std::vector<const CoreProfile*> cores;
    for (const std::string& name : o.core.empty() ? scenario->cores : std::vector{o.core})
        if (auto found = find_core(**profiles, name, arch)) cores.push_back(*found);
    if (cores.empty()) {
        auto fallback = find_core(**profiles, default_core_name(arch), arch);
        if (!fallback) return fallback.take_error();
        cores.push_back(*fallback);
    }
    const std::string handler = scenario->handlers.empty() ? "" : scenario->handlers.front();

    BootRequest request{kernel, names, o.function, o.syscall, o.calls, o.time_limit, o.cmdline,
                        o.icount};
    request.keep_dir = o.keep;
    auto run = boot_and_capture(request);
    if (!run) return run.take_error();

    Results booted, modeled, all;
    BootScenarioReport report;
    report.title = fmt::format("{}: booted {} (release {}) next to the models", scenario->report.title,
                               kernel.label, run->release);
    report.phases.kernels.push_back({arch, kernel.label, run->release, run->qemu_version,
                                     run->cmdline, "", run->boot_seconds, run->symbols_cached});
    for (const CoreProfile* core : cores) {
        for (const BootedPath& path : run->paths) {
            const BootedPath* base = run->find(path.spec.baseline);
            auto b = booted_record(*run, path, base, *core);
            if (!b) return b.take_error();
            if (path.spec.name == path.spec.baseline) { // a bare call: context, not a row
                if (core == cores.front() && b->supported)
                    notes.push_back(fmt::format("{}: the bare call of {} from the bench's driver, "
                                                "{} instructions (per-call values are over it)",
                                                path.spec.name, path.function,
                                                b->traced.instructions));
                continue;
            }
            auto m = booted_model_record(catalogue, *run, path.spec, core->name, handler);
            if (!m) return m.take_error();
            booted.records.push_back(*b);
            modeled.records.push_back(*m);
            if (core == cores.front())
                report.phases.rows.push_back({*b, *m, kernel.label, "model"});
        }
    }
    report.notes = notes;
    ReportSpec spec = scenario->report;
    spec.reference = without_era(spec.reference);
    spec.ratios = ratios_of_one_era(spec.ratios);
    spec.description.clear(); // the booted tables are titled by what was booted
    spec.title = fmt::format("Booted {} (release {})", kernel.label, run->release);
    report.booted = build_report(booted, spec);
    spec.title = fmt::format("The models, each at the era nearest {}", run->release);
    report.model = build_report(modeled, spec);

    all.records = booted.records;
    all.records.insert(all.records.end(), modeled.records.begin(), modeled.records.end());
    if (*format == Format::text || *format == Format::markdown)
        return emit_boot_results(all, render_boot_scenario(report, *format), o);
    RenderOptions options;
    options.spec = spec;
    options.spec.title = report.title;
    auto rendered = render_output(all, *format, options);
    if (!rendered) return rendered.take_error();
    return emit_boot_results(all, *rendered, o);
}

} // namespace tracesim
