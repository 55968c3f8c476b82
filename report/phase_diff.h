// Two records of one path side by side, phase by phase, with the differences: the table of
// `tracesim compare` (two variants) and `tracesim kernel` (model vs a vmlinux). Example:
//
//   phase     instrs A  instrs B  instrs diff  loads A  ...  bytes st A  bytes st B  bytes st diff
//   save            16        17           +1        2  ...          88          96             +8
//   per call        39        40           +1       17  ...         144         152             +8
#pragma once

#include "report/table.h"
#include "sim/results.h"

#include <string_view>

namespace tracesim {

// Columns are "<metric> <a_label>", "<metric> <b_label>", "<metric> diff".
TextTable phase_diff_table(const Record& a, const Record& b, std::string_view a_label,
                           std::string_view b_label);

} // namespace tracesim
