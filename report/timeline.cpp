#include "report/timeline.h"

#include "report/table.h"

#include <fmt/format.h>

namespace tracesim {

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

namespace {

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

std::string model_call_title(std::string_view arch, std::string_view path, std::string_view era,
                             std::string_view core) {
    return fmt::format("{} {} (kernel {}) on {}: the traced call, instruction by instruction", arch,
                       path, era, core);
}

std::string booted_call_title(std::string_view arch, std::string_view path, std::string_view kernel,
                              std::string_view release, std::string_view core) {
    return fmt::format("{} {} booted on {} (release {}), on {}: the steady call, instruction by "
                       "instruction",
                       arch, path, kernel, release, core);
}

Expected<std::string> render_timeline(const std::string& title, const DynamicTrace& trace,
                                      const CallTiming& timing,
                                      const std::function<std::string(uint64_t)>& where) {
    const std::vector<InstructionTiming>& timeline = timing.timeline;
    if (timeline.size() != trace.instructions.size())
        return make_error("timeline has {} instructions, the trace {}", timeline.size(),
                          trace.instructions.size());
    std::vector<std::string> headers = {"pc", "phase", "instruction", "memory", "D",
                                        "I",  "E",     "R",           "cold R", "events"};
    std::vector<bool> numeric = {false, false, false, false, true,
                                 true,  true,  true,  true,  false};
    if (where) {
        headers.insert(headers.begin() + 1, "where");
        numeric.insert(numeric.begin() + 1, false);
    }
    TextTable table(headers, numeric);
    for (size_t i = 0; i < timeline.size(); ++i) {
        const InstructionTiming& t = timeline[i];
        std::vector<std::string> row = {
            fmt::format("{:#x}", t.pc), std::string(name_of(t.phase)), t.text,
            accesses_of(trace, trace.instructions[i]), std::to_string(t.warm.dispatched),
            std::to_string(t.warm.issued), std::to_string(t.warm.executed),
            std::to_string(t.warm.retired), std::to_string(t.cold.retired), events_of(t)};
        if (where) row.insert(row.begin() + 1, where(t.pc));
        table.add_row(row);
    }
    std::string out = title + "\n\n" + table.str();
    const CycleMetrics& total = timing.total;
    out +=
        fmt::format("\n{} instructions, {} cycles warm ({:.2f} IPC), {} cold; {} mispredicts warm, "
                    "{} L1D misses cold, {} unpriced\n",
                    total.instructions, total.cycles_warm, total.ipc(), total.cycles_cold,
                    total.mispredicts_warm, total.l1d_misses_cold, total.unpriced);
    out += "D dispatched, I issued, E executed, R retired (warm cycles from the call's start); "
           "cold R on an "
           "empty machine. Memory: R/W address/size, H = exception hardware.\n";
    return out;
}

} // namespace tracesim
