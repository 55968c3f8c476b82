// Layer 8: the kprobe and rethook paths on a kernel image (sim/vmlinux). As in 800_vmlinux.cpp, a
// "vmlinux" is linked from our own kernels/x86_64/*.S at 0xffffffff81000000 with the host's
// llvm-mc-19 and ld.lld-19 (lld-19 is a dependency: scripts/install-deps.sh): kprobe-ftrace and
// kretprobe run the image's ftrace_regs_caller (so do the BPF bench's trig-kprobe and
// trig-kretprobe), kretprobe and fprobe-rethook also its arch_rethook_trampoline (whose call to
// arch_rethook_trampoline_callback reaches the harness's model), fprobe its return_to_handler.
// Counts must equal the modeled run of the same path.
#include "command.h"
#include "vmlinux_link.h"

#include <doctest/doctest.h>

using namespace tracesim;
using namespace tracesim::test;

namespace {

// What a kernel supplies around the trampolines: ftrace_stub, function_trace_op, the banner, the
// data (and per-CPU variables) rethook.S and return_to_handler_6_14.S refer to, and the C functions
// whose presence says the kernel was built with a path (kprobe_ftrace_handler,
// pre_handler_kretprobe, fprobe_exit_handler, fprobe_return, kprobe_dispatcher,
// kretprobe_dispatcher). Those are never run: the harness's models run instead.
constexpr const char* glue = R"(
    .text
    .globl ftrace_stub, ftrace_ops_func, _start
    .globl kprobe_ftrace_handler, pre_handler_kretprobe, fprobe_exit_handler, fprobe_return
    .globl kprobe_dispatcher, kretprobe_dispatcher
_start:
ftrace_stub:
kprobe_ftrace_handler:
pre_handler_kretprobe:
fprobe_exit_handler:
fprobe_return:
kprobe_dispatcher:
kretprobe_dispatcher:
    ret
    .set ftrace_ops_func, ftrace_stub
    .data
    .globl function_trace_op, linux_banner, fgraph_ret_stack_top, fgraph_gops, the_rethook
    .globl pcpu_current_task, __preempt_count, cpu_number
    .balign 64
function_trace_op:
pcpu_current_task:
    .quad 0
__preempt_count:
cpu_number:
    .quad 0
fgraph_ret_stack_top:
fgraph_gops:
the_rethook:
    .quad 0, 0
linux_banner:
    .asciz "Linux version 6.14.0-tracesim-test (tests/810_vmlinux_paths.cpp) #1"
)";

// Links kernels/x86_64/<sources> + the glue.
std::filesystem::path link_x86(const std::vector<std::string>& sources, const std::string& name) {
    return link_vmlinux(Arch::x86_64, sources, "paths-" + name, glue);
}

} // namespace

TEST_CASE("kprobe and rethook paths run a linked vmlinux's trampolines with the modeled counts") {
    auto file = link_x86(
        {"ftrace_caller.S", "ftrace_regs_caller.S", "rethook.S", "return_to_handler_6_14.S"},
        "rethook");
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    CHECK(*kernel->address_of("arch_rethook_trampoline") >= 0xffffffff81000000ull);
    CHECK(vmlinux_era(*kernel, test::catalogue(), "fprobe-rethook") == "6.1");
    for (const char* path : {"kprobe-ftrace", "kretprobe", "fprobe-rethook", "fprobe"}) {
        CAPTURE(path);
        Record model = run(path, *kernel, false);
        Record real = run(path, *kernel, true);
        CHECK(model.per_call.instructions > 0);
        check_same(model, real);
        // functional truth on the kernel's trampolines: the entry handler saw the traced
        // function's arguments, the exit handler (all but kprobe-ftrace) its return value
        CHECK(real.checks.return_value);
        CHECK(real.checks.handler_args == std::optional<bool>(true));
        if (std::string(path) != "kprobe-ftrace")
            CHECK(real.checks.handler_ret == std::optional<bool>(true));
    }
    // The BPF bench's kprobe and kretprobe (their program reads no args: the counter is the check).
    for (const char* path : {"trig-kprobe", "trig-kretprobe"}) {
        CAPTURE(path);
        check_same(run(path, *kernel, false), run(path, *kernel, true));
    }

    // The kernel's bytes are what runs: ud2 over its arch_rethook_trampoline makes the traced
    // function's return fault there, named.
    for (const char* path : {"kretprobe", "fprobe-rethook"}) {
        CAPTURE(path);
        CHECK(fault_of(path, broken_at(*kernel, "arch_rethook_trampoline"))
                  .find("arch_rethook_trampoline") != std::string::npos);
    }

    // The command runs them side by side.
    auto text = test::run_tracesim("kernel --vmlinux " + file.string() +
                                   " --path kretprobe --path kprobe-ftrace");
    CHECK(text.exit_code == 0);
    CHECK(text.output.find("x86_64 kretprobe: modeled") != std::string::npos);
    CHECK(text.output.find("not run on the vmlinux") == std::string::npos);
    CHECK(text.output.find("functional checks: ok") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("a kernel without a path's trampoline or C functions reports it, naming the path and the "
          "symbol") {
    // ftrace_regs_caller but no rethook: kretprobe and fprobe-rethook lack arch_rethook_trampoline
    auto file = link_x86({"ftrace_caller.S", "ftrace_regs_caller.S"}, "no-rethook");
    auto kernel = load_vmlinux(file);
    REQUIRE(kernel);
    for (const char* path : {"kretprobe", "fprobe-rethook"}) {
        CAPTURE(path);
        const std::string era = vmlinux_era(*kernel, test::catalogue(), path);
        const PathSpec* spec = *test::catalogue().find_path(path, Arch::x86_64, era);
        std::string reason = vmlinux_unsupported_reason(*kernel, test::catalogue(), *spec);
        CHECK(reason.find(fmt::format("path '{}'", path)) != std::string::npos);
        CHECK(reason.find("arch_rethook_trampoline") != std::string::npos);
        Image image;
        auto attached = attach_vmlinux(*kernel, test::catalogue(), *spec, image);
        REQUIRE(!attached);
        CHECK(attached.error().message.find("arch_rethook_trampoline") != std::string::npos);
    }
    // A C function the path's models stand for, missing: the kernel was built without the path.
    Vmlinux no_kprobes = *kernel;
    no_kprobes.symbols.erase("kprobe_ftrace_handler");
    const PathSpec* kprobe = *test::catalogue().find_path("kprobe-ftrace", Arch::x86_64, "");
    CHECK(vmlinux_unsupported_reason(no_kprobes, test::catalogue(), *kprobe)
              .find("kprobe_ftrace_handler") != std::string::npos);
    CHECK(vmlinux_unsupported_reason(*kernel, test::catalogue(), *kprobe) == "");
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("a real vmlinux (TRACESIM_VMLINUX) runs its kprobe and rethook trampolines") {
    const char* file = std::getenv("TRACESIM_VMLINUX");
    if (!file || !*file) {
        MESSAGE("skipped: set TRACESIM_VMLINUX to a vmlinux to run its trampolines");
        return;
    }
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    if (kernel->arch != Arch::x86_64) {
        MESSAGE("skipped: these paths are x86_64's; ", file, " is an arm64 image");
        return;
    }
    for (const char* path : {"kprobe-ftrace", "kretprobe", "fprobe-rethook", "fprobe",
                             "trig-kprobe", "trig-kretprobe"}) {
        CAPTURE(path);
        const PathSpec* spec = *test::catalogue().find_path(
            path, Arch::x86_64, vmlinux_era(*kernel, test::catalogue(), path));
        if (std::string reason = vmlinux_unsupported_reason(*kernel, test::catalogue(), *spec);
            !reason.empty()) {
            MESSAGE(reason);
            continue;
        }
        Record real = run(path, *kernel, true);
        CHECK(real.checks.ok());
        CHECK(real.per_call.instructions > 0);
        MESSAGE(std::string(path), ": ", real.per_call.instructions, " instructions per call");
    }
}
