// The table a scenario shows, built once from Results: the chosen metrics per record plus, when
// the scenario names a reference path, each value's delta against that path on the same arch
// (absolute and as a factor). Every renderer of tables (text, Markdown, LaTeX, CSV, SVG) formats
// this; none of them computes a number.
#pragma once

#include "sim/metric_table.h"
#include "sim/report_spec.h"
#include "sim/results.h"

#include <optional>
#include <string>
#include <vector>

namespace tracesim {

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

// "x1.93": the factor with as many digits as the integer counts justify (3 significant).
std::string factor_text(double factor);

} // namespace tracesim
