// What several commands take alike, declared and checked in one place with one message each:
// the --format and -o/--output pair, and an --arch value.
#pragma once

#include "base/expected.h"
#include "isa/arch.h"

#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace tracesim {

// --format (its help lists `formats`, "text | md | json") and -o/--output.
void add_output_options(CLI::App* command, std::string& format, std::string& output,
                        const char* formats);

// An --arch value, or "unknown arch 'x' (known: x86_64, arm64)".
Expected<Arch> arch_argument(std::string_view text);

} // namespace tracesim
