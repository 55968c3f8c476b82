// Every metric tracesim reports, described once: its name (the JSON key and the scenario's
// `metrics = [...]` word), its unit and headers, where a record holds it, and how the regression
// gate judges a change of it. Scenarios, report tables, charts and `check` all read this table;
// a new metric is one row here plus the field that holds it (sim/metrics.h or
// timing/timing_result.h).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace tracesim {

enum class MetricSource {
    counts, // Metrics: counted over the call's instructions (sim/metrics.h)
    cycles, // CycleMetrics: the timing model's estimate (timing/timing_result.h)
    record, // the record itself: traps, or derived from it (hits per second)
};

struct MetricInfo {
    std::string_view name;
    std::string_view unit;   // column headers and chart axes: "insns", "B", "" (a plain count)
    std::string_view header; // compact column header, unit included where not a count
    std::string_view label;  // chart titles: "bytes stored"
    MetricSource source;
    bool reportable;      // a scenario may show and chart it
    bool stacks_by_phase; // a sum over the call's instructions, so it splits by phase
    bool toleranced;      // a timing estimate: `check` compares it within the scenario tolerance
    bool higher_is_better;
};

// In the order scenarios list them (the reportable ones first), then the rest of the JSON keys.
std::span<const MetricInfo> metric_table();

// The row for `name`, or nullptr (a JSON key that is no metric: "supported", a regs status).
const MetricInfo* find_metric(std::string_view name);

// Shorthands for a row's fields (a name with no row: its own name, no unit, no phase split).
bool stacks_by_phase(std::string_view metric);
std::string_view unit_of(std::string_view metric);
std::string label_of(std::string_view metric);  // "bytes stored"
std::string header_of(std::string_view metric); // "bytes st [B]"

} // namespace tracesim
