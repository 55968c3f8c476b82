// Renderers: every output format of tracesim, from the same Results. They format; they never
// compute a number (a number shown in two formats was computed once: per call in the runner,
// deltas against the reference in build_report).
#pragma once

#include "base/expected.h"
#include "sim/catalogue.h"
#include "report/report_table.h"
#include "sim/results.h"

#include <string>

namespace tracesim {

// png and pdf: the SVG chart, converted by rsvg-convert where the output is written
// (cli/chart_file.h); render() gives their SVG.
enum class Format { text, markdown, csv, latex, svg, png, pdf, pgfplots, json };

Expected<Format> parse_format(std::string_view name);

struct RenderOptions {
    ReportSpec spec;     // columns, reference, title; default: every metric
    bool phases = false; // text: also print the per-phase breakdown of each traced call
};

// The spec `tracesim run` uses without a scenario: every metric, no reference.
ReportSpec default_report_spec();

std::string render(const Results& results, Format format, const RenderOptions& options = {});
std::string render_paths(const Catalogue& catalogue, Format format);

// Each format in its own file: report/tables.cpp, report/svg.cpp, report/pgfplots.cpp, report/json.cpp, report/text.cpp.
std::string render_report_text(const ReportTable& table);
std::string render_report_markdown(const ReportTable& table);
std::string render_report_latex(const ReportTable& table);
std::string render_report_csv(const ReportTable& table);
std::string render_report_svg(const ReportTable& table);
std::string render_report_pgfplots(const ReportTable& table);
std::string render_json(const Results& results);
std::string render_phases_text(const Results& results);
std::string render_paths_text(const Catalogue& catalogue);
std::string render_paths_json(const Catalogue& catalogue);

} // namespace tracesim
