// The override table of a core profile: which instructions the model prices itself instead of
// trusting LLVM MCA (system and serializing instructions). Matching rules (docs/cores.md §1):
// the disassembly LLVM prints is lower-cased and its whitespace runs collapsed to one space; a
// pattern matches a prefix of that text; on arm64 `*` stands for any operand text (on x86 it is
// AT&T's literal indirect marker, `callq *`); the longest matching pattern wins.
//
//   "msr\tDAIFSet, #0x2"  ->  "msr daifset, #0x2"   matched by "msr daifset"
//   "mrs\tx0, DAIF"       ->  "mrs x0, daif"        matched by "mrs *, daif" (arm64)
//   "rdtscp"              ->  matched by "rdtscp", not "rdtsc" (longest wins)
#pragma once

#include "timing/core_profile.h"

#include <string>
#include <string_view>

namespace tracesim {

std::string normalise_disassembly(std::string_view text);

class OverrideTable {
  public:
    explicit OverrideTable(const CoreProfile& profile) : profile_(&profile) {}

    // The override for `normalised` text (see normalise_disassembly), or nullptr.
    const CoreOverride* match(std::string_view normalised) const;
    // Index of that override in profile.overrides, -1 if none.
    int match_index(std::string_view normalised) const;

  private:
    const CoreProfile* profile_;
};

// Does `pattern` match a prefix of `text`? `wildcard`: '*' matches any run of characters.
bool pattern_matches_prefix(std::string_view pattern, std::string_view text, bool wildcard);

} // namespace tracesim
