// `tracesim trace`: one traced call instruction by instruction (cli/trace.cpp).
#pragma once

#include "base/expected.h"

#include <string>

namespace CLI {
class App;
}

namespace tracesim {

struct TraceOptions {
    std::string arch = "x86_64";
    std::string path;
    std::string kernel;
    std::string core;
    std::string handler = "read-all";
    std::string format = "text"; // text | perfetto
    std::string output;
};

void add_trace_options(CLI::App* command, TraceOptions& options);
Expected<void> trace_command(const TraceOptions& options);

} // namespace tracesim
