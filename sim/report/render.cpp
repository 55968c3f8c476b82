#include "sim/report/render.h"

#include "sim/scenario.h"

namespace tracesim {

Expected<Format> parse_format(std::string_view name) {
    if (name == "text") return Format::text;
    if (name == "md" || name == "markdown") return Format::markdown;
    if (name == "csv") return Format::csv;
    if (name == "latex" || name == "tex") return Format::latex;
    if (name == "svg") return Format::svg;
    if (name == "json") return Format::json;
    return usage_error("unknown format '{}' (known: text, md, csv, latex, svg, json)", name);
}

ReportSpec default_report_spec() {
    return ReportSpec{"Overhead per traced call (traced minus untraced call)", scenario_metrics(), "",
                      "instructions"};
}

std::string render(const Results& results, Format format, const RenderOptions& options) {
    if (format == Format::json) return render_json(results);
    ReportSpec spec = options.spec.metrics.empty() ? default_report_spec() : options.spec;
    ReportTable table = build_report(results, spec);
    switch (format) {
    case Format::markdown: return render_report_markdown(table);
    case Format::csv: return render_report_csv(table);
    case Format::latex: return render_report_latex(table);
    case Format::svg: return render_report_svg(table);
    default: break;
    }
    std::string out = render_report_text(table);
    out += "\ncycles: not modeled (no timing model in this build); counts are exact emulator counts.\n";
    if (options.phases) out += render_phases_text(results);
    return out;
}

std::string render_paths(const Catalogue& catalogue, Format format) {
    return format == Format::json ? render_paths_json(catalogue) : render_paths_text(catalogue);
}

} // namespace tracesim
