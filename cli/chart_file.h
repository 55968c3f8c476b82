// The bytes a `--format` writes: render()'s text, or for png and pdf its SVG chart converted by
// rsvg-convert (librsvg, a dependency already), run as a child under a time limit.
#pragma once

#include "base/expected.h"
#include "report/render.h"

#include <string>

namespace tracesim {

Expected<std::string> render_output(const Results& results, Format format,
                                    const RenderOptions& options = {});

} // namespace tracesim
