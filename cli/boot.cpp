#include "cli/boot.h"

#include "base/json.h"
#include "base/output.h"
#include "cli/arguments.h"
#include "cli/chart_file.h"
#include "report/boot.h"
#include "report/check.h"
#include "report/render.h"
#include "report/timeline.h"
#include "report/trace_events.h"
#include "sim/boot/boot.h"
#include "sim/boot/process.h"
#include "sim/catalogue.h"
#include "sim/runner.h"
#include "timing/timing_model.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace tracesim {

namespace {

// The model a booted path stands next to on this kernel: {path, era}, or why there is none.
struct ModelChoice {
    std::string name, era;
    std::string not_modeled; // non-empty: no model
};

ModelChoice model_of(const Catalogue& catalogue, const BootRun& run, const BootPath& path) {
    const Arch arch = run.kernel.arch;
    auto found = path.model.find(arch);
    if (found == path.model.end()) return {"", "", "not modeled"};
    std::string name = found->second;
    const std::string version = kernel_version(run.release);
    for (const auto& [era, other] : path.model_before)
        if (kernel_older(version, era)) name = other;
    if (!catalogue.has_path(name, arch)) return {name, "", "not modeled"};
    std::vector<std::string> eras;
    for (const PathSpec& p : catalogue.paths)
        if (p.name == name && p.arch == arch) eras.push_back(p.kernel);
    return {name, nearest_era(eras, run.release), ""};
}

} // namespace

// The model record of a booted path: its catalogue path at the era nearest the release.
Expected<Record> booted_model_record(const Catalogue& catalogue, const BootRun& run,
                                     const BootPath& path, const std::string& core,
                                     const std::string& handler) {
    const Arch arch = run.kernel.arch;
    ModelChoice m = model_of(catalogue, run, path);
    if (!m.not_modeled.empty()) {
        Record none{arch, path.name};
        none.supported = false;
        none.reason = m.not_modeled;
        return none;
    }
    auto spec = catalogue.find_path(m.name, arch, m.era);
    if (!spec) return spec.take_error();
    if (!(*spec)->supported) {
        Record r{arch, m.name, m.era};
        r.supported = false;
        r.reason = (*spec)->reason;
        return r;
    }
    RunRequest request{arch, m.name, (*spec)->kernel};
    request.core = core;
    if (!handler.empty()) request.handler = handler;
    return run_path(catalogue, request);
}

Expected<void> emit_boot_results(const Results& results, const std::string& rendered,
                                 const BootOptions& o) {
    // The gate: this boot's records against a committed one's, exactly as `check` compares a
    // scenario with its baseline (records matched by arch, path, kernel, core, handler).
    std::optional<CheckReport> gate;
    if (!o.baseline.empty()) {
        if (!std::filesystem::is_regular_file(o.baseline))
            return usage_error("{}: no such baseline file", o.baseline);
        auto base = parse_json(read_text_file(o.baseline), o.baseline);
        if (!base) return base.take_error();
        Scenario scenario;
        scenario.name = std::filesystem::path(o.baseline).stem().string();
        scenario.file = o.baseline;
        gate.emplace();
        if (auto compared = compare_with_baseline(scenario, *base, results, *gate); !compared)
            return compared.take_error();
    }
    auto written = emit_output(rendered, o.output);
    if (!written || !gate) return written;
    std::string text = render_check_text(*gate);
    if (gate->regressed(false)) return Error{text, ExitCode::regression};
    std::fputs(text.c_str(), stderr);
    return {};
}

void add_boot_options(CLI::App* cmd, BootOptions& o) {
    cmd->add_option("--debian", o.debian,
                    "a Debian kernel: ABI name (6.1.0-57-cloud-amd64) or suite[:flavour] "
                    "(bookworm, trixie, trixie-backports, sid); twice for an A/B");
    cmd->add_option("--image", o.images,
                    "your own build's bzImage / arm64 Image; twice for an A/B (before and "
                    "after a patch)");
    cmd->add_option("--config", o.configs, "the image's .config (per --image)");
    cmd->add_option("--arch", o.arch, "x86_64 | arm64 (default: from --image, else x86_64)");
    cmd->add_option("--path", o.paths, "booted paths (repeatable; default: every one)");
    cmd->add_option("--scenario", o.scenario,
                    "a scenario file (scenarios/bpf-bench.toml): boot its paths and show its "
                    "table, booted and modeled, with its ratios from both");
    cmd->add_option("--calls", o.calls, "calls per path (the first is the cold one)")
        ->capture_default_str();
    cmd->add_option("--function", o.function, "the probed function (default: getpid's)");
    cmd->add_option("--syscall", o.syscall,
                    "the syscall that reaches it: getpid getppid gettid getuid getgid close_bad");
    cmd->add_option("--core", o.core, "timing core profile (default: the arch's)");
    cmd->add_option("--time-limit", o.time_limit, "seconds one boot may take")
        ->capture_default_str();
    cmd->add_option("--append", o.cmdline, "more kernel command line (e.g. mitigations=off)");
    cmd->add_flag("--icount", o.icount,
                  "QEMU's -icount: virtual time from the instruction count, so every value "
                  "repeats bit for bit (slower; the kernel's clock then runs on instructions)");
    cmd->add_option("--keep", o.keep, "keep the console, plan, initramfs and trace in this folder");
    cmd->add_option("--trace", o.trace,
                    "print this booted path's steady call instruction by instruction, with "
                    "where in the kernel and the timing model's timeline");
    cmd->add_option("--baseline", o.baseline,
                    "a boot's earlier --format json: compare this one with it, as check does "
                    "(counts exactly; exit 3 on a regression)");
    add_output_options(cmd, o.format, o.output,
                       "text | md | json | csv | latex | svg | png | pdf | pgfplots; with --trace: "
                       "text | perfetto");
}

Expected<void> boot_command(const BootOptions& o) {
    const bool perfetto = o.format == "perfetto"; // the --trace call as trace events
    if (perfetto && o.trace.empty())
        return usage_error("--format perfetto is the timeline of one call: add --trace PATH");
    auto format = perfetto ? Expected<Format>(Format::text) : parse_format(o.format);
    if (!format) return format.take_error();

    if (o.debian.size() + o.images.size() == 0)
        return usage_error("boot needs a kernel: --debian VERSION or --image FILE");
    if (o.debian.size() + o.images.size() > 2)
        return usage_error("boot compares at most two kernels (an A/B)");
    if (o.configs.size() > o.images.size()) return usage_error("--config is given per --image");
    std::optional<Arch> arch;
    if (!o.arch.empty()) {
        auto given = arch_argument(o.arch);
        if (!given) return given.take_error();
        arch = *given;
    }
    std::vector<BootImage> kernels;
    for (const std::string& version : o.debian) {
        auto k = fetch_debian_kernel(arch.value_or(Arch::x86_64), version);
        if (!k) return k.take_error();
        kernels.push_back(*k);
    }
    for (size_t i = 0; i < o.images.size(); ++i) {
        auto k = user_kernel(o.images[i], arch, i < o.configs.size() ? o.configs[i] : "");
        if (!k) return k.take_error();
        kernels.push_back(*k);
    }
    if (kernels.size() == 2 && kernels[0].arch != kernels[1].arch)
        return usage_error("an A/B needs two kernels of one arch ({} and {})", kernels[0].arch,
                           kernels[1].arch);
    auto catalogue = load_catalogue();
    if (!catalogue) return catalogue.take_error();
    if (!o.scenario.empty()) {
        if (kernels.size() != 1) return usage_error("boot --scenario boots one kernel");
        if (!o.paths.empty() || !o.trace.empty())
            return usage_error("a scenario chooses the paths; drop --path/--trace");
        return boot_scenario_command(o, kernels[0], *catalogue);
    }
    auto cores = core_profiles();
    if (!cores) return cores.take_error();
    const Arch kernel_arch = kernels[0].arch;
    auto core =
        find_core(**cores, o.core.empty() ? default_core_name(kernel_arch) : o.core, kernel_arch);
    if (!core) return core.take_error();

    std::vector<BootRun> runs;
    for (size_t i = 0; i < kernels.size(); ++i) {
        BootRequest request{kernels[i], o.paths,      o.function, o.syscall,
                            o.calls,    o.time_limit, o.cmdline,  o.icount};
        if (!o.keep.empty())
            request.keep_dir = kernels.size() == 1 ? o.keep : fmt::format("{}/{}", o.keep, i);
        auto run = boot_and_capture(request);
        if (!run) return run.take_error();
        runs.push_back(std::move(*run));
    }

    if (!o.trace.empty()) { // the view of `tracesim trace`, on the booted call
        const BootedPath* path = runs[0].find(o.trace);
        if (!path) return usage_error("--trace {}: not a booted path of this boot", o.trace);
        if (!path->ran)
            return make_error("--trace {}: not run on {}: {}", o.trace, runs[0].kernel.label,
                              path->reason);
        auto model = TimingModel::create(**core, TimingOptions{4, true, true});
        if (!model) return model.take_error();
        const DynamicTrace& trace = path->calls[path->steady].trace;
        auto timing = (*model)->time_call(trace);
        if (!timing) return timing.take_error();
        const std::string title = booted_call_title(
            name_of(kernel_arch), o.trace, runs[0].kernel.label, runs[0].release, (*core)->name);
        auto where = [&](uint64_t pc) { return describe(path->symbols, pc); };
        if (perfetto) {
            auto events = render_trace_events(title, trace, *timing, where);
            if (!events) return events.take_error();
            return emit_output(*events, o.output);
        }
        auto text = render_timeline(title, trace, *timing, where);
        if (!text) return text.take_error();
        // Next to it, the model's traced call (the same view as `tracesim trace`): the JIT's
        // real program and trampoline beside our JIT-shaped ones.
        ModelChoice m = model_of(*catalogue, runs[0], path->spec);
        std::string beside = fmt::format("\nthe model: {}\n", m.not_modeled);
        if (m.not_modeled.empty()) {
            RunRequest request{kernel_arch, m.name, m.era, "read-all", 2};
            request.core = (*core)->name;
            auto traced = trace_path(*catalogue, request);
            if (!traced) return traced.take_error();
            auto model_text = render_timeline(
                fmt::format("{} {} modeled (kernel {}) on {}: the traced call, instruction by "
                            "instruction",
                            kernel_arch, m.name, m.era, (*core)->name),
                traced->trace, traced->timing);
            if (!model_text) return model_text.take_error();
            beside = "\n" + *model_text;
        }
        return emit_output(*text + beside, o.output);
    }

    Results results;
    BootReport report;
    for (const BootRun& run : runs)
        report.kernels.push_back({run.kernel.arch, run.kernel.label, run.release, run.qemu_version,
                                  run.cmdline, run.function, run.boot_seconds, run.symbols_cached});
    const BootRun& a = runs[0];
    for (const BootedPath& path : a.paths) {
        auto booted = booted_record(a, path, a.find(path.spec.baseline), **core);
        if (!booted) return booted.take_error();
        BootRow row{*booted, std::nullopt, a.kernel.label, ""};
        if (runs.size() == 2) {
            const BootRun& b = runs[1];
            const BootedPath* other = b.find(path.spec.name);
            if (other) {
                auto rb = booted_record(b, *other, b.find(other->spec.baseline), **core);
                if (!rb) return rb.take_error();
                row.other = *rb;
                row.other_label = b.kernel.label;
            }
        } else {
            auto model = booted_model_record(*catalogue, a, path.spec, (*core)->name);
            if (!model) return model.take_error();
            row.other = *model;
            row.other_label = "model";
        }
        results.records.push_back(row.booted);
        if (row.other) results.records.push_back(*row.other);
        report.rows.push_back(std::move(row));
    }
    // text and md: the side-by-side view; the table formats and the chart: the records as
    // `run` renders them (booted rows labelled by their release, models by their era).
    if (*format == Format::text || *format == Format::markdown)
        return emit_boot_results(results, render_boot(report, *format), o);
    RenderOptions options;
    options.spec = default_report_spec();
    options.spec.title =
        fmt::format("Booted {} next to the models, per traced call", report.kernels[0].label);
    options.spec.metrics = {"instructions", "loads", "stores", "bytes_stored", "cycles_warm"};
    options.spec.chart_metric = "instructions";
    auto rendered = render_output(results, *format, options);
    if (!rendered) return rendered.take_error();
    return emit_boot_results(results, *rendered, o);
}

} // namespace tracesim
