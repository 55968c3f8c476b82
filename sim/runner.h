// Runs one (arch, path, kernel, handler): assembles the kernels, links them, runs the driver with
// the call site left as NOPs (untraced) and patched as the path patches it (traced), and turns the
// counters and the functional checks into a Record.
#pragma once

#include "sim/catalogue.h"
#include "sim/image.h"
#include "sim/results.h"
#include "timing/core_profile.h"
#include "timing/trace.h"

#include <filesystem>
#include <functional>
#include <map>

namespace tracesim {

struct RunRequest {
    Arch arch = Arch::x86_64;
    std::string path;
    std::string kernel; // "" = the newest era of the path on this arch
    std::string handler = "read-all";
    int calls = 1;
    uint64_t budget = 100'000; // instructions per call
    bool write_back = false;   // also test which struct writes take effect (an extra, poked call)
    std::string core;          // timing core profile ("" = the arch's default)
    bool timing = true;        // run the cycle model on the recorded calls
    // Kernel source files replaced for this run: catalogue file name -> file to use instead
    // (how `compare` runs a patched trampoline next to the shipped one).
    std::map<std::string, std::filesystem::path> replaced_sources;
    // Called on the linked image before its site is patched (sim/vmlinux maps a kernel's own
    // trampolines next to it and points the path's symbols at them).
    std::function<Expected<void>(Image&)> prepare_image;
    // Where the harness is linked and mapped (sim/vmlinux places it next to an arm64 kernel).
    MemoryLayout layout;
};

Expected<Record> run_path(const Catalogue& catalogue, const RunRequest& request);

// The shipped core profiles (isa/cores/*.toml), loaded once.
Expected<const std::vector<CoreProfile>*> core_profiles();

// One traced call instruction by instruction: the recorded trace and its timeline (`trace`).
struct PathTrace {
    Record record;
    DynamicTrace trace;
    CallTiming timing;
};
Expected<PathTrace> trace_path(const Catalogue& catalogue, const RunRequest& request);

// Writes the path's site patch over its call site (the traced image); nothing if it has none.
Expected<void> patch_site(Image& image, const PathSpec& path);

// The image a path runs on, site not yet patched (exposed for tests and the trace view).
Expected<Image>
build_image(const Catalogue& catalogue, const PathSpec& path, const HandlerSpec& handler,
            const std::map<std::string, std::filesystem::path>& replaced_sources = {},
            const MemoryLayout& layout = {});

} // namespace tracesim
