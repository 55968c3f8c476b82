// The timeline view of one call: each executed instruction with its phase, its memory
// accesses and the timing model's cycles, like llvm-mca's timeline view (`tracesim trace`, and
// `tracesim boot --trace PATH` for a booted call, which adds where in the kernel each
// instruction is). It formats the trace and the timing it is given; it computes nothing.
//
//   pc        phase     instruction               memory           D   I   E   R  cold R  events
//   0x400000  caller    callq 0x400010            W 0x807ef8/8     0   0   1   1       1
//   0x400010  site      callq 0x400100            W 0x807ef0/8     1   1   2   2       4  L1D miss
//
// D dispatched, I issued, E executed, R retired: warm cycles (steady state) from the start of
// the call; "cold R" is the retire cycle on an empty machine. Memory: R/W address/size, H for
// the modeled exception hardware. Events: cache misses, mispredicts, exception entry,
// serializing instructions and unpriced ones.
#pragma once

#include "base/expected.h"
#include "timing/timing_result.h"
#include "timing/trace.h"

#include <functional>
#include <string>
#include <string_view>

namespace tracesim {

// An instruction's memory accesses as the views show them: "W 0x807ef8/8 R 0x808000/8" (H: by the
// modeled exception hardware).
std::string accesses_of(const DynamicTrace& trace, const TraceInstruction& insn);

// The views' titles: a modeled path's traced call (`tracesim trace`) and a booted path's
// steady call (`tracesim boot --trace`).
std::string model_call_title(std::string_view arch, std::string_view path, std::string_view era,
                             std::string_view core);
std::string booted_call_title(std::string_view arch, std::string_view path, std::string_view kernel,
                              std::string_view release, std::string_view core);

// `where`: names an instruction's address (a booted kernel's symbol+offset); empty: no column.
Expected<std::string> render_timeline(const std::string& title, const DynamicTrace& trace,
                                      const CallTiming& timing,
                                      const std::function<std::string(uint64_t)>& where = {});

} // namespace tracesim
