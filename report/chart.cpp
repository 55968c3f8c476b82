#include "report/chart.h"

#include "report/phase_colours.h"

#include <algorithm>

namespace tracesim {

namespace {

template <class T> size_t index_of(std::vector<T>& list, const T& value) {
    auto it = std::find(list.begin(), list.end(), value);
    if (it != list.end()) return static_cast<size_t>(it - list.begin());
    list.push_back(value);
    return list.size() - 1;
}

} // namespace

ChartData chart_data(const ReportTable& t) {
    ChartData c;
    c.metric = t.spec.chart_metric;
    const bool stacked = t.spec.chart_stack == ChartStack::phase;
    auto series_of = [&](const ReportRow& r) {
        std::string s(name_of(r.arch));
        if (t.show_core && !r.core.empty()) s += " " + r.core;
        if (t.show_handler) s += " " + r.handler;
        return s;
    };
    // One group per path; per path and era only where an arch shows several eras of a path.
    bool eras_differ = false;
    for (const ReportRow& a : t.rows)
        for (const ReportRow& b : t.rows)
            if (&a != &b && a.arch == b.arch && a.path == b.path && a.core == b.core &&
                a.handler == b.handler && a.kernel != b.kernel)
                eras_differ = true;
    std::vector<std::string> group_keys;
    std::vector<std::vector<std::string>> group_kernels;
    bool any_unsupported = false, any_negative = false, any_unsplit = false;
    std::vector<Phase> phases_shown;
    for (const ReportRow& r : t.rows) {
        std::string key = eras_differ ? r.path + "@" + r.kernel : r.path;
        size_t g = index_of(group_keys, key);
        if (group_kernels.size() <= g) group_kernels.resize(g + 1);
        if (r.kernel != "any") index_of(group_kernels[g], r.kernel);
        ChartData::Bar bar;
        bar.group = g;
        if (r.supported) {
            bar.series = index_of(c.series, series_of(r));
        } else { // no core or handler ran: the mark goes to the arch's first series
            std::string arch(name_of(r.arch));
            auto first = std::find_if(c.series.begin(), c.series.end(), [&](const std::string& s) {
                return s == arch || s.starts_with(arch + " ");
            });
            bar.series = first != c.series.end() ? static_cast<size_t>(first - c.series.begin())
                                                 : index_of(c.series, arch);
        }
        bar.supported = r.supported;
        bar.reason = r.reason;
        if (!r.supported) {
            any_unsupported = true;
            bool marked = std::any_of(c.bars.begin(), c.bars.end(), [&](const ChartData::Bar& b) {
                return b.group == bar.group && b.series == bar.series;
            }); // one mark per slot: each core's run of an unsupported path says the same
            if (!marked) c.bars.push_back(std::move(bar));
            continue;
        }
        bar.value = r.chart_value;
        bar.label = std::to_string(r.chart_value);
        const std::string who = series_of(r) + " " + key;
        const std::string unit(unit_of(c.metric));
        if (stacked && !r.phase_values.empty()) {
            for (const auto& [phase, value] : r.phase_values) {
                bar.segments.push_back({std::string(name_of(phase)), value, colour_of(phase),
                                        fmt::format("{}: {} {} {}", who, phase, value, unit)});
                index_of(phases_shown, phase);
                any_negative = any_negative || value < 0;
            }
        } else if (stacked && bar.value != 0) { // no untraced phases to split by: said so
            any_unsplit = true;
            bar.segments.push_back(
                {"not split", bar.value, "#cccccc",
                 fmt::format("{}: {} {} (not split by phase)", who, bar.value, unit)});
        } else {
            bar.segments.push_back({c.series[bar.series], bar.value,
                                    series_colours[bar.series % std::size(series_colours)],
                                    fmt::format("{}: {} {}", who, bar.value, unit)});
        }
        int64_t up = 0, down = 0;
        for (const ChartData::Segment& s : bar.segments)
            (s.value >= 0 ? up : down) += s.value;
        c.max_value = std::max(c.max_value, up);
        c.min_value = std::min(c.min_value, down);
        c.bars.push_back(std::move(bar));
    }
    for (size_t g = 0; g < group_keys.size(); ++g) {
        std::string name = group_keys[g].substr(0, group_keys[g].find('@'));
        std::string kernel = group_kernels[g].empty()
                                 ? ""
                                 : fmt::format("Linux {}", fmt::join(group_kernels[g], ", "));
        c.groups.push_back({name, kernel});
    }
    if (stacked) {
        for (Phase p : all_phases)
            if (std::find(phases_shown.begin(), phases_shown.end(), p) != phases_shown.end())
                c.legend.push_back({std::string(name_of(p)), colour_of(p)});
        if (any_unsplit) c.legend.push_back({"not split by phase", "#cccccc"});
    } else {
        for (size_t s = 0; s < c.series.size(); ++s)
            c.legend.push_back({c.series[s], series_colours[s % std::size(series_colours)]});
    }
    std::vector<std::string> notes;
    if (any_unsupported) notes.push_back("n/s: not supported on that arch (the tables say why).");
    if (stacked)
        notes.push_back("Each phase: its share in the traced call minus the same phase in the "
                        "untraced one" +
                        std::string(any_negative ? "; below 0: what the probe skipped." : "."));
    notes.push_back("tracesim: emulated counts, cycles from the timing model.");
    c.footnote = fmt::format("{}", fmt::join(notes, " "));
    return c;
}

} // namespace tracesim
