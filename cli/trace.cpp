// `tracesim trace`: one traced call of a path, instruction by instruction, with the timing
// model's timeline (the view: report/timeline.h).
#include "cli/trace.h"

#include "base/output.h"
#include "cli/arguments.h"
#include "report/timeline.h"
#include "report/trace_events.h"
#include "sim/runner.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace tracesim {

void add_trace_options(CLI::App* cmd, TraceOptions& o) {
    cmd->add_option("--arch", o.arch, "x86_64 | arm64")->capture_default_str();
    cmd->add_option("--path", o.path, "the catalogue path to trace")->required();
    cmd->add_option("--kernel", o.kernel, "kernel era (default: newest)");
    cmd->add_option("--core", o.core, "timing core (default: the arch's)");
    cmd->add_option("--handler", o.handler, "handler the path calls")->capture_default_str();
    add_output_options(cmd, o.format, o.output,
                       "text (llvm-mca-style timeline) | perfetto (Chrome trace-event JSON for "
                       "ui.perfetto.dev, chrome://tracing, speedscope)");
}

Expected<void> trace_command(const TraceOptions& o) {
    if (o.format != "text" && o.format != "perfetto")
        return usage_error("unknown trace format '{}' (known: text, perfetto)", o.format);
    auto catalogue = load_catalogue();
    if (!catalogue) return catalogue.take_error();
    auto arch = arch_argument(o.arch);
    if (!arch) return arch.take_error();
    RunRequest request{*arch, o.path, o.kernel, o.handler,
                       2}; // a warm-up call, then the traced one
    request.core = o.core;
    auto traced = trace_path(*catalogue, request);
    if (!traced) return traced.take_error();
    const Record& r = traced->record;
    const std::string title =
        model_call_title(name_of(r.arch), r.path, r.kernel, traced->timing.core);
    auto out = o.format == "perfetto" ? render_trace_events(title, traced->trace, traced->timing)
                                      : render_timeline(title, traced->trace, traced->timing);
    if (!out) return out.take_error();
    return emit_output(*out, o.output);
}

} // namespace tracesim
