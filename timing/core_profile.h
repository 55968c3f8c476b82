// A core profile (isa/cores/<name>.toml, docs/cores.md): the per-core numbers the timing model
// needs that LLVM's scheduling model lacks (caches, return stack, exception entry) or gets
// wrong (system and serializing instructions). Data, not code: a new core is a new file.
//
// Every number is a Sourced value: the value and where it comes from, or why it is an estimate.
// Loading is strict: an unknown key, a missing key or a wrong type is an error naming
// file:line and the valid keys; an llvm_cpu that LLVM 19 does not know is an error too.
#pragma once

#include "isa/arch.h"
#include "base/expected.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tracesim {

struct Sourced {
    int64_t value = 0;
    std::string provenance; // the `source` or the `estimate` text
    bool estimate = false;  // true: `estimate` (reasoned guess), false: `source` (published)
};

// One row of the override table: an instruction LLVM MCA misprices.
struct CoreOverride {
    std::string match; // prefix of the normalised disassembly (docs/cores.md §1 "Matching rules")
    Sourced cycles;    // cost of one instance once it may start
    bool serializing = false; // drain older instructions first; younger ones wait for it
    int line = 0;             // where it is defined, for messages
};

struct CacheLevel {
    Sourced size_kib;
    Sourced ways;
    Sourced line_bytes; // L2 uses the L1D line size (the schema has none for L2)
    Sourced latency;    // load-to-use; for L1D this is [pipeline].load_latency_l1
};

struct CoreProfile {
    std::string name; // also the file stem: isa/cores/<name>.toml
    Arch arch = Arch::x86_64;
    std::string description;
    std::string llvm_cpu; // -mcpu for LLVM's scheduling model
    bool in_order = false;

    Sourced call_latency;    // MCA's CallLatency (also its price for unknown-latency ops)
    Sourced load_latency_l1; // L1D load-to-use; a miss adds (level latency - this)
    CacheLevel l1d;
    CacheLevel l2;
    Sourced memory_latency; // an L2 miss (served by the LLC, see docs/cores.md)
    Sourced return_stack_entries;
    Sourced mispredict_penalty;
    Sourced exception_entry;  // hardware exception delivery (int3 / brk), per trap
    Sourced exception_return; // iretq / eret beyond their override (0 in every shipped profile)
    std::vector<CoreOverride> overrides;

    std::filesystem::path file; // where it was loaded from
};

// Loads and checks one profile, including that LLVM 19 knows its llvm_cpu and that `in_order`
// agrees with LLVM's model.
Expected<CoreProfile> load_core_profile(const std::filesystem::path& file);

// Every *.toml in `dir` (the shipped ones: tracesim_home() / "isa/cores"), sorted by name (x86_64
// first, then arm64; by name within an arch).
Expected<std::vector<CoreProfile>> load_core_profiles(const std::filesystem::path& dir);

// The core a run uses when --core is not given: znver3 on x86_64, neoverse-n1 on arm64.
std::string_view default_core_name(Arch arch);

// Finds `name` among `profiles` for `arch`; the error lists the cores of that arch.
Expected<const CoreProfile*> find_core(const std::vector<CoreProfile>& profiles,
                                       std::string_view name, Arch arch);

// Checks that LLVM 19 knows `cpu` for `arch` and says whether its model is out-of-order
// (defined in mca_timeline.cpp: it needs LLVM).
Expected<bool> llvm_model_is_out_of_order(Arch arch, const std::string& cpu);

} // namespace tracesim
