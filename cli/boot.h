// `tracesim boot`: boots a real kernel under QEMU TCG, attaches each booted path's probe from
// inside the guest, captures the probed calls with our plugin and measures them with the same
// counters and timing model as the models, side by side with the model of the nearest era, or
// with the same paths on a second kernel (A/B of a patch). docs/boot.md.
#pragma once

#include "base/expected.h"
#include "sim/results.h"

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tracesim {

struct BootOptions {
    std::vector<std::string> debian; // Debian kernels: ABI name or suite (at most two)
    std::vector<std::string> images; // a user's bzImage / Image (at most two)
    std::vector<std::string> configs;
    std::string arch; // "" = from the image, else x86_64
    std::vector<std::string> paths;
    std::string scenario; // a scenario file: its paths booted, its table from both sources
    int calls = 20;
    std::string function, syscall;
    std::string core;
    double time_limit = 300;
    std::string cmdline;
    bool icount = false;
    std::string keep;
    std::string trace;    // a booted path: its steady call instruction by instruction instead
    std::string baseline; // a committed `boot --format json` to gate against (exit 3)
    std::string format = "text";
    std::string output;
};

void add_boot_options(CLI::App* command, BootOptions& options);
Expected<void> boot_command(const BootOptions& options);

// Shared by the two forms of the command (cli/boot.cpp, cli/boot_scenario.cpp).
struct BootImage;
struct BootRun;
struct BootPath;
struct Catalogue;
// The scenario form: boots `kernel` once with the scenario's booted paths.
Expected<void> boot_scenario_command(const BootOptions& options, const BootImage& kernel,
                                     const Catalogue& catalogue);
// The model of a booted path: its catalogue path at the era nearest the booted release.
Expected<Record> booted_model_record(const Catalogue& catalogue, const BootRun& run,
                                     const BootPath& path, const std::string& core,
                                     const std::string& handler = "");
// Writes the rendered output and, with --baseline, gates `results` against it (exit 3).
Expected<void> emit_boot_results(const Results& results, const std::string& rendered,
                                 const BootOptions& options);

} // namespace tracesim
