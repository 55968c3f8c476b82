// Booted ground truth: what a real kernel runs on each path, as `tracesim boot` recorded it
// (results/boot-<kernel>-<arch>.json, results/bpf-bench-boot-<kernel>-<arch>.json; `make
// ground-truth` boots to regenerate them), next to the model each booted path is compared with.
//
// The models are measured against it phase by phase, on the phases both sides mean the same
// thing by: not the caller (the booted trace starts at the site), not the body (the kernel's
// probed function is not our traced one), and not the handler when the kernel's own tracer is
// it (tracefs paths: ring-buffer C where a model runs tracesim's handlers); the BPF bench's
// handler is its program on both sides and counts. docs/ground-truth.md.
//
// The gate (`tracesim check`): a model whose distance from the booted counts grows in any
// compared phase, against the distance the recorded model had, drifts from the real kernel.
#pragma once

#include "base/json.h"
#include "sim/check.h"
#include "sim/results.h"

#include <string>
#include <vector>

namespace tracesim {

// A booted record and the model record it was compared with when it was booted.
struct BootedTruth {
    std::string file; // "boot-6.12-amd64", the JSON's stem
    Record booted;
    Record model; // as recorded: arch, path, kernel (era), handler and calls say how to run it
};

// The pairs of a boot JSON: each supported booted record with its model (by position, in either
// layout `tracesim boot` writes), the untraced baseline (`none`) and unmodeled paths left out. A
// booted record without its model is an error naming the file.
Expected<std::vector<BootedTruth>> read_booted_truth(const JsonValue& boot_json,
                                                     const std::string& file);

// One compared phase: the model's and the booted instructions, loads and stores.
struct TruthPhase {
    Phase phase;
    Metrics model, booted;
};

// A model against its booted kernel.
struct TruthComparison {
    std::string file;
    Arch arch;
    std::string booted_path, release, model_path, era;
    std::vector<TruthPhase> phases;    // the compared phases, in phase order
    Metrics model_total, booted_total; // their sum: the mechanism's cost per call
    // The compared phase furthest from the booted kernel in instructions (relative to the
    // booted count; a phase only one side has is 100% off); none when nothing is compared.
    std::optional<Phase> worst;
    double worst_off = 0;
    double total_off = 0; // the sum's distance, relative to the booted sum
};

// `model`: the model's record now, or the recorded one.
TruthComparison compare_with_truth(const BootedTruth& truth, const Record& model);

// The gate: each compared phase's instructions, loads and stores of `now` against `then` (the
// same truth compared with the recorded model); a distance that grew is a regression, one that
// shrank an improvement. Adds to `report` under the scenario "booted <file>".
void check_against_truth(const TruthComparison& then, const TruthComparison& now,
                         CheckReport& report);

} // namespace tracesim
