// Tables in four formats from one ReportTable. Text example (reference fprobe):
//
//   arch    path            kernel  handler gets  instrs            checks
//   x86_64  fprobe-rethook  6.1     pt_regs       161 (+43, x1.36)           ok
//   x86_64  fprobe          6.14    ftrace_regs   118 (reference)            ok
//
// Markdown: a GitHub table; LaTeX: booktabs, every cell escaped; CSV: RFC 4180, one column per
// value, delta and factor, so spreadsheets need no parsing.
#include "report/render.h"
#include "report/report_table.h"
#include "report/table.h"

namespace tracesim {

namespace {

struct Layout {
    std::vector<std::string> headers;
    std::vector<bool> numeric;
};

Layout layout_of(const ReportTable& t) {
    Layout l;
    auto add = [&](std::string h, bool n) {
        l.headers.push_back(std::move(h));
        l.numeric.push_back(n);
    };
    add("arch", false);
    add("path", false);
    add("kernel", false);
    if (t.show_handler) add("handler", false);
    if (t.show_core) add("core", false);
    add("handler gets", false);
    for (size_t i = 0; i < t.spec.metrics.size(); ++i)
        add(header_of(t.spec.metrics[i]), true);
    add("checks", false);
    return l;
}

std::vector<std::string> lead_cells(const ReportTable& t, const ReportRow& r) {
    std::vector<std::string> cells = {std::string(name_of(r.arch)), r.path, r.kernel};
    if (t.show_handler) cells.push_back(r.handler);
    if (t.show_core) cells.push_back(r.core.empty() ? "-" : r.core);
    return cells;
}

// Rates are shown in millions ("107.1 M"); counts as they are.
std::string number_text(int64_t value, std::string_view unit, bool sign = false) {
    if (unit == "hits/s") {
        double millions = static_cast<double>(value) / 1e6;
        return sign ? fmt::format("{:+.1f} M", millions) : fmt::format("{:.1f} M", millions);
    }
    return sign ? fmt::format("{:+}", value) : fmt::format("{}", value);
}

std::string value_text(const ReportRow& r, const ReportValue& v, std::string_view unit) {
    if (r.is_reference) return number_text(v.value, unit) + " (reference)";
    if (!v.delta) return number_text(v.value, unit);
    return fmt::format("{} ({}{})", number_text(v.value, unit), number_text(*v.delta, unit, true),
                       v.factor ? ", " + factor_text(*v.factor) : "");
}

// The spec's ratios, one row per arch/core/handler and ratio: headers and cells for every format.
Layout ratio_layout(const ReportTable& t) {
    Layout l;
    auto add = [&](std::string h, bool n) {
        l.headers.push_back(std::move(h));
        l.numeric.push_back(n);
    };
    add("arch", false);
    if (t.show_core) add("core", false);
    if (t.show_handler) add("handler", false);
    add("ratio", false);
    add("value", true);
    return l;
}

std::vector<std::string> ratio_cells(const ReportTable& t, const RatioRow& r) {
    std::vector<std::string> cells = {std::string(name_of(r.arch))};
    if (t.show_core) cells.push_back(r.core.empty() ? "-" : r.core);
    if (t.show_handler) cells.push_back(r.handler);
    cells.push_back(r.numerator + " / " + r.denominator);
    cells.push_back(r.value ? factor_text(*r.value) : "-");
    return cells;
}

TextTable build_ratio_table(const ReportTable& t) {
    Layout l = ratio_layout(t);
    TextTable table(l.headers, l.numeric);
    for (const RatioRow& r : t.ratios)
        table.add_row(ratio_cells(t, r));
    return table;
}

std::string ratio_title(const ReportTable& t) {
    return fmt::format("Ratios of {} per call", label_of(t.spec.chart_metric));
}

TextTable build_text_table(const ReportTable& t) {
    Layout l = layout_of(t);
    TextTable table(l.headers, l.numeric);
    for (const ReportRow& r : t.rows) {
        std::vector<std::string> cells = lead_cells(t, r);
        if (!r.supported) {
            cells.push_back("-");
            table.add_note_row(cells, "not supported: " + r.reason);
            continue;
        }
        cells.push_back(r.regs_struct);
        for (size_t i = 0; i < r.values.size(); ++i)
            cells.push_back(value_text(r, r.values[i], t.units[i]));
        cells.push_back(r.checks_ok ? "ok" : "FAIL");
        table.add_row(cells);
    }
    return table;
}

std::string latex_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '\\':
            out += "\\textbackslash{}";
            break;
        case '&':
        case '%':
        case '$':
        case '#':
        case '_':
        case '{':
        case '}':
            out += '\\';
            out += c;
            break;
        case '~':
            out += "\\textasciitilde{}";
            break;
        case '^':
            out += "\\textasciicircum{}";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

} // namespace

std::string render_report_text(const ReportTable& t) {
    std::string out = t.spec.title.empty() ? "" : t.spec.title + "\n\n";
    out += build_text_table(t).str();
    if (!t.spec.reference.empty())
        out += fmt::format("\n(+N, xF): per-call difference from {} on the same arch.\n",
                           t.spec.reference);
    if (!t.ratios.empty()) out += "\n" + ratio_title(t) + "\n\n" + build_ratio_table(t).str();
    return out;
}

std::string render_report_markdown(const ReportTable& t) {
    std::string out = t.spec.title.empty() ? "" : "## " + t.spec.title + "\n\n";
    out += build_text_table(t).markdown();
    if (!t.spec.reference.empty())
        out += fmt::format("\n(+N, xF): per-call difference from `{}` on the same arch.\n",
                           t.spec.reference);
    if (!t.ratios.empty())
        out += "\n### " + ratio_title(t) + "\n\n" + build_ratio_table(t).markdown();
    return out;
}

std::string render_report_latex(const ReportTable& t) {
    Layout l = layout_of(t);
    std::string columns;
    for (bool n : l.numeric)
        columns += n ? 'r' : 'l';
    std::string out =
        "% tracesim: " + latex_escape(t.spec.title) + "\n% needs \\usepackage{booktabs}\n";
    out += "\\begin{tabular}{" + columns + "}\n\\toprule\n";
    std::vector<std::string> head;
    for (const std::string& h : l.headers)
        head.push_back(latex_escape(h));
    out += fmt::format("{} \\\\\n\\midrule\n", fmt::join(head, " & "));
    for (const ReportRow& r : t.rows) {
        std::vector<std::string> cells;
        for (const std::string& c : lead_cells(t, r))
            cells.push_back(latex_escape(c));
        if (!r.supported) {
            cells.push_back(fmt::format("\\multicolumn{{{}}}{{l}}{{not supported: {}}}",
                                        l.headers.size() - cells.size(), latex_escape(r.reason)));
        } else {
            cells.push_back(latex_escape(r.regs_struct));
            for (size_t i = 0; i < r.values.size(); ++i)
                cells.push_back(latex_escape(value_text(r, r.values[i], t.units[i])));
            cells.push_back(r.checks_ok ? "ok" : "FAIL");
        }
        out += fmt::format("{} \\\\\n", fmt::join(cells, " & "));
    }
    out += "\\bottomrule\n\\end{tabular}\n";
    if (!t.ratios.empty()) {
        Layout r = ratio_layout(t);
        std::string ratio_columns;
        for (bool n : r.numeric)
            ratio_columns += n ? 'r' : 'l';
        std::vector<std::string> ratio_head;
        for (const std::string& h : r.headers)
            ratio_head.push_back(latex_escape(h));
        out += "% " + latex_escape(ratio_title(t)) + "\n\\begin{tabular}{" + ratio_columns +
               "}\n\\toprule\n";
        out += fmt::format("{} \\\\\n\\midrule\n", fmt::join(ratio_head, " & "));
        for (const RatioRow& row : t.ratios) {
            std::vector<std::string> cells;
            for (const std::string& c : ratio_cells(t, row))
                cells.push_back(latex_escape(c));
            out += fmt::format("{} \\\\\n", fmt::join(cells, " & "));
        }
        out += "\\bottomrule\n\\end{tabular}\n";
    }
    return out;
}

std::string render_report_csv(const ReportTable& t) {
    std::vector<std::string> head = {"arch", "path",        "kernel",   "handler",
                                     "core", "regs_struct", "supported"};
    for (const std::string& m : t.spec.metrics) {
        head.push_back(m);
        if (!t.spec.reference.empty()) {
            head.push_back(m + "_delta");
            head.push_back(m + "_factor");
        }
    }
    head.push_back("checks");
    head.push_back("reason");
    std::string out = fmt::format("{}\n", fmt::join(head, ","));
    for (const ReportRow& r : t.rows) {
        std::vector<std::string> cells = {
            std::string(name_of(r.arch)),  r.path, r.kernel, r.handler, r.core, r.regs_struct,
            r.supported ? "true" : "false"};
        for (size_t i = 0; i < t.spec.metrics.size(); ++i) {
            const ReportValue* v = r.supported ? &r.values[i] : nullptr;
            cells.push_back(v ? std::to_string(v->value) : ""); // rates in hits/s, unscaled
            if (!t.spec.reference.empty()) {
                cells.push_back(v && v->delta ? std::to_string(*v->delta) : "");
                cells.push_back(v && v->factor ? fmt::format("{:.3f}", *v->factor) : "");
            }
        }
        cells.push_back(r.supported ? (r.checks_ok ? "ok" : "FAIL") : "");
        cells.push_back(r.reason);
        for (std::string& c : cells)
            c = csv_field(c);
        out += fmt::format("{}\n", fmt::join(cells, ","));
    }
    return out;
}

} // namespace tracesim
