// The table a scenario shows, built once from Results: the chosen metrics per record plus, when
// the scenario names a reference path, each value's delta against that path on the same arch
// (absolute and as a factor). Every renderer of tables (text, Markdown, LaTeX, CSV, SVG) formats
// this; none of them computes a number.
#pragma once

#include "sim/results.h"

#include <optional>
#include <string>
#include <vector>

namespace tracesim {

// How a chart draws each record: one bar (grouped by path), or one bar split by phase.
enum class ChartStack { none, phase };

struct ReportSpec {
    std::string title;
    std::vector<std::string> metrics; // per_call metric names (scenario_metrics())
    std::string reference;            // path deltas are against ("" = no deltas)
    std::string chart_metric; // the chart's and the ratios' metric; build_report: "" = the first
    double clock_ghz = 0;     // > 0: hits_per_s_warm = clock / warm cycles of the whole traced call
    std::vector<std::pair<std::string, std::string>> ratios; // numerator, denominator paths
    ChartStack chart_stack = ChartStack::none;
    std::string description; // the chart's subtitle (a scenario's description)
};

struct ReportValue {
    int64_t value = 0;
    std::optional<int64_t> delta; // value - reference value
    std::optional<double> factor; // value / reference value
};

struct ReportRow {
    Arch arch;
    std::string path, kernel, core, handler, regs_struct;
    bool supported = true;
    std::string reason;
    bool is_reference = false;
    bool checks_ok = true;
    std::vector<ReportValue> values; // one per spec metric
    int64_t chart_value = 0;         // the chart metric per call
    // The chart metric per call, phase by phase (traced minus untraced in each phase; they sum
    // to the per-call value), phases that ran in call order; only with ChartStack::phase.
    std::vector<std::pair<Phase, int64_t>> phase_values;
};

// One of the spec's ratios on one arch/core/handler: numerator / denominator of the chart metric
// (per call). No value when a side is missing, unsupported or 0.
struct RatioRow {
    Arch arch;
    std::string core, handler, numerator, denominator;
    std::optional<double> value;
};

struct ReportTable {
    ReportSpec spec;
    std::vector<RatioRow> ratios;
    std::vector<std::string> units; // per metric: "insns", "B", ...
    std::vector<ReportRow> rows;
    bool show_core = false;    // more than one core among the rows
    bool show_handler = false; // more than one handler among the rows
};

ReportTable build_report(const Results& results, const ReportSpec& spec);

// Can the metric be split by phase (a sum over the call's instructions)? Stack depth, lines
// touched, traps and hits/s are not.
bool stacks_by_phase(std::string_view metric);

// The unit a metric is counted in, as shown in column headers.
std::string_view unit_of(std::string_view metric);
// "bytes_stored" -> "bytes stored" (chart titles)
std::string label_of(std::string_view metric);
// "bytes_stored" -> "bytes st [B]" (compact column headers, unit included where not a count)
std::string header_of(std::string_view metric);
// "x1.93": the factor with as many digits as the integer counts justify (3 significant).
std::string factor_text(double factor);

} // namespace tracesim
