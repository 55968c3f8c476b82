// The executed path instruction by instruction, with its memory accesses and the timing
// model's timeline, like llvm-mca's timeline view. Example (abridged):
//
//   x86_64 ftrace (kernel 6.14) on znver3: the traced call, instruction by instruction
//
//   pc        phase     instruction               memory           D   I   E   R  cold R  events
//   0x400000  caller    callq 0x400010            W 0x807ef8/8     0   0   1   1       1
//   0x400010  site      callq 0x400100            W 0x807ef0/8     1   1   2   2       4  L1D miss
//
// D dispatched, I issued, E executed, R retired: warm cycles (steady state) from the start of
// the call; "cold R" is the retire cycle on an empty machine. Memory: R/W address/size, H for
// the modeled exception hardware. Events: cache misses, mispredicts, exception entry,
// serializing instructions and unpriced ones.
#include "sim/cli/trace.h"

#include "sim/output.h"
#include "sim/report/table.h"
#include "sim/runner.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace tracesim {

namespace {

std::string accesses_of(const DynamicTrace& trace, const TraceInstruction& insn) {
    std::string out;
    for (uint32_t i = 0; i < insn.access_count; ++i) {
        const TraceAccess& a = trace.accesses[insn.first_access + i];
        if (!out.empty()) out += " ";
        out += fmt::format("{}{} {:#x}/{}", a.by_hardware ? "H" : "", a.is_store ? "W" : "R",
                           a.address, a.size);
    }
    return out;
}

std::string events_of(const InstructionTiming& t) {
    std::vector<std::string> events;
    auto misses = [&](const InstructionCycles& c, const char* when) {
        if (c.l2_misses)
            events.push_back(fmt::format("L2 miss {}", when));
        else if (c.l1d_misses)
            events.push_back(fmt::format("L1D miss {}", when));
        if (c.mispredict != MispredictKind::none)
            events.push_back(fmt::format("{} mispredict {}", name_of(c.mispredict), when));
    };
    misses(t.cold, "(cold)");
    misses(t.warm, "(warm)");
    if (t.trapped) events.push_back("exception entry");
    if (t.serializing) events.push_back("serializing");
    if (!t.override_match.empty())
        events.push_back("priced by override '" + t.override_match + "'");
    if (t.unpriced != Unpriced::no) events.push_back(fmt::format("UNPRICED ({})", t.unpriced));
    return fmt::format("{}", fmt::join(events, ", "));
}

} // namespace

void add_trace_options(CLI::App* cmd, TraceOptions& o) {
    cmd->add_option("--arch", o.arch, "x86_64 | arm64")->capture_default_str();
    cmd->add_option("--path", o.path, "the catalogue path to trace")->required();
    cmd->add_option("--kernel", o.kernel, "kernel era (default: newest)");
    cmd->add_option("--core", o.core, "timing core (default: the arch's)");
    cmd->add_option("--handler", o.handler, "handler the path calls")->capture_default_str();
    cmd->add_option("-o,--output", o.output, "write to this file (atomically) instead of stdout");
}

Expected<void> trace_command(const TraceOptions& o) {
    auto catalogue = load_catalogue(tracesim_home() / "kernels");
    if (!catalogue) return catalogue.take_error();
    auto arch = parse_arch(o.arch);
    if (!arch) return usage_error("unknown arch '{}' (known: x86_64, arm64)", o.arch);
    RunRequest request{*arch, o.path, o.kernel, o.handler,
                       2}; // a warm-up call, then the traced one
    request.core = o.core;
    auto traced = trace_path(*catalogue, request);
    if (!traced) return traced.take_error();
    const DynamicTrace& trace = traced->trace;
    const std::vector<InstructionTiming>& timeline = traced->timing.timeline;
    if (timeline.size() != trace.instructions.size())
        return make_error("timeline has {} instructions, the trace {}", timeline.size(),
                          trace.instructions.size());

    TextTable table(
        {"pc", "phase", "instruction", "memory", "D", "I", "E", "R", "cold R", "events"},
        {false, false, false, false, true, true, true, true, true, false});
    for (size_t i = 0; i < timeline.size(); ++i) {
        const InstructionTiming& t = timeline[i];
        table.add_row({fmt::format("{:#x}", t.pc), std::string(name_of(t.phase)), t.text,
                       accesses_of(trace, trace.instructions[i]), std::to_string(t.warm.dispatched),
                       std::to_string(t.warm.issued), std::to_string(t.warm.executed),
                       std::to_string(t.warm.retired), std::to_string(t.cold.retired),
                       events_of(t)});
    }
    const Record& r = traced->record;
    std::string out =
        fmt::format("{} {} (kernel {}) on {}: the traced call, instruction by instruction\n\n",
                    r.arch, r.path, r.kernel, traced->timing.core);
    out += table.str();
    const CycleMetrics& total = traced->timing.total;
    out +=
        fmt::format("\n{} instructions, {} cycles warm ({:.2f} IPC), {} cold; {} mispredicts warm, "
                    "{} L1D misses cold, {} unpriced\n",
                    total.instructions, total.cycles_warm, total.ipc(), total.cycles_cold,
                    total.mispredicts_warm, total.l1d_misses_cold, total.unpriced);
    out += "D dispatched, I issued, E executed, R retired (warm cycles from the call's start); "
           "cold R on an "
           "empty machine. Memory: R/W address/size, H = exception hardware.\n";
    return emit_output(out, o.output);
}

} // namespace tracesim
