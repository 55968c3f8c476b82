// Turns one booted call into the dynamic trace every other part of tracesim reads
// (timing/trace.h): each instruction with its bytes, accesses and phase.
//
// Phases come from the kernel's symbols through boot/<arch>.toml: the probed function's own
// instructions are `site` (its patchable entry, or the probe's offset in its body) and `body`;
// a listed symbol starts its phase; an unlisted function inherits the phase of the code that
// called it (so __rcu_read_lock is dispatch when the dispatcher calls it and handler when the
// handler does; a tail call's target inherits from the function that jumped to it), except what
// the site itself calls, which must be listed or shows as
// `unmapped`. Exception returns are `trap-return`. A BPF trampoline (save+dispatch+restore) is
// save up to its first call out, restore after its last return, dispatch between; one that calls
// the probed function's body is `hijack` from its last return before that call on (the call of
// the original and what follows the body's return). `path` picks
// the rules meant for it (the BPF bench's kprobe_dispatcher dispatches, a kprobe event's
// handles).
#pragma once

#include "sim/boot/calls.h"
#include "timing/trace.h"

#include <map>
#include <optional>
#include <string>

namespace tracesim {

struct BootedCallTrace {
    DynamicTrace trace;
    std::map<std::string, int64_t> unmapped; // symbol (or "?" for no symbol) -> instructions
    uint64_t initial_sp = 0, stack_low = 0;  // the stack the call used (sim/boot/capture.cpp)
};

BootedCallTrace booted_trace(const BootWindow& window, const BootCall& call,
                             const KernelSymbols& symbols, const BootRules& rules,
                             uint64_t entry, std::optional<uint64_t> probe_offset = {},
                             std::string_view path = {});

} // namespace tracesim
