#include "sim/report/render.h"

namespace tracesim {

Expected<Format> parse_format(std::string_view name) {
    if (name == "text") return Format::text;
    if (name == "json") return Format::json;
    if (name == "md" || name == "markdown") return Format::markdown;
    return usage_error("unknown format '{}' (known: text, md, json)", name);
}

std::string render(const Results& results, Format format, const RenderOptions& options) {
    return format == Format::json ? render_json(results) : render_text(results, options);
}

std::string render_paths(const Catalogue& catalogue, Format format) {
    return format == Format::json ? render_paths_json(catalogue) : render_paths_text(catalogue);
}

} // namespace tracesim
