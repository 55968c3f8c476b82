// What the booted tests share: the Debian kernel each arch boots (the newest of bookworm's
// cloud flavour, fetched once into the cache outside the repository) and one boot of every
// path, done once per process.
#pragma once

#include "sim/boot/boot.h"
#include "sim/boot/process.h"
#include "sim/catalogue.h"
#include "sim/runner.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <string>

namespace tracesim::test {

inline constexpr int boot_calls = 40;

// A Debian kernel of a suite, fetched once per process, or the reason there is none (then the
// tests are skipped).
inline const Expected<BootImage>& debian_kernel(Arch arch, const std::string& suite) {
    static std::map<std::pair<Arch, std::string>, Expected<BootImage>> kernels;
    auto it = kernels.find({arch, suite});
    if (it == kernels.end())
        it = kernels.emplace(std::pair{arch, suite}, fetch_debian_kernel(arch, suite)).first;
    return it->second;
}

// The kernel most tests boot: bookworm's (6.1).
inline const Expected<BootImage>& boot_kernel(Arch arch) { return debian_kernel(arch, "bookworm"); }

// The kernel the BPF bench tests boot: trixie's (6.12), the first Debian kernel with the bench's
// kfunc driver and bpf_trigger_tp tracepoint (6.10+).
inline const Expected<BootImage>& bpf_bench_kernel(Arch arch) { return debian_kernel(arch, "trixie"); }

inline std::string boot_prerequisites(Arch arch) {
    const char* qemu = arch == Arch::x86_64 ? "qemu-system-x86_64" : "qemu-system-aarch64";
    if (find_program(qemu).empty()) return fmt::format("{} is not installed", qemu);
    for (const Expected<BootImage>* kernel : {&boot_kernel(arch), &bpf_bench_kernel(arch)})
        if (!*kernel)
            return fmt::format("no Debian {} kernel could be fetched: {}", arch,
                               kernel->error().message);
    return "";
}

// One boot of every booted path of the arch, shared by the test cases.
inline const BootRun& full_boot(Arch arch) {
    static std::map<Arch, BootRun> runs;
    auto it = runs.find(arch);
    if (it == runs.end()) {
        BootRequest request{*boot_kernel(arch)};
        request.calls = boot_calls;
        auto run = boot_and_capture(request);
        REQUIRE_MESSAGE(run, (run ? "" : run.error().message));
        it = runs.emplace(arch, std::move(*run)).first;
    }
    return it->second;
}

inline Record booted(const BootRun& run, std::string_view path) {
    const BootedPath* p = run.find(path);
    REQUIRE_MESSAGE(p, std::string(path));
    auto cores = core_profiles();
    REQUIRE(cores);
    auto core = find_core(**cores, default_core_name(run.kernel.arch), run.kernel.arch);
    REQUIRE(core);
    auto record = booted_record(run, *p, run.find(p->spec.baseline), **core);
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

} // namespace tracesim::test
