// Output files are written whole or not at all: a temporary file next to the target, renamed over
// it once complete, so an error never leaves a half-written file behind.
#pragma once

#include "isa/expected.h"

#include <filesystem>
#include <string_view>

namespace tracesim {

Expected<void> write_file_atomically(const std::filesystem::path& file, std::string_view content);

// A command's output: to stdout when `output` is empty or "-", else atomically to that file.
Expected<void> emit_output(std::string_view text, const std::string& output);

} // namespace tracesim
