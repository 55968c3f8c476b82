// Text: the table `make demo` prints. Example:
//
//   Overhead per traced call (traced minus untraced call), handler read-args
//
//   arch    path         kernel  handler gets  instrs  loads  stores  bytes ld  bytes st  lines  stack  checks
//   x86_64  ftrace       6.14    ftrace_regs       36     12      14        96       112      4    176  ok
//
// instrs/loads/stores: instructions and memory accesses; bytes ld/st: bytes moved; lines:
// distinct 64-byte data lines; stack: extra bytes of stack reached; checks: the traced function
// returned the same value, kept callee-saved registers and the stack, and the handler saw the
// true arguments ("FAIL" lists what broke).
#include "sim/report/render.h"
#include "sim/report/table.h"

namespace tracesim {

namespace {

std::vector<std::string> metric_cells(const Metrics& m) {
    std::vector<std::string> cells;
    for_each_metric(m, [&](std::string_view, int64_t value) { cells.push_back(std::to_string(value)); });
    return cells;
}

const std::vector<std::string> metric_headers = {"instrs", "loads", "stores", "bytes ld",
                                                 "bytes st", "lines", "stack"};

} // namespace

std::string render_text(const Results& results, const RenderOptions& options) {
    std::string handlers;
    for (const Record& r : results.records)
        if (handlers.find(r.handler) == std::string::npos)
            handlers += (handlers.empty() ? "" : ", ") + r.handler;
    std::string out = fmt::format("Overhead per traced call (traced minus untraced call), handler {}\n\n", handlers);

    std::vector<std::string> headers = {"arch", "path", "kernel", "handler gets"};
    headers.insert(headers.end(), metric_headers.begin(), metric_headers.end());
    headers.insert(headers.end(), {"traps", "checks"});
    std::vector<bool> numeric(headers.size(), true);
    for (size_t c : {0, 1, 2, 3}) numeric[c] = false;
    numeric.back() = false;
    TextTable table(headers, numeric);
    for (const Record& r : results.records) {
        std::vector<std::string> lead = {std::string(name_of(r.arch)), r.path, r.kernel};
        if (!r.supported) {
            lead.push_back("-");
            table.add_note_row(lead, "not supported: " + r.reason);
            continue;
        }
        std::vector<std::string> row = lead;
        row.push_back(r.regs_struct);
        for (std::string& cell : metric_cells(r.per_call)) row.push_back(std::move(cell));
        row.push_back(std::to_string(r.traps));
        row.push_back(r.checks.ok() ? "ok" : "FAIL: " + r.checks.problems.front());
        table.add_row(row);
    }
    out += table.str();
    out += "\ncycles: not modeled (no timing model in this build); counts are exact emulator counts.\n";

    if (options.phases) {
        for (const Record& r : results.records) {
            if (!r.supported) continue;
            out += fmt::format("\n{} {} (kernel {}): the traced call by phase\n\n", r.arch, r.path, r.kernel);
            std::vector<std::string> h = {"phase"};
            h.insert(h.end(), metric_headers.begin(), metric_headers.end());
            std::vector<bool> n(h.size(), true);
            n[0] = false;
            TextTable phases(h, n);
            for (const PhaseMetrics& p : r.phases) {
                std::vector<std::string> row = {std::string(name_of(p.phase))};
                for (std::string& cell : metric_cells(p.metrics)) row.push_back(std::move(cell));
                phases.add_row(row);
            }
            std::vector<std::string> total = {"total"};
            for (std::string& cell : metric_cells(r.traced)) total.push_back(std::move(cell));
            phases.add_row(total);
            out += phases.str();
        }
    }
    return out;
}

std::string render_paths_text(const Catalogue& catalogue) {
    TextTable table({"path", "arch", "kernel", "handler gets", "models"}, {false, false, false, false, false});
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
