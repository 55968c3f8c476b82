// The cycle-level timing model of one core (docs/timing.md): turns the dynamic trace of a call
// (timing/trace.h, recorded by sim/trace_recorder.h) into cycles.
//
//   cycles = LLVM MCA 19 schedule of the executed instruction stream (profile's CallLatency,
//            override table; serializing instructions drain the pipeline)
//          + L1D/L2 miss penalties over the real addresses (loads; no overlap assumed)
//          + mispredict penalties (return stack, indirect targets, conditional directions)
//          + exception entry per trapped instruction
//
// Usage (one model per (arch, core) per thread; it is not thread-safe):
//
//   auto cores = load_core_profiles(tracesim_home() / "isa" / "cores");
//   auto core = find_core(*cores, "znver3", Arch::x86_64);
//   auto model = TimingModel::create(**core);
//   TraceRecorder recorder(image);  machine->add_listener(&recorder);  ... run N calls ...
//   auto timing = (*model)->time_calls(recorder.calls());   // the last call, cold and warm
//
// The MCA schedule is memoised per distinct instruction sequence (pc + bytes of every executed
// instruction), so N identical calls cost one pipeline; the whole result of a call warmed up by
// copies of itself is memoised too. Results are deterministic: no clock, no dependence on hash
// order.
#pragma once

#include "base/expected.h"
#include "timing/core_profile.h"
#include "timing/timing_result.h"
#include "timing/trace.h"

#include <memory>
#include <span>

namespace tracesim {

struct TimingOptions {
    // Calls replayed through the caches and predictors before the warm call is measured: the
    // calls preceding it (at most this many), padded with its own stream.
    int warmup_calls = 4;
    bool memoise = true;   // reuse MCA schedules of identical sequences (off: benchmarking)
    bool timeline = false; // fill CallTiming::timeline (the trace view)
};

struct TimingStats {
    uint64_t calls_timed = 0;
    uint64_t pipelines_run = 0;          // MCA pipelines (one per serializing-free segment)
    uint64_t instructions_simulated = 0; // through MCA
    uint64_t memo_hits = 0;              // MCA schedules reused
    uint64_t memo_misses = 0;            // MCA schedules computed
    uint64_t result_hits = 0; // whole results reused (a call identical to one timed before)
    uint64_t distinct_instructions = 0; // (pc, bytes) decoded and classified
};

class TimingModel {
  public:
    static Expected<std::unique_ptr<TimingModel>> create(const CoreProfile& profile,
                                                         TimingOptions options = {});
    ~TimingModel();
    TimingModel(const TimingModel&) = delete;
    TimingModel& operator=(const TimingModel&) = delete;

    const CoreProfile& profile() const;
    const TimingOptions& options() const;

    // Times the LAST of `calls` (the one a Record reports): cold = its stream on an empty
    // machine; warm = its stream after the preceding calls were replayed (see TimingOptions).
    // Every trace must be of the profile's arch and non-empty.
    Expected<CallTiming> time_calls(std::span<const DynamicTrace> calls);
    Expected<CallTiming> time_call(const DynamicTrace& call) { return time_calls({&call, 1}); }

    TimingStats stats() const;

  private:
    struct Impl;
    explicit TimingModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace tracesim
