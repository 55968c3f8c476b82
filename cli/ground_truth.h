// `tracesim check`'s booted ground truth: the committed boot results, their models rerun now
// and compared with what they were when booted (sim/ground_truth.h).
#pragma once

#include "sim/catalogue.h"
#include "sim/ground_truth.h"

#include <filesystem>
#include <vector>

namespace tracesim {

// results/boot-*.json and results/bpf-bench-boot-*.json under tracesim_home(), sorted.
std::vector<std::filesystem::path> ground_truth_files();

struct GroundTruthRun {
    std::vector<TruthComparison> recorded; // each booted path against the model it was booted with
    std::vector<TruthComparison> now;      // ... against that model run now
};

Expected<GroundTruthRun> run_ground_truth(const Catalogue& catalogue,
                                          const std::vector<std::filesystem::path>& files,
                                          unsigned jobs);

} // namespace tracesim
