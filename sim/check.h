// The regression gate: a scenario's current results (typed records) against its committed
// baseline (results/baseline/<scenario>.json, the `run --format json` output). Counts, traps,
// phases, register-truth statuses and support are compared exactly; cycle metrics within the
// scenario's tolerance. Records are matched by (arch, path, kernel, core, handler).
#pragma once

#include "base/json.h"
#include "sim/results.h"
#include "sim/scenario.h"

#include <string>
#include <vector>

namespace tracesim {

enum class ChangeKind { regression, improvement, changed };

struct Change {
    std::string scenario;
    std::string record; // "x86_64 ftrace 6.14 read-all" (+ core)
    std::string where;  // "per call", a phase name, "regs entry", "support"
    std::string metric;
    std::string old_value, new_value;
    double delta = 0;    // numeric changes
    double relative = 0; // delta / old
    bool numeric = false;
    ChangeKind kind = ChangeKind::changed;
};

struct CheckReport {
    std::vector<Change> changes;
    size_t records = 0; // records compared
    size_t values = 0;  // values compared
    std::vector<std::string> scenarios;
    bool regressed(bool strict) const;
};

// Compares one scenario's current results with its baseline; adds to `report`. A value compares
// as the JSON holds it (a real to three decimals, as the baseline was written).
Expected<void> compare_with_baseline(const Scenario& scenario, const JsonValue& baseline,
                                     const Results& current, CheckReport& report);

} // namespace tracesim
