// What a chart shows, gathered once from the report table for every chart view (SVG and, through
// it, PNG and PDF; pgfplots): groups of bars, their segments and colours, the legend. It arranges
// the table's numbers; it computes none (a stacked bar's segments are the table's phase values).
#pragma once

#include "report/report_table.h"

#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

struct ChartData {
    struct Group {
        std::string name;   // the path (with @era where an arch shows several eras)
        std::string kernel; // "Linux 6.14" (several joined), "" when the path has no era
    };
    struct LegendEntry {
        std::string label;
        std::string_view colour;
    };
    struct Segment {
        std::string name; // the phase, or the series of an unsplit bar
        int64_t value = 0;
        std::string_view colour;
        std::string tooltip; // "x86_64 fentry: dispatch 12 insns"
    };
    struct Bar {
        size_t group = 0, series = 0;
        bool supported = true;
        std::string reason;
        int64_t value = 0; // the per-call value (the segments sum to it)
        std::string label; // as printed over the bar
        std::vector<Segment> segments;
    };
    std::string metric;
    std::vector<Group> groups;
    std::vector<std::string> series; // arch (+ core, handler)
    std::vector<LegendEntry> legend;
    std::vector<Bar> bars;
    int64_t min_value = 0, max_value = 0; // the lowest and highest a bar's stack reaches
    std::string footnote;
};

ChartData chart_data(const ReportTable& table);

} // namespace tracesim
