// The ground-truth view: each model against its booted kernel (sim/ground_truth.h), one row per
// booted path and kernel: the compared phases' instructions per call, model and booted, how far
// apart, and the phase furthest off. `tracesim check --ground-truth`.
#pragma once

#include "sim/ground_truth.h"

#include <string>
#include <vector>

namespace tracesim {

std::string render_ground_truth(const std::vector<TruthComparison>& rows, bool markdown);

} // namespace tracesim
