#include "sim/runner.h"

#include "base/input_file.h"
#include "isa/isa.h"
#include "sim/call_state.h"
#include "sim/counters.h"
#include "sim/harness.h"
#include "sim/machine.h"
#include "sim/regs_check.h"
#include "sim/trace_recorder.h"
#include "sim/trap.h"
#include "timing/timing_model.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

namespace tracesim {

namespace {

Expected<ObjectFile> assemble_file(Arch arch, const std::filesystem::path& file) {
    auto text = read_input_file(file);
    if (!text) return text.take_error();
    // A user's variant outside kernels/ can include our macros (bpf_trampoline.inc, ...).
    auto object = assemble(arch, *text, file.string(),
                           kernel_include_dirs(tracesim_home() / "kernels", arch));
    if (!object) return object;
    // Warnings are the user's to see, once per file (a file assembled again is quiet).
    if (!object->warnings.empty()) {
        static std::mutex printed_mutex;
        static std::set<std::string> printed;
        std::lock_guard lock(printed_mutex);
        if (printed.insert(file.string()).second)
            std::fprintf(stderr, "tracesim: %s\n", object->warnings.c_str());
    }
    return object;
}

struct CallOutcome {
    Metrics total;
    std::vector<PhaseMetrics> phases;
    int64_t traps = 0;
    uint64_t return_value = 0;
    uint64_t sp_after = 0;
    std::vector<std::pair<std::string_view, uint64_t>> callee_saved_after;
    uint64_t handler_seen[4] = {}; // args a, b, c as the entry handler saw them; return value
    std::vector<FieldCheck> regs_check;
    std::vector<DynamicTrace> traces; // every call's, when recorded
};

struct RegsOptions {
    const PathSpec* path = nullptr; // observe what this path's handlers are given
    bool poke = false;              // and whether their writes take effect
};

// Runs the driver `calls` times on a fresh machine; returns the last (steady-state) call.
Expected<CallOutcome> simulate(const Image& image, int calls, uint64_t budget,
                               RegsOptions regs = {}, bool record = false) {
    auto machine = Machine::create(image);
    if (!machine) return machine.take_error();
    Machine& m = **machine;
    Counters counters(image);
    m.add_listener(&counters);
    TrapDelivery traps;
    m.set_trap_handler(&traps);
    // Only the last call is reported; the timing model warms up on at most the calls before it
    // (TimingOptions::warmup_calls). Listeners that serve nothing else join late.
    constexpr int recorded_calls = TimingOptions{}.warmup_calls + 1;
    std::optional<TraceRecorder> recorder;
    if (record) recorder.emplace(image);
    std::optional<RegsObserver> observer;
    if (regs.path) observer.emplace(m, *regs.path, regs.poke);
    const Isa& isa = m.isa();
    auto harness = Harness::of(image, isa);
    if (!harness) return harness.take_error();
    const uint64_t seen = *harness->handler_seen();
    CallOutcome out;
    for (int call = 0; call < calls; ++call) {
        if (recorder && call == std::max(0, calls - recorded_calls)) m.add_listener(&*recorder);
        if (observer && call == calls - 1) m.add_listener(&*observer);
        if (auto ok = harness->call(m, budget); !ok) return ok.take_error();
    }
    out.total = counters.total();
    for (Phase p : all_phases)
        if (counters.phase_ran(p)) out.phases.push_back({p, counters.phase(p)});
    out.traps = counters.traps();
    out.return_value = m.read(*isa.reg(isa.ret_regs[0]));
    out.sp_after = m.read(isa.sp);
    for (std::string_view name : isa.callee_saved)
        out.callee_saved_after.emplace_back(name, m.read(*isa.reg(name)));
    if (observer) out.regs_check = observer->checks();
    if (recorder) out.traces = recorder->calls();
    std::span<uint8_t> seen_bytes(reinterpret_cast<uint8_t*>(out.handler_seen),
                                  sizeof out.handler_seen);
    if (auto ok = m.read_memory(seen, seen_bytes); !ok) return ok.take_error();
    return out;
}

Checks check_call(const Isa& isa, const PathSpec& path, const CallOutcome& traced,
                  const CallOutcome& untraced, const HandlerSpec& handler,
                  const MemoryLayout& layout) {
    Checks c;
    // A path that overrides the function's value (`returns` in the catalogue) must return that.
    const uint64_t expected = path.returns.value_or(untraced.return_value);
    c.return_value = traced.return_value == expected;
    if (!c.return_value)
        c.problems.push_back(path.returns
                                 ? fmt::format("returned {:#x}, the path's override {:#x}",
                                               traced.return_value, expected)
                                 : fmt::format("returned {:#x}, untraced {:#x}",
                                               traced.return_value, untraced.return_value));
    const CallState start = initial_call_state(isa, layout);
    c.callee_saved = true;
    for (const auto& [name, value] : traced.callee_saved_after) {
        for (const auto& [reg, initial] : start.registers) {
            if (reg->name != name || value == initial) continue;
            c.callee_saved = false;
            c.problems.push_back(
                fmt::format("callee-saved {} changed: {:#x} -> {:#x}", name, initial, value));
        }
    }
    c.stack_balanced = traced.sp_after == start.sp;
    if (!c.stack_balanced)
        c.problems.push_back(
            fmt::format("stack unbalanced: SP {:#x} -> {:#x}", start.sp, traced.sp_after));
    if (handler.records_ret && !path.exit_regs_struct.empty()) {
        c.handler_ret = traced.handler_seen[3] == untraced.return_value;
        if (!*c.handler_ret)
            c.problems.push_back(fmt::format("exit handler saw return value {:#x}; true {:#x}",
                                             traced.handler_seen[3], untraced.return_value));
    }
    if (handler.records_args && path.regs_struct != "none") {
        c.handler_args =
            std::equal(std::begin(traced_args), std::end(traced_args), traced.handler_seen);
        if (!*c.handler_args)
            c.problems.push_back(
                fmt::format("handler saw args {:#x}, {:#x}, {:#x}; true {:#x}, {:#x}, {:#x}",
                            traced.handler_seen[0], traced.handler_seen[1], traced.handler_seen[2],
                            traced_args[0], traced_args[1], traced_args[2]));
    }
    return c;
}

// One timing model per (core, thread): models are not thread-safe, and their memo makes the
// repeated calls of a batch cheap.
Expected<TimingModel*> timing_model(const CoreProfile& core, bool timeline) {
    thread_local std::map<std::pair<std::string, bool>, std::unique_ptr<TimingModel>> models;
    auto& slot = models[{core.name, timeline}];
    if (!slot) {
        TimingOptions options;
        options.timeline = timeline;
        auto created = TimingModel::create(core, options);
        if (!created) return created.take_error();
        slot = std::move(*created);
    }
    return slot.get();
}

Expected<const CoreProfile*> core_for(const RunRequest& request) {
    auto profiles = core_profiles();
    if (!profiles) return profiles.take_error();
    std::string name =
        request.core.empty() ? std::string(default_core_name(request.arch)) : request.core;
    return find_core(**profiles, name, request.arch);
}

} // namespace

Expected<const std::vector<CoreProfile>*> core_profiles() {
    static const Expected<std::vector<CoreProfile>> profiles =
        load_core_profiles(tracesim_home() / "isa" / "cores");
    if (!profiles) return profiles.error();
    return &*profiles;
}

// A variant standing for one of the path's files must define what the path needs of that file:
// its globals that the site patch or another of the path's files names. Else the link would
// blame the catalogue ("site patch of path ...: undefined symbol") for the variant's lack.
Expected<void> variant_defines_what_is_needed(const Catalogue& catalogue, const PathSpec& path,
                                              const std::string& replaced,
                                              const ObjectFile& variant) {
    auto original =
        assemble_file(path.arch, kernel_source(catalogue.kernels_dir, path.arch, replaced));
    if (!original) return {}; // nothing to compare with: the link says what is missing
    std::set<std::string> defined;
    for (const ObjectSymbol& sym : variant.symbols)
        if (sym.global) defined.insert(sym.name);
    for (const ObjectSymbol& sym : original->symbols) {
        if (!sym.global || defined.count(sym.name)) continue;
        if (has_word(path.site, sym.name))
            return usage_error("{}: defines no '{}', which the path's site calls (`{}`, {}) and "
                               "{} defines{}",
                               variant.file, sym.name, path.site, path.defined_at, replaced,
                               variant.symbols.empty() ? "; the variant defines no symbol at all"
                                                       : "");
    }
    return {};
}

Expected<Image> build_image(const Catalogue& catalogue, const PathSpec& path,
                            const HandlerSpec& handler,
                            const std::map<std::string, std::filesystem::path>& replaced_sources,
                            const MemoryLayout& layout) {
    std::vector<std::string> files;
    if (auto it = catalogue.common_sources.find(path.arch); it != catalogue.common_sources.end())
        files = it->second;
    files.insert(files.end(), path.sources.begin(), path.sources.end());
    std::vector<ObjectFile> objects;
    for (const std::string& f : files) {
        auto replaced = replaced_sources.find(f);
        auto object =
            assemble_file(path.arch, replaced != replaced_sources.end()
                                         ? replaced->second
                                         : kernel_source(catalogue.kernels_dir, path.arch, f));
        if (!object) return object.take_error();
        if (replaced != replaced_sources.end())
            if (auto ok = variant_defines_what_is_needed(catalogue, path, f, *object); !ok)
                return ok.take_error();
        objects.push_back(std::move(*object));
    }
    // Each handler: its variant for the struct it is given when the arch has one, else generic.
    auto choose = [&](const std::string& symbol, const std::string& regs_struct) {
        std::string specific = symbol + "__" + regs_struct, chosen;
        for (const ObjectFile& o : objects)
            for (const ObjectSymbol& s : o.symbols)
                if (s.global && (s.name == specific || (chosen.empty() && s.name == symbol)))
                    chosen = s.name;
        return chosen;
    };
    LinkOptions options;
    options.layout = layout;
    auto bind = [&](const std::string& alias, const std::string& symbol,
                    const std::string& regs_struct) -> Expected<void> {
        // A path without that handler never calls it; link the alias to something harmless.
        std::string chosen = regs_struct == "none" ? "handler_empty" : choose(symbol, regs_struct);
        if (chosen.empty())
            return make_error(
                "handler '{}' has no {} implementation for {} (looked for {}__{} and {})",
                handler.name, path.arch, alias, symbol, regs_struct, symbol);
        options.aliases[alias] = chosen;
        return {};
    };
    if (auto ok = bind("tracer_entry_func", handler.entry_symbol, path.regs_struct); !ok)
        return ok.take_error();
    const std::string exit_struct = path.exit_regs_struct.empty() ? "none" : path.exit_regs_struct;
    if (auto ok = bind("tracer_exit_func", handler.exit_symbol, exit_struct); !ok)
        return ok.take_error();
    // The ftrace_call site of the shared trampolines calls `ftrace_ops_func`: the ops' func. A
    // path whose files define it (fgraph, fprobe, kprobes on ftrace) puts its C model there;
    // otherwise the ops' func is the tracer's handler itself.
    bool ops_func_defined = false;
    for (const ObjectFile& o : objects)
        for (const ObjectSymbol& s : o.symbols)
            ops_func_defined = ops_func_defined || (s.global && s.name == "ftrace_ops_func");
    if (!ops_func_defined)
        options.aliases["ftrace_ops_func"] = options.aliases["tracer_entry_func"];
    return link(path.arch, objects, options);
}

Expected<void> patch_site(Image& image, const PathSpec& path) {
    if (path.site.empty()) return {};
    auto site = image.phase_range(path.site_at);
    if (!site)
        return make_error("{}: path '{}' patches '{}', which is not a phase label", path.defined_at,
                          path.name, path.site_at);
    return image.patch(site->first, site->second - site->first, path.site,
                       fmt::format("site patch of path '{}' ({})", path.name, path.defined_at));
}

Expected<Record> run_path(const Catalogue& catalogue, const RunRequest& request) {
    auto path = catalogue.find_path(request.path, request.arch, request.kernel);
    if (!path) return path.take_error();
    const PathSpec& spec = **path;
    auto handler = catalogue.find_handler(request.handler);
    if (!handler) return handler.take_error();

    Record record;
    record.arch = spec.arch;
    record.path = spec.name;
    record.kernel = spec.kernel;
    record.handler = (*handler)->name;
    record.regs_struct = spec.regs_struct;
    record.entry = spec.entry;
    record.exit = spec.exit;
    record.models = spec.models;
    record.supported = spec.supported;
    record.reason = spec.reason;
    record.calls = request.calls;
    if (!spec.supported) return record;
    if (request.calls < 1) return usage_error("--calls must be at least 1");

    for (const auto& [file, replacement] : request.replaced_sources) {
        bool used = std::find(spec.sources.begin(), spec.sources.end(), file) != spec.sources.end();
        if (auto common = catalogue.common_sources.find(spec.arch);
            common != catalogue.common_sources.end())
            used = used || std::find(common->second.begin(), common->second.end(), file) !=
                               common->second.end();
        if (!used)
            return usage_error("path '{}' on {} does not use {} (its files: {})", spec.name,
                               spec.arch, file, fmt::join(spec.sources, ", "));
    }
    auto untraced_image =
        build_image(catalogue, spec, **handler, request.replaced_sources, request.layout);
    if (!untraced_image) return untraced_image.take_error();
    if (request.prepare_image)
        if (auto ok = request.prepare_image(*untraced_image); !ok) return ok.take_error();
    Image traced_image = *untraced_image;
    if (auto patched = patch_site(traced_image, spec); !patched) return patched.take_error();
    const CoreProfile* core = nullptr;
    if (request.timing) {
        auto found = core_for(request);
        if (!found) return found.take_error();
        core = *found;
    }
    auto untraced = simulate(*untraced_image, request.calls, request.budget, {}, core != nullptr);
    if (!untraced) return make_error("{} untraced: {}", spec.arch, untraced.error().message);
    const bool has_regs = spec.regs_struct != "none" || !spec.exit_regs_struct.empty();
    auto traced = simulate(traced_image, request.calls, request.budget,
                           RegsOptions{has_regs ? &spec : nullptr, false}, core != nullptr);
    if (!traced)
        return make_error("{} path '{}' (kernel {}): {}", spec.arch, spec.name, spec.kernel,
                          traced.error().message);

    record.traced = traced->total;
    record.per_call = traced->total - untraced->total;
    record.phases = traced->phases;
    record.untraced_phases = untraced->phases;
    record.traps = traced->traps;
    record.regs_check = traced->regs_check;
    if (core) {
        auto model = timing_model(*core, false);
        if (!model) return model.take_error();
        auto untraced_cycles = (*model)->time_calls(untraced->traces);
        if (!untraced_cycles) return untraced_cycles.take_error();
        auto traced_cycles = (*model)->time_calls(traced->traces);
        if (!traced_cycles) return traced_cycles.take_error();
        record.core = core->name;
        record.cycles_traced = traced_cycles->total;
        record.cycles_per_call = traced_cycles->total - untraced_cycles->total;
        record.phase_cycles = traced_cycles->phases;
        record.untraced_phase_cycles = untraced_cycles->phases;
        record.unpriced = traced_cycles->unpriced;
    }
    if (has_regs && request.write_back) {
        // A separate call in which the observer writes markers into the structs: its results
        // (changed arguments, return value) are not the traced call's, only the write-back
        // verdicts.
        auto poked = simulate(traced_image, 1, request.budget, RegsOptions{&spec, true});
        if (!poked)
            return make_error("{} path '{}' (kernel {}), writing into the regs: {}", spec.arch,
                              spec.name, spec.kernel, poked.error().message);
        for (FieldCheck& c : record.regs_check)
            for (const FieldCheck& p : poked->regs_check)
                if (p.at == c.at && p.field == c.field) c.write_back = p.write_back;
    }
    record.checks =
        check_call(isa_for(spec.arch), spec, *traced, *untraced, **handler, traced_image.layout);
    return record;
}

Expected<PathTrace> trace_path(const Catalogue& catalogue, const RunRequest& request) {
    RunRequest plain = request;
    plain.timing = true;
    auto record = run_path(catalogue, plain);
    if (!record) return record.take_error();
    if (!record->supported)
        return usage_error("{} {} is not supported: {}", record->arch, record->path,
                           record->reason);
    auto spec = catalogue.find_path(request.path, request.arch, request.kernel);
    auto handler = catalogue.find_handler(request.handler);
    if (!spec || !handler) return make_error("path or handler vanished");
    auto image =
        build_image(catalogue, **spec, **handler, request.replaced_sources, request.layout);
    if (!image) return image.take_error();
    if (auto patched = patch_site(*image, **spec); !patched) return patched.take_error();
    auto traced = simulate(*image, request.calls, request.budget, {}, true);
    if (!traced) return traced.take_error();
    auto core = core_for(request);
    if (!core) return core.take_error();
    auto model = timing_model(**core, true);
    if (!model) return model.take_error();
    auto timing = (*model)->time_calls(traced->traces);
    if (!timing) return timing.take_error();
    return PathTrace{std::move(*record), traced->traces.back(), std::move(*timing)};
}

} // namespace tracesim
