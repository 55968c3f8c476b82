// Calibration of the timing model against the machine tracesim runs on (docs/calibration.md):
// each x86_64 path whose executed instructions a user-mode process may run is mapped at its link
// addresses in this process (sim/calibrate/native.h) and timed with rdtsc, traced and untraced in
// alternating rounds; the per-call difference is compared with the model's warm cycles for the
// same path on a core profile (znver3 by default). Paths that execute a privileged or trapping
// instruction (int3, iretq, swapgs, wrmsr, ...) are listed as not calibratable, with the reason.
//
// Functional results (the traced function's return value, what the handlers saw at handler_seen)
// of the native run are compared with the emulated run's before anything is timed.
//
// Timings are measurements on a shared machine: never compare them with fixed numbers in tests.
#pragma once

#include "sim/catalogue.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tracesim {

struct CalibrateRequest {
    std::vector<std::string> paths; // catalogue names; empty or "all" = every x86_64 path
    std::string kernel;             // "" = every era of each path
    std::string handler = "read-all";
    std::string core = "znver3"; // the profile the measurement is compared with
    int iterations = 20'000;     // timed calls per variant (traced, untraced), over all rounds
    int rounds = 20;             // alternating traced/untraced rounds
    int warmup = 100;            // untimed calls before each round's timed ones
    int calls_per_sample = 100;  // calls between two rdtsc (a VM's TSC may step coarsely)
    bool measure = true;         // false: functional check and calibratability only
};

struct Spread {
    double median = 0, p25 = 0, p75 = 0;
};

// A path's cost as a multiple of ftrace's, measured and modeled: ratios cancel what a whole
// machine's offset does to both, so they say whether the model ranks the paths right.
struct CalibrationRatio {
    double measured = 0, modeled = 0;
    double error_percent = 0; // (modeled / measured - 1) * 100
};

struct PathCalibration {
    std::string path;
    std::string kernel;
    bool calibratable = false;
    std::string reason;             // why not (calibratable == false)
    std::vector<std::string> notes; // e.g. popfq in user mode

    // Functional equality, native vs emulated (traced call; untraced return value too).
    bool functional_ok = false;
    std::vector<std::string> problems;
    uint64_t emulated_result = 0, native_result = 0;
    uint64_t emulated_seen[4] = {}, native_seen[4] = {}; // handler_seen: a, b, c, return value

    // Measured, TSC ticks per call (median over rounds of each round's median).
    Spread traced_ticks, untraced_ticks;
    Spread per_call_ticks; // over rounds: traced round median - untraced round median
    std::optional<double> per_call_cycles; // per_call_ticks.median / TSC ticks per core cycle

    // Modeled (run_path on the request's core): per call, traced minus untraced.
    int64_t model_warm = 0, model_cold = 0;
    std::optional<double> error_percent; // (model_warm - measured cycles) / measured cycles

    // x ftrace, when ftrace was measured and modeled and this path was measured.
    std::optional<CalibrationRatio> ratio_to_ftrace;
    bool is_ratio_reference = false; // this is the ftrace every ratio is taken against
};

struct CalibrationReport {
    std::string date;              // UTC, YYYY-MM-DD
    std::string cpu;               // "AMD EPYC (family 25 model 17 stepping 1: Zen 4), hypervisor"
    std::string core;              // the profile compared with
    double tsc_mhz = 0;            // measured against CLOCK_MONOTONIC_RAW
    double tsc_per_cycle = 0;      // from the add chain (0 when not measured)
    double tsc_per_cycle_imul = 0; // from the imul chain, a cross-check
    int iterations = 0, rounds = 0;
    std::vector<PathCalibration> paths;

    // Mean absolute error in percent over the calibratable, measured paths.
    std::optional<double> mean_absolute_error() const;
    // Mean absolute ratio error over the paths with a ratio, ftrace itself left out; and how
    // many paths that is.
    std::optional<double> mean_absolute_ratio_error() const;
    int ratio_paths() const;
    const PathCalibration* find(std::string_view path, std::string_view kernel = "") const;
};

Expected<CalibrationReport> calibrate(const Catalogue& catalogue, const CalibrateRequest& request);

// Why a path cannot run in user mode, from its executed instructions ("" when it can), and notes
// on instructions that behave differently there but harmlessly (popfq).
struct PrivilegeScan {
    std::string reason;
    std::vector<std::string> notes;
    bool uses_gs = false; // a %gs-relative access: needs the GS base set
    // cli / sti (the kernel's local_irq_save / _restore): privileged at CPL 3, so the native run
    // writes a NOP over each (interrupts are the host's to mask, not the path's).
    std::vector<uint64_t> irq_toggles;
};
struct DynamicTrace;
PrivilegeScan scan_for_privileged(const DynamicTrace& trace);

} // namespace tracesim
