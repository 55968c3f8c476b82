#include "base/phase.h"

#include <string>

namespace tracesim {

std::optional<std::string_view> phase_label_name(std::string_view symbol) {
    constexpr std::string_view prefix = "phase.";
    if (!symbol.starts_with(prefix)) return std::nullopt;
    std::string_view rest = symbol.substr(prefix.size());
    size_t dot = rest.find('.');
    return dot == std::string_view::npos ? rest : rest.substr(0, dot);
}

std::optional<Phase> phase_of_label(std::string_view symbol) {
    auto name = phase_label_name(symbol);
    if (!name) return std::nullopt;
    std::string spelled(*name);
    for (char& c : spelled)
        if (c == '_') c = '-';
    return parse_phase(spelled);
}

} // namespace tracesim
