// Shared by the layer-8 tests (tests/8x0_vmlinux*.cpp): a "vmlinux" linked from our own
// kernels/<arch>/*.S plus a test's glue at the kernel's address (x86_64 0xffffffff81000000, arm64
// 0xffff800080000000) with the host's llvm-mc-19 and ld.lld-19 (dependencies:
// scripts/install-deps.sh; a missing tool fails the test), and the modeled and the image's run of
// a path compared.
#pragma once

#include "helpers.h"
#include "isa/isa.h"
#include "sim/runner.h"
#include "sim/vmlinux/vmlinux.h"

#include <cstdlib>
#include <cstring>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace tracesim::test {

inline std::string find_tool(std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (std::system(fmt::format("command -v {} >/dev/null 2>&1", name).c_str()) == 0)
            return name;
    return "";
}

inline std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct LinkOptions {
    std::string head;     // assembled first, at the text address (an arm64 Image header)
    std::string ld_flags; // more linker flags ("-pie --no-apply-dynamic-relocs")
    std::string text;     // the text address; "" = the kernel's
};

// Links kernels/<arch>/<sources> + `glue` (assembled after them) into <tmp>/tracesim-vmlinux-
// <pid>-<name>/vmlinux; every file gets the arch's asm offsets in front.
inline std::filesystem::path link_vmlinux(Arch arch, const std::vector<std::string>& sources,
                                          const std::string& name, const std::string& glue,
                                          const LinkOptions& options = {}) {
    const bool arm64 = arch == Arch::arm64;
    const std::string mc = find_tool({"llvm-mc-19", "llvm-mc"});
    // GNU ld links x86_64 only; arm64 needs lld.
    const std::string ld =
        arm64 ? find_tool({"ld.lld-19", "ld.lld"}) : find_tool({"ld.lld-19", "ld.lld", "ld"});
    REQUIRE_MESSAGE(!mc.empty(), "llvm-mc-19 missing: make deps installs it");
    REQUIRE_MESSAGE(!ld.empty(), "ld.lld-19 missing: make deps installs it (lld-19)");
    const std::filesystem::path src =
        std::filesystem::path(TRACESIM_SOURCE_DIR) / "kernels" / std::string(name_of(arch));
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      fmt::format("tracesim-vmlinux-{}-{}", getpid(), name);
    std::filesystem::create_directories(dir);
    const std::string offsets = isa_for(arch).asm_offsets();
    std::vector<std::string> files = sources;
    files.push_back("glue.S");
    if (!options.head.empty()) files.insert(files.begin(), "head.S");
    std::string objects;
    for (const std::string& f : files) {
        const std::string text = f == "glue.S"   ? glue
                                 : f == "head.S" ? options.head
                                                 : read_text(tracesim::kernel_source(
                                                       src.parent_path(), arch, f));
        std::ofstream(dir / f) << offsets << text << "\n";
        const std::string object = (dir / (f + ".o")).string();
        const std::string cmd = fmt::format("{} -triple={} -filetype=obj -I {} -I {} -o {} {} 2>&1",
                                            mc, arm64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu",
                                            (src / "macros").string(), (src / "bench").string(),
                                            object, (dir / f).string());
        REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
        objects += " " + object;
    }
    const std::filesystem::path out = dir / "vmlinux";
    const std::string text_address = !options.text.empty() ? options.text
                                     : arm64               ? "0xffff800080000000"
                                                           : "0xffffffff81000000";
    const std::string cmd = fmt::format("{} -static -nostdlib {} -e _start -Ttext={} -o {}{} 2>&1",
                                        ld, options.ld_flags, text_address, out.string(), objects);
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
    return out;
}

inline Vmlinux load(const std::filesystem::path& file) {
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    return *kernel;
}

// The catalogue's `path` in the era `kernel` picks (vmlinux_era).
inline const PathSpec& spec_of(const std::string& path, const Vmlinux& kernel) {
    return **catalogue().find_path(path, kernel.arch, vmlinux_era(kernel, catalogue(), path));
}

// Runs `path` in the era `kernel` picks, at the kernel's layout (the modeled run too), on the
// kernel's code when `attach` is set.
inline Expected<Record> try_run(const std::string& path, const Vmlinux& kernel, bool attach,
                                bool timing = true) {
    const PathSpec* spec = &spec_of(path, kernel);
    RunRequest request{kernel.arch, path, spec->kernel};
    request.timing = timing;
    request.layout = vmlinux_layout(kernel);
    if (attach)
        request.prepare_image = [&kernel, spec](Image& image) {
            return attach_vmlinux(kernel, catalogue(), *spec, image);
        };
    return run_path(catalogue(), request);
}

inline Record run(const std::string& path, const Vmlinux& kernel, bool attach) {
    auto record = try_run(path, kernel, attach);
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

// The image's run equals the modeled one: checks, traps, per call and per phase.
inline void check_same(const Record& model, const Record& real) {
    CHECK(real.checks.ok());
    CHECK(real.traps == model.traps);
    CHECK(real.per_call.instructions == model.per_call.instructions);
    CHECK(real.per_call.loads == model.per_call.loads);
    CHECK(real.per_call.stores == model.per_call.stores);
    CHECK(real.per_call.bytes_stored == model.per_call.bytes_stored);
    CHECK(real.traced.max_stack_depth == model.traced.max_stack_depth);
    REQUIRE(real.cycles_per_call);
    REQUIRE(model.cycles_per_call);
    CHECK(real.cycles_per_call->cycles_warm == model.cycles_per_call->cycles_warm);
    REQUIRE(real.phases.size() == model.phases.size());
    for (size_t i = 0; i < real.phases.size(); ++i) {
        CAPTURE(name_of(model.phases[i].phase));
        CHECK(real.phases[i].phase == model.phases[i].phase);
        CHECK(real.phases[i].metrics.instructions == model.phases[i].metrics.instructions);
        CHECK(real.phases[i].metrics.loads == model.phases[i].metrics.loads);
        CHECK(real.phases[i].metrics.stores == model.phases[i].metrics.stores);
    }
}

// A copy of `kernel` with `bytes` written at run address `at`.
inline Vmlinux patched(const Vmlinux& kernel, uint64_t at, std::string_view bytes) {
    Vmlinux copy = kernel;
    for (ForeignRegion& r : copy.regions)
        if (r.contains(at)) std::memcpy(r.bytes.data() + (at - r.base), bytes.data(), bytes.size());
    return copy;
}

// A copy of `kernel` with its first instruction at `symbol` made undefined (arm64 udf #0, x86 ud2).
inline Vmlinux broken_at(const Vmlinux& kernel, std::string_view symbol) {
    using namespace std::string_view_literals;
    return patched(kernel, *kernel.address_of(symbol),
                   kernel.arch == Arch::arm64 ? "\0\0\0\0"sv : "\x0f\x0b"sv);
}

// The fault of `path`'s run on `kernel` (which must fault).
inline std::string fault_of(const std::string& path, const Vmlinux& kernel) {
    auto faulted = try_run(path, kernel, true, false);
    REQUIRE(!faulted);
    return faulted.error().message;
}

} // namespace tracesim::test
