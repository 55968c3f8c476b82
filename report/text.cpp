// Text extras: the per-phase breakdown (`run --phases`) and the path list. Example:
//
//   x86_64 ftrace (kernel 6.14): the traced call by phase
//
//   phase     instrs  loads  stores  bytes ld  bytes st  lines  stack
//   save          16      2      11        16        88      3    152
#include "report/render.h"
#include "report/table.h"

namespace tracesim {

namespace {

std::vector<std::string> metric_cells(const Metrics& m) {
    std::vector<std::string> cells;
    for_each_metric(
        m, [&](std::string_view, int64_t value) { cells.push_back(std::to_string(value)); });
    return cells;
}

} // namespace

std::string render_phases_text(const Results& results) {
    std::string out;
    for (const Record& r : results.records) {
        if (!r.supported) continue;
        out += fmt::format("\n{} {} (kernel {}): the traced call by phase\n\n", r.arch, r.path,
                           r.kernel);
        TextTable phases(
            {"phase", "instrs", "loads", "stores", "bytes ld", "bytes st", "lines", "stack"},
            {false, true, true, true, true, true, true, true});
        for (const PhaseMetrics& p : r.phases) {
            std::vector<std::string> row = {std::string(name_of(p.phase))};
            for (std::string& cell : metric_cells(p.metrics))
                row.push_back(std::move(cell));
            phases.add_row(row);
        }
        std::vector<std::string> total = {"total"};
        for (std::string& cell : metric_cells(r.traced))
            total.push_back(std::move(cell));
        phases.add_row(total);
        out += phases.str();
    }
    return out;
}

std::string render_paths_text(const Catalogue& catalogue) {
    TextTable table({"path", "arch", "kernel", "handler gets", "models"},
                    {false, false, false, false, false});
    for (const PathSpec& p : catalogue.paths) {
        if (!p.supported) {
            table.add_note_row({p.name, std::string(name_of(p.arch)), p.kernel, "-"},
                               "not supported: " + p.reason);
            continue;
        }
        table.add_row({p.name, std::string(name_of(p.arch)), p.kernel, p.regs_struct, p.models});
    }
    return table.str();
}

} // namespace tracesim
