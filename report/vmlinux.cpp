#include "report/vmlinux.h"

#include "report/phase_diff.h"

#include <fmt/format.h>

namespace tracesim {

namespace {

std::string side_by_side(const VmlinuxComparison& c, const Record& model, const Record& real,
                         bool markdown) {
    std::string title = fmt::format("{} {}: modeled (kernel {}) vs vmlinux ({}, release {})",
                                    model.arch, model.path, model.kernel, c.image_name,
                                    c.release.empty() ? "unknown" : c.release);
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

std::string render_vmlinux_comparison(const VmlinuxComparison& c, bool markdown) {
    std::string text;
    if (c.displacement && c.relocatable)
        text = fmt::format(
            "{} runs at its link address - {:#x} (Unicorn's AArch64 PA range is 44 bits; "
            "{} RELA/RELR relocations applied for that offset, {} skipped)\n\n",
            c.image_name, c.displacement, c.relocations_applied, c.relocations_skipped);
    else if (c.displacement)
        text = fmt::format(
            "{} runs at its link address - {:#x} (Unicorn's AArch64 PA range is 44 bits); it has "
            "no RELA/RELR relocations (not relocatable): its absolute pointers keep link "
            "addresses, "
            "which are not mapped at run\n\n",
            c.image_name, c.displacement);
    for (const VmlinuxPathComparison& p : c.paths) {
        if (!p.not_run.empty()) {
            text += fmt::format("{} {}: not run: {}\n", p.arch, p.path, p.not_run);
        } else if (!p.unsupported.empty()) {
            text +=
                fmt::format("{} {}: not run on the vmlinux: {}\n", p.arch, p.path, p.unsupported);
        } else {
            text += side_by_side(c, p.model, p.real, markdown);
            text += (p.note.empty() ? "" : "note: " + p.note + "\n") + "\n";
        }
    }
    return text;
}

} // namespace tracesim
