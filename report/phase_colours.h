// One colour per phase, the same in every chart (SVG, PNG, PDF, pgfplots) and timeline export,
// so a slide's "dispatch" is the same orange everywhere. Colour-blind-safe Tableau 10 order,
// with the costly phases (save, dispatch, handler, restore) on the most distinct hues.
#pragma once

#include "base/phase.h"

#include <string_view>

namespace tracesim {

constexpr std::string_view colour_of(Phase phase) {
    switch (phase) {
    case Phase::caller:
        return "#bab0ac";
    case Phase::site:
        return "#9c755f";
    case Phase::trap:
        return "#e15759";
    case Phase::save:
        return "#4e79a7";
    case Phase::dispatch:
        return "#f28e2b";
    case Phase::handler:
        return "#59a14f";
    case Phase::restore:
        return "#76b7b2";
    case Phase::trap_return:
        return "#ff9da7";
    case Phase::hijack:
        return "#b07aa1";
    case Phase::body:
        return "#edc948";
    case Phase::unmapped:
        return "#555555";
    }
    return "#000000";
}

// Colours of a grouped chart's series (arch, core, handler), in order of appearance.
inline constexpr std::string_view series_colours[] = {"#4e79a7", "#f28e2b", "#59a14f",
                                                      "#e15759", "#76b7b2", "#edc948"};

} // namespace tracesim
