// What a scenario asks its report to show (the metrics, the reference path, the chart): data
// the engine carries from the scenario file to the views, which build their tables from it
// (report/report_table.h).
#pragma once

#include <string>
#include <utility>
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

} // namespace tracesim
