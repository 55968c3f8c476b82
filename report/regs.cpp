// The register-truth views (`tracesim regs`). One path:
//
//   x86_64 ftrace (kernel 6.14): the ftrace_regs the entry handler is given
//
//   field    status   expected            seen                lost bits  write-back
//   di       exact    0x1111              0x1111                         takes effect
//   flags    stale    0x247               0x5a5a5a5a5a5a5a5a             ignored
//   cs       faked    0x10                0x0
//
// --all: the matrix, fields as rows and paths as columns, one per arch and end (entry / exit):
// the slide that answers "what can my handler trust?". Statuses: docs/regs.md.
#include "report/regs.h"

#include "report/table.h"

#include <algorithm>

namespace tracesim {

namespace {

std::string hex(const std::optional<uint64_t>& value) {
    return value ? fmt::format("{:#x}", *value) : "-";
}

std::string cell(const FieldCheck& c) {
    if (c.status != FieldStatus::partial) return std::string(name_of(c.status));
    return fmt::format("partial (lost {})", fmt::join(c.lost_bits, " "));
}

std::string emit(const TextTable& table, Format format) {
    return format == Format::markdown ? table.markdown() : table.str();
}

} // namespace

std::string render_regs(const Results& results, Format format) {
    std::string out;
    for (const Record& r : results.records) {
        if (!r.supported) {
            out += fmt::format("{} {} (kernel {}): not supported: {}\n\n", r.arch, r.path, r.kernel,
                               r.reason);
            continue;
        }
        for (const char* at : {"entry", "exit"}) {
            TextTable table({"field", "status", "expected", "seen", "lost bits", "write-back"},
                            {false, false, true, true, false, false});
            std::string regs_struct;
            for (const FieldCheck& c : r.regs_check) {
                if (c.at != at) continue;
                regs_struct = c.regs_struct;
                table.add_row({c.field, std::string(name_of(c.status)), hex(c.expected),
                               c.status == FieldStatus::absent ? "-" : hex(c.seen),
                               fmt::format("{}", fmt::join(c.lost_bits, " ")),
                               c.write_back.value_or("")});
            }
            if (regs_struct.empty()) continue;
            out += fmt::format("{}{} {} (kernel {}): the {} the {} handler is given\n\n",
                               format == Format::markdown ? "### " : "", r.arch, r.path, r.kernel,
                               regs_struct, at);
            out += emit(table, format) + "\n";
        }
    }
    return out;
}

std::string render_regs_matrix(const Results& results, Format format) {
    std::string out;
    for (Arch arch : all_arches) {
        for (const char* at : {"entry", "exit"}) {
            std::vector<const Record*> columns;
            std::vector<std::string> rows; // fields in first-seen order
            for (const Record& r : results.records) {
                if (r.arch != arch || !r.supported) continue;
                bool any = false;
                for (const FieldCheck& c : r.regs_check) {
                    if (c.at != at) continue;
                    any = true;
                    if (std::find(rows.begin(), rows.end(), c.row) == rows.end())
                        rows.push_back(c.row);
                }
                if (any) columns.push_back(&r);
            }
            if (columns.empty()) continue;
            std::vector<std::string> headers = {"field"};
            for (const Record* r : columns)
                headers.push_back(fmt::format("{} {}", r->path, r->kernel));
            TextTable table(headers, std::vector<bool>(headers.size(), false));
            for (const std::string& field : rows) {
                std::vector<std::string> line = {field};
                for (const Record* r : columns) {
                    std::string value = "-";
                    for (const FieldCheck& c : r->regs_check)
                        if (c.at == at && c.row == field) value = cell(c);
                    line.push_back(value);
                }
                table.add_row(line);
            }
            out += fmt::format("{}{}: what the {} handler is given\n\n",
                               format == Format::markdown ? "### " : "", arch, at);
            out += emit(table, format) + "\n";
        }
    }
    return out;
}

} // namespace tracesim
