// Example:
//
//   tracesim compare --arch x86_64 --path ftrace --asm-b my_ftrace_caller.S
//
//   x86_64 ftrace (kernel 6.14): A = kernels/x86_64/paths/ftrace_caller.S, B = my_ftrace_caller.S
//
//   phase     instrs A  instrs B  diff  stores A  stores B  diff  bytes st A  bytes st B  diff
//   save            16        17    +1        11        12    +1          88          96    +8
//   per call        39        40    +1        18        19    +1         144         152    +8
#include "cli/compare.h"

#include "base/output.h"
#include "cli/arguments.h"
#include "report/phase_diff.h"
#include "report/render.h"
#include "sim/batch.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace tracesim {

namespace {

std::string compare_table(const Record& a, const Record& b, const std::string& a_name,
                          const std::string& b_name, bool markdown) {
    TextTable table = phase_diff_table(a, b, "A", "B");
    std::string title = fmt::format("{} {}: A = {}, B = {}", a.arch, a.path, a_name, b_name);
    return markdown ? "## " + title + "\n\n" + table.markdown() : title + "\n\n" + table.str();
}

} // namespace

void add_compare_options(CLI::App* cmd, CompareOptions& o) {
    cmd->add_option("--arch", o.arch, "x86_64 | arm64")->capture_default_str();
    cmd->add_option("--path", o.path, "the catalogue path to run")->required();
    cmd->add_option("--kernel", o.kernel, "kernel era of both variants (default: newest)");
    cmd->add_option("--kernel-a", o.kernel_a, "kernel era of variant A");
    cmd->add_option("--kernel-b", o.kernel_b, "kernel era of variant B");
    cmd->add_option("--handler", o.handler, "handler the path calls")->capture_default_str();
    cmd->add_option("--replace", o.replace,
                    "which of the path's .S files the variants replace (default: its first)");
    cmd->add_option("--asm-a", o.asm_a, "variant A (default: the shipped file)");
    cmd->add_option("--asm-b", o.asm_b, "variant B (optional when --kernel-a/--kernel-b differ)");
    add_output_options(cmd, o.format, o.output, "text | md | json");
}

Expected<void> compare_command(const CompareOptions& o) {
    auto catalogue = load_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto arch = arch_argument(o.arch);
    if (!arch) return arch.take_error();
    auto format = parse_format(o.format);
    if (!format) return format.take_error();
    const std::string kernel_a = o.kernel_a.empty() ? o.kernel : o.kernel_a;
    const std::string kernel_b = o.kernel_b.empty() ? o.kernel : o.kernel_b;
    if (o.asm_b.empty() && kernel_a == kernel_b)
        return usage_error("compare needs --asm-b FILE.S, or two eras with --kernel-a/--kernel-b");
    auto spec = catalogue->find_path(o.path, *arch, kernel_a);
    if (!spec) return spec.take_error();
    if (auto spec_b = catalogue->find_path(o.path, *arch, kernel_b); !spec_b)
        return spec_b.take_error();
    std::string replace = o.replace;
    if (replace.empty() && (!o.asm_a.empty() || !o.asm_b.empty())) {
        if ((*spec)->sources.empty())
            return usage_error("path '{}' has no source file to replace", o.path);
        replace = (*spec)->sources.front();
    }
    for (const std::string& f : {o.asm_a, o.asm_b})
        if (!f.empty() && !std::filesystem::exists(f)) return usage_error("no such file: {}", f);
    RunRequest a{*arch, o.path, kernel_a, o.handler};
    RunRequest b{*arch, o.path, kernel_b, o.handler};
    if (!o.asm_a.empty()) a.replaced_sources[replace] = o.asm_a;
    if (!o.asm_b.empty()) b.replaced_sources[replace] = o.asm_b;
    auto results = run_batch(*catalogue, {a, b}, 2);
    if (!results) return results.take_error();
    std::string out;
    if (*format == Format::json) {
        out = render(*results, Format::json);
    } else {
        auto name = [&](const std::string& file, const Record& r) {
            std::string era = "kernel " + r.kernel;
            if (!file.empty()) return file + " (" + era + ")";
            if (replace.empty()) return era;
            std::filesystem::path shipped = kernel_source(catalogue->kernels_dir, *arch, replace);
            return "kernels/" + shipped.lexically_relative(catalogue->kernels_dir).string() +
                   " (" + era + ")";
        };
        const Record &ra = results->records[0], &rb = results->records[1];
        out = compare_table(ra, rb, name(o.asm_a, ra), name(o.asm_b, rb),
                            *format == Format::markdown);
    }
    return emit_output(out, o.output);
}

} // namespace tracesim
