// The dynamic trace of one call: every executed instruction (address, bytes, phase) and every
// memory access it made, in order. The counters need none of this; the timing model and the
// trace view do, so the TraceRecorder listener (sim/trace_recorder.h) is attached only when they
// run. Plain data: the timing model reads it without knowing the machine.
#pragma once

#include "isa/arch.h"
#include "base/phase.h"

#include <array>
#include <cstdint>
#include <vector>

namespace tracesim {

struct TraceAccess {
    uint64_t address;
    uint32_t size;
    bool is_store;
    bool by_hardware; // the modeled exception entry wrote it (x86 interrupt frame)
};

struct TraceInstruction {
    uint64_t pc;
    uint8_t size;
    std::array<uint8_t, 15> bytes; // the instruction as executed (patched sites included)
    Phase phase;
    uint32_t first_access; // index into DynamicTrace::accesses
    uint32_t access_count; // accesses this instruction made
    bool trapped = false;  // an exception was taken at this instruction (int3 / brk)
};

struct DynamicTrace {
    Arch arch;
    std::vector<TraceInstruction> instructions;
    std::vector<TraceAccess> accesses;
    // Where execution went after the last instruction (the run's stop address), so its branch
    // prediction is scored like any other; 0 when not known (a hand-built trace).
    uint64_t next_pc = 0;
    // Hardware accesses made outside any instruction (exception entry) belong to the trapping
    // instruction, so they are appended to its access range.
};

} // namespace tracesim
