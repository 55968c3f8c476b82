// `tracesim kernel`: runs paths on a built kernel's own trampolines (an ELF vmlinux) next to the
// modeled ones and prints them side by side, per path and phase (docs/real-kernel.md).
#pragma once

#include "base/expected.h"

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tracesim {

struct KernelOptions {
    std::string vmlinux;
    std::string system_map;
    std::string arch = "x86_64";
    std::vector<std::string> paths; // default: every path of the arch
    std::string kernel;             // modeled era ("" = from the image's release)
    std::string handler = "read-all";
    std::string core; // timing core profile ("" = the arch's default)
    std::string format = "text";
    std::string output;
};

void add_kernel_options(CLI::App* command, KernelOptions& options);
Expected<void> kernel_command(const KernelOptions& options);

} // namespace tracesim
