// The view of `tracesim boot`: each booted path next to another record of the same path (the
// model of the nearest era, or the same path booted on a second kernel: the A/B of a patch),
// phase by phase, with what the boot says about its calls. It formats; it computes nothing
// (the records come from sim/boot/boot.h and the runner). Example:
//
//   x86_64 kprobe: model kprobe-ftrace (6.1) vs booted Debian 6.1.0-57-cloud-amd64
//   calls: 19 kept after the cold one (1 with an interrupt cut out); cold call 1404 instrs;
//   the probe wrote 20 events; run-time code: ftrace_trampoline [__builtin__ftrace]
//
//   phase     instrs model  instrs booted  diff  ...
//   site                 1              1        ...
//   save                31             40    +9  ...
#pragma once

#include "report/render.h"
#include "sim/results.h"

#include <optional>
#include <string>
#include <vector>

namespace tracesim {

struct BootedKernelSummary {
    Arch arch;
    std::string label, release, qemu_version, cmdline, function;
    double boot_seconds = 0;
    bool symbols_cached = false;
};

struct BootRow {
    Record booted;                 // the booted path (kernel A in an A/B)
    std::optional<Record> other;   // the model, or the path on kernel B
    std::string booted_label, other_label;
};

struct BootReport {
    std::vector<BootedKernelSummary> kernels;
    std::vector<BootRow> rows;
};

// text or markdown; json is render(Results) of every record.
std::string render_boot(const BootReport& report, Format format);

// `tracesim boot --scenario`: the scenario's table from the booted kernel and from the models
// (the era nearest the release), the scenario's ratios from both, then phase by phase.
struct BootScenarioReport {
    std::string title;
    std::vector<std::string> notes; // the bare calls, the scenario's paths not booted
    ReportTable booted, model;
    BootReport phases;
};

std::string render_boot_scenario(const BootScenarioReport& report, Format format);

} // namespace tracesim
