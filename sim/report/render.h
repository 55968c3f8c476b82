// Renderers: every output format of tracesim, from the same Results. They format; they never
// compute a number (a number shown in two formats was computed once, in sim/runner.cpp).
#pragma once

#include "isa/expected.h"
#include "sim/catalogue.h"
#include "sim/results.h"

#include <string>

namespace tracesim {

enum class Format { text, markdown, json };

Expected<Format> parse_format(std::string_view name);

struct RenderOptions {
    bool phases = false; // text: also print the per-phase breakdown of each traced call
};

std::string render(const Results& results, Format format, const RenderOptions& options = {});
std::string render_paths(const Catalogue& catalogue, Format format);

// Each format in its own file: report/text.cpp, report/json.cpp.
std::string render_text(const Results& results, const RenderOptions& options);
std::string render_json(const Results& results);
std::string render_paths_text(const Catalogue& catalogue);
std::string render_paths_json(const Catalogue& catalogue);

} // namespace tracesim
