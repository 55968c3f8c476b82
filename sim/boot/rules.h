// How a booted kernel's trace is read, per arch, from boot/<arch>.toml: the call site at the
// probed function's entry, the vector entries (asynchronous ones are cut out of a call,
// synchronous ones are part of the probe), and symbol -> phase rules.
#pragma once

#include "isa/arch.h"
#include "base/expected.h"
#include "sim/boot/kallsyms.h"
#include "base/phase.h"

#include <filesystem>
#include <string>
#include <vector>

namespace tracesim {

// A rule's phase: one phase, or a trampoline's save-then-restore split at its call out, or a
// BPF trampoline's save / dispatch / restore split at its first call out and its last return.
struct PhaseRule {
    Phase phase;
    bool save_then_restore = false;
    bool save_dispatch_restore = false;
    std::vector<std::string> symbols; // exact names, or patterns with '*' (fnmatch)
    std::vector<std::string> paths;   // the booted paths it applies to (patterns); empty: all
};

struct BootRules {
    Arch arch;
    std::filesystem::path file;
    uint32_t site_bytes = 0;                          // the patchable entry's length
    std::vector<std::vector<uint8_t>> site_after;     // instructions the site may follow
    std::vector<std::string> async_entries;           // entered at offset 0
    std::vector<std::string> async_tables;            // entered anywhere inside
    std::vector<std::string> sync_entries;
    std::string vector_table;                         // arm64: "vectors"
    std::vector<uint64_t> async_offsets, sync_offsets; // slots in vector_table
    std::vector<PhaseRule> phases;

    // The first rule naming `symbol` that applies to booted path `path`, or nullptr.
    const PhaseRule* rule_for(std::string_view symbol, std::string_view path = {}) const;
};

// Loads boot/<arch>.toml (a bad file: file:line and the reason).
Expected<BootRules> load_boot_rules(const std::filesystem::path& dir, Arch arch);

bool symbol_matches(std::string_view pattern, std::string_view name);

enum class VectorEntry { none, async, sync };
// Whether `pc` is the first instruction of an exception vector.
VectorEntry vector_entry_at(const BootRules& rules, const KernelSymbols& symbols, uint64_t pc);

} // namespace tracesim
