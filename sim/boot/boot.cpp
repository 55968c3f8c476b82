// The booted source's kernels and records: a Debian kernel fetched or the user's image checked,
// and a booted path's record (its steady call counted and timed). The boot itself:
// sim/boot/capture.cpp; the host's side (dirs, fetch script, work dir): host.cpp.
#include "sim/boot/boot.h"

#include "sim/boot/guest_arch.h"
#include "sim/boot/host.h"
#include "sim/catalogue.h"
#include "sim/counters.h"
#include "timing/timing_model.h"

#include <algorithm>
#include <map>

namespace tracesim {

namespace fs = std::filesystem;
using namespace boot_host;

const BootedPath* BootRun::find(std::string_view name) const {
    for (const BootedPath& p : paths)
        if (p.spec.name == name) return &p;
    return nullptr;
}

std::string nearest_era(const std::vector<std::string>& eras, const std::string& release) {
    const std::string version = kernel_version(release);
    std::string best, oldest;
    for (const std::string& era : eras) {
        if (oldest.empty() || kernel_older(era, oldest)) oldest = era;
        if (!kernel_older(version, era) && (best.empty() || kernel_older(best, era))) best = era;
    }
    return best.empty() ? oldest : best;
}

Expected<BootImage> fetch_debian_kernel(Arch arch, const std::string& version) {
    TempDir temp;
    auto work = make_work_dir({}, temp);
    if (!work) return work.take_error();
    auto values =
        fetch_script({"kernel", std::string(guest_arch(arch).debian_arch), version}, *work);
    if (!values) return values.take_error();
    BootImage image;
    image.arch = arch;
    image.image = (*values)["image"];
    image.config = (*values)["config"];
    std::string abi = image.image.parent_path().filename().string();
    image.label = "Debian " + (abi.empty() ? version : abi);
    if (image.image.empty() || !fs::exists(image.image))
        return make_error("fetch-boot-kernel gave no image for {} {}", arch, version);
    return image;
}

Expected<BootImage> user_kernel(const fs::path& file, std::optional<Arch> arch,
                                const fs::path& config) {
    if (!fs::is_regular_file(file)) return usage_error("{} is not a kernel image file", file.string());
    auto found = image_arch(file);
    if (!found) return found.take_error();
    if (arch && *arch != *found)
        return usage_error("{} is an {} kernel, not {}", file.string(), *found, *arch);
    if (!config.empty() && !fs::is_regular_file(config))
        return usage_error("{}: no such .config", config.string());
    return BootImage{*found, file, config, file.filename().string()};
}

Expected<Record> booted_record(const BootRun& run, const BootedPath& path,
                               const BootedPath* baseline, const CoreProfile& core) {
    const Arch arch = run.kernel.arch;
    Record r;
    r.arch = arch;
    r.path = path.spec.name;
    r.kernel = run.release;
    r.source = "boot";
    const bool is_baseline = path.spec.name == path.spec.baseline;
    r.handler = is_baseline                      ? "none"
                : path.spec.group == "bpf-bench" ? "the bench's program"
                                                 : std::string(kernel_tracer_handler);
    r.regs_struct = "-";
    r.models = "booted " + run.kernel.label; // the label, not the cache path: results are committed
    BootInfo info;
    info.release = run.release;
    info.image = run.kernel.label;
    info.qemu_version = run.qemu_version;
    info.cmdline = run.cmdline;
    info.clock = run.icount ? "icount" : "real";
    info.function = path.function.empty() ? run.function : path.function;
    info.calls_found = path.calls_found;
    info.calls_kept = path.calls.empty() ? 0 : static_cast<int>(path.calls.size()) - 1;
    info.calls_interrupted = path.calls_interrupted;
    info.interrupts_cut = path.interrupts_cut;
    info.hits = path.hits;
    if (!path.ran) {
        r.supported = false;
        r.reason = path.reason;
        r.boot = info;
        return r;
    }
    auto count = [&](const BootedCallTrace& call) {
        Counters counters;
        counters.count_trace(call.trace, call.initial_sp, call.stack_low);
        return counters;
    };
    const BootedCallTrace& steady = path.calls[path.steady];
    Counters counters = count(steady);
    r.calls = info.calls_kept;
    r.traced = counters.total();
    r.traps = counters.traps();
    for (Phase p : all_phases)
        if (counters.phase_ran(p)) r.phases.push_back({p, counters.phase(p)});
    info.cold_instructions = count(path.calls.front()).total().instructions;
    std::map<std::string, size_t> by_symbol;
    for (const TraceInstruction& insn : steady.trace.instructions) {
        auto hit = path.symbols.lookup(insn.pc);
        std::string name = !hit ? "?"
                           : hit->symbol->module.empty()
                               ? hit->symbol->name
                               : hit->symbol->name + " [" + hit->symbol->module + "]";
        auto [it, fresh] = by_symbol.emplace(name, info.functions.size());
        if (fresh) info.functions.push_back({name, insn.phase, 0});
        ++info.functions[it->second].instructions;
    }
    // The run-time code this call ran (kallsyms names more: what earlier paths left armed).
    for (const BootInfo::Function& f : info.functions)
        if (f.symbol.ends_with("]")) info.run_time_regions.push_back(f.symbol);
    std::stable_sort(info.functions.begin(), info.functions.end(),
                     [](const BootInfo::Function& a, const BootInfo::Function& b) {
                         return a.instructions > b.instructions;
                     });
    info.unmapped = steady.unmapped;
    const BootedCallTrace* base =
        baseline && baseline->ran ? &baseline->calls[baseline->steady] : nullptr;
    if (base) {
        Counters base_counters = count(*base);
        r.per_call = r.traced - base_counters.total();
        for (Phase p : all_phases)
            if (base_counters.phase_ran(p))
                r.untraced_phases.push_back({p, base_counters.phase(p)});
    }
    auto model = TimingModel::create(core);
    if (!model) return model.take_error();
    auto timed = (*model)->time_call(steady.trace);
    if (!timed) return make_error("timing booted {}: {}", r.path, timed.error().message);
    r.core = core.name;
    r.cycles_traced = timed->total;
    r.phase_cycles = timed->phases;
    r.unpriced = timed->unpriced;
    if (base) {
        auto timed_base = (*model)->time_call(base->trace);
        if (!timed_base) return timed_base.take_error();
        r.cycles_per_call = timed->total - timed_base->total;
        r.untraced_phase_cycles = timed_base->phases;
    }
    // The functional check a booted probe has: it fired once per call.
    r.checks.return_value = r.checks.callee_saved = r.checks.stack_balanced = true;
    if (!is_baseline && path.hits && *path.hits < path.calls_requested)
        r.checks.problems.push_back(fmt::format("the probe wrote {} events for {} calls",
                                                *path.hits, path.calls_requested));
    r.boot = info;
    return r;
}

} // namespace tracesim
