// Layer 8: more paths on a kernel image (sim/vmlinux). arm64 kretprobe (both of its return
// trampolines: <= 6.8's hand-built pt_regs around trampoline_probe_handler, 6.9+'s BRK), the BPF
// bench's trig-kprobe / trig-kretprobe on the BRK entry, x86_64 optprobe (the detour buffer
// copied from the image's optprobe_template), x86_64's kprobe-multi paths on fprobe's
// trampolines, and the paths a vmlinux has no code for. As in 810/820, a "vmlinux" is linked from
// our own kernels/<arch>/*.S with llvm-mc-19 and ld.lld-19 (dependencies: a missing tool fails
// the test); counts must equal the modeled run of the same path, per phase.
#include "command.h"
#include "sim/vmlinux/attach.h"
#include "vmlinux_link.h"

#include <doctest/doctest.h>

using namespace tracesim;
using namespace tracesim::test;

namespace {

// What an arm64 kernel supplies around its EL1 entry and __kretprobe_trampoline for entry_el1.S
// and kretprobe_v6_1.S / kretprobe_brk.S to link: the C functions they call or name (never run:
// the harness's models run instead, or their presence says the kernel was built with the path).
constexpr const char* glue_arm64 = R"(
    .text
    .globl _start, kprobe_breakpoint_handler, kprobe_breakpoint_ss_handler, pre_handler_kretprobe
    .globl xol_slot_nop, simulate_nop, traced_func, kretprobe_trampoline_handler
    .globl kprobe_dispatcher, kretprobe_dispatcher
_start:
kprobe_breakpoint_handler:
kprobe_breakpoint_ss_handler:
pre_handler_kretprobe:
xol_slot_nop:
simulate_nop:
traced_func:
kretprobe_trampoline_handler:
kprobe_dispatcher:
kretprobe_dispatcher:
    ret
    .data
    .globl linux_banner
linux_banner:
    .asciz "Linux version 6.14.0-tracesim-test (tests/830_vmlinux_more.cpp) #1"
)";

// x86_64: what a kernel supplies around ftrace_caller / return_to_handler (as in 810), and an
// optprobe template written in the form arch/x86/kernel/kprobes/opt.c gives it (the pt_regs
// pushes, 5-byte NOP placeholders at _val (two) and _call, the restore, popfq; not copied), which
// the importer copies into the detour buffer.
constexpr const char* glue_x86 = R"(
    .include "pt_regs_stack.inc"
    .text
    .globl ftrace_stub, ftrace_ops_func, _start, fprobe_return, arch_prepare_optimized_kprobe, optimized_callback
    .globl optprobe_template_entry, optprobe_template_val, optprobe_template_call, optprobe_template_end
_start:
ftrace_stub:
fprobe_return:
arch_prepare_optimized_kprobe:
optimized_callback:
    ret
    .set ftrace_ops_func, ftrace_stub
optprobe_template_entry:
    pushq   $KERNEL_DS
    pushq   %rsp
    pushfq
    nopl    (%rax)
    subq    $24, %rsp
    push_pt_regs_gprs
    movq    %rsp, %rsi
optprobe_template_val:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00, 0x0f, 0x1f, 0x44, 0x00, 0x00
optprobe_template_call:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00
    movq    PT_FLAGS(%rsp), %rdx
    movq    %rdx, PT_SS(%rsp)
    pop_pt_regs_gprs
    addq    $24, %rsp
    addq    $16, %rsp
    popfq
optprobe_template_end:
    .data
    .globl function_trace_op, linux_banner, fgraph_ret_stack_top, fgraph_gops
    .balign 64
function_trace_op:
    .quad 0
fgraph_ret_stack_top:
fgraph_gops:
    .quad 0, 0
linux_banner:
    .asciz "Linux version 6.14.0-tracesim-test (tests/830_vmlinux_more.cpp) #1"
)";

// Links kernels/<arch>/<sources> + the arch's glue above.
std::filesystem::path link_more(Arch arch, const std::vector<std::string>& sources,
                                const std::string& name) {
    return link_vmlinux(arch, sources, "more-" + name, arch == Arch::arm64 ? glue_arm64 : glue_x86);
}

// Runs each path modeled and on `kernel`, with its phase labels and without (the importer's
// own split, as on a real image): equal per phase.
void check_paths(const Vmlinux& kernel, std::initializer_list<const char*> paths) {
    Vmlinux unlabelled = kernel;
    unlabelled.phase_labels.clear();
    for (const char* path : paths) {
        CAPTURE(path);
        Record model = run(path, kernel, false);
        CHECK(model.per_call.instructions > 0);
        for (const Vmlinux* image : {&kernel, const_cast<const Vmlinux*>(&unlabelled)}) {
            CAPTURE(image->phase_labels.size());
            check_same(model, run(path, *image, true));
        }
    }
}

} // namespace

TEST_CASE("arm64 kretprobe (6.1) runs a linked vmlinux's hand-built __kretprobe_trampoline with "
          "the modeled counts") {
    auto file = link_more(Arch::arm64, {"entry_el1.S", "kretprobe_v6_1.S"}, "kretprobe-6.1");
    Vmlinux kernel = load(file);
    CHECK(vmlinux_era(kernel, test::catalogue(), "kretprobe") == "6.1"); // by the trampoline's form
    check_paths(kernel, {"kretprobe", "kprobe", "trig-kprobe"});
    Record real = run("kretprobe", kernel, true);
    CHECK(real.traps == 2);
    CHECK(real.checks.return_value);
    CHECK(real.checks.handler_args == std::optional<bool>(true));
    CHECK(real.checks.handler_ret == std::optional<bool>(true));
    // The kernel's trampoline is what the traced function returns into: udf over it faults there.
    CHECK(fault_of("kretprobe", broken_at(kernel, "__kretprobe_trampoline"))
              .find("__kretprobe_trampoline") != std::string::npos);
    // The BPF bench's kretprobe has only the 6.9+ BRK model: unsupported here, naming both forms.
    std::string reason =
        vmlinux_unsupported_reason(kernel, test::catalogue(), spec_of("trig-kretprobe", kernel));
    CHECK(reason.find("path 'trig-kretprobe' (era 6.14) runs __kretprobe_trampoline as a `brk") !=
          std::string::npos);
    CHECK(reason.find("trampoline_probe_handler (<= 6.8)") != std::string::npos);
    // The 6.14 model on this image: its form does not fit, --kernel 6.1 does.
    const PathSpec& v6_14 = **test::catalogue().find_path("kretprobe", Arch::arm64, "6.14");
    CHECK(vmlinux_unsupported_reason(kernel, test::catalogue(), v6_14).find("use --kernel 6.1") !=
          std::string::npos);
    // Without the C callee the trampoline calls, the path is unsupported, naming it.
    Vmlinux missing = kernel;
    missing.symbols.erase("trampoline_probe_handler");
    CHECK(vmlinux_unsupported_reason(missing, test::catalogue(), spec_of("kretprobe", kernel))
              .find("trampoline_probe_handler") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("arm64 kretprobe (6.9+ BRK) and trig-kretprobe run a linked vmlinux's brk trampoline "
          "with the modeled counts") {
    auto file =
        link_more(Arch::arm64, {"entry_el1.S", "kretprobe_brk.S", "kretprobe_brk_nop_sim.S"},
                  "kretprobe-brk");
    Vmlinux kernel = load(file);
    CHECK(vmlinux_era(kernel, test::catalogue(), "kretprobe") == "6.14");
    check_paths(kernel, {"kretprobe", "trig-kretprobe", "trig-kprobe"});
    Record real = run("kretprobe", kernel, true);
    CHECK(real.traps == 2); // the simulated NOP's BRK at entry, the trampoline's at return
    CHECK(real.checks.handler_ret == std::optional<bool>(true));
    CHECK(fault_of("kretprobe", broken_at(kernel, "__kretprobe_trampoline"))
              .find("__kretprobe_trampoline") != std::string::npos);
    // No BRK-era kretprobe handler: built without the path.
    Vmlinux missing = kernel;
    missing.symbols.erase("kretprobe_breakpoint_handler");
    CHECK(vmlinux_unsupported_reason(missing, test::catalogue(), spec_of("kretprobe", kernel))
              .find("kretprobe_breakpoint_handler (or kretprobe_brk_handler)") !=
          std::string::npos);
    // 6.9-6.12: the same BRK trampoline, but no simulate_nop: the entry NOP is stepped out of
    // line. The importer picks the 6.9 era (3 exceptions per hit).
    Vmlinux stepping = kernel;
    stepping.symbols.erase("simulate_nop");
    CHECK(vmlinux_era(stepping, test::catalogue(), "kretprobe") == "6.9");
    check_paths(stepping, {"kretprobe"});
    CHECK(run("kretprobe", stepping, true).traps == 3);
    const PathSpec& v6_9 = **test::catalogue().find_path("kretprobe", Arch::arm64, "6.9");
    CHECK(vmlinux_unsupported_reason(stepping, test::catalogue(), v6_9).empty());
    auto text = test::run_tracesim("kernel --arch arm64 --vmlinux " + file.string() +
                                   " --path trig-kretprobe");
    CHECK(text.exit_code == 0);
    CHECK(text.output.find("arm64 trig-kretprobe: modeled (kernel 6.14)") != std::string::npos);
    CHECK(text.output.find("functional checks: ok") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("x86_64 optprobe runs a detour buffer copied from a linked vmlinux's optprobe_template") {
    auto file =
        link_more(Arch::x86_64, {"ftrace_caller.S", "return_to_handler_6_14.S"}, "optprobe");
    Vmlinux kernel = load(file);
    Record model = run("optprobe", kernel, false);
    Record real = run("optprobe", kernel, true);
    check_same(model, real);
    CHECK(real.traps == 0);
    CHECK(real.checks.handler_args == std::optional<bool>(true));
    // The template's bytes are what runs (copied): ud2 over it faults in the buffer, which names
    // it.
    CHECK(fault_of("optprobe", broken_at(kernel, "optprobe_template_entry"))
              .find("optprobe_template_entry") != std::string::npos);
    Vmlinux missing = kernel;
    missing.symbols.erase("optprobe_template_end");
    std::string reason =
        vmlinux_unsupported_reason(missing, test::catalogue(), spec_of("optprobe", kernel));
    CHECK(reason.find("path 'optprobe' needs optprobe_template_end") != std::string::npos);

    // The kprobe-multi paths are fprobe's trampolines (ftrace_caller, return_to_handler) with the
    // link's C modeled.
    for (const char* path : {"trig-kprobe-multi", "trig-kretprobe-multi", "fprobe-bpf"}) {
        CAPTURE(path);
        check_same(run(path, kernel, false), run(path, kernel, true));
    }
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("paths a vmlinux has no code for are unsupported with the precise reason, per arch") {
    Vmlinux x86 = load(link_more(Arch::x86_64, {"ftrace_caller.S"}, "reasons-x86"));
    Vmlinux arm =
        load(link_more(Arch::arm64, {"entry_el1.S", "kretprobe_brk.S", "kretprobe_brk_nop_sim.S"},
                       "reasons-arm64"));
    for (const Vmlinux* kernel : {&x86, &arm}) {
        CAPTURE(kernel->arch);
        const std::string jit = fmt::format("arch/{}/net/bpf_jit_comp.c",
                                            kernel->arch == Arch::arm64 ? "arm64" : "x86");
        for (const char* path :
             {"bpf-fentry", "bpf-fexit", "trig-fentry", "trig-fexit", "trig-fmodret"}) {
            CAPTURE(path);
            std::string reason =
                vmlinux_unsupported_reason(*kernel, test::catalogue(), spec_of(path, *kernel));
            CHECK(reason.find(fmt::format("path '{}'", path)) != std::string::npos);
            CHECK(reason.find("arch_prepare_bpf_trampoline") != std::string::npos);
            CHECK(reason.find(jit) != std::string::npos);
        }
        for (const char* path : {"trig-tp", "trig-rawtp"}) {
            CAPTURE(path);
            CHECK(vmlinux_unsupported_reason(*kernel, test::catalogue(), spec_of(path, *kernel))
                      .find("compiled C only") != std::string::npos);
        }
        CHECK(vmlinux_unsupported_reason(*kernel, test::catalogue(),
                                         spec_of("fprobe-native", *kernel))
                  .find("proposal") != std::string::npos);
    }
    // Paths with no `vmlinux` mechanism: the reason lists what the importer runs, from the
    // catalogue, in its order.
    PathSpec unknown_arm = spec_of("ftrace", arm);
    unknown_arm.name = "no-such-path";
    unknown_arm.vmlinux = {};
    CHECK(vmlinux_unsupported_reason(arm, test::catalogue(), unknown_arm)
              .find("does not do yet on arm64; it runs ftrace, ftrace-regs, fgraph, fprobe, "
                    "fprobe-bpf, kprobe, kprobe-body, kretprobe, trig-kprobe, trig-kprobe-multi, "
                    "trig-kretprobe-multi and trig-kretprobe") != std::string::npos);
    PathSpec unknown = spec_of("ftrace", x86);
    unknown.name = "no-such-path";
    unknown.vmlinux = {};
    const std::string x86_reason = vmlinux_unsupported_reason(x86, test::catalogue(), unknown);
    CHECK(x86_reason.find("on x86_64; it runs ftrace, ftrace-regs, fgraph, fprobe,") !=
          std::string::npos);
    CHECK(x86_reason.find("kprobe-ftrace, kretprobe, optprobe, kprobe, kprobe-body,") !=
          std::string::npos);
    // A mechanism the arch's importer does not know names the catalogue entry.
    unknown.vmlinux.runs = "no-such-mechanism";
    CHECK(vmlinux_unsupported_reason(x86, test::catalogue(), unknown)
              .find("runs 'no-such-mechanism', a mechanism the x86_64 importer does not know") !=
          std::string::npos);
    // Paths the catalogue does not model on an arch give its reason.
    CHECK(vmlinux_unsupported_reason(arm, test::catalogue(), spec_of("optprobe", arm))
              .find("HAVE_OPTPROBES") != std::string::npos);
    std::filesystem::remove_all(x86.file.parent_path());
    std::filesystem::remove_all(arm.file.parent_path());
}

TEST_CASE(
    "a real vmlinux (TRACESIM_VMLINUX) runs kretprobe, trig-kprobe, trig-kretprobe and optprobe") {
    const char* file = std::getenv("TRACESIM_VMLINUX");
    if (!file || !*file) {
        MESSAGE("skipped: set TRACESIM_VMLINUX to a vmlinux to run its trampolines");
        return;
    }
    Vmlinux kernel = load(file);
    for (const char* path : {"kretprobe", "trig-kprobe", "trig-kretprobe", "optprobe"}) {
        CAPTURE(path);
        if (std::string reason =
                vmlinux_unsupported_reason(kernel, test::catalogue(), spec_of(path, kernel));
            !reason.empty()) {
            MESSAGE(reason);
            continue;
        }
        Record real = run(path, kernel, true);
        CHECK(real.checks.ok());
        MESSAGE(std::string(path), ": ", real.per_call.instructions, " instructions per call");
    }
}

TEST_CASE("every arch has a vmlinux importer, and every catalogue path's mechanism is its arch's") {
    using namespace vmlinux_detail;
    for (Arch arch : all_arches) {
        CAPTURE(arch);
        CHECK(importer_for(arch).arch == arch);
        CHECK(importer_for(arch).elf_machine != 0);
    }
    CHECK(importers().size() == std::size(all_arches));
    int runs = 0, absent = 0;
    for (const PathSpec& path : test::catalogue().paths) {
        CAPTURE(path.defined_at);
        if (!path.vmlinux.runs.empty()) {
            ++runs;
            CHECK(importer_for(path.arch).knows(path.vmlinux.runs));
        }
        if (!path.vmlinux.absent.empty()) ++absent;
        CHECK((path.vmlinux.runs.empty() || path.vmlinux.absent.empty()));
    }
    CHECK(runs > 0);
    CHECK(absent > 0);
    CHECK_FALSE(importer_for(Arch::x86_64).knows("brk"));
    CHECK_FALSE(importer_for(Arch::arm64).knows("int3"));
}
