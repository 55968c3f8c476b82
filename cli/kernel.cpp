// Example (a vmlinux linked from kernels/x86_64/*.S, as tests/800_vmlinux.cpp builds it):
//
//   tracesim kernel --vmlinux vmlinux --arch x86_64 --path ftrace
//
//   x86_64 ftrace: modeled (kernel 6.14) vs vmlinux (vmlinux, release unknown)
//
//   phase     instrs model  instrs vmlinux  diff  loads model  loads vmlinux  diff  stores model
//   ... save               16              16             ...
#include "cli/kernel.h"

#include "base/output.h"
#include "report/phase_diff.h"
#include "report/render.h"
#include "sim/runner.h"
#include "sim/vmlinux/vmlinux.h"

#include <CLI/CLI.hpp>
#include <algorithm>

namespace tracesim {

namespace {

std::string side_by_side(const Record& model, const Record& real, const Vmlinux& kernel,
                         bool markdown) {
    std::string title =
        fmt::format("{} {}: modeled (kernel {}) vs vmlinux ({}, release {})", model.arch,
                    model.path, model.kernel, kernel.file.filename().string(),
                    kernel.release.empty() ? "unknown" : kernel.release);
    if (!real.supported) {
        std::string text = title + "\n\nnot run on the vmlinux: " + real.reason + "\n";
        return markdown ? "## " + text : text;
    }
    TextTable table = phase_diff_table(model, real, "model", "vmlinux");
    std::string cycles;
    if (model.cycles_per_call && real.cycles_per_call)
        cycles = fmt::format("cycles per call ({}, warm / cold): model {} / {}, vmlinux {} / {}\n",
                             real.core, model.cycles_per_call->cycles_warm,
                             model.cycles_per_call->cycles_cold, real.cycles_per_call->cycles_warm,
                             real.cycles_per_call->cycles_cold);
    std::string checks =
        cycles + (real.checks.ok()
                      ? "functional checks: ok\n"
                      : "functional checks failed: " +
                            fmt::format("{}", fmt::join(real.checks.problems, "; ")) + "\n");
    return markdown ? "## " + title + "\n\n" + table.markdown() + "\n" + checks
                    : title + "\n\n" + table.str() + checks;
}

} // namespace

void add_kernel_options(CLI::App* cmd, KernelOptions& o) {
    cmd->add_option("--vmlinux", o.vmlinux,
                    "the kernel's ELF vmlinux (with symbols), or a raw arm64 Image "
                    "with --system-map")
        ->required();
    cmd->add_option("--system-map", o.system_map,
                    "its System.map (for an image without a symbol table)");
    cmd->add_option("--arch", o.arch, "x86_64 | arm64")->capture_default_str();
    cmd->add_option("--path", o.paths,
                    "paths to run (repeatable; default: every path, the image's unsupported "
                    "ones listed with the reason)");
    cmd->add_option("--kernel", o.kernel,
                    "modeled era to compare with (default: the image's release, else newest)");
    cmd->add_option("--handler", o.handler, "handler the path calls")->capture_default_str();
    cmd->add_option("--core", o.core, "timing core profile (default: the arch's)");
    cmd->add_option("--format", o.format, "text | md | json")->capture_default_str();
    cmd->add_option("-o,--output", o.output, "write to this file (atomically) instead of stdout");
}

Expected<void> kernel_command(const KernelOptions& o) {
    auto catalogue = load_catalogue(tracesim_home() / "kernels");
    if (!catalogue) return catalogue.take_error();
    auto arch = parse_arch(o.arch);
    if (!arch) return usage_error("unknown arch '{}' (known: x86_64, arm64)", o.arch);
    auto format = parse_format(o.format);
    if (!format) return format.take_error();
    if (*format != Format::text && *format != Format::markdown && *format != Format::json)
        return usage_error("kernel prints text, md or json");
    auto kernel = load_vmlinux(o.vmlinux, o.system_map);
    if (!kernel) return kernel.take_error();
    if (kernel->arch != *arch)
        return usage_error("{} is an {} kernel, not {}", o.vmlinux, kernel->arch, *arch);
    // Default: every path the catalogue has for the arch, once (not `none`, the untraced
    // reference: no kernel code runs in it); the image's unsupported ones are
    // listed with the reason instead of being run.
    const bool every_path = o.paths.empty();
    std::vector<std::string> paths = o.paths;
    for (const PathSpec& p : catalogue->paths)
        if (every_path && p.arch == *arch && p.name != "none" &&
            std::find(paths.begin(), paths.end(), p.name) == paths.end())
            paths.push_back(p.name);

    Results results;
    std::string text;
    if (kernel->displacement && kernel->relocatable)
        text = fmt::format(
            "{} runs at its link address - {:#x} (Unicorn's AArch64 PA range is 44 bits; "
            "{} RELA/RELR relocations applied for that offset, {} skipped)\n\n",
            kernel->file.filename().string(), kernel->displacement, kernel->relocations_applied,
            kernel->relocations_skipped);
    else if (kernel->displacement)
        text = fmt::format(
            "{} runs at its link address - {:#x} (Unicorn's AArch64 PA range is 44 bits); it has "
            "no RELA/RELR relocations (not relocatable): its absolute pointers keep link "
            "addresses, "
            "which are not mapped at run\n\n",
            kernel->file.filename().string(), kernel->displacement);
    // The kernel's side of a path: a record labelled with the image.
    auto vmlinux_record = [&](Record r) {
        r.kernel = kernel->release.empty() ? "vmlinux" : kernel->release;
        r.models = fmt::format("vmlinux {}", o.vmlinux);
        r.source = "vmlinux";
        return r;
    };
    for (const std::string& name : paths) {
        // The era: --kernel, else the one matching the image's release (vmlinux_era).
        std::string era = o.kernel.empty() ? vmlinux_era(*kernel, *catalogue, name) : o.kernel;
        auto spec = catalogue->find_path(name, *arch, era);
        if (!spec && !every_path) return spec.take_error();
        if (!spec) { // every path: one without that era is listed, the others still run
            text += fmt::format("{} {}: not run: {}\n", *arch, name, spec.error().message);
            continue;
        }
        const std::string reason = vmlinux_unsupported_reason(*kernel, **spec);
        if (every_path && !reason.empty()) {
            text += fmt::format("{} {}: not run on the vmlinux: {}\n", *arch, name, reason);
            Record skipped = vmlinux_record({*arch, name});
            skipped.supported = false;
            skipped.reason = reason;
            results.records.push_back(std::move(skipped));
            continue;
        }
        RunRequest request{*arch, name, (*spec)->kernel, o.handler};
        request.core = o.core;
        request.layout = vmlinux_layout(*kernel); // both runs: same addresses, same timing inputs
        auto model = run_path(*catalogue, request);
        if (!model) return model.take_error();
        Record real = vmlinux_record(*model);
        real.phases.clear();
        real.per_call = real.traced = {};
        real.regs_check.clear();
        if (!reason.empty()) {
            real.supported = false;
            real.reason = reason;
        } else {
            request.prepare_image = [&](Image& image) {
                return attach_vmlinux(*kernel, **spec, image);
            };
            auto ran = run_path(*catalogue, request);
            if (!ran && !every_path)
                return make_error("path '{}' on {}: {}", name, o.vmlinux, ran.error().message);
            if (ran) {
                real = vmlinux_record(std::move(*ran));
            } else { // one path's failure does not hide the others' results
                real.supported = false;
                real.reason = "its run failed: " + ran.error().message;
            }
        }
        const VmlinuxNote note = vmlinux_note(*kernel, **spec);
        if (note.other_regs_struct) real.regs_check.clear();
        text += side_by_side(*model, real, *kernel, *format == Format::markdown);
        text += (note.text.empty() ? "" : "note: " + note.text + "\n") + "\n";
        results.records.push_back(std::move(*model));
        results.records.push_back(std::move(real));
    }
    return emit_output(*format == Format::json ? render(results, Format::json) : text, o.output);
}

} // namespace tracesim
