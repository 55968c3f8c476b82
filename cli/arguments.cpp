#include "cli/arguments.h"

#include <CLI/CLI.hpp>

namespace tracesim {

void add_output_options(CLI::App* command, std::string& format, std::string& output,
                        const char* formats) {
    command->add_option("--format", format, formats)->capture_default_str();
    command->add_option("-o,--output", output, "write to this file (atomically) instead of stdout");
}

Expected<Arch> arch_argument(std::string_view text) {
    if (auto arch = parse_arch(text)) return *arch;
    return usage_error("unknown arch '{}' (known: x86_64, arm64)", text);
}

} // namespace tracesim
