#include "cli/commands.h"

#include "base/input_file.h"
#include "base/output.h"
#include "cli/boot.h"
#include "cli/calibrate.h"
#include "cli/chart_file.h"
#include "cli/compare.h"
#include "cli/ground_truth.h"
#include "cli/kernel.h"
#include "cli/trace.h"
#include "report/check.h"
#include "report/ground_truth.h"
#include "report/regs.h"
#include "report/render.h"
#include "sim/batch.h"
#include "sim/catalogue.h"
#include "sim/scenario.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fmt/core.h>
#include <fstream>
#include <sstream>
#include <thread>
#include <toml++/toml.h>

namespace tracesim {

namespace {

struct ListOptions {
    std::string what = "paths";
    std::string format = "text";
};

struct RunOptions {
    std::string scenario;
    std::vector<std::string> arches;
    std::vector<std::string> paths;
    std::string kernel;
    std::string handler = "read-all";
    int calls = 1;
    uint64_t budget = 100'000;
    std::string format = "text";
    std::string output;
    bool phases = false;
    unsigned jobs = 0;
    std::vector<std::string> cores;
    std::vector<std::string> flags_given; // the selection flags the user gave (a scenario has its own)
};

unsigned job_count(unsigned requested) {
    return requested ? requested : std::max(1u, std::thread::hardware_concurrency());
}

// Shows "tracesim: 12/40 runs" on stderr once a batch has taken more than a second.
Progress progress_line() {
    auto start =
        std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
    return [start](size_t done, size_t total) {
        if (std::chrono::steady_clock::now() - *start < std::chrono::seconds(1)) return;
        std::fprintf(stderr, "\rtracesim: %zu/%zu runs%s", done, total, done == total ? "\n" : "");
    };
}

Expected<void> list_command(const ListOptions& options) {
    auto catalogue = load_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto format = parse_format(options.format);
    if (!format) return format.take_error();
    if (options.what == "paths") return emit_output(render_paths(*catalogue, *format), "");
    std::string out;
    if (options.what == "handlers") {
        for (const HandlerSpec& h : catalogue->handlers)
            out += fmt::format("{:<12} {}\n", h.name, h.summary);
    } else if (options.what == "cores") {
        auto profiles = core_profiles();
        if (!profiles) return profiles.take_error();
        for (const CoreProfile& c : **profiles)
            out +=
                fmt::format("{:<16} {:<7} {:<16} {}{}\n", c.name, c.arch, c.llvm_cpu, c.description,
                            c.name == default_core_name(c.arch) ? " (default)" : "");
    } else if (options.what == "scenarios") {
        std::error_code error;
        for (const auto& e :
             std::filesystem::directory_iterator(tracesim_home() / "scenarios", error))
            if (e.path().extension() == ".toml") out += e.path().string() + "\n";
    } else {
        return usage_error("unknown list '{}' (known: paths, handlers, cores, scenarios)",
                           options.what);
    }
    return emit_output(out, "");
}

// The requests of a run given by flags: every (arch, path); `all` (or none) means every path
// the arch has.
Expected<std::vector<RunRequest>> requests_from_flags(const Catalogue& catalogue,
                                                      const RunOptions& options, bool write_back) {
    std::vector<Arch> arches;
    for (const std::string& a : options.arches) {
        if (a == "all") {
            arches.assign(std::begin(all_arches), std::end(all_arches));
            continue;
        }
        auto arch = parse_arch(a);
        if (!arch) return usage_error("unknown arch '{}' (known: x86_64, arm64, all)", a);
        arches.push_back(*arch);
    }
    if (arches.empty()) arches.assign(std::begin(all_arches), std::end(all_arches));
    const bool every_path =
        options.paths.empty() || (options.paths.size() == 1 && options.paths[0] == "all");
    std::vector<std::string> paths = options.paths;
    if (every_path) {
        paths.clear();
        for (const std::string& name : catalogue.path_names())
            if (name != "none") paths.push_back(name);
    }
    // A core must exist (for one arch or the other: --core names one per arch).
    for (const std::string& core : options.cores) {
        auto profiles = core_profiles();
        if (!profiles) return profiles.take_error();
        bool known = false;
        for (Arch arch : all_arches)
            known = known || static_cast<bool>(find_core(**profiles, core, arch));
        if (!known) {
            std::vector<std::string> names;
            for (const CoreProfile& p : **profiles)
                names.push_back(p.name);
            return usage_error("unknown core '{}' (known: {})", core, fmt::join(names, ", "));
        }
    }
    std::vector<RunRequest> requests;
    for (Arch arch : arches)
        for (const std::string& path : paths) {
            if (every_path && !catalogue.has_path(path, arch)) continue;
            // Check the name now, so a typo is a usage error before anything runs.
            if (auto spec = catalogue.find_path(path, arch, options.kernel); !spec)
                return spec.take_error();
            RunRequest request{arch,          path,           options.kernel, options.handler,
                               options.calls, options.budget, write_back};
            for (const std::string& core : options.cores) {
                auto profiles = core_profiles();
                if (!profiles) return profiles.take_error();
                if (auto found = find_core(**profiles, core, arch)) request.core = core;
            }
            requests.push_back(request);
        }
    return requests;
}

Expected<void> run_command(const RunOptions& options) {
    auto catalogue = load_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto format = parse_format(options.format);
    if (!format) return format.take_error();
    RenderOptions render_options{default_report_spec(), options.phases};
    std::vector<RunRequest> requests;
    if (!options.scenario.empty()) {
        if (!options.arches.empty() || !options.paths.empty() || !options.flags_given.empty())
            return usage_error("a scenario file chooses arches, paths, kernels, handlers, cores "
                               "and calls; drop {}",
                               options.flags_given.empty()
                                   ? std::string("--arch/--path")
                                   : fmt::format("{}", fmt::join(options.flags_given, " ")));
        auto cores = known_cores();
        if (!cores) return cores.take_error();
        auto scenario = load_scenario(options.scenario, *catalogue, *cores);
        if (!scenario) return scenario.take_error();
        requests = scenario->requests;
        render_options.spec = scenario->report;
    } else {
        auto flagged = requests_from_flags(*catalogue, options, false);
        if (!flagged) return flagged.take_error();
        requests = *flagged;
    }
    auto results = run_batch(*catalogue, requests, job_count(options.jobs), progress_line());
    if (!results) return results.take_error();
    auto rendered = render_output(*results, *format, render_options);
    if (!rendered) return rendered.take_error();
    if (auto written = emit_output(*rendered, options.output); !written) return written;
    // The table says FAIL; the exit status says it too, so a script cannot miss it.
    for (const Record& r : results->records)
        if (!r.checks.ok())
            return make_error("{} {} {}: functional check failed: {}", r.arch, r.path, r.kernel,
                              fmt::join(r.checks.problems, "; "));
    return {};
}

Expected<void> regs_command(RunOptions options, bool all) {
    auto catalogue = load_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto format = parse_format(options.format);
    if (!format) return format.take_error();
    if (*format != Format::text && *format != Format::markdown && *format != Format::json)
        return usage_error("regs prints text, md or json");
    if (!all && options.paths.empty()) return usage_error("regs needs --path P (or --all)");
    if (all) options.paths.clear();
    auto requests = requests_from_flags(*catalogue, options, true);
    if (!requests) return requests.take_error();
    auto results = run_batch(*catalogue, *requests, job_count(options.jobs), progress_line());
    if (!results) return results.take_error();
    if (*format == Format::json) return emit_output(render(*results, *format), options.output);
    return emit_output(all ? render_regs_matrix(*results, *format) : render_regs(*results, *format),
                       options.output);
}

struct CheckOptions {
    std::vector<std::string> scenarios;
    bool all = false;
    std::string baseline_dir;
    bool update = false;
    bool strict = false;
    std::string format = "text";
    unsigned jobs = 0;
    bool ground_truth = false; // only the booted ground truth, its table and its gate
};

std::vector<std::filesystem::path> shipped_scenarios() {
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& e : std::filesystem::directory_iterator(tracesim_home() / "scenarios", error))
        if (e.path().extension() == ".toml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

// Runs each scenario and compares it with its baseline, or (--update) rewrites the baseline.
Expected<void> check_command(const CheckOptions& options, bool& regressed) {
    auto catalogue = load_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto format = parse_format(options.format);
    if (!format) return format.take_error();
    if (*format != Format::text && *format != Format::markdown)
        return usage_error("check prints text or md");
    std::vector<std::filesystem::path> files(options.scenarios.begin(), options.scenarios.end());
    if (options.all) files = shipped_scenarios();
    if (options.ground_truth && (!files.empty() || !options.baseline_dir.empty()))
        return usage_error("--ground-truth checks the booted ground truth alone: give it no "
                           "scenarios, --all or --baseline");
    if (files.empty() && !options.ground_truth)
        return usage_error("check needs scenario files, --all or --ground-truth");
    if (options.ground_truth && options.update)
        return usage_error("the ground truth is what a booted kernel ran: `make ground-truth` "
                           "boots to regenerate it, --update cannot");
    std::filesystem::path dir = options.baseline_dir.empty()
                                    ? tracesim_home() / "results" / "baseline"
                                    : std::filesystem::path(options.baseline_dir);
    std::error_code dir_error;
    if (std::filesystem::exists(dir, dir_error) && !std::filesystem::is_directory(dir, dir_error))
        return usage_error("--baseline {}: is not a directory (baselines are one JSON file per "
                           "scenario in it)",
                           dir.string());
    CheckReport report;
    // --update writes nothing until every scenario has run: all baselines or none.
    std::vector<std::pair<std::filesystem::path, std::string>> updates;
    for (const std::filesystem::path& file : files) {
        auto cores = known_cores();
        if (!cores) return cores.take_error();
        auto scenario = load_scenario(file, *catalogue, *cores);
        if (!scenario) return scenario.take_error();
        auto results = run_batch(*catalogue, scenario->requests, job_count(options.jobs));
        if (!results) return results.take_error();
        std::filesystem::path baseline_file = dir / (scenario->name + ".json");
        std::string old_text;
        std::error_code exists_error;
        if (std::filesystem::exists(baseline_file, exists_error)) {
            auto text = read_input_file(baseline_file);
            if (!text) return text.take_error();
            if (text->find_first_not_of(" \t\r\n") == std::string::npos)
                return usage_error("{}: the baseline is empty (tracesim check --update {} "
                                   "writes it)",
                                   baseline_file.string(), file.string());
            old_text = std::move(*text);
        } else if (!options.update) {
            return make_error(
                "no baseline {} for scenario {}: create it with tracesim check --update {}",
                baseline_file.string(), scenario->name, file.string());
        }
        if (!old_text.empty()) {
            auto before = parse_json(old_text, baseline_file.string());
            if (!before) return before.take_error();
            auto compared = compare_with_baseline(*scenario, *before, *results, report);
            if (!compared) {
                if (!options.update) return compared.take_error();
                std::fprintf(stderr, "tracesim: %s (replacing it)\n",
                             compared.error().message.c_str());
            }
        }
        if (options.update) {
            for (const Record& r : results->records)
                if (!r.checks.ok())
                    return make_error("{} {} {}: its functional check fails ({}); a baseline "
                                      "must hold working paths",
                                      r.arch, r.path, r.kernel, fmt::join(r.checks.problems, "; "));
            updates.emplace_back(baseline_file, render(*results, Format::json));
        }
    }
    if (options.update) {
        std::error_code made;
        std::filesystem::create_directories(dir, made);
        if (made) return make_error("cannot create {}: {}", dir.string(), made.message());
        for (const auto& [baseline_file, text] : updates)
            if (auto ok = write_file_atomically(baseline_file, text, true); !ok) return ok;
    }
    // The models against the booted kernels (sim/ground_truth.h): with --all, the gate on their
    // distance; with --ground-truth, also the table.
    std::string truth_table;
    if ((options.all && !options.update) || options.ground_truth) {
        const std::vector<std::filesystem::path> truth_files = ground_truth_files();
        if (options.ground_truth && truth_files.empty())
            return make_error("no ground truth: no results/boot-*.json or "
                              "results/bpf-bench-boot-*.json under {} (make ground-truth boots "
                              "to make them)",
                              tracesim_home().string());
        auto truth = run_ground_truth(*catalogue, truth_files, job_count(options.jobs));
        if (!truth) return truth.take_error();
        for (size_t i = 0; i < truth->now.size(); ++i)
            check_against_truth(truth->recorded[i], truth->now[i], report);
        if (options.ground_truth)
            truth_table = render_ground_truth(truth->now, *format == Format::markdown) + "\n";
    }
    std::string out = truth_table + (*format == Format::markdown ? render_check_markdown(report)
                                                                 : render_check_text(report));
    if (options.update) out = "updated baselines in " + dir.string() + "\n" + out;
    if (auto written = emit_output(out, ""); !written) return written;
    regressed = !options.update && report.regressed(options.strict);
    return {};
}

void add_selection(CLI::App* cmd, RunOptions& o) {
    cmd->add_option("--arch", o.arches, "x86_64 | arm64 | all (repeatable; default all)");
    cmd->add_option("--path", o.paths, "a catalogue path (repeatable; default all)");
    cmd->add_option("--kernel", o.kernel, "kernel era to model (default: newest per path)");
    cmd->add_option("-o,--output", o.output, "write to this file (atomically) instead of stdout");
    cmd->add_option("-j,--jobs", o.jobs, "runs in parallel (default: one per core)");
}

} // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{"tracesim: cycle-level simulator of Linux kernel function-tracing paths"};
    app.require_subcommand(1);

    ListOptions list;
    CLI::App* list_cmd = app.add_subcommand("list", "list paths, handlers, cores or scenarios");
    list_cmd->add_option("what", list.what, "paths | handlers | cores | scenarios")
        ->capture_default_str();
    list_cmd->add_option("--format", list.format, "text | json")->capture_default_str();

    RunOptions run;
    CLI::App* run_cmd =
        app.add_subcommand("run", "run paths (or a scenario) and print their overhead per call");
    run_cmd->add_option("scenario", run.scenario,
                        "a scenario file, e.g. scenarios/entry-probes.toml");
    add_selection(run_cmd, run);
    run_cmd->add_option("--handler", run.handler, "handler the path calls")->capture_default_str();
    run_cmd->add_option("--calls", run.calls, "traced calls to run; the last is reported")
        ->capture_default_str()
        ->check(CLI::Range(1, 1'000'000));
    run_cmd->add_option("--budget", run.budget, "instruction budget per call")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t{1}, uint64_t{1'000'000'000}));
    run_cmd->add_option("--format", run.format,
                        "text | md | csv | latex | svg | png | pdf | pgfplots | json")
        ->capture_default_str();
    run_cmd->add_flag("--phases", run.phases, "text: add the per-phase breakdown");
    run_cmd->add_option("--core", run.cores,
                        "timing core per arch (repeatable; default znver3, neoverse-n1)");

    RunOptions regs;
    bool regs_all = false;
    CLI::App* regs_cmd =
        app.add_subcommand("regs", "what the handler is given vs the true machine state");
    add_selection(regs_cmd, regs);
    regs_cmd->add_flag("--all", regs_all, "every path: the fields x paths matrix");
    regs_cmd->add_option("--format", regs.format, "text | md | json")->capture_default_str();

    CheckOptions check;
    CLI::App* check_cmd = app.add_subcommand(
        "check", "compare scenarios with their committed baselines (exit 3 on regression)");
    check_cmd->add_option("scenarios", check.scenarios, "scenario files");
    check_cmd->add_flag("--all", check.all, "every scenario under scenarios/");
    check_cmd->add_option("--baseline", check.baseline_dir,
                          "baseline directory (default results/baseline)");
    check_cmd->add_flag("--update", check.update,
                        "rewrite the baselines (atomically) and print what moved");
    check_cmd->add_flag("--strict", check.strict, "an improvement beyond tolerance also exits 3");
    check_cmd->add_option("--format", check.format, "text | md")->capture_default_str();
    check_cmd->add_option("-j,--jobs", check.jobs, "runs in parallel (default: one per core)");
    check_cmd->add_flag("--ground-truth", check.ground_truth,
                        "only the models against the booted kernels (results/boot-*.json): "
                        "the table, and whether a model drifted from its booted kernel");

    TraceOptions trace;
    CLI::App* trace_cmd = app.add_subcommand(
        "trace", "one traced call, instruction by instruction, with its timeline");
    add_trace_options(trace_cmd, trace);

    CompareOptions compare;
    CLI::App* compare_cmd =
        app.add_subcommand("compare", "two variants of a trampoline, phase by phase");
    add_compare_options(compare_cmd, compare);

    CalibrateOptions calibrate;
    CLI::App* calibrate_cmd = app.add_subcommand(
        "calibrate", "time the x86_64 paths natively; measured vs modeled cycles");
    add_calibrate_options(calibrate_cmd, calibrate);

    KernelOptions kernel;
    CLI::App* kernel_cmd = app.add_subcommand(
        "kernel", "run paths on a built kernel's own trampolines (vmlinux) next to the models");
    add_kernel_options(kernel_cmd, kernel);

    BootOptions boot;
    CLI::App* boot_cmd = app.add_subcommand(
        "boot", "boot a real kernel under QEMU, probe it from inside, measure the probed calls");
    add_boot_options(boot_cmd, boot);

    // An unknown command is named (CLI11 would only say that one is required).
    if (argc > 1 && argv[1][0] != '-') {
        std::vector<std::string> names;
        for (const CLI::App* sub : app.get_subcommands({}))
            names.push_back(sub->get_name());
        if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
            std::fprintf(stderr, "tracesim: unknown command '%s' (known: %s)\n", argv[1],
                         fmt::format("{}", fmt::join(names, ", ")).c_str());
            return static_cast<int>(ExitCode::usage_error);
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : static_cast<int>(ExitCode::usage_error);
    }

    for (const char* flag : {"--kernel", "--handler", "--core", "--calls", "--budget"})
        if (run_cmd->count(flag) > 0) run.flags_given.push_back(flag);

    bool regressed = false;
    Expected<void> result = list_cmd->parsed()        ? list_command(list)
                            : regs_cmd->parsed()      ? regs_command(regs, regs_all)
                            : compare_cmd->parsed()   ? compare_command(compare)
                            : check_cmd->parsed()     ? check_command(check, regressed)
                            : trace_cmd->parsed()     ? trace_command(trace)
                            : calibrate_cmd->parsed() ? calibrate_command(calibrate)
                            : kernel_cmd->parsed()    ? kernel_command(kernel)
                            : boot_cmd->parsed()      ? boot_command(boot)
                                                      : run_command(run);
    if (!result) {
        std::fprintf(stderr, "tracesim: %s\n", result.error().message.c_str());
        return static_cast<int>(result.error().exit_code);
    }
    return static_cast<int>(regressed ? ExitCode::regression : ExitCode::ok);
}

} // namespace tracesim
