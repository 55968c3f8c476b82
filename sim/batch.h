// Runs many RunRequests on a pool of threads (one machine and one LLVM context per run, nothing
// shared but the read-only catalogue). Results keep the requests' order, so output is the same
// byte for byte whatever the number of jobs. The first error (in request order) wins.
#pragma once

#include "sim/runner.h"

#include <functional>

namespace tracesim {

// Called from worker threads after each run: (runs done, runs in all).
using Progress = std::function<void(size_t done, size_t total)>;

Expected<Results> run_batch(const Catalogue& catalogue, const std::vector<RunRequest>& requests,
                            unsigned jobs, const Progress& progress = {});

} // namespace tracesim
