// The calibration view: measured against modeled cycles per path (tracesim calibrate), as a
// table with its header and summary (text or Markdown) or as JSON (tracesim-calibration/1).
#pragma once

#include "sim/calibrate/calibrate.h"

#include <string>

namespace tracesim {

std::string render_calibration(const CalibrationReport& report, bool markdown);
std::string render_calibration_json(const CalibrationReport& report);

} // namespace tracesim
