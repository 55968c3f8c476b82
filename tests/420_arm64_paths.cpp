// Layer 4: the arm64 paths beyond the foundation pair: exact counts and era differences.
#include "path_counts.h"

using namespace tracesim;
using namespace tracesim::test;

namespace {

Record run_arm(const std::string& path, const std::string& kernel,
               const std::string& handler = "empty") {
    return run_once(Arch::arm64, path, kernel, handler);
}

// Per traced call, handler `empty` (its `ret` included), traced minus untraced.
// fgraph 6.14: ftrace_caller 33 (save 16 + dispatch 6 + restore 10, +1 for the patched site)
//   + ftrace_graph_func / function_graph_enter_regs (push {ret, func, fp, retp},
//   save_curr_ret_stack in x19, entryfunc by pointer, cbz on its verdict) + trace_graph_entry
//   (6: frame, bl handler, mov w0 #1) + return_to_handler 15 (5 stores: x0-x7 + fp = 72 B) +
//   ftrace_return_to_handler. The verdict costs 10: x19 save/restore + mov, cbz, the wrapper 6.
// fgraph 6.1: allregs=0 ftrace_caller (5 stp + str fp + lr/sp + pc + 2 records = 136 B) +
//   ftrace_stub + ftrace_graph_caller + function_graph_enter (cbz on the verdict) +
//   trace_graph_entry (6) + return_to_handler 14 (4 stp = 64 B, fp by value).
// fprobe 6.14: fgraph's hook + fprobe_entry (exit_handler test, fgraph_reserve_data, disabled
//   test, entry_handler test + call, exit_handler test again, header, return 1) + fprobe_return.
// fprobe-rethook 6.1: fprobe_handler tests entry_handler and exit_handler before the rethook.
// kprobe 6.1: brk; vectors 7 + kernel_entry 23 (18 stores, 288 B) + dispatch + kernel_exit 23
//   (its erratum-1508412 nop included), twice (the NOP stepped out of line); 6.14: once.
// kretprobe 6.9 (to 6.12): 6.14's BRK return with 6.1's stepped entry NOP: 3 exceptions.
// kretprobe 6.1: 2 exceptions at entry + the 50-instruction trampoline (17 stores, 272 B);
//   6.14: 1 exception at entry + 1 at return (brk #KRETPROBES_BRK_IMM).
// bpf-fentry (148): 2 frame records, nregs + 3 args + x19/x20 (8 stores), 3 calls of one `bl`
//   each (the JIT's emit_direct_call: the targets are in range; 157 with movz/movk x3 + blr),
//   save up to the first call out (19: the run ctx's cookie, the prog and the enter's
//   arguments, as the booted split), restore 3 args + x19/x20, ret x10; the helpers are
//   bpf_tramp_runtime.S's, as Debian's 6.12 arm64 build runs them: __bpf_prog_enter_recur 27 +
//   migrate_disable 15, __bpf_prog_exit_recur 22 + update_prog_stats 2 + migrate_enable 42
//   (the lean 11 + 7 once: 67 + 90).
// bpf-fexit (314): both programs' helpers (2 x 90 more) and __bpf_tramp_enter/exit (12 + 17
//   for the lean 4 + 4): 137 + 201, less 3 for each of its 8 calls now a `bl` (338 - 24); save
//   16 (the image's address for __bpf_tramp_enter before the first call out).
const PathCounts counts[] = {
    {"fgraph", "6.14", 135, 45, 47, 356, 376, 0, 22, 59, 16, 36, 0},
    {"fgraph", "6.1", 131, 43, 44, 340, 352, 0, 20, 62, 16, 31, 0},
    {"fprobe", "6.14", 200, 67, 57, 524, 456, 0, 22, 95, 16, 65, 0},
    {"fprobe-bpf", "6.14", 328, 119, 109, 924, 856, 0, 22, 217, 16, 71, 0},
    {"fprobe-native", "6.14", 288, 93, 83, 716, 648, 0, 22, 177, 16, 71, 0},
    {"fprobe-rethook", "6.1", 166, 74, 94, 588, 752, 0, 50, 38, 30, 46, 0},
    {"kprobe", "6.1", 223, 96, 92, 768, 736, 2, 60, 114, 34, 0, 12},
    {"kprobe", "6.14", 127, 53, 48, 420, 384, 1, 30, 73, 17, 0, 6},
    {"kprobe-body", "6.14", 223, 96, 92, 768, 736, 2, 60, 114, 34, 0, 12},
    {"kretprobe", "6.1", 339, 153, 147, 1224, 1176, 2, 86, 134, 54, 49, 12},
    {"kretprobe", "6.14", 289, 124, 111, 988, 888, 2, 60, 118, 34, 63, 12},
    {"kretprobe", "6.9", 385, 167, 155, 1336, 1240, 3, 90, 159, 51, 63, 18},
    {"bpf-fentry", "6.14", 148, 33, 35, 236, 248, 0, 19, 117, 11, 0, 0},
    {"bpf-fexit", "6.14", 314, 65, 65, 464, 456, 0, 16, 280, 8, 8, 0},
};

} // namespace

TEST_CASE("arm64: exact per-call counts of every added path and era") {
    check_count_table(Arch::arm64, counts);
}

TEST_CASE("arm64: every added era runs with the real handlers and they see the truth") {
    for (const PathCounts& e : counts) {
        CAPTURE(e.path);
        CAPTURE(e.kernel);
        Record r = run_arm(e.path, e.kernel, "read-all");
        CHECK_MESSAGE(r.checks.ok(), (r.checks.ok() ? "" : r.checks.problems.front()));
    }
}

TEST_CASE(
    "arm64 fgraph: 6.14 saves a 112-byte ftrace_regs on return, 6.1 only 64 bytes and no fp") {
    // return_to_handler's save phase: 6.14 stores x0-x7 + fp (72 B), 6.1 x0-x7 (64 B); the rest
    // of the save phase is the entry trampoline (6.14 ftrace_caller 136 B; 6.1 allregs=0 136 B).
    // 6.14's function_graph_enter_regs also keeps save_curr_ret_stack in x19 (8 B saved).
    Record r614 = run_arm("fgraph", "6.14"), r61 = run_arm("fgraph", "6.1");
    CHECK(r614.per_call.bytes_stored - r61.per_call.bytes_stored == 16 + 8);
    // 6.1 hands neither handler registers; 6.14 gives both the ftrace_regs.
    CHECK(r61.regs_struct == "none");
    CHECK(r614.regs_struct == "ftrace_regs");
}

TEST_CASE("arm64 kprobe: a NOP is stepped out of line up to 6.12 (2 exceptions), simulated from "
          "6.13 (1)") {
    Record old_era = run_arm("kprobe", "6.1"), new_era = run_arm("kprobe", "6.14");
    CHECK(old_era.traps == 2);
    CHECK(new_era.traps == 1);
    // one exception round trip: 7 vector + 23 kernel_entry + 22 kernel_exit + the dispatch
    CHECK(old_era.per_call.instructions > new_era.per_call.instructions + 52);
    // an ordinary instruction mid-body is stepped out of line in every era
    CHECK(run_arm("kprobe-body", "6.14").traps == 2);
}

TEST_CASE("arm64 kprobe-body: the kprobe's address is the site_at label (where the BRK goes)") {
    const PathSpec* spec = *catalogue().find_path("kprobe-body", Arch::arm64, "6.14");
    CHECK(spec->site_at == "phase.body.traced_func_probe");
    auto image = build_image(catalogue(), *spec, **catalogue().find_handler("empty"));
    REQUIRE_MESSAGE(image, (image ? "" : image.error().message));
    auto label = image->address_of(spec->site_at), kprobe = image->address_of("probed_kprobe");
    REQUIRE(label);
    REQUIRE(kprobe);
    uint64_t addr = 0, restore = 0; // addr @0, restore @32 (kprobes.S)
    std::memcpy(&addr, image->data.data() + (*kprobe - image->layout.data_base), sizeof addr);
    std::memcpy(&restore, image->data.data() + (*kprobe + 32 - image->layout.data_base),
                sizeof restore);
    CHECK(addr == *label);
    CHECK(restore == *label + 4);
}

TEST_CASE("arm64 kretprobe: 6.9+ takes an exception on return instead of the hand-built pt_regs") {
    Record old_era = run_arm("kretprobe", "6.1"), new_era = run_arm("kretprobe", "6.14");
    CHECK(old_era.traps == 2); // both at entry (XOL); the return is a plain trampoline
    CHECK(new_era.traps == 2); // one at entry (simulated NOP), one at return (BRK)
    CHECK(phase_instructions(old_era, Phase::trap_return) == 12);
    CHECK(phase_instructions(new_era, Phase::trap_return) == 12);
}

TEST_CASE("arm64 fprobe for BPF: the pt_regs copy costs over reading ftrace_regs directly") {
    Record copy = run_arm("fprobe-bpf", "6.14"), native = run_arm("fprobe-native", "6.14");
    // ftrace_partial_regs twice (entry, exit): 7 loads + 7 stores + mov + ret + the call setup
    CHECK(copy.per_call.stores - native.per_call.stores == 26);
    CHECK(copy.per_call.instructions - native.per_call.instructions == 40);
    CHECK(copy.regs_struct == "pt_regs");
    CHECK(native.regs_struct == "ftrace_regs");
}

TEST_CASE("arm64 combinations the kernel cannot do report why") {
    for (auto [path, kernel, words] :
         {std::tuple{"kprobe-ftrace", "6.14", "HAVE_KPROBES_ON_FTRACE"},
          std::tuple{"optprobe", "6.14", "HAVE_OPTPROBES"},
          std::tuple{"fprobe-rethook", "6.2", "WITH_REGS"}}) {
        CAPTURE(path);
        Record r = run_arm(path, kernel);
        CHECK_FALSE(r.supported);
        CHECK(r.reason.find(words) != std::string::npos);
    }
}
