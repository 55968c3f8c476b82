// Finds the probed function's calls in a booted window and cuts interrupts out of them.
//
// A call starts when the function's entry executes and ends when execution reaches the return
// address its caller left: the fall-through of the call instruction just before the entry, or,
// when the entry was reached by a jump (a tail call, a retpoline's ret), the innermost live
// frame of a shadow stack built from the stream (x86: each call's store names its return
// slot, a ret pops the frames at or below the slot it loads; arm64: a return pops to the frame
// whose return address it reached). Plugin API v1 reads no registers, so the stream is all
// there is (docs/boot.md).
//
// An asynchronous vector entry inside a call (a timer, an IPI) starts a segment that lasts to
// the exception return that brings the nesting back to where it was; the segment is cut out
// and counted. A synchronous entry (int3, BRK) is part of the probe and stays, with the
// instruction before it marked as trapped.
#pragma once

#include "sim/boot/kallsyms.h"
#include "sim/boot/rules.h"
#include "sim/boot/trace_file.h"

#include <vector>

namespace tracesim {

struct BootCall {
    std::vector<uint32_t> stream;  // indices into the window's stream, interrupts cut out
    std::vector<uint32_t> trapped; // of those, the instructions that raised a sync exception
    int interrupts_cut = 0;        // asynchronous segments removed
    uint64_t interrupt_instructions = 0;
    uint64_t return_address = 0;
    uint64_t return_slot = 0; // x86: the stack slot holding the return address (0: unknown)
    bool complete = false;    // the return address was reached inside the window
};

std::vector<BootCall> find_calls(const BootWindow& window, const KernelSymbols& symbols,
                                 const BootRules& rules, uint64_t entry);

} // namespace tracesim
