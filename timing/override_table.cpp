#include "timing/override_table.h"

#include "isa/isa.h"

#include <cctype>

namespace tracesim {

std::string normalise_disassembly(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

bool pattern_matches_prefix(std::string_view pattern, std::string_view text, bool wildcard) {
    while (!pattern.empty()) {
        if (wildcard && pattern.front() == '*') {
            pattern.remove_prefix(1);
            for (size_t skip = 0; skip <= text.size(); ++skip)
                if (pattern_matches_prefix(pattern, text.substr(skip), wildcard)) return true;
            return false;
        }
        if (text.empty() || text.front() != pattern.front()) return false;
        pattern.remove_prefix(1);
        text.remove_prefix(1);
    }
    return true;
}

int OverrideTable::match_index(std::string_view normalised) const {
    const bool wildcard = isa_for(profile_->arch).pricing.override_wildcards;
    int best = -1;
    size_t best_length = 0;
    for (size_t i = 0; i < profile_->overrides.size(); ++i) {
        const std::string& pattern = profile_->overrides[i].match;
        if (pattern.size() <= best_length && best >= 0) continue; // first of equal length wins
        if (pattern_matches_prefix(pattern, normalised, wildcard)) {
            best = static_cast<int>(i);
            best_length = pattern.size();
        }
    }
    return best;
}

const CoreOverride* OverrideTable::match(std::string_view normalised) const {
    int i = match_index(normalised);
    return i < 0 ? nullptr : &profile_->overrides[static_cast<size_t>(i)];
}

} // namespace tracesim
