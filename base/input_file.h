// What tracesim reads is a regular file of bounded size (docs/reliability.md): a FIFO would block
// forever, a device (/dev/zero) would be read forever, a directory is no file. Every input goes
// through here, and is remembered, so that no output replaces the run's own input.
#pragma once

#include "base/expected.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace tracesim {

inline constexpr uint64_t max_text_input = 64ull << 20;  // scenarios, catalogues, .S, maps, JSON
inline constexpr uint64_t max_binary_input = 2ull << 30; // a vmlinux or a kernel image
inline constexpr int max_include_depth = 16;             // nested .include

// Why `file` cannot be an input ("" when it can): missing, not a regular file, over `limit`.
std::string input_problem(const std::filesystem::path& file, uint64_t limit = max_text_input);

// The whole file, or one error naming it and why (the kind: usage, a user's input, by default).
Expected<std::string> read_input_file(const std::filesystem::path& file,
                                      uint64_t limit = max_text_input,
                                      ExitCode kind = ExitCode::usage_error);

// Whether `word` stands in `text` as a whole word (not inside a longer name: letters, digits,
// '_' and '.' continue a name).
bool has_word(std::string_view text, std::string_view word);

// Where `symbol` is first used in `file` as a whole word: "file:line", or the file's name (an
// undefined symbol's message points at the line that needs it).
std::string first_use(const std::string& file, const std::string& symbol);

// Inputs read so far in this process (by identity: device and inode).
void note_input(const std::filesystem::path& file);
bool is_noted_input(const std::filesystem::path& file);

} // namespace tracesim
