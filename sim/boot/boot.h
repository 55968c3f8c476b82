// `tracesim boot`'s engine: boots a real kernel under QEMU TCG with our plugin and agent,
// attaches each booted path's probe from inside the guest, and captures the probed function's
// calls as dynamic traces (timing/trace.h), the same form the models produce. What is real
// and what is still ours: docs/boot.md.
//
//   BootImage kernel = fetch_debian_kernel(Arch::x86_64, "bookworm")  (or user_kernel(...))
//   BootRun run = boot_and_capture({kernel, {"none", "kprobe"}})
//   Record r = booted_record(run, run.paths[1], &run.paths[0], core)
#pragma once

#include "isa/arch.h"
#include "base/expected.h"
#include "sim/boot/boot_paths.h"
#include "sim/boot/phases.h"
#include "sim/results.h"
#include "timing/core_profile.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tracesim {

struct BootImage {
    Arch arch = Arch::x86_64;
    std::filesystem::path image;  // bzImage / arm64 Image
    std::filesystem::path config; // its .config, when known
    std::string label;            // "Debian 6.1.0-57-cloud-amd64" or the file's name
};

// A Debian kernel by ABI name (6.1.0-57-cloud-amd64, 7.3.4+deb13-cloud-arm64) or by suite
// (bookworm, trixie-backports:cloud), fetched into the cache by scripts/fetch-boot-kernel.sh.
Expected<BootImage> fetch_debian_kernel(Arch arch, const std::string& version);
// A user's build; the arch is read from the image's header and must match `arch` if given.
Expected<BootImage> user_kernel(const std::filesystem::path& image, std::optional<Arch> arch,
                                const std::filesystem::path& config);

struct BootRequest {
    BootImage kernel;
    std::vector<std::string> paths; // empty: every booted path of the arch
    std::string function, syscall;  // "": the arch's defaults (boot/paths.toml)
    int calls = 20;                 // per path; the first is the cold call
    double time_limit = 300;        // seconds for the whole boot
    std::string extra_cmdline;
    bool icount = false; // QEMU's -icount: virtual time from instructions (docs/boot.md)
    std::filesystem::path keep_dir; // keep the console, plan and trace there ("" = temporary)
    std::filesystem::path paths_file; // the booted paths ("" = boot/paths.toml)
};

struct BootedPath {
    BootPath spec; // its entry of boot/paths.toml
    bool ran = false;
    std::string reason; // why it did not run: the kernel's refusal, or what went wrong
    std::vector<BootedCallTrace> calls; // complete calls in window order; [0] is the cold one
    std::string function; // the probed function (the arch's, or the path's own)
    uint64_t entry = 0;
    int calls_requested = 0;
    std::optional<uint64_t> probe_offset;
    int calls_found = 0;       // entries of the function seen in the window
    int calls_interrupted = 0; // complete calls an interrupt was cut out of
    int interrupts_cut = 0;
    size_t steady = 0; // index into calls: the median of the kept (non-cold) calls
                       // (sim/boot/capture.cpp steady_call says which of equal counts)
    std::vector<std::string> run_time_regions; // "ftrace_trampoline [__builtin__ftrace]"
    std::vector<std::string> kprobes;          // debugfs kprobes/list lines
    std::optional<int64_t> hits;
    std::vector<std::string> warnings;
    KernelSymbols symbols; // the kernel's, with the run-time regions armed for this path
};

struct BootRun {
    BootImage kernel;
    std::string release, cmdline, qemu_version;
    std::string function;
    double boot_seconds = 0;
    bool symbols_cached = false;
    bool icount = false;
    std::vector<BootedPath> paths;
    const BootedPath* find(std::string_view name) const;
};

Expected<BootRun> boot_and_capture(const BootRequest& request);

// The booted path as a Record (source "boot"): its steady call's counts per phase, minus the
// baseline's (`none`) for per_call, and the timing model on the same traces.
Expected<Record> booted_record(const BootRun& run, const BootedPath& path,
                               const BootedPath* baseline, const CoreProfile& core);

// The model era nearest to a release ("6.12.117+deb13-cloud-amd64" -> the newest era <= 6.12).
std::string nearest_era(const std::vector<std::string>& eras, const std::string& release);

} // namespace tracesim
