#include "sim/vmlinux/compare.h"

#include "sim/runner.h"

#include <algorithm>

namespace tracesim {

Expected<VmlinuxComparison> compare_with_vmlinux(const Catalogue& catalogue, const Vmlinux& kernel,
                                                 const VmlinuxCompareRequest& o) {
    const Arch arch = o.arch;
    // Default: every path the catalogue has for the arch, once (not `none`, the untraced
    // reference: no kernel code runs in it); the image's unsupported ones are
    // listed with the reason instead of being run.
    const bool every_path = o.paths.empty();
    std::vector<std::string> paths = o.paths;
    for (const PathSpec& p : catalogue.paths)
        if (every_path && p.arch == arch && p.name != "none" &&
            std::find(paths.begin(), paths.end(), p.name) == paths.end())
            paths.push_back(p.name);

    VmlinuxComparison out;
    out.image_name = kernel.file.filename().string();
    out.release = kernel.release;
    out.displacement = kernel.displacement;
    out.relocatable = kernel.relocatable;
    out.relocations_applied = kernel.relocations_applied;
    out.relocations_skipped = kernel.relocations_skipped;
    // The kernel's side of a path: a record labelled with the image.
    auto vmlinux_record = [&](Record r) {
        r.kernel = kernel.release.empty() ? "vmlinux" : kernel.release;
        r.models = fmt::format("vmlinux {}", o.image_argument);
        r.source = "vmlinux";
        return r;
    };
    for (const std::string& name : paths) {
        VmlinuxPathComparison c{arch, name};
        // The era: --kernel, else the one matching the image's release (vmlinux_era).
        std::string era = o.kernel.empty() ? vmlinux_era(kernel, catalogue, name) : o.kernel;
        auto spec = catalogue.find_path(name, arch, era);
        if (!spec && !every_path) return spec.take_error();
        if (!spec) { // every path: one without that era is listed, the others still run
            c.not_run = spec.error().message;
            out.paths.push_back(std::move(c));
            continue;
        }
        const std::string reason = vmlinux_unsupported_reason(kernel, catalogue, **spec);
        if (every_path && !reason.empty()) {
            c.unsupported = reason;
            c.real = vmlinux_record({arch, name});
            c.real.supported = false;
            c.real.reason = reason;
            out.paths.push_back(std::move(c));
            continue;
        }
        RunRequest request{arch, name, (*spec)->kernel, o.handler};
        request.core = o.core;
        request.layout = vmlinux_layout(kernel); // both runs: same addresses, same timing inputs
        auto model = run_path(catalogue, request);
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
                return attach_vmlinux(kernel, catalogue, **spec, image);
            };
            auto ran = run_path(catalogue, request);
            if (!ran && !every_path)
                return make_error("path '{}' on {}: {}", name, o.image_argument,
                                  ran.error().message);
            if (ran) {
                real = vmlinux_record(std::move(*ran));
            } else { // one path's failure does not hide the others' results
                real.supported = false;
                real.reason = "its run failed: " + ran.error().message;
            }
        }
        const VmlinuxNote note = vmlinux_note(kernel, **spec);
        if (note.other_regs_struct) real.regs_check.clear();
        c.note = note.text;
        c.compared = true;
        c.model = std::move(*model);
        c.real = std::move(real);
        out.paths.push_back(std::move(c));
    }
    return out;
}

Results VmlinuxComparison::results() const {
    Results out;
    for (const VmlinuxPathComparison& p : paths) {
        if (p.compared) out.records.push_back(p.model);
        if (p.compared || !p.unsupported.empty()) out.records.push_back(p.real);
    }
    return out;
}

} // namespace tracesim
