#include "report/render.h"

#include "sim/scenario.h"

#include <algorithm>

namespace tracesim {

Expected<Format> parse_format(std::string_view name) {
    if (name == "text") return Format::text;
    if (name == "md" || name == "markdown") return Format::markdown;
    if (name == "csv") return Format::csv;
    if (name == "latex" || name == "tex") return Format::latex;
    if (name == "svg") return Format::svg;
    if (name == "png") return Format::png;
    if (name == "pdf") return Format::pdf;
    if (name == "pgfplots" || name == "tikz") return Format::pgfplots;
    if (name == "json") return Format::json;
    return usage_error(
        "unknown format '{}' (known: text, md, csv, latex, svg, png, pdf, pgfplots, json)", name);
}

ReportSpec default_report_spec() {
    return ReportSpec{"Overhead per traced call (traced minus untraced call)",
                      {"instructions", "loads", "stores", "bytes_loaded", "bytes_stored",
                       "lines_touched", "max_stack_depth", "traps", "cycles_cold", "cycles_warm"},
                      "",
                      "instructions"};
}

std::string render(const Results& results, Format format, const RenderOptions& options) {
    if (format == Format::json) return render_json(results);
    ReportSpec spec = options.spec.metrics.empty() ? default_report_spec() : options.spec;
    ReportTable table = build_report(results, spec);
    switch (format) {
    case Format::markdown:
        return render_report_markdown(table);
    case Format::csv:
        return render_report_csv(table);
    case Format::latex:
        return render_report_latex(table);
    case Format::svg:
    case Format::png:
    case Format::pdf:
        return render_report_svg(table);
    case Format::pgfplots:
        return render_report_pgfplots(table);
    default:
        break;
    }
    std::string out = render_report_text(table);
    std::vector<std::string> cores;
    for (const Record& r : results.records)
        if (!r.core.empty() && std::find(cores.begin(), cores.end(), r.core) == cores.end())
            cores.push_back(r.core);
    out += cores.empty() ? "\ncycles: not modeled in this run; counts are exact emulator counts.\n"
                         : fmt::format("\ncycles: modeled on {} (cold: empty caches and "
                                       "predictors; warm: steady state). "
                                       "Counts are exact emulator counts.\n",
                                       fmt::join(cores, ", "));
    if (options.phases) out += render_phases_text(results);
    return out;
}

std::string render_paths(const Catalogue& catalogue, Format format) {
    return format == Format::json ? render_paths_json(catalogue) : render_paths_text(catalogue);
}

} // namespace tracesim
