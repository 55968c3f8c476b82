// The timeline of one call as a Chrome trace-event file (the JSON that ui.perfetto.dev,
// chrome://tracing and speedscope open): `tracesim trace --format perfetto` and
// `tracesim boot --trace PATH --format perfetto`. Like the timeline view it formats the trace and
// timing it is given and computes nothing but where each slice goes.
//
//   process 1 "warm call", process 2 "cold call" (the same instructions, two machine states)
//     thread "phases"        one slice per run of a phase, end to end in retire order
//     thread "events"        instants: L1D/L2 misses, mispredicts, exception entry, unpriced
//     threads "in flight N"  each instruction a slice from dispatch to retire, on the first lane
//                            free at its dispatch (instructions overlap in a pipeline)
//
// Time: 1 µs of the file is one modeled cycle (the file's otherData says so).
#pragma once

#include "base/expected.h"
#include "timing/timing_result.h"
#include "timing/trace.h"

#include <functional>
#include <string>

namespace tracesim {

Expected<std::string> render_trace_events(const std::string& title, const DynamicTrace& trace,
                                          const CallTiming& timing,
                                          const std::function<std::string(uint64_t)>& where = {});

} // namespace tracesim
