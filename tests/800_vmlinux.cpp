// Layer 8: real kernel images (sim/vmlinux). A "vmlinux" is linked from our own kernels/<arch>/*.S
// at kernel addresses (x86_64 0xffffffff81000000, arm64 0xffff800080000000) with the host's
// llvm-mc and ld.lld, imported, and run: its counts must equal the modeled run of the same path.
// lld-19 is a dependency (scripts/install-deps.sh): a missing tool fails the test.
// TRACESIM_VMLINUX=/path/to/vmlinux (either arch) also runs a real kernel's trampolines.
#include "command.h"
#include "vmlinux_link.h"

#include <array>
#include <doctest/doctest.h>
#include <tuple>

using namespace tracesim;
using namespace tracesim::test;

namespace {

// What a kernel supplies around the trampolines: ftrace_stub (what ftrace_call calls before it is
// patched; our sources name the site's target ftrace_ops_func), function_trace_op, the banner.
constexpr const char* glue = R"(
    .text
    .globl ftrace_stub, ftrace_ops_func, _start
_start:
ftrace_stub:
    ret
    .set ftrace_ops_func, ftrace_stub
    .data
    .globl function_trace_op, linux_banner, fgraph_ret_stack_top, fgraph_gops
    .balign 64
function_trace_op:
    .quad 0
fgraph_ret_stack_top:               // what return_to_handler_*.S's own C model refers to
fgraph_gops:
    .quad 0, 0
linux_banner:
    .asciz "Linux version 6.14.0-tracesim-test (tests/800_vmlinux.cpp) #1"
)";

// arm64: the same, where `ftrace_ops_func` comes from fgraph.S when it is linked (glue_arm64_stub
// otherwise) and fgraph.S's user, fgraph_ops, is the glue's.
constexpr const char* glue_arm64 = R"(
    .text
    .globl ftrace_stub, _start
_start:
ftrace_stub:
phase.dispatch.glue_ftrace_stub:            // what ftrace_call calls with only fgraph on (<= 6.1)
    ret
    .data
    .globl function_trace_op, linux_banner, fgraph_ops
    .balign 64
function_trace_op:
    .quad 0
fgraph_ops:
    .quad 0, 0
linux_banner:
    .asciz "Linux version 6.14.0-tracesim-test (tests/800_vmlinux.cpp) #1"
)";
constexpr const char* glue_arm64_stub = R"(
    .globl ftrace_ops_func
    .set ftrace_ops_func, ftrace_stub
)";

// Upstream <= 6.1's fgraph (WITH_REGS), around kernels/arm64/paths/ftrace_regs_caller.S's ftrace_common
// (whose ftrace_graph_call NOP follows the ftrace_call site): ftrace_caller (allregs=0),
// ftrace_graph_caller, return_to_handler (fp by value), written (test-only) as
// kernels/arm64/paths/fgraph_v6_1.S writes them from Linux v6.1 arch/arm64/kernel/entry-ftrace.S, so
// the run must equal that model's. prepare_ftrace_return and ftrace_return_to_handler are C in
// the kernel: here a brk, which the importer must have replaced by the model's.
constexpr const char* graph_caller_v6_1 = R"(
    .text
    .globl ftrace_caller, ftrace_graph_caller, return_to_handler
    .globl prepare_ftrace_return, ftrace_return_to_handler
ftrace_caller:
phase.save.up_ftrace_caller:
    sub     sp, sp, #(S_SIZE + 16)
    stp     x0, x1, [sp, #S_X0]
    stp     x2, x3, [sp, #S_X2]
    stp     x4, x5, [sp, #S_X4]
    stp     x6, x7, [sp, #S_X6]
    stp     x8, x9, [sp, #S_X8]
    str     x29, [sp, #S_X29]
    add     x10, sp, #(S_SIZE + 16)
    stp     x9, x10, [sp, #S_X30]
    str     x30, [sp, #S_PC]
    stp     x29, x9, [sp, #S_SIZE]
    add     x29, sp, #S_SIZE
    stp     x29, x30, [sp, #S_STACKFRAME]
    add     x29, sp, #S_STACKFRAME
    b       ftrace_common
ftrace_graph_caller:
phase.dispatch.up_ftrace_graph_caller:
    ldr     x0, [sp, #S_PC]
    sub     x0, x0, #AARCH64_INSN_SIZE
    add     x1, sp, #S_X30
    ldr     x2, [sp, #S_SIZE]
    bl      prepare_ftrace_return
    b       ftrace_common_return
return_to_handler:
phase.save.up_return_to_handler:
    sub     sp, sp, #64
    stp     x0, x1, [sp]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
phase.dispatch.up_return_to_handler:
    mov     x0, x29
    bl      ftrace_return_to_handler
phase.hijack.up_return_to_handler:
    mov     x30, x0
phase.restore.up_return_to_handler:
    ldp     x0, x1, [sp]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    add     sp, sp, #64
    ret
prepare_ftrace_return:
ftrace_return_to_handler:
phase.dispatch.up_c_callees:
    brk     #0x800
)";

// A CALL_OPS ftrace_caller for the importer's ops-literal path, written (test-only) from the
// effects of Linux v6.12 arch/arm64/kernel/entry-ftrace.S ftrace_caller with
// DYNAMIC_FTRACE_WITH_ARGS + WITH_CALL_OPS + WITH_DIRECT_CALLS: the ops from the literal 16 bytes
// below the BL's 8-byte-aligned return address, op->direct_call tested (0xd0: its offset in
// Debian's 6.12.117 build), the direct_tramp slot cleared and tested on the way out, op->func
// called with `blr`. Left out: the direct-call exits (ftrace_caller_direct[_late]), here a brk.
constexpr const char* callops_ftrace_caller = R"(
    .text
    .globl ftrace_caller
ftrace_caller:
phase.save.callops:
    bti     c
    bic     x11, x30, #7
    ldur    x11, [x11, #-16]
    ldr     x17, [x11, #0xd0]
    cbnz    x17, 1f
    mov     x10, sp
    sub     sp, sp, #(FREGS_SIZE + 32)
    stp     x0, x1, [sp, #FREGS_X0]
    stp     x2, x3, [sp, #FREGS_X2]
    stp     x4, x5, [sp, #FREGS_X4]
    stp     x6, x7, [sp, #FREGS_X6]
    str     x8, [sp, #FREGS_X8]
    str     xzr, [sp, #(FREGS_X8 + 8)]
    str     x29, [sp, #FREGS_FP]
    str     x9, [sp, #FREGS_LR]
    str     x10, [sp, #FREGS_SP]
    str     x30, [sp, #FREGS_PC]
    stp     x29, x9, [sp, #(FREGS_SIZE + 16)]
    add     x29, sp, #(FREGS_SIZE + 16)
    stp     x29, x30, [sp, #FREGS_SIZE]
    add     x29, sp, #FREGS_SIZE
phase.dispatch.callops:
    sub     x0, x30, #4
    mov     x1, x9
    mov     x3, sp
    mov     x2, x11
    ldr     x4, [x2]
    blr     x4
phase.restore.callops:
    ldp     x0, x1, [sp, #FREGS_X0]
    ldp     x2, x3, [sp, #FREGS_X2]
    ldp     x4, x5, [sp, #FREGS_X4]
    ldp     x6, x7, [sp, #FREGS_X6]
    ldr     x8, [sp, #FREGS_X8]
    ldr     x29, [sp, #FREGS_FP]
    ldr     x17, [sp, #(FREGS_X8 + 8)]
    cbnz    x17, 1f
    ldr     x30, [sp, #FREGS_LR]
    ldr     x9, [sp, #FREGS_PC]
    add     sp, sp, #(FREGS_SIZE + 32)
    ret     x9
1:  brk     #0x800
)";

// Links kernels/<arch>/<sources> + the arch's glue (+ `extra`, assembled after it).
std::filesystem::path link_glued(Arch arch, const std::vector<std::string>& sources,
                                 const std::string& name, const std::string& extra = "",
                                 const std::string& head = "") {
    return link_vmlinux(arch, sources, name,
                        std::string(arch == Arch::arm64 ? glue_arm64 : glue) + extra,
                        {.head = head});
}

} // namespace

TEST_CASE("a vmlinux linked from our own trampolines runs them with the modeled counts") {
    auto file =
        link_glued(Arch::x86_64,
                   {"ftrace_caller.S", "ftrace_regs_caller.S", "return_to_handler_6_14.S"}, "both");
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    CHECK(kernel->arch == Arch::x86_64);
    CHECK(kernel->release == "6.14.0-tracesim-test");
    CHECK(vmlinux_era(*kernel, test::catalogue(), "fgraph") == "6.14");
    CHECK(*kernel->address_of("ftrace_caller") >= 0xffffffff81000000ull);
    for (const char* path : {"ftrace", "ftrace-regs", "fgraph"}) {
        CAPTURE(path);
        Record model = run(path, *kernel, false);
        Record real = run(path, *kernel, true);
        CHECK(model.per_call.instructions > 0);
        check_same(model, real);
    }
    // The kernel's bytes are what runs: a ud2 over its ftrace_caller (or, for fgraph, its
    // return_to_handler) makes the traced call fault there.
    for (auto [path, symbol] :
         {std::pair{"ftrace", "ftrace_caller"}, {"fgraph", "return_to_handler"}}) {
        CAPTURE(path);
        CHECK(fault_of(path, broken_at(*kernel, symbol)).find(symbol) != std::string::npos);
    }
    // A path whose kernel code the image lacks is unsupported, with its reason.
    const PathSpec* optprobe = *test::catalogue().find_path("optprobe", Arch::x86_64, "");
    CHECK(vmlinux_unsupported_reason(*kernel, test::catalogue(), *optprobe)
              .find("optprobe_template_entry") != std::string::npos);

    // The command: side by side, and JSON records marked as the vmlinux's.
    auto text =
        test::run_tracesim("kernel --vmlinux " + file.string() + " --path ftrace --path kretprobe");
    CHECK(text.exit_code == 0);
    CHECK(text.output.find("release 6.14.0-tracesim-test") != std::string::npos);
    CHECK(text.output.find("not run on the vmlinux") != std::string::npos);
    auto json =
        test::run_tracesim("kernel --vmlinux " + file.string() + " --path ftrace --format json");
    CHECK(json.exit_code == 0);
    CHECK(json.output.find(R"("source": "vmlinux")") != std::string::npos);
    auto missing =
        test::run_tracesim("kernel --vmlinux " + (file.parent_path() / "nothing").string());
    CHECK(missing.exit_code == 2); // the user's input: a usage error, as every missing input
    CHECK(missing.output.find("nothing: No such file or directory") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE(
    "a kernel without ftrace_regs_caller reports ftrace-regs unsupported, naming the symbol") {
    auto file = link_glued(Arch::x86_64, {"ftrace_caller.S"}, "args-only");
    auto kernel = load_vmlinux(file);
    REQUIRE(kernel);
    const PathSpec* regs = *test::catalogue().find_path("ftrace-regs", Arch::x86_64, "");
    CHECK(
        vmlinux_unsupported_reason(*kernel, test::catalogue(), *regs).find("ftrace_regs_caller") !=
        std::string::npos);
    Image image;
    auto attached = attach_vmlinux(*kernel, test::catalogue(), *regs, image);
    REQUIRE(!attached);
    CHECK(attached.error().message.find("ftrace_regs_caller") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("an arm64 vmlinux linked from our own trampolines runs them at 0xffff8000... with the "
          "modeled counts") {
    auto file =
        link_glued(Arch::arm64, {"ftrace_caller.S", "ftrace_regs_caller.S", "fgraph.S"}, "arm64");
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    CHECK(kernel->arch == Arch::arm64);
    CHECK(kernel->release == "6.14.0-tracesim-test");
    // linked at 0xffff800080000000, run at 0x80000000 (Unicorn's PA range is 44 bits)
    CHECK(kernel->displacement == 0xffff800000000000ull);
    CHECK(*kernel->address_of("ftrace_caller") + kernel->displacement >= 0xffff800080000000ull);
    CHECK(kernel->regions.front().base == 0x80000000ull);
    // The harness sits below the image, within BL range of it.
    const MemoryLayout layout = vmlinux_layout(*kernel);
    CHECK(layout.text_base < kernel->regions.front().base);
    CHECK(kernel->regions.front().base - layout.text_base <= (64ull << 20));
    CHECK(vmlinux_era(*kernel, test::catalogue(), "fgraph") == "6.14");
    for (const char* path : {"ftrace", "ftrace-regs", "fgraph"}) {
        CAPTURE(path);
        Record model = run(path, *kernel, false);
        Record real = run(path, *kernel, true);
        CHECK(model.per_call.instructions > 0);
        check_same(model, real);
        // and the same counts as the default layout's run
        auto default_layout = run_path(test::catalogue(), {Arch::arm64, path, model.kernel});
        REQUIRE(default_layout);
        CHECK(default_layout->per_call.instructions == model.per_call.instructions);
    }
    // The kernel's bytes are what runs: a udf over its ftrace_caller, or a brk in its
    // return_to_handler, makes the traced call fault there, named.
    for (auto [path, symbol, word, offset] : {std::tuple{"ftrace", "ftrace_caller", 0x00000000u, 0},
                                              {"fgraph", "return_to_handler", 0xd4200000u, 4}}) {
        CAPTURE(path);
        const std::string fault =
            fault_of(path, patched(*kernel, *kernel->address_of(symbol) + offset,
                                   std::string_view(reinterpret_cast<const char*>(&word), 4)));
        CHECK(fault.find(fmt::format("{}+{:#x} in vmlinux", symbol, offset)) != std::string::npos);
        CHECK(fault.find("exception") != std::string::npos);
    }
    // A symbol the path needs and the image lacks: one message naming both.
    {
        Vmlinux missing = *kernel;
        missing.symbols.erase("function_trace_op");
        const PathSpec* spec = *test::catalogue().find_path("ftrace", Arch::arm64, "");
        auto image =
            build_image(test::catalogue(), *spec, **test::catalogue().find_handler("empty"), {},
                        vmlinux_layout(missing));
        REQUIRE(image);
        auto attached = attach_vmlinux(missing, test::catalogue(), *spec, *image);
        REQUIRE(!attached);
        CHECK(attached.error().message.find(
                  "no symbol 'function_trace_op', which path 'ftrace' needs") != std::string::npos);
    }
    // The command, with --arch arm64.
    auto text = test::run_tracesim("kernel --arch arm64 --vmlinux " + file.string() +
                                   " --path ftrace --path fgraph");
    CHECK(text.exit_code == 0);
    CHECK(text.output.find("arm64 fgraph: modeled (kernel 6.14) vs vmlinux") != std::string::npos);
    CHECK(text.output.find("functional checks: ok") != std::string::npos);
    auto wrong = test::run_tracesim("kernel --vmlinux " + file.string());
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.output.find("arm64 kernel") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("arm64 fprobe and BPF kprobe_multi (6.14) run on a linked vmlinux's ftrace_caller and "
          "return_to_handler with the modeled counts") {
    // fprobe_return: the C whose presence says the image was built with fprobe on fgraph (never
    // run: the harness's fprobe.S runs as fgraph's user).
    auto file = link_glued(Arch::arm64, {"ftrace_caller.S", "fgraph.S"}, "arm64-fprobe",
                           "    .text\n    .globl fprobe_return\nfprobe_return:\n    ret\n");
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    Vmlinux unlabelled = *kernel;
    unlabelled.phase_labels.clear();
    const auto paths = {"fprobe", "fprobe-bpf", "trig-kprobe-multi", "trig-kretprobe-multi"};
    for (const char* path : paths) {
        CAPTURE(path);
        CHECK(vmlinux_era(*kernel, test::catalogue(), path) == "6.14");
        Record model = run(path, *kernel, false);
        CHECK(model.per_call.instructions > 0);
        for (const Vmlinux* image :
             {static_cast<const Vmlinux*>(&*kernel), &std::as_const(unlabelled)}) {
            CAPTURE(image->phase_labels.size());
            check_same(model, run(path, *image, true));
        }
    }
    // The kernel's return_to_handler is what runs: a brk in it faults there, named.
    const uint32_t brk = 0xd4200000u;
    const std::string fault =
        fault_of("fprobe", patched(*kernel, *kernel->address_of("return_to_handler") + 4,
                                   std::string_view(reinterpret_cast<const char*>(&brk), 4)));
    CHECK(fault.find("return_to_handler+0x4 in vmlinux") != std::string::npos);
    // An image without fprobe_return (built without CONFIG_FPROBE, or before 6.14): unsupported,
    // naming the path and the symbol; fgraph still runs.
    Vmlinux no_fprobe = *kernel;
    no_fprobe.symbols.erase("fprobe_return");
    for (const char* path : paths) {
        CAPTURE(path);
        const PathSpec* spec = *test::catalogue().find_path(path, Arch::arm64, "6.14");
        const std::string reason = vmlinux_unsupported_reason(no_fprobe, test::catalogue(), *spec);
        CHECK(reason.find(fmt::format("has no fprobe_return, which path '{}'", path)) !=
              std::string::npos);
        Image image;
        auto attached = attach_vmlinux(no_fprobe, test::catalogue(), *spec, image);
        REQUIRE(!attached);
        CHECK(attached.error().message.find("fprobe_return") != std::string::npos);
    }
    CHECK(vmlinux_unsupported_reason(no_fprobe, test::catalogue(), spec_of("fgraph", no_fprobe))
              .empty());
    auto text = test::run_tracesim("kernel --arch arm64 --vmlinux " + file.string() +
                                   " --path fprobe --path trig-kprobe-multi");
    CHECK(text.exit_code == 0);
    CHECK(text.output.find("arm64 fprobe: modeled (kernel 6.14) vs vmlinux") != std::string::npos);
    CHECK(text.output.find("functional checks: ok") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE(
    "an arm64 WITH_ARGS-only kernel reports ftrace-regs unsupported, naming ftrace_regs_caller") {
    auto file = link_glued(Arch::arm64, {"ftrace_caller.S"}, "arm64-args-only", glue_arm64_stub);
    auto kernel = load_vmlinux(file);
    REQUIRE(kernel);
    const PathSpec* regs = *test::catalogue().find_path("ftrace-regs", Arch::arm64, "");
    CHECK(vmlinux_unsupported_reason(*kernel, test::catalogue(), *regs)
              .find("no ftrace_regs_caller") != std::string::npos);
    const PathSpec* fgraph = *test::catalogue().find_path("fgraph", Arch::arm64, "");
    CHECK(
        vmlinux_unsupported_reason(*kernel, test::catalogue(), *fgraph).find("return_to_handler") !=
        std::string::npos);
    Image image;
    auto attached = attach_vmlinux(*kernel, test::catalogue(), *regs, image);
    REQUIRE(!attached);
    CHECK(attached.error().message.find("ftrace_regs_caller") != std::string::npos);
    auto text = test::run_tracesim("kernel --arch arm64 --vmlinux " + file.string());
    CHECK(text.exit_code == 0);
    CHECK(text.output.find("not run on the vmlinux") != std::string::npos);
    // Every path at an era not all of them model: those without it are listed, the rest run.
    auto old_era =
        test::run_tracesim("kernel --arch arm64 --kernel 6.1 --vmlinux " + file.string());
    CHECK(old_era.exit_code == 0);
    CHECK(
        old_era.output.find("ftrace: not run: path 'ftrace' on arm64 has no kernel '6.1' model") !=
        std::string::npos);
    CHECK(old_era.output.find("arm64 fgraph") != std::string::npos); // the loop went on
    // ftrace still runs, with the model's counts
    Record model = run("ftrace", *kernel, false);
    Record real = run("ftrace", *kernel, true);
    check_same(model, real);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("an arm64 upstream-6.1 fgraph (ftrace_graph_caller) runs with the 6.1 model's counts") {
    auto file = link_glued(Arch::arm64, {"ftrace_regs_caller.S"}, "arm64-graph-caller",
                           std::string(graph_caller_v6_1) + glue_arm64_stub);
    auto kernel = load_vmlinux(file);
    REQUIRE(kernel);
    CHECK(vmlinux_era(*kernel, test::catalogue(), "fgraph") == "6.1");
    const PathSpec* v6_14 = *test::catalogue().find_path("fgraph", Arch::arm64, "6.14");
    CHECK(vmlinux_unsupported_reason(*kernel, test::catalogue(), *v6_14).find("--kernel 6.1") !=
          std::string::npos);
    Record model = run("fgraph", *kernel, false);
    Record real = run("fgraph", *kernel, true);
    CHECK(model.kernel == "6.1");
    check_same(model, real);
    // ftrace and ftrace-regs on the same WITH_REGS image: the shared ftrace_common's call site
    CHECK(run("ftrace-regs", *kernel, true).per_call.instructions ==
          run("ftrace-regs", *kernel, false).per_call.instructions);
    CHECK(run("ftrace", *kernel, true).checks.ok());
    // Notes: this WITH_REGS ftrace_caller hands ftrace's handler a pt_regs where the 6.14 model
    // has a ftrace_regs (its register checks do not apply); the fgraph pair is the 6.1 model's
    // (no note), and a Debian-6.1-like ftrace_graph_func runs on the 6.1 model's pt_regs (a note,
    // its register checks stand).
    const VmlinuxNote ftrace = vmlinux_note(*kernel, spec_of("ftrace", *kernel));
    CHECK(ftrace.other_regs_struct);
    CHECK(ftrace.text.find("hands the handler a pt_regs") != std::string::npos);
    CHECK(vmlinux_note(*kernel, spec_of("fgraph", *kernel)).text.empty());
    Vmlinux graph_func = *kernel;
    graph_func.symbols.erase("ftrace_graph_caller");
    graph_func.symbols["ftrace_graph_func"] = graph_func.symbols["prepare_ftrace_return"];
    const VmlinuxNote fgraph = vmlinux_note(graph_func, spec_of("fgraph", graph_func));
    CHECK(fgraph.text.find("ftrace_graph_func") != std::string::npos);
    CHECK(!fgraph.other_regs_struct);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE(
    "an arm64 CALL_OPS kernel: the ops literal before the traced function leads to the handler") {
    auto file = link_glued(Arch::arm64, {}, "arm64-callops", callops_ftrace_caller);
    auto kernel = load_vmlinux(file);
    REQUIRE(kernel);
    CHECK(!kernel->has("ftrace_call"));
    Record model = run("ftrace", *kernel, false);
    Record real = run("ftrace", *kernel, true);
    // The handler ran once with the true arguments, the traced function returned its value.
    CHECK(real.checks.ok());
    REQUIRE(real.checks.handler_args);
    CHECK(*real.checks.handler_args);
    // What CALL_OPS + DIRECT_CALLS add to the 6.2 model, exactly (as on Debian's 6.12.117):
    // save bic, ldur, ldr, cbnz, str xzr; restore ldr, cbnz; the call is 3 instructions either way.
    CHECK(real.per_call.instructions == model.per_call.instructions + 7);
    CHECK(real.per_call.loads == model.per_call.loads + 3);
    CHECK(real.per_call.stores == model.per_call.stores + 1);
    std::filesystem::remove_all(file.parent_path());
}

// The arm64 Image header (Documentation/arch/arm64/booting.rst): a branch, text_offset,
// image_size (0: the file's), flags, reserved words, the "ARM\x64" magic at 0x38.
constexpr const char* arm64_image_head = R"(
    .text
    .globl _text
_text:
    b       1f
    .long   0
    .quad   0, 0, 0, 0, 0, 0
    .ascii  "ARM\x64"
    .long   0
1:  ret
)";

TEST_CASE("a raw arm64 Image with its System.map runs like the ELF it came from") {
    auto file = link_glued(Arch::arm64, {"ftrace_caller.S", "ftrace_regs_caller.S", "fgraph.S"},
                           "arm64-raw", "", arm64_image_head);
    auto elf = load_vmlinux(file);
    REQUIRE(elf);
    // Image = the loaded sections from _text on (what `objcopy -O binary` writes); System.map =
    // the symbols at their link addresses (no phase labels: the phases come from the heuristics).
    const std::filesystem::path image = file.parent_path() / "Image",
                                map = file.parent_path() / "System.map";
    {
        std::vector<uint8_t> bytes;
        const uint64_t base = elf->regions.front().base;
        for (const ForeignRegion& r : elf->regions) {
            bytes.resize(r.base - base);
            bytes.insert(bytes.end(), r.bytes.begin(), r.bytes.end());
        }
        std::ofstream(image, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        std::ofstream out(map);
        for (const auto& [name, symbol] : elf->symbols)
            out << fmt::format("{:016x} {} {}\n", symbol.address + elf->displacement,
                               symbol.code ? 'T' : 'D', name);
    }
    auto raw = load_vmlinux(image, map);
    REQUIRE_MESSAGE(raw, (raw ? "" : raw.error().message));
    CHECK(raw->raw_image);
    CHECK(raw->arch == Arch::arm64);
    CHECK(raw->release == "6.14.0-tracesim-test");
    CHECK(raw->displacement == elf->displacement);
    CHECK(*raw->address_of("ftrace_caller") == *elf->address_of("ftrace_caller"));
    for (const char* path : {"ftrace", "ftrace-regs", "fgraph"}) {
        CAPTURE(path);
        Record model = run(path, *raw, false);
        Record real = run(path, *raw, true);
        CHECK(real.checks.ok());
        CHECK(real.per_call.instructions == model.per_call.instructions);
        CHECK(real.per_call.stores == model.per_call.stores);
        CHECK(real.per_call.loads == model.per_call.loads);
        if (std::string_view(path) == "ftrace") { // where the heuristics split as the labels do
            REQUIRE(real.phases.size() == model.phases.size());
            for (size_t i = 0; i < real.phases.size(); ++i)
                CHECK(real.phases[i].metrics.instructions == model.phases[i].metrics.instructions);
        }
    }
    // Without the map, or not an Image at all: one clear message.
    auto no_map = load_vmlinux(image);
    REQUIRE(!no_map);
    CHECK(no_map.error().message.find("--system-map") != std::string::npos);
    auto not_image = load_vmlinux(map, map);
    REQUIRE(!not_image);
    CHECK(not_image.error().message.find("neither an ELF vmlinux nor an arm64 Image") !=
          std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

// Two pointers to some_symbol (the second with an addend), for the importer's relocations.
constexpr const char* relocated_pointers = R"(
    .text
    .globl _start, some_symbol
_start:
    ret
some_symbol:
    ret
    .data
    .globl pointers
    .balign 8
pointers:
    .quad some_symbol
    .quad some_symbol + 4
)";

// The two words at `pointers` in the image as it runs.
std::array<uint64_t, 2> pointers_of(const Vmlinux& kernel) {
    std::array<uint64_t, 2> words{};
    const uint64_t at = *kernel.address_of("pointers");
    for (const ForeignRegion& r : kernel.regions)
        if (r.contains(at) && r.contains(at + 15))
            std::memcpy(words.data(), r.bytes.data() + (at - r.base), 16);
    return words;
}

TEST_CASE(
    "an arm64 relocatable image's RELA and RELR pointers hold their displaced run addresses") {
    // Linked as arch/arm64/Makefile links a RELOCATABLE kernel (-pie --no-apply-dynamic-relocs):
    // RELA leaves the places zero (the value is the addend), RELR (-z pack-relative-relocs) the
    // link-time value in place; either way the importer writes the run address (link -
    // displacement).
    for (auto [name, flags] :
         {std::pair{"rela", "-pie --no-apply-dynamic-relocs"},
          {"relr", "-pie --no-apply-dynamic-relocs -z pack-relative-relocs"}}) {
        CAPTURE(name);
        Vmlinux kernel = load(link_vmlinux(Arch::arm64, {}, fmt::format("reloc-{}", name),
                                           relocated_pointers, {.ld_flags = flags}));
        CHECK(kernel.relocatable);
        CHECK(kernel.displacement == 0xffff800000000000ull);
        CHECK(kernel.relocations_applied == 2);
        CHECK(kernel.relocations_skipped == 0);
        const uint64_t symbol = *kernel.address_of("some_symbol");
        CHECK(symbol < (1ull << 44));
        CHECK(pointers_of(kernel) == std::array<uint64_t, 2>{symbol, symbol + 4});
        std::filesystem::remove_all(kernel.file.parent_path());
    }
    // Not relocatable (no -pie): nothing applied, the pointers keep their link addresses, and the
    // command says so.
    auto file = link_vmlinux(Arch::arm64, {}, "reloc-none", relocated_pointers);
    Vmlinux fixed = load(file);
    CHECK(!fixed.relocatable);
    CHECK(fixed.relocations_applied == 0);
    const uint64_t symbol = *fixed.address_of("some_symbol");
    CHECK(pointers_of(fixed) ==
          std::array<uint64_t, 2>{symbol + fixed.displacement, symbol + fixed.displacement + 4});
    auto text =
        test::run_tracesim("kernel --arch arm64 --vmlinux " + file.string() + " --path ftrace");
    CHECK(text.output.find("no RELA/RELR relocations (not relocatable)") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
    // Run too low for the harness 16 MiB below it: refused, not wrapped around 0.
    auto low = link_vmlinux(Arch::arm64, {}, "reloc-low", relocated_pointers,
                            {.text = "0xffff800000200000"});
    auto refused = load_vmlinux(low);
    REQUIRE(!refused);
    CHECK(refused.error().message.find("runs at 0x200000") != std::string::npos);
    CHECK(refused.error().message.find("no room for the harness") != std::string::npos);
    std::filesystem::remove_all(low.parent_path());
}

TEST_CASE("a real vmlinux (TRACESIM_VMLINUX) runs its ftrace_caller") {
    const char* file = std::getenv("TRACESIM_VMLINUX");
    if (!file || !*file) {
        MESSAGE("skipped: set TRACESIM_VMLINUX to a vmlinux to run its trampolines");
        return;
    }
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    MESSAGE("release ", kernel->release);
    // arm64: the relocated pointers hold run addresses (ftrace_ops_list starts at ftrace_list_end,
    // a RELATIVE relocation in a relocatable image).
    if (kernel->arch == Arch::arm64 && kernel->has("ftrace_ops_list") &&
        kernel->has("ftrace_list_end")) {
        const uint64_t at = *kernel->address_of("ftrace_ops_list");
        uint64_t value = 0;
        for (const ForeignRegion& r : kernel->regions)
            if (r.contains(at)) std::memcpy(&value, r.bytes.data() + (at - r.base), 8);
        CHECK(value == *kernel->address_of("ftrace_list_end"));
        MESSAGE(kernel->relocations_applied, " relocations applied, ", kernel->relocations_skipped,
                " skipped");
    }
    for (const char* path : {"ftrace", "ftrace-regs", "fgraph"}) {
        CAPTURE(path);
        const std::string era = vmlinux_era(*kernel, test::catalogue(), path);
        const PathSpec* spec = *test::catalogue().find_path(path, kernel->arch, era);
        if (std::string reason = vmlinux_unsupported_reason(*kernel, test::catalogue(), *spec);
            !reason.empty()) {
            MESSAGE(std::string(path), ": not run: ", reason);
            continue;
        }
        Record real = run(path, *kernel, true);
        CHECK(real.checks.ok());
        CHECK(real.per_call.instructions > 0);
        MESSAGE(std::string(path), ": ", real.per_call.instructions, " instructions per call");
    }
}
