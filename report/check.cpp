#include "report/check.h"

#include "report/table.h"

#include <algorithm>

namespace tracesim {

namespace {

std::string kind_text(ChangeKind k) {
    return k == ChangeKind::regression    ? "regression"
           : k == ChangeKind::improvement ? "improvement"
                                          : "changed";
}

TextTable change_table(const CheckReport& report) {
    TextTable table({"scenario", "record", "where", "metric", "old", "new", "delta", "", "verdict"},
                    {false, false, false, false, true, true, true, true, false});
    for (const Change& c : report.changes)
        table.add_row(
            {c.scenario, c.record, c.where, c.metric, c.old_value, c.new_value,
             c.numeric ? fmt::format("{:+g}", c.delta) : "",
             c.numeric && c.relative != 0 ? fmt::format("{:+.1f}%", 100 * c.relative) : "",
             kind_text(c.kind)});
    return table;
}

std::string summary(const CheckReport& report) {
    size_t regressions = 0, improvements = 0;
    for (const Change& c : report.changes) {
        if (c.kind == ChangeKind::improvement)
            ++improvements;
        else
            ++regressions;
    }
    return fmt::format(
        "{} scenario(s), {} records, {} values compared: {} regression(s) or change(s), "
        "{} improvement(s), {} values unchanged",
        report.scenarios.size(), report.records, report.values, regressions, improvements,
        report.values - std::min(report.values, report.changes.size()));
}

} // namespace

std::string render_check_text(const CheckReport& report) {
    if (report.changes.empty()) return summary(report) + "\n";
    return change_table(report).str() + "\n" + summary(report) + "\n";
}

std::string render_check_markdown(const CheckReport& report) {
    std::string out = "### tracesim check\n\n";
    if (!report.changes.empty()) out += change_table(report).markdown() + "\n";
    return out + summary(report) + ".\n";
}

} // namespace tracesim
