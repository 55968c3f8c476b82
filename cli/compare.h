// `tracesim compare`: one path run in two variants — two versions of one of its .S files (the
// shipped one and a patched copy, or two patches) and/or two kernel eras — shown phase by phase
// with the differences: what a developer reviewing a trampoline patch runs.
#pragma once

#include "base/expected.h"

#include <string>

namespace CLI {
class App;
}

namespace tracesim {

struct CompareOptions {
    std::string arch = "x86_64";
    std::string path;
    std::string kernel;   // the era of both variants (default: newest)
    std::string kernel_a; // or an era per variant: compare two eras of one path
    std::string kernel_b;
    std::string handler = "read-all";
    std::string replace; // which of the path's files the variants stand for (default: its first)
    std::string asm_a;   // default: the shipped file
    std::string asm_b;   // required unless the variants differ by era
    std::string format = "text";
    std::string output;
};

void add_compare_options(CLI::App* command, CompareOptions& options);
Expected<void> compare_command(const CompareOptions& options);

} // namespace tracesim
