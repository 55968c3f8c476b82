#include "report/trace_events.h"

#include "base/json.h"
#include "report/timeline.h"

#include <fmt/format.h>

namespace tracesim {

namespace {

constexpr int64_t phases_tid = 1, events_tid = 2, first_lane_tid = 10;

void metadata(JsonWriter& j, std::string_view what, int64_t pid, int64_t tid,
              const std::string& name) {
    j.begin_object().field("name", what).field("ph", "M").field("pid", pid).field("tid", tid);
    j.key("args").begin_object().field("name", name).end_object().end_object();
}

void instant(JsonWriter& j, int64_t pid, int64_t ts, const std::string& name, uint64_t pc) {
    j.begin_object().field("name", name).field("ph", "i").field("s", "t").field("pid", pid);
    j.field("tid", events_tid).field("ts", ts);
    j.key("args").begin_object().field("pc", fmt::format("{:#x}", pc)).end_object().end_object();
}

// One call (warm or cold) as one process.
void write_call(JsonWriter& j, int64_t pid, const char* name, bool warm, const DynamicTrace& trace,
                const CallTiming& timing, const std::function<std::string(uint64_t)>& where) {
    const std::vector<InstructionTiming>& timeline = timing.timeline;
    auto cycles = [&](const InstructionTiming& t) -> const InstructionCycles& {
        return warm ? t.warm : t.cold;
    };
    metadata(j, "process_name", pid, 0, name);
    metadata(j, "thread_name", pid, phases_tid, "phases");
    metadata(j, "thread_name", pid, events_tid, "events");

    // Phases: runs of consecutive instructions in one phase, each from where the previous run
    // retired to its own last retire, so they tile the call without overlapping.
    int64_t phase_start = 0;
    for (size_t i = 0; i < timeline.size();) {
        size_t end = i;
        while (end + 1 < timeline.size() && timeline[end + 1].phase == timeline[i].phase)
            ++end;
        int64_t stop = int64_t(cycles(timeline[end]).retired) + 1;
        if (stop < phase_start) stop = phase_start;
        j.begin_object().field("name", name_of(timeline[i].phase)).field("ph", "X");
        j.field("pid", pid).field("tid", phases_tid).field("ts", phase_start);
        j.field("dur", stop - phase_start);
        j.key("args").begin_object().field("instructions", int64_t(end - i + 1)).end_object();
        j.end_object();
        phase_start = stop;
        i = end + 1;
    }

    // Instructions on lanes: the first lane whose last slice ended by this one's dispatch.
    std::vector<int64_t> lane_free; // per lane: the cycle its last slice ended
    for (size_t i = 0; i < timeline.size(); ++i) {
        const InstructionTiming& t = timeline[i];
        const InstructionCycles& c = cycles(t);
        int64_t start = c.dispatched, stop = int64_t(c.retired) + 1;
        size_t lane = 0;
        while (lane < lane_free.size() && lane_free[lane] > start)
            ++lane;
        if (lane == lane_free.size()) {
            lane_free.push_back(0);
            metadata(j, "thread_name", pid, first_lane_tid + int64_t(lane),
                     fmt::format("in flight {}", lane));
        }
        lane_free[lane] = stop;
        j.begin_object().field("name", t.text).field("ph", "X").field("pid", pid);
        j.field("tid", first_lane_tid + int64_t(lane))
            .field("ts", start)
            .field("dur", stop - start);
        j.key("args").begin_object();
        j.field("pc", fmt::format("{:#x}", t.pc));
        if (where) j.field("where", where(t.pc));
        j.field("phase", name_of(t.phase));
        j.field("issued", int64_t(c.issued)).field("executed", int64_t(c.executed));
        j.field("retired", int64_t(c.retired)).field("penalty", int64_t(c.penalty));
        std::string memory = accesses_of(trace, trace.instructions[i]);
        if (!memory.empty()) j.field("memory", memory);
        j.end_object().end_object();

        int64_t at = c.retired;
        if (c.l2_misses)
            instant(j, pid, at, fmt::format("L2 miss x{}", c.l2_misses), t.pc);
        else if (c.l1d_misses)
            instant(j, pid, at, fmt::format("L1D miss x{}", c.l1d_misses), t.pc);
        if (c.mispredict != MispredictKind::none)
            instant(j, pid, at, fmt::format("{} mispredict", name_of(c.mispredict)), t.pc);
        if (t.trapped) instant(j, pid, at, "exception entry", t.pc);
        if (t.unpriced != Unpriced::no)
            instant(j, pid, at, fmt::format("unpriced ({})", t.unpriced), t.pc);
    }
}

} // namespace

Expected<std::string> render_trace_events(const std::string& title, const DynamicTrace& trace,
                                          const CallTiming& timing,
                                          const std::function<std::string(uint64_t)>& where) {
    if (timing.timeline.size() != trace.instructions.size())
        return make_error("timeline has {} instructions, the trace {}", timing.timeline.size(),
                          trace.instructions.size());
    JsonWriter j;
    j.begin_object();
    j.field("displayTimeUnit", "ns");
    j.key("otherData").begin_object();
    j.field("title", title).field("core", timing.core);
    j.field("time", "1 us in this file = 1 modeled cycle");
    j.field("instructions", timing.total.instructions);
    j.field("cycles_warm", timing.total.cycles_warm).field("cycles_cold", timing.total.cycles_cold);
    j.end_object();
    j.key("traceEvents").begin_array();
    write_call(j, 1, "warm call (steady state)", true, trace, timing, where);
    write_call(j, 2, "cold call (empty machine)", false, trace, timing, where);
    j.end_array().end_object();
    return j.str();
}

} // namespace tracesim
