#include "report/phase_diff.h"

#include <fmt/format.h>

namespace tracesim {

namespace {

const Metrics* phase_metrics(const Record& r, Phase phase) {
    for (const PhaseMetrics& p : r.phases)
        if (p.phase == phase) return &p.metrics;
    return nullptr;
}

} // namespace

TextTable phase_diff_table(const Record& a, const Record& b, std::string_view a_label,
                           std::string_view b_label) {
    struct Column {
        const char* label;
        int64_t Metrics::*member;
    };
    const Column columns[] = {{"instrs", &Metrics::instructions},
                              {"loads", &Metrics::loads},
                              {"stores", &Metrics::stores},
                              {"bytes st", &Metrics::bytes_stored}};
    std::vector<std::string> headers = {"phase"};
    for (const Column& c : columns)
        for (std::string_view suffix : {a_label, b_label, std::string_view("diff")})
            headers.push_back(fmt::format("{} {}", c.label, suffix));
    std::vector<bool> numeric(headers.size(), true);
    numeric[0] = false;
    TextTable table(headers, numeric);
    auto add = [&](const std::string& name, const Metrics* ma, const Metrics* mb) {
        std::vector<std::string> row = {name};
        for (const Column& c : columns) {
            int64_t va = ma ? ma->*c.member : 0, vb = mb ? mb->*c.member : 0;
            row.push_back(ma ? std::to_string(va) : "-");
            row.push_back(mb ? std::to_string(vb) : "-");
            row.push_back(va == vb ? "" : fmt::format("{:+}", vb - va));
        }
        table.add_row(row);
    };
    for (Phase phase : all_phases) {
        const Metrics *ma = phase_metrics(a, phase), *mb = phase_metrics(b, phase);
        if (ma || mb) add(std::string(name_of(phase)), ma, mb);
    }
    add("per call", &a.per_call, &b.per_call);
    return table;
}

} // namespace tracesim
