// How wide a line of chart text is, without a font engine: DejaVu Sans advance widths (the
// charts' first font), rounded up, so a layout that fits here fits when a browser or librsvg
// draws it. Used by the chart views to wrap titles, place legends and rotate crowded labels.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

// Width in px of `text` at `font_size` px (UTF-8; characters we have no width for count 1 em).
double text_width(std::string_view text, double font_size, bool bold = false);

// Greedy line breaking to `max_width`: breaks after a space (dropped) or after any character of
// `break_after` (kept, e.g. "-" in path names). A word longer than the line stays whole.
std::vector<std::string> wrap_text(std::string_view text, double font_size, double max_width,
                                   bool bold = false, std::string_view break_after = "");

} // namespace tracesim
