// Example (numbers vary run to run; docs/calibration.md has a full table):
//
//   tracesim calibrate --path ftrace --path ftrace-regs
//
//   path         kernel  measured [TSC]      measured [cyc]  model warm  error   x ftrace
//   meas/model  functional ftrace       6.14    25.0 [24.0-26.0]    ...
#include "cli/calibrate.h"

#include "base/output.h"
#include "cli/arguments.h"
#include "report/calibration.h"
#include "sim/calibrate/calibrate.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>

namespace tracesim {

void add_calibrate_options(CLI::App* cmd, CalibrateOptions& o) {
    cmd->add_option("--arch", o.arch, "x86_64 (the only arch run natively)")->capture_default_str();
    cmd->add_option("--path", o.paths, "a catalogue path (repeatable; default all)");
    cmd->add_option("--kernel", o.kernel, "kernel era (default: every era of each path)");
    cmd->add_option("--handler", o.handler, "handler the path calls")->capture_default_str();
    cmd->add_option("--core", o.core, "core profile the measurement is compared with")
        ->capture_default_str();
    cmd->add_option("--iterations", o.iterations, "timed calls per variant (traced, untraced)")
        ->capture_default_str()
        ->check(CLI::Range(1, 100'000'000));
    cmd->add_option("--rounds", o.rounds, "alternating traced/untraced rounds")
        ->capture_default_str()
        ->check(CLI::Range(1, 100'000));
    add_output_options(cmd, o.format, o.output, "text | md | json");
}

Expected<void> calibrate_command(const CalibrateOptions& o) {
    if (o.arch != "x86_64")
        return usage_error("calibrate runs x86_64 code natively; arch '{}' cannot be calibrated "
                           "here (known: x86_64)",
                           o.arch);
    if (o.format != "text" && o.format != "md" && o.format != "json")
        return usage_error("unknown format '{}' for calibrate (known: text, md, json)", o.format);
    auto catalogue = load_catalogue();
    if (!catalogue) return catalogue.take_error();
    CalibrateRequest request;
    request.paths = o.paths;
    request.kernel = o.kernel;
    request.handler = o.handler;
    request.core = o.core;
    request.iterations = o.iterations;
    request.rounds = std::min(o.rounds, o.iterations);
    auto report = calibrate(*catalogue, request);
    if (!report) return report.take_error();
    std::string out = o.format == "json" ? render_calibration_json(*report)
                                         : render_calibration(*report, o.format == "md");
    return emit_output(out, o.output);
}

} // namespace tracesim
