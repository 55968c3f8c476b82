#include "sim/cli/commands.h"

#include "sim/catalogue.h"
#include "sim/output.h"
#include "sim/report/regs.h"
#include "sim/report/render.h"
#include "sim/runner.h"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdio>

namespace tracesim {

namespace {

struct ListOptions {
    std::string what = "paths";
    std::string format = "text";
};

struct RunOptions {
    std::vector<std::string> arches;
    std::vector<std::string> paths;
    std::string kernel;
    std::string handler = "read-all";
    int calls = 1;
    uint64_t budget = 100'000;
    std::string format = "text";
    std::string output;
    bool phases = false;
};

Expected<Catalogue> load_default_catalogue() {
    return load_catalogue(tracesim_home() / "kernels");
}

Expected<void> emit(const std::string& text, const std::string& output) {
    if (output.empty() || output == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return {};
    }
    return write_file_atomically(output, text);
}

Expected<void> list_command(const ListOptions& options) {
    auto catalogue = load_default_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto format = parse_format(options.format);
    if (!format) return format.take_error();
    if (options.what == "paths") return emit(render_paths(*catalogue, *format), "");
    if (options.what == "handlers") {
        std::string out;
        for (const HandlerSpec& h : catalogue->handlers) out += fmt::format("{:<12} {}\n", h.name, h.summary);
        return emit(out, "");
    }
    return usage_error("unknown list '{}' (known: paths, handlers)", options.what);
}

// Runs every requested (arch, path); `all` (or nothing) means every path the arch has.
Expected<Results> run_matrix(const Catalogue& catalogue, const RunOptions& options, bool write_back) {
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

    Results results;
    for (Arch arch : arches) {
        for (const std::string& path : paths) {
            if (every_path && !catalogue.has_path(path, arch)) continue;
            RunRequest request{arch, path, options.kernel, options.handler, options.calls, options.budget, write_back};
            auto record = run_path(catalogue, request);
            if (!record) return record.take_error();
            results.records.push_back(std::move(*record));
        }
    }
    return results;
}

Expected<void> run_command(const RunOptions& options) {
    auto catalogue = load_default_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto format = parse_format(options.format);
    if (!format) return format.take_error();
    auto results = run_matrix(*catalogue, options, false);
    if (!results) return results.take_error();
    return emit(render(*results, *format, RenderOptions{options.phases}), options.output);
}

Expected<void> regs_command(RunOptions options, bool all) {
    auto catalogue = load_default_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto format = parse_format(options.format);
    if (!format) return format.take_error();
    if (!all && options.paths.empty()) return usage_error("regs needs --path P (or --all)");
    if (all) options.paths.clear();
    auto results = run_matrix(*catalogue, options, true);
    if (!results) return results.take_error();
    if (*format == Format::json) return emit(render(*results, *format), options.output);
    return emit(all ? render_regs_matrix(*results, *format) : render_regs(*results, *format), options.output);
}

} // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{"tracesim: cycle-level simulator of Linux kernel function-tracing paths"};
    app.require_subcommand(1);

    ListOptions list;
    CLI::App* list_cmd = app.add_subcommand("list", "list the catalogue's paths or handlers");
    list_cmd->add_option("what", list.what, "paths | handlers")->capture_default_str();
    list_cmd->add_option("--format", list.format, "text | json")->capture_default_str();

    RunOptions run;
    CLI::App* run_cmd = app.add_subcommand("run", "run paths and print their overhead per call");
    run_cmd->add_option("--arch", run.arches, "x86_64 | arm64 | all (repeatable; default all)");
    run_cmd->add_option("--path", run.paths, "a catalogue path (repeatable; default all)");
    run_cmd->add_option("--kernel", run.kernel, "kernel era to model (default: newest per path)");
    run_cmd->add_option("--handler", run.handler, "handler the path calls")->capture_default_str();
    run_cmd->add_option("--calls", run.calls, "traced calls to run; the last is reported")
        ->capture_default_str()->check(CLI::Range(1, 1'000'000));
    run_cmd->add_option("--budget", run.budget, "instruction budget per call")->capture_default_str();
    run_cmd->add_option("--format", run.format, "text | json")->capture_default_str();
    run_cmd->add_option("-o,--output", run.output, "write to this file (atomically) instead of stdout");
    run_cmd->add_flag("--phases", run.phases, "text: add the per-phase breakdown");

    RunOptions regs;
    bool regs_all = false;
    CLI::App* regs_cmd = app.add_subcommand("regs", "what the handler is given vs the true machine state");
    regs_cmd->add_option("--arch", regs.arches, "x86_64 | arm64 | all (repeatable; default all)");
    regs_cmd->add_option("--path", regs.paths, "a catalogue path (repeatable)");
    regs_cmd->add_option("--kernel", regs.kernel, "kernel era to model (default: newest per path)");
    regs_cmd->add_flag("--all", regs_all, "every path: the fields x paths matrix");
    regs_cmd->add_option("--format", regs.format, "text | md | json")->capture_default_str();
    regs_cmd->add_option("-o,--output", regs.output, "write to this file (atomically) instead of stdout");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : static_cast<int>(ExitCode::usage_error);
    }

    Expected<void> result = list_cmd->parsed()   ? list_command(list)
                            : regs_cmd->parsed() ? regs_command(regs, regs_all)
                                                 : run_command(run);
    if (!result) {
        std::fprintf(stderr, "tracesim: %s\n", result.error().message.c_str());
        return static_cast<int>(result.error().exit_code);
    }
    return 0;
}

} // namespace tracesim
