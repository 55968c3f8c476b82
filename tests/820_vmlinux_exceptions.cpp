// Layer 8: exception entry code on a kernel image (sim/vmlinux): the int3 kprobes (`kprobe`,
// `kprobe-body`) take their traps through the image's own asm_exc_int3 (error_entry,
// error_return, restore_regs_and_return_to_kernel, iretq), whose call of exc_int3 reaches the
// harness's model of it; on arm64 through the image's vectors, el1h_64_sync, ret_to_kernel and
// eret, around our el1h_64_sync_handler. As in 810_vmlinux_paths.cpp, a "vmlinux" is linked from
// our own kernels/x86_64/paths/kprobe_int3.S (arm64: entry_el1.S) with the host's llvm-mc and a linker
// (lld-19 is a dependency: a missing tool fails the test); counts must equal the modeled run of the
// same path, with tracesim's phase labels and with the importer's own phase split (labels dropped).
#include "command.h"
#include "vmlinux_link.h"

#include <doctest/doctest.h>

using namespace tracesim;
using namespace tracesim::test;

namespace {

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

// Links kernels/<arch>'s entry code (x86_64 kprobe_int3.S, arm64 entry_el1.S) + the arch's glue.
std::filesystem::path link_entry(Arch arch = Arch::x86_64) {
    const bool arm64 = arch == Arch::arm64;
    return link_vmlinux(arch, {arm64 ? "entry_el1.S" : "kprobe_int3.S"},
                        fmt::format("exceptions-{}", name_of(arch)), arm64 ? glue_arm64 : glue);
}

} // namespace

TEST_CASE("int3 kprobes take their traps through a linked vmlinux's asm_exc_int3 with the modeled "
          "counts") {
    auto file = link_entry();
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
    CHECK(fault_of("kprobe", broken_at(*kernel, "asm_exc_int3")).find("asm_exc_int3") !=
          std::string::npos);

    // The command runs it side by side.
    auto text = test::run_tracesim("kernel --vmlinux " + file.string() + " --path kprobe");
    CHECK(text.exit_code == 0);
    CHECK(text.output.find("x86_64 kprobe: modeled") != std::string::npos);
    CHECK(text.output.find("functional checks: ok") != std::string::npos);
    // Without --path: every x86_64 path; this image has no ftrace_caller, so ftrace is listed
    // with the reason, and kprobe still runs.
    auto every = test::run_tracesim("kernel --vmlinux " + file.string());
    CHECK(every.exit_code == 0);
    CHECK(every.output.find(
              "x86_64 ftrace: not run on the vmlinux: path 'ftrace' needs ftrace_caller") !=
          std::string::npos);
    CHECK(every.output.find("x86_64 kprobe-body: modeled") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("a kernel without exc_int3 reports the int3 kprobes unsupported, naming the path and the "
          "symbol") {
    auto file = link_entry();
    auto kernel = load_vmlinux(file);
    REQUIRE(kernel);
    Vmlinux missing = *kernel;
    missing.symbols.erase("exc_int3");
    for (const char* path : {"kprobe", "kprobe-body"}) {
        CAPTURE(path);
        const PathSpec* spec = *test::catalogue().find_path(path, Arch::x86_64, "");
        CHECK(vmlinux_unsupported_reason(*kernel, test::catalogue(), *spec) == "");
        std::string reason = vmlinux_unsupported_reason(missing, test::catalogue(), *spec);
        CHECK(reason.find(fmt::format("path '{}'", path)) != std::string::npos);
        CHECK(reason.find("exc_int3") != std::string::npos);
        Image image;
        auto attached = attach_vmlinux(missing, test::catalogue(), *spec, image);
        REQUIRE(!attached);
        CHECK(attached.error().message.find("exc_int3") != std::string::npos);
    }
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("arm64 BRK kprobes take their exceptions through a linked vmlinux's vectors with the "
          "modeled counts") {
    auto file = link_entry(Arch::arm64);
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
    CHECK(fault_of("kprobe", broken_at(*kernel, "el1h_64_sync")).find("el1h_64_sync") !=
          std::string::npos);
    // Without el1h_64_sync_handler the path is unsupported, naming it.
    Vmlinux missing = *kernel;
    missing.symbols.erase("el1h_64_sync_handler");
    const PathSpec* spec = *test::catalogue().find_path("kprobe", Arch::arm64, "6.1");
    std::string reason = vmlinux_unsupported_reason(missing, test::catalogue(), *spec);
    CHECK(reason.find("path 'kprobe' needs el1h_64_sync_handler") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE(
    "a real vmlinux (TRACESIM_VMLINUX) takes the int3 kprobes' traps through its own entry code") {
    const char* file = std::getenv("TRACESIM_VMLINUX");
    if (!file || !*file) {
        MESSAGE("skipped: set TRACESIM_VMLINUX to a vmlinux to run its exception entry");
        return;
    }
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    for (const char* path : {"kprobe", "kprobe-body"}) {
        CAPTURE(path);
        const PathSpec* spec = *test::catalogue().find_path(
            path, kernel->arch, vmlinux_era(*kernel, test::catalogue(), path));
        if (std::string reason = vmlinux_unsupported_reason(*kernel, test::catalogue(), *spec);
            !reason.empty()) {
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
