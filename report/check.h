// The regression gate's view: the changes `check` found, as a table with a one-line summary.
#pragma once

#include "sim/check.h"

#include <string>

namespace tracesim {

std::string render_check_text(const CheckReport& report);
std::string render_check_markdown(const CheckReport& report);

} // namespace tracesim
