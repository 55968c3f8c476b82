// Layer 8: exception entry code on a kernel image (sim/vmlinux): the int3 kprobes (`kprobe`,
// `kprobe-body`) take their traps through the image's own asm_exc_int3 (error_entry,
// error_return, restore_regs_and_return_to_kernel, iretq), whose call of exc_int3 reaches the
// harness's model of it; on arm64 through the image's vectors, el1h_64_sync, ret_to_kernel and
// eret, around our el1h_64_sync_handler. As in 810_vmlinux_paths.cpp, a "vmlinux" is linked from
// our own kernels/x86_64/kprobe_int3.S (arm64: entry_el1.S) with the host's llvm-mc and a linker
// (lld-19 is a dependency: a missing tool fails the test); counts must equal the modeled run of the same path, with
// tracesim's phase labels and with the importer's own phase split (labels dropped).
#include <doctest/doctest.h>

#include "command.h"
#include "helpers.h"
#include "isa/isa.h"
#include "sim/runner.h"
#include "sim/vmlinux/vmlinux.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace tracesim;

namespace {

std::string find_tool(std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (std::system(fmt::format("command -v {} >/dev/null 2>&1", name).c_str()) == 0) return name;
    return "";
}

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// What a kernel supplies around its #BP entry for kprobe_int3.S to link: the per-CPU state it
// touches and get_kprobe (never run: the harness's models run instead), the banner.
constexpr const char* glue = R"(
    .text
    .globl _start, get_kprobe
_start:
get_kprobe:
    ret
    .data
    .globl preempt_count, ct_nmi_nesting, current_kprobe, kprobe_status, linux_banner
    .balign 64
preempt_count:
ct_nmi_nesting:
current_kprobe:
kprobe_status:
    .quad 0, 0, 0, 0
linux_banner:
    .asciz "Linux version 6.14.0-tracesim-test (tests/820_vmlinux_exceptions.cpp) #1"
)";

// What an arm64 kernel supplies around its EL1 entry for entry_el1.S to link: the break-hook
// list it walks (the harness's own runs), the C function whose presence says CONFIG_KPROBES.
constexpr const char* glue_arm64 = R"(
    .text
    .globl _start, kprobe_breakpoint_handler
_start:
kprobe_breakpoint_handler:
    ret
    .data
    .globl kernel_break_hooks, linux_banner
    .balign 64
kernel_break_hooks:
    .quad 0, 0
linux_banner:
    .asciz "Linux version 6.1.0-tracesim-test (tests/820_vmlinux_exceptions.cpp) #1"
)";

// Links kernels/<arch>/<source> + the glue at the kernel's address (x86_64 0xffffffff81000000,
// arm64 0xffff800080000000); "" when the tools are missing (arm64 needs lld).
std::filesystem::path link_vmlinux(Arch arch = Arch::x86_64) {
    const bool arm64 = arch == Arch::arm64;
    std::string mc = find_tool({"llvm-mc-19", "llvm-mc"});
    std::string ld = arm64 ? find_tool({"ld.lld-19", "ld.lld"}) : find_tool({"ld.lld-19", "ld.lld", "ld"});
    if (mc.empty() || ld.empty()) return {};
    const std::filesystem::path src =
        std::filesystem::path(TRACESIM_SOURCE_DIR) / "kernels" / std::string(name_of(arch));
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      fmt::format("tracesim-vmlinux-exceptions-{}-{}", getpid(), name_of(arch));
    std::filesystem::create_directories(dir);
    const std::string offsets = isa_for(arch).asm_offsets();
    std::string objects;
    for (const std::string f : {arm64 ? "entry_el1.S" : "kprobe_int3.S", "glue.S"}) {
        std::string text = f == "glue.S" ? std::string(arm64 ? glue_arm64 : glue) : read_text(src / f);
        std::ofstream(dir / f) << offsets << text << "\n";
        std::string object = (dir / (f + ".o")).string();
        std::string cmd = fmt::format("{} -triple={} -filetype=obj -I {} -o {} {} 2>&1", mc,
                                      arm64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu", src.string(), object,
                                      (dir / f).string());
        REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
        objects += " " + object;
    }
    std::filesystem::path out = dir / "vmlinux";
    std::string cmd = fmt::format("{} -static -nostdlib -e _start -Ttext={} -o {}{} 2>&1", ld,
                                  arm64 ? "0xffff800080000000" : "0xffffffff81000000", out.string(), objects);
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
    return out;
}

// Runs `path` in the era `kernel` picks, at the kernel's layout (the modeled run too), on the
// kernel's entry code when `attach` is set.
Expected<Record> try_run(const std::string& path, const Vmlinux& kernel, bool attach, bool timing = true) {
    const std::string era = vmlinux_era(kernel, test::catalogue(), path);
    RunRequest request{kernel.arch, path, era};
    request.timing = timing;
    request.layout = vmlinux_layout(kernel);
    const PathSpec* spec = *test::catalogue().find_path(path, kernel.arch, era);
    if (attach) request.prepare_image = [&kernel, spec](Image& image) { return attach_vmlinux(kernel, *spec, image); };
    return run_path(test::catalogue(), request);
}

Record run(const std::string& path, const Vmlinux& kernel, bool attach) {
    auto record = try_run(path, kernel, attach);
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

void check_same(const Record& model, const Record& real) {
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

} // namespace

TEST_CASE("int3 kprobes take their traps through a linked vmlinux's asm_exc_int3 with the modeled counts") {
    auto file = link_vmlinux();
    REQUIRE_MESSAGE(!file.empty(), "llvm-mc-19 / ld.lld-19 missing: make deps installs them (lld-19)");
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    CHECK(*kernel->address_of("asm_exc_int3") >= 0xffffffff81000000ull);
    Vmlinux unlabelled = *kernel; // the importer's own phase split, as on a real image
    unlabelled.phase_labels.clear();
    for (const char* path : {"kprobe", "kprobe-body"}) {
        CAPTURE(path);
        Record model = run(path, *kernel, false);
        CHECK(model.traps == 2);
        CHECK(model.per_call.instructions > 0);
        for (const Vmlinux* image : {&*kernel, &unlabelled}) {
            CAPTURE(image->phase_labels.size());
            Record real = run(path, *image, true);
            check_same(model, real);
            // functional truth through the kernel's entry: the pre_handler saw the traced
            // function's arguments, the function returned its value
            CHECK(real.checks.return_value);
            CHECK(real.checks.handler_args == std::optional<bool>(true));
        }
    }

    // The kernel's bytes are what runs: ud2 over its asm_exc_int3 makes the first trap fault there.
    Vmlinux broken = *kernel;
    const uint64_t at = *broken.address_of("asm_exc_int3");
    for (ForeignRegion& r : broken.regions)
        if (r.contains(at)) r.bytes[at - r.base] = 0x0f, r.bytes[at - r.base + 1] = 0x0b;
    auto faulted = try_run("kprobe", broken, true, false);
    REQUIRE(!faulted);
    CHECK(faulted.error().message.find("asm_exc_int3") != std::string::npos);

    // The command runs it side by side.
    auto text = test::run_tracesim("kernel --vmlinux " + file.string() + " --path kprobe");
    CHECK(text.exit_code == 0);
    CHECK(text.output.find("x86_64 kprobe: modeled") != std::string::npos);
    CHECK(text.output.find("functional checks: ok") != std::string::npos);
    // Without --path: every x86_64 path; this image has no ftrace_caller, so ftrace is listed
    // with the reason, and kprobe still runs.
    auto every = test::run_tracesim("kernel --vmlinux " + file.string());
    CHECK(every.exit_code == 0);
    CHECK(every.output.find("x86_64 ftrace: not run on the vmlinux: path 'ftrace' needs ftrace_caller") !=
          std::string::npos);
    CHECK(every.output.find("x86_64 kprobe-body: modeled") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("a kernel without exc_int3 reports the int3 kprobes unsupported, naming the path and the symbol") {
    auto file = link_vmlinux();
    REQUIRE_MESSAGE(!file.empty(), "llvm-mc-19 / ld.lld-19 missing: make deps installs them (lld-19)");
    auto kernel = load_vmlinux(file);
    REQUIRE(kernel);
    Vmlinux missing = *kernel;
    missing.symbols.erase("exc_int3");
    for (const char* path : {"kprobe", "kprobe-body"}) {
        CAPTURE(path);
        const PathSpec* spec = *test::catalogue().find_path(path, Arch::x86_64, "");
        CHECK(vmlinux_unsupported_reason(*kernel, *spec) == "");
        std::string reason = vmlinux_unsupported_reason(missing, *spec);
        CHECK(reason.find(fmt::format("path '{}'", path)) != std::string::npos);
        CHECK(reason.find("exc_int3") != std::string::npos);
        Image image;
        auto attached = attach_vmlinux(missing, *spec, image);
        REQUIRE(!attached);
        CHECK(attached.error().message.find("exc_int3") != std::string::npos);
    }
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("arm64 BRK kprobes take their exceptions through a linked vmlinux's vectors with the modeled counts") {
    auto file = link_vmlinux(Arch::arm64);
    REQUIRE_MESSAGE(!file.empty(), "llvm-mc-19 / ld.lld-19 missing: make deps installs them (lld-19)");
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    CHECK(vmlinux_era(*kernel, test::catalogue(), "kprobe") == "6.1");
    Vmlinux unlabelled = *kernel;
    unlabelled.phase_labels.clear();
    for (const char* path : {"kprobe", "kprobe-body"}) {
        CAPTURE(path);
        Record model = run(path, *kernel, false);
        CHECK(model.traps == 2);
        for (const Vmlinux* image : {&*kernel, &unlabelled}) {
            CAPTURE(image->phase_labels.size());
            Record real = run(path, *image, true);
            check_same(model, real);
            CHECK(real.checks.return_value);
            CHECK(real.checks.handler_args == std::optional<bool>(true));
        }
    }
    // The kernel's bytes run: udf over el1h_64_sync faults there, named.
    Vmlinux broken = *kernel;
    const uint64_t at = *broken.address_of("el1h_64_sync");
    for (ForeignRegion& r : broken.regions)
        if (r.contains(at)) std::memset(r.bytes.data() + (at - r.base), 0, 4); // udf #0
    auto faulted = try_run("kprobe", broken, true, false);
    REQUIRE(!faulted);
    CHECK(faulted.error().message.find("el1h_64_sync") != std::string::npos);
    // Without el1h_64_sync_handler the path is unsupported, naming it.
    Vmlinux missing = *kernel;
    missing.symbols.erase("el1h_64_sync_handler");
    const PathSpec* spec = *test::catalogue().find_path("kprobe", Arch::arm64, "6.1");
    std::string reason = vmlinux_unsupported_reason(missing, *spec);
    CHECK(reason.find("path 'kprobe' needs el1h_64_sync_handler") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("a real vmlinux (TRACESIM_VMLINUX) takes the int3 kprobes' traps through its own entry code") {
    const char* file = std::getenv("TRACESIM_VMLINUX");
    if (!file || !*file) {
        MESSAGE("skipped: set TRACESIM_VMLINUX to a vmlinux to run its exception entry");
        return;
    }
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    for (const char* path : {"kprobe", "kprobe-body"}) {
        CAPTURE(path);
        const PathSpec* spec =
            *test::catalogue().find_path(path, kernel->arch, vmlinux_era(*kernel, test::catalogue(), path));
        if (std::string reason = vmlinux_unsupported_reason(*kernel, *spec); !reason.empty()) {
            MESSAGE(reason);
            continue;
        }
        Record real = run(path, *kernel, true);
        CHECK(real.checks.ok());
        CHECK(real.traps == 2);
        CHECK(real.checks.handler_args == std::optional<bool>(true));
        MESSAGE(std::string(path), ": ", real.per_call.instructions, " instructions per call");
    }
}
