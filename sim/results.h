// One results struct feeds every renderer (text, json, ...): renderers format, never compute.
// The JSON form is the stable contract, versioned by `results_schema` (docs/json-schema.md).
#pragma once

#include "base/phase.h"
#include "isa/arch.h"
#include "sim/metrics.h"
#include "timing/timing_result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

inline constexpr std::string_view results_schema = "tracesim-results/1";

struct PhaseMetrics {
    Phase phase;
    Metrics metrics;
};

// Functional truth of the traced call: the path must not change what the function does.
struct Checks {
    bool return_value = false;   // traced call returned what the untraced call returned
    bool callee_saved = false;   // every callee-saved register survived the call
    bool stack_balanced = false; // SP after the call equals SP before it
    std::optional<bool>
        handler_args; // the entry handler saw the true arguments (if it records them)
    std::optional<bool>
        handler_ret; // the exit handler saw the true return value (if it records it)
    std::vector<std::string> problems; // one line per failed check
    bool ok() const { return problems.empty(); }
};

enum class FieldStatus { exact, derived, faked, stale, partial, absent };
constexpr std::string_view name_of(FieldStatus status) {
    switch (status) {
    case FieldStatus::exact:
        return "exact";
    case FieldStatus::derived:
        return "derived";
    case FieldStatus::faked:
        return "faked";
    case FieldStatus::stale:
        return "stale";
    case FieldStatus::partial:
        return "partial";
    case FieldStatus::absent:
        return "absent";
    }
    return "?";
}

struct FieldCheck {
    std::string regs_struct;
    std::string at; // "entry" or "exit"
    std::string field;
    std::string row; // the name the register matrix uses: pt_regs' name for the same register
    FieldStatus status;
    std::optional<uint64_t> expected;      // the truth (absent when the CPU has no such value)
    std::optional<uint64_t> seen;          // what the struct held (absent for `absent`)
    std::vector<std::string> lost_bits;    // flags/PSTATE bits that differ
    std::optional<std::string> write_back; // "takes effect", "ignored", "partly: ..."
};

// What a booted kernel's record adds (source "boot", sim/boot/): where it ran and how many
// calls the steady state was taken from.
struct BootInfo {
    std::string release, image, qemu_version, cmdline, function;
    std::string clock;   // "real" (TCG follows the host's clock) or "icount" (from instructions)
    int calls_found = 0; // entries of the function in the window
    int calls_kept = 0;  // complete calls after the cold one
    int calls_interrupted = 0; // kept calls an interrupt was cut out of
    int interrupts_cut = 0;
    int64_t cold_instructions = 0; // the first call after arming
    std::optional<int64_t> hits;   // events the probe wrote
    std::vector<std::string> run_time_regions;
    std::map<std::string, int64_t> unmapped; // the steady call's unmapped code, by symbol
    // Where the steady call's instructions went, by kernel function, most first.
    struct Function {
        std::string symbol;
        Phase phase; // of its first instruction in the call
        int64_t instructions = 0;
    };
    std::vector<Function> functions;
};

struct Record {
    Arch arch;
    std::string path;
    std::string kernel;
    std::string core; // the timing core profile ("" when timing was not run)
    std::string handler;
    std::string regs_struct;
    std::string entry;
    std::string exit;
    std::string models;
    std::string
        source; // "" = tracesim's own kernels; "vmlinux" = a built kernel's code (sim/vmlinux)
    bool supported = true;
    std::string reason;
    int calls = 0;
    Metrics per_call;                 // traced minus untraced, one call
    Metrics traced;                   // the traced call, absolute
    std::vector<PhaseMetrics> phases; // of the traced call, phases that ran
    // The untraced call's phases (caller, site, body): traced minus these, phase by phase, is
    // each phase's share of per_call (the stacked charts). Not in the JSON (its schema is
    // unchanged).
    std::vector<PhaseMetrics> untraced_phases;
    int64_t traps = 0; // exceptions taken per traced call
    // The timing model's view of the same calls (empty when timing was not run).
    std::optional<CycleMetrics> cycles_per_call; // traced minus untraced
    std::optional<CycleMetrics> cycles_traced;
    std::vector<PhaseCycles> phase_cycles; // of the traced call
    std::vector<PhaseCycles> untraced_phase_cycles;
    std::vector<UnpricedInstruction> unpriced; // of the traced call
    Checks checks;
    std::vector<FieldCheck>
        regs_check;               // what the handlers were given vs the truth (sim/regs_check.h)
    std::optional<BootInfo> boot; // source "boot" only
};

// Record::handler of a booted path whose handler is the kernel's own tracer (a tracefs probe's
// ring-buffer C), which no model's handler stands for (sim/ground_truth.h).
inline constexpr std::string_view kernel_tracer_handler = "the kernel's";

struct Results {
    std::vector<Record> records;
};

// The timing model's metrics of one phase of `r`'s traced call; nullptr when it was not timed.
inline const CycleMetrics* cycles_of(const Record& r, Phase phase) {
    for (const PhaseCycles& p : r.phase_cycles)
        if (p.phase == phase) return &p.metrics;
    return nullptr;
}

// What one of a record's metric sets holds (per call, traced, a phase), in the JSON's order: the
// counts, then, when the timing model ran, its cycle metrics, with l1d_misses and mispredicts
// repeating the warm values under the names of the schema's first version. The JSON view writes
// them; the regression gate compares them with a baseline's.
template <class F>
void for_each_record_metric(const Metrics& m, const CycleMetrics* cycles, F&& f) {
    for_each_metric(m, f);
    if (!cycles) return;
    for_each_cycle_metric(*cycles, f);
    f(std::string_view("l1d_misses"), cycles->l1d_misses_warm);
    f(std::string_view("mispredicts"), cycles->mispredicts_warm);
}

} // namespace tracesim
