// `tracesim calibrate`: runs the x86_64 paths natively on this machine, times them with rdtsc and
// prints measured vs modeled cycles per call, the error, the ratio to ftrace measured vs modeled,
// and the mean absolute error (docs/calibration.md).
#pragma once

#include "base/expected.h"

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tracesim {

struct CalibrateOptions {
    std::string arch = "x86_64";
    std::vector<std::string> paths;
    std::string kernel;
    std::string handler = "read-all";
    std::string core = "znver3";
    int iterations = 20'000;
    int rounds = 20;
    std::string format = "text";
    std::string output;
};

void add_calibrate_options(CLI::App* command, CalibrateOptions& options);
Expected<void> calibrate_command(const CalibrateOptions& options);

} // namespace tracesim
