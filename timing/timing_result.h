// What the timing model produces for one traced call: cycles cold and warm, IPC, cache misses,
// mispredicts and unpriced instructions, for the whole call and per phase, plus (on request)
// a per-instruction timeline like llvm-mca's timeline view:
//
//   pc        phase    disassembly           D     I     E     R   events
//   0x400010  site     callq 0x400100        0     0     2     3
//   0x400100  save     pushq %rbp            1     1     2     4   L1D miss (L2)
//   0x400140  restore  retq                 40    41    42    43   mispredict (return)
//
//   D dispatched, I issued, E executed (write-back), R retired: cycles from the start of the
//   call, after the model's penalties (cache misses, mispredicts, exception entry).
//
// Cold = the call's instruction stream on an empty machine (caches, return stack, predictors);
// warm = the same stream after warm-up calls (steady state). Light header: no LLVM.
#pragma once

#include "base/phase.h"
#include "timing/branch_model.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

// Why the model could not price an instruction (it still occupies a slot, as a NOP).
enum class Unpriced : uint8_t {
    no,
    not_decoded,     // LLVM's disassembler rejected the bytes
    unsupported,     // MCA cannot lower it ("found an unsupported instruction")
    unknown_latency, // the scheduling model gives no latency (MCA would charge CallLatency)
    placeholder,     // x86: the model's 100-cycle placeholder for microcoded/system ops
    system_default,  // arm64: a system instruction the model prices as a 1-cycle ALU op
};

std::string_view name_of(Unpriced reason);

// For the whole call or one phase. Misses count L1D line fills (loads and stores); only loads
// pay for them (stores retire into the store buffer). Mispredicts count every kind;
// return_mispredicts the returns among them (return-address hijacking shows up there).
struct CycleMetrics {
    int64_t cycles_cold = 0;
    int64_t cycles_warm = 0;
    int64_t instructions = 0;
    int64_t l1d_misses_cold = 0;
    int64_t l1d_misses_warm = 0;
    int64_t l2_misses_cold = 0;
    int64_t l2_misses_warm = 0;
    int64_t mispredicts_cold = 0;
    int64_t mispredicts_warm = 0;
    int64_t return_mispredicts_cold = 0;
    int64_t return_mispredicts_warm = 0;
    int64_t traps = 0;    // exception entries charged ([exception].entry each)
    int64_t unpriced = 0; // executed instructions the model could not price (never 0 cost)

    // Instructions per warm cycle (0 when no cycles).
    double ipc() const { return cycles_warm > 0 ? double(instructions) / double(cycles_warm) : 0; }

    CycleMetrics& operator+=(const CycleMetrics& o);
    friend CycleMetrics operator-(const CycleMetrics& a, const CycleMetrics& b);
    friend bool operator==(const CycleMetrics&, const CycleMetrics&) = default;
};

// Field names as JSON and column headers use them, in a fixed order; `ipc` is a double.
template <class F> void for_each_cycle_metric(const CycleMetrics& m, F&& f) {
    f(std::string_view("cycles_cold"), m.cycles_cold);
    f(std::string_view("cycles_warm"), m.cycles_warm);
    f(std::string_view("ipc"), m.ipc());
    f(std::string_view("l1d_misses_cold"), m.l1d_misses_cold);
    f(std::string_view("l1d_misses_warm"), m.l1d_misses_warm);
    f(std::string_view("l2_misses_cold"), m.l2_misses_cold);
    f(std::string_view("l2_misses_warm"), m.l2_misses_warm);
    f(std::string_view("mispredicts_cold"), m.mispredicts_cold);
    f(std::string_view("mispredicts_warm"), m.mispredicts_warm);
    f(std::string_view("return_mispredicts_cold"), m.return_mispredicts_cold);
    f(std::string_view("return_mispredicts_warm"), m.return_mispredicts_warm);
    f(std::string_view("traps"), m.traps);
    f(std::string_view("unpriced"), m.unpriced);
}

struct PhaseCycles {
    Phase phase;
    CycleMetrics metrics;
};

// One instruction in one call (cold or warm).
struct InstructionCycles {
    uint32_t dispatched = 0;
    uint32_t issued = 0;
    uint32_t executed = 0;
    uint32_t retired = 0;
    uint32_t penalty = 0;   // cycles the model added here (cache, mispredict, exception entry)
    uint8_t l1d_misses = 0; // lines this instruction's accesses missed in L1D
    uint8_t l2_misses = 0;  // ... and in L2
    MispredictKind mispredict = MispredictKind::none;
};

struct InstructionTiming {
    uint64_t pc = 0;
    Phase phase = Phase::caller;
    std::string text;           // LLVM's disassembly
    std::string override_match; // the override pattern that priced it, "" if none
    bool serializing = false;   // ran alone on a drained pipeline
    bool trapped = false;       // an exception was taken here ([exception].entry added)
    Unpriced unpriced = Unpriced::no;
    InstructionCycles cold;
    InstructionCycles warm;
};

struct UnpricedInstruction {
    uint64_t pc = 0;
    std::string text;
    Unpriced reason = Unpriced::no;
    int64_t count = 0; // executions in the call
};

struct CallTiming {
    std::string core;
    CycleMetrics total;
    std::vector<PhaseCycles> phases;           // phases that ran or cost cycles, in call order
    std::vector<UnpricedInstruction> unpriced; // distinct, by pc
    std::vector<InstructionTiming> timeline;   // only with TimingOptions::timeline

    const CycleMetrics* phase(Phase p) const;
};

} // namespace tracesim

template <> struct fmt::formatter<tracesim::Unpriced> : fmt::formatter<std::string_view> {
    template <class Context> auto format(tracesim::Unpriced u, Context& context) const {
        return fmt::formatter<std::string_view>::format(tracesim::name_of(u), context);
    }
};
