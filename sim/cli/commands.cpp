#include "sim/cli/commands.h"

#include "sim/batch.h"
#include "sim/catalogue.h"
#include "sim/cli/compare.h"
#include "sim/output.h"
#include "sim/report/regs.h"
#include "sim/report/render.h"
#include "sim/scenario.h"

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <toml++/toml.h>

#include <chrono>
#include <cstdio>
#include <thread>

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
};

Expected<Catalogue> load_default_catalogue() { return load_catalogue(tracesim_home() / "kernels"); }

// The shipped core profiles' names and arches (isa/cores/*.toml).
std::vector<KnownCore> known_cores() {
    std::vector<KnownCore> cores;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(tracesim_home() / "isa" / "cores", error)) {
        if (entry.path().extension() != ".toml") continue;
        try {
            toml::table t = toml::parse_file(entry.path().string());
            auto arch = parse_arch(t["arch"].value_or(std::string()));
            if (arch) cores.push_back({entry.path().stem().string(), *arch});
        } catch (const toml::parse_error&) {
            // A broken profile is reported by the timing model when it loads it.
        }
    }
    std::sort(cores.begin(), cores.end(), [](auto& a, auto& b) { return a.name < b.name; });
    return cores;
}

Expected<void> emit(const std::string& text, const std::string& output) {
    if (output.empty() || output == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return {};
    }
    return write_file_atomically(output, text);
}

unsigned job_count(unsigned requested) {
    return requested ? requested : std::max(1u, std::thread::hardware_concurrency());
}

// Shows "tracesim: 12/40 runs" on stderr once a batch has taken more than a second.
Progress progress_line() {
    auto start = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
    return [start](size_t done, size_t total) {
        if (std::chrono::steady_clock::now() - *start < std::chrono::seconds(1)) return;
        std::fprintf(stderr, "\rtracesim: %zu/%zu runs%s", done, total, done == total ? "\n" : "");
    };
}

Expected<void> list_command(const ListOptions& options) {
    auto catalogue = load_default_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto format = parse_format(options.format);
    if (!format) return format.take_error();
    if (options.what == "paths") return emit(render_paths(*catalogue, *format), "");
    std::string out;
    if (options.what == "handlers") {
        for (const HandlerSpec& h : catalogue->handlers) out += fmt::format("{:<12} {}\n", h.name, h.summary);
    } else if (options.what == "cores") {
        for (const KnownCore& c : known_cores()) out += fmt::format("{:<16} {}\n", c.name, c.arch);
    } else if (options.what == "scenarios") {
        std::error_code error;
        for (const auto& e : std::filesystem::directory_iterator(tracesim_home() / "scenarios", error))
            if (e.path().extension() == ".toml") out += e.path().string() + "\n";
    } else {
        return usage_error("unknown list '{}' (known: paths, handlers, cores, scenarios)", options.what);
    }
    return emit(out, "");
}

// The requests of a run given by flags: every (arch, path); `all` (or none) means every path
// the arch has.
Expected<std::vector<RunRequest>> requests_from_flags(const Catalogue& catalogue, const RunOptions& options,
                                                      bool write_back) {
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
    const bool every_path = options.paths.empty() || (options.paths.size() == 1 && options.paths[0] == "all");
    std::vector<std::string> paths = options.paths;
    if (every_path) {
        paths.clear();
        for (const std::string& name : catalogue.path_names())
            if (name != "none") paths.push_back(name);
    }
    std::vector<RunRequest> requests;
    for (Arch arch : arches)
        for (const std::string& path : paths) {
            if (every_path && !catalogue.has_path(path, arch)) continue;
            // Check the name now, so a typo is a usage error before anything runs.
            if (auto spec = catalogue.find_path(path, arch, options.kernel); !spec) return spec.take_error();
            RunRequest request{arch, path, options.kernel, options.handler, options.calls, options.budget, write_back};
            requests.push_back(request);
        }
    return requests;
}

Expected<void> run_command(const RunOptions& options) {
    auto catalogue = load_default_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto format = parse_format(options.format);
    if (!format) return format.take_error();
    RenderOptions render_options{default_report_spec(), options.phases};
    std::vector<RunRequest> requests;
    if (!options.scenario.empty()) {
        if (!options.arches.empty() || !options.paths.empty())
            return usage_error("a scenario file chooses arches and paths; drop --arch/--path");
        auto scenario = load_scenario(options.scenario, *catalogue, known_cores());
        if (!scenario) return scenario.take_error();
        requests = scenario->requests;
        render_options.spec = ReportSpec{scenario->title, scenario->metrics, scenario->reference, scenario->chart_metric};
    } else {
        auto flagged = requests_from_flags(*catalogue, options, false);
        if (!flagged) return flagged.take_error();
        requests = *flagged;
    }
    auto results = run_batch(*catalogue, requests, job_count(options.jobs), progress_line());
    if (!results) return results.take_error();
    return emit(render(*results, *format, render_options), options.output);
}

Expected<void> regs_command(RunOptions options, bool all) {
    auto catalogue = load_default_catalogue();
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
    if (*format == Format::json) return emit(render(*results, *format), options.output);
    return emit(all ? render_regs_matrix(*results, *format) : render_regs(*results, *format), options.output);
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
    list_cmd->add_option("what", list.what, "paths | handlers | cores | scenarios")->capture_default_str();
    list_cmd->add_option("--format", list.format, "text | json")->capture_default_str();

    RunOptions run;
    CLI::App* run_cmd = app.add_subcommand("run", "run paths (or a scenario) and print their overhead per call");
    run_cmd->add_option("scenario", run.scenario, "a scenario file, e.g. scenarios/entry-probes.toml");
    add_selection(run_cmd, run);
    run_cmd->add_option("--handler", run.handler, "handler the path calls")->capture_default_str();
    run_cmd->add_option("--calls", run.calls, "traced calls to run; the last is reported")
        ->capture_default_str()->check(CLI::Range(1, 1'000'000));
    run_cmd->add_option("--budget", run.budget, "instruction budget per call")->capture_default_str();
    run_cmd->add_option("--format", run.format, "text | md | csv | latex | svg | json")->capture_default_str();
    run_cmd->add_flag("--phases", run.phases, "text: add the per-phase breakdown");

    RunOptions regs;
    bool regs_all = false;
    CLI::App* regs_cmd = app.add_subcommand("regs", "what the handler is given vs the true machine state");
    add_selection(regs_cmd, regs);
    regs_cmd->add_flag("--all", regs_all, "every path: the fields x paths matrix");
    regs_cmd->add_option("--format", regs.format, "text | md | json")->capture_default_str();

    CompareOptions compare;
    CLI::App* compare_cmd = app.add_subcommand("compare", "two variants of a trampoline, phase by phase");
    add_compare_options(compare_cmd, compare);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : static_cast<int>(ExitCode::usage_error);
    }

    Expected<void> result = list_cmd->parsed()      ? list_command(list)
                            : regs_cmd->parsed()    ? regs_command(regs, regs_all)
                            : compare_cmd->parsed() ? compare_command(compare)
                                                    : run_command(run);
    if (!result) {
        std::fprintf(stderr, "tracesim: %s\n", result.error().message.c_str());
        return static_cast<int>(result.error().exit_code);
    }
    return 0;
}

} // namespace tracesim
