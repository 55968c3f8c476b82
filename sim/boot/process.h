// Runs an external program (QEMU, the fetch script) with a wall-clock limit: no stdin, its
// stdout and stderr into files, killed (whole process group) when the limit passes.
#pragma once

#include "base/expected.h"

#include <filesystem>
#include <string>
#include <vector>

namespace tracesim {

struct ProcessResult {
    int exit_status = -1; // exit code, or -1 when killed
    bool timed_out = false;
    double seconds = 0;
};

Expected<ProcessResult> run_process(const std::vector<std::string>& argv,
                                    const std::filesystem::path& stdout_file,
                                    const std::filesystem::path& stderr_file,
                                    double time_limit_seconds);

// The first executable called `name` on PATH, or empty.
std::filesystem::path find_program(std::string_view name);

std::string read_text_file(const std::filesystem::path& file);

} // namespace tracesim
