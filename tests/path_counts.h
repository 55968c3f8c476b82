// Exact per-call counts of our own assembly: one table row per path and era, checked in full
// (a changed count is a deliberate, explained update of the table that holds it).
#pragma once

#include "helpers.h"
#include "sim/runner.h"

#include <fmt/format.h>
#include <span>
#include <string>

namespace tracesim::test {

struct PathCounts {
    const char* path;
    const char* kernel; // "" = the newest era
    int64_t instructions, loads, stores, bytes_loaded, bytes_stored, traps;
    int64_t save, dispatch, restore, hijack, trap_return; // traced-call instructions per phase
};

// One traced call of `path` (handler `empty`: the numbers are the path's alone).
inline Record run_once(Arch arch, const std::string& path, const std::string& kernel,
                       const std::string& handler = "empty") {
    auto record = run_path(catalogue(), RunRequest{arch, path, kernel, handler, 1});
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

inline const PhaseMetrics* phase_of(const Record& r, Phase phase) {
    for (const PhaseMetrics& p : r.phases)
        if (p.phase == phase) return &p;
    return nullptr;
}

inline int64_t phase_instructions(const Record& r, Phase phase) {
    const PhaseMetrics* p = phase_of(r, phase);
    return p ? p->metrics.instructions : 0;
}

inline void check_counts(const Record& r, const PathCounts& e) {
    CHECK(r.per_call.instructions == e.instructions);
    CHECK(r.per_call.loads == e.loads);
    CHECK(r.per_call.stores == e.stores);
    CHECK(r.per_call.bytes_loaded == e.bytes_loaded);
    CHECK(r.per_call.bytes_stored == e.bytes_stored);
    CHECK(r.traps == e.traps);
    CHECK(phase_instructions(r, Phase::save) == e.save);
    CHECK(phase_instructions(r, Phase::dispatch) == e.dispatch);
    CHECK(phase_instructions(r, Phase::restore) == e.restore);
    CHECK(phase_instructions(r, Phase::hijack) == e.hijack);
    CHECK(phase_instructions(r, Phase::trap_return) == e.trap_return);
}

// Runs every row of `table` on `arch` and checks it; functional checks must pass too.
inline void check_count_table(Arch arch, std::span<const PathCounts> table) {
    for (const PathCounts& e : table) {
        CAPTURE(name_of(arch));
        std::string path = e.path, kernel = e.kernel; // by value: doctest logs a char* as a pointer
        CAPTURE(path);
        CAPTURE(kernel);
        Record r = run_once(arch, e.path, e.kernel);
        CHECK(r.checks.ok());
        // The row as it is now, for a deliberate update of the table.
        INFO(fmt::format(
            "now: {{\"{}\", \"{}\", {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}}}", e.path, e.kernel,
            r.per_call.instructions, r.per_call.loads, r.per_call.stores, r.per_call.bytes_loaded,
            r.per_call.bytes_stored, r.traps, phase_instructions(r, Phase::save),
            phase_instructions(r, Phase::dispatch), phase_instructions(r, Phase::restore),
            phase_instructions(r, Phase::hijack), phase_instructions(r, Phase::trap_return)));
        check_counts(r, e);
    }
}

} // namespace tracesim::test
