// Output files are written whole or not at all: a temporary file next to the target, renamed over
// it once complete, so an error never leaves a half-written file behind.
#pragma once

#include "base/expected.h"

#include <filesystem>
#include <string_view>

namespace tracesim {

// Replaces only a regular file, and never one this run read, unless `replaces_input` says the
// replacement is the point (check --update rewrites the baselines it read).
Expected<void> write_file_atomically(const std::filesystem::path& file, std::string_view content,
                                     bool replaces_input = false);

// A command's output: to stdout when `output` is empty or "-", else atomically to that file.
Expected<void> emit_output(std::string_view text, const std::string& output);

} // namespace tracesim
