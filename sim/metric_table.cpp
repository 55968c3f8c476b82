#include "sim/metric_table.h"

#include <array>

namespace tracesim {

namespace {

using enum MetricSource;

// name, unit, header, label, source, reportable, stacks by phase, toleranced, higher is better
constexpr std::array metrics = {
    MetricInfo{"instructions", "insns", "instrs", "instructions", counts, true, true, false, false},
    MetricInfo{"loads", "accesses", "loads", "loads", counts, true, true, false, false},
    MetricInfo{"stores", "accesses", "stores", "stores", counts, true, true, false, false},
    MetricInfo{"bytes_loaded", "B", "bytes ld [B]", "bytes loaded", counts, true, true, false,
               false},
    MetricInfo{"bytes_stored", "B", "bytes st [B]", "bytes stored", counts, true, true, false,
               false},
    // A count of distinct lines and a high-water mark: neither is a sum over phases.
    MetricInfo{"lines_touched", "lines", "lines [64 B]", "lines touched", counts, true, false,
               false, false},
    MetricInfo{"max_stack_depth", "B", "stack [B]", "stack depth", counts, true, false, false,
               false},
    MetricInfo{"traps", "traps", "traps", "traps", record, true, false, false, false},
    MetricInfo{"cycles_cold", "cycles", "cycles cold", "cycles cold", cycles, true, true, true,
               false},
    MetricInfo{"cycles_warm", "cycles", "cycles warm", "cycles warm", cycles, true, true, true,
               false},
    MetricInfo{"l1d_misses_cold", "", "L1D miss cold", "l1d misses cold", cycles, true, true, false,
               false},
    MetricInfo{"mispredicts_warm", "", "mispred warm", "mispredicts warm", cycles, true, true,
               false, false},
    MetricInfo{"unpriced", "", "unpriced", "unpriced", cycles, true, true, false, false},
    // A whole traced call per hit at the scenario's clock, as the bench's loop runs it.
    MetricInfo{"hits_per_s_warm", "hits/s", "hits/s warm", "hits per s warm", record, true, false,
               false, true},
    // In the JSON only (tables show the reportable ones).
    MetricInfo{"ipc", "", "ipc", "ipc", cycles, false, false, true, true},
    MetricInfo{"l1d_misses_warm", "", "l1d_misses_warm", "l1d misses warm", cycles, false, true,
               false, false},
    MetricInfo{"l2_misses_cold", "", "l2_misses_cold", "l2 misses cold", cycles, false, true, false,
               false},
    MetricInfo{"l2_misses_warm", "", "l2_misses_warm", "l2 misses warm", cycles, false, true, false,
               false},
    MetricInfo{"mispredicts_cold", "", "mispredicts_cold", "mispredicts cold", cycles, false, true,
               false, false},
    MetricInfo{"return_mispredicts_cold", "", "return_mispredicts_cold", "return mispredicts cold",
               cycles, false, true, false, false},
    MetricInfo{"return_mispredicts_warm", "", "return_mispredicts_warm", "return mispredicts warm",
               cycles, false, true, false, false},
    // The schema's first names for the warm values (docs/json-schema.md).
    MetricInfo{"l1d_misses", "", "l1d_misses", "l1d misses", cycles, false, true, false, false},
    MetricInfo{"mispredicts", "", "mispredicts", "mispredicts", cycles, false, true, false, false},
};

} // namespace

std::span<const MetricInfo> metric_table() {
    return metrics;
}

const MetricInfo* find_metric(std::string_view name) {
    for (const MetricInfo& m : metrics)
        if (m.name == name) return &m;
    return nullptr;
}

bool stacks_by_phase(std::string_view metric) {
    const MetricInfo* m = find_metric(metric);
    return m && m->stacks_by_phase;
}

std::string_view unit_of(std::string_view metric) {
    const MetricInfo* m = find_metric(metric);
    return m ? m->unit : "";
}

std::string label_of(std::string_view metric) {
    const MetricInfo* m = find_metric(metric);
    return std::string(m ? m->label : metric);
}

std::string header_of(std::string_view metric) {
    const MetricInfo* m = find_metric(metric);
    return std::string(m ? m->header : metric);
}

} // namespace tracesim
