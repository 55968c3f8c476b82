// Layer 4: the x86_64 paths beyond the foundation pair: exact counts and era differences.
#include "path_counts.h"

using namespace tracesim;
using namespace tracesim::test;

namespace {

Record run_x86(const std::string& path, const std::string& kernel,
               const std::string& handler = "empty") {
    return run_once(Arch::x86_64, path, kernel, handler);
}

// Per traced call, handler `empty` (each handler's `ret` included), traced minus untraced.
// fgraph 6.14 (88): the ftrace_caller copy (save 18, dispatch 5, restore 12; the site's call
//   replaces the NOP) + ftrace_graph_func (dispatch 21: rbx, r12, parent, recursion lock,
//   shadow push 7, save_curr_ret_stack, entryfunc call, test + jz of its verdict, unlock, pops,
//   ret; hijack 2: return_to_handler over the slot) + trace_graph_entry (dispatch 3: call the
//   handler, return 1) + return_to_handler 13 (save 4: sub 168 + rax/rdx/rbp; restore 3;
//   hijack 6) + ftrace_return_to_handler 13 (pop the entry, ip := return address, retfunc) +
//   2 rets. Honouring the verdict costs 8: push/pop r12, the save, test, jz, and the wrapper 3.
// fgraph 6.1 (83): return_to_handler 12 (sub 16 + rax/rdx: one store less) and the C does not
//   write ip (one store less): 2 instructions, 2 stores, 16 bytes below 6.14; and 6.1's
//   function_graph_enter keeps no save_curr_ret_stack (no r12 push/pop/move: 3 less). Neither
//   callback gets registers (regs_struct none; the retfunc's regs argument is an xor, not a lea).
// fprobe 6.14 (123): fgraph's hook (without the wrapper) + fprobe_entry (ip table walk, ret_ip
//   from the stack, the entry_handler loaded and tested, its call, the exit_handler test, the
//   header word on the shadow stack, return 1) + fprobe_return (header, ret_ip = fregs->ip,
//   tail call).
// fprobe-bpf / fprobe-native (165): fprobe + kprobe_multi_link_prog_run on both ends (run ctx,
//   migrate_disable, bpf_prog_active, the program by pointer); ftrace_partial_regs is a cast.
// fprobe-rethook 6.1 (197): the ftrace_regs_caller copy 62 + fprobe_handler (entry_handler
//   tested and called, exit_handler tested) + rethook_try_get + rethook_hook +
//   arch_rethook_trampoline 41 (save 20: fake return, ss, sp, flags, sub, 15 pushes; hijack 2;
//   restore 19) + callback + rethook_trampoline_handler + exit handler.
// kprobe-ftrace (155): the ftrace_regs_caller copy (save 33, dispatch 3, restore 25)
//   + kprobe_ftrace_handler 83 and get_kprobe 10 as Debian's 6.12 build runs them (dispatch
//   93: the recursion guard's context bit, preempt count and trace_recursion; the hash) + 1 ret.
// kretprobe (422): kprobe-ftrace's entry + pre_handler_kretprobe (dispatch 30: entry_handler
//   tested, then called) and the objpool rethook as Debian's 6.12 build runs it (rethook.S):
//   hijack 183 = entry 68 (rethook_try_get 49: objpool_pop under local_irq_save;
//   rethook_hook 11, arch_rethook_prepare 8) + return 115 (the trampoline's mov + call,
//   the callback 14, rethook_trampoline_handler 67, arch_rethook_fixup_return 2,
//   objpool_push 30); kretprobe_rethook_handler 14 (dispatch: 3 + 83 + 10 + 30 + 14 = 140);
//   save and restore = kprobe-ftrace's + the trampoline's 20 and 19.
// bpf-fentry (116): save 13 (push rbp, mov, sub 56, rbx, nr_regs, 3 args; the run ctx's
//   cookie, prog and &run_ctx before the first call out), dispatch 96 (the trampoline's 10:
//   call enter, start, test/je, ctx, call prog, prog, start, run ctx, call exit; with
//   bpf_prog_enter_exit.S, as Debian's 6.12 build runs it: __bpf_prog_enter_recur 20,
//   __rcu_read_lock 6, migrate_disable 13, __bpf_prog_exit_recur 11, update_prog_stats 2,
//   migrate_enable 29, __rcu_read_unlock 5), restore 6 (3 args, rbx, leave, ret) + 1 ret.
// bpf-fentry 6.18 (100): migrate_disable/enable inline (bpf_prog_enter_exit_6_18.S): enter 31,
//   exit 28, the RCU pair 11: dispatch 80, as Debian's 7.3 build runs it less its 4 endbr64s.
// bpf-fexit (266): fentry and fexit programs, __bpf_tramp_enter/exit (9 each + the RCU pair),
//   call orig: the body runs once, called by the trampoline; return to the caller with add 8.
// bpf-fexit 6.19 (233): the same trampoline in the "jmp" mode (DYNAMIC_FTRACE_WITH_JMP) with
//   6.18's enter/exit (2 x 16 fewer): the site's jmp pushes nothing (one store, 8 B less) and
//   the epilogue has no add 8 (restore 4).
// bpf-fexit-shared 6.14 (427): another ftrace_ops on the function, so the site calls
//   ftrace_regs_caller (save 44 = its 33 + the trampoline's 11) whose ops func is the list
//   function (dispatch: 3 + __ftrace_ops_list_func 89 = 14 entry (5 pushes, 3 moves, regs from
//   cs, recursion bit, list head) + 34 per ops (flags, stub/rcu/regs tests, func_hash, filter
//   lookup, empty notrace, func test, 4 args, call; next, end tests) x 2 - 1 + 8 exit, incl.
//   the last ret) + call_direct_funcs 5 + the trampoline's 227); restore 35 =
//   ftrace_regs_caller's 14 before the orig_ax test + the direct exit 16 (swap 3, restore 9,
//   popfq, the rebalancing call, add 8, ret) + the trampoline's 5; handler 3 (the other ops'
//   func, 2 empty programs).
// bpf-fexit-shared 6.19 (393): the direct exit takes the jmp-bit branch (testb, jz, andq, store
//   over the return address, restore 9, popfq, ret = 15, no swap, no call) into the jmp-mode
//   trampoline (restore 4): restore 33, 2 stores less (the swap's 2 + the call's push - 1);
//   6.18's enter/exit: dispatch 32 less.
// optprobe (64): template save 20 (3 pushes, clac NOP, sub, 15 pushes), dispatch 3 +
//   optimized_callback 18, restore 20 (flags copy 2, 15 pops, 2 adds, popfq), the displaced
//   NOP and the jmp back (site +2: jmp, NOP, jmp against the NOP).
// kprobe (289, 2 traps; 282 before get_kprobe's hash_ptr: 4 more on the hit, 3 on the XOL
//   slot's miss): per trap 5 hardware stores; save 55 (clac NOP, cld, push -1, test,
//   6 copies, call, mov + error_entry 41: CLEAR_REGS clears 13, %esi included); trap-return 5;
//   restore 16; site: int3, the XOL NOP and its int3 against the NOP.
// kprobe-body (289, 2 traps): the same exception path and handler model, probing the imul
//   mid-body: no site instruction changes (the fentry NOP still runs), and the body gains the
//   int3 over the imul and the XOL slot's int3 (the imul itself runs once, out of line), so
//   per call it equals kprobe: 289 instructions, 720 B stored.
const PathCounts counts[] = {
    {"fgraph", "6.14", 88, 35, 36, 280, 288, 0, 22, 28, 15, 21, 0},
    {"fgraph", "6.1", 83, 34, 33, 272, 264, 0, 21, 25, 15, 20, 0},
    {"fprobe", "6.14", 123, 52, 40, 402, 320, 0, 22, 53, 15, 31, 0},
    {"fprobe-bpf", "6.14", 165, 70, 60, 546, 480, 0, 22, 93, 15, 33, 0},
    {"fprobe-native", "6.14", 165, 70, 60, 546, 480, 0, 22, 93, 15, 33, 0},
    {"fprobe-rethook", "6.1", 197, 78, 77, 610, 616, 0, 53, 24, 44, 74, 0},
    {"kprobe-ftrace", "6.14", 155, 50, 46, 368, 360, 0, 33, 96, 25, 0, 0},
    {"kretprobe", "6.14", 422, 143, 114, 1041, 884, 0, 53, 140, 44, 183, 0},
    {"bpf-fentry", "6.14", 116, 45, 39, 308, 256, 0, 13, 96, 6, 0, 0},
    {"bpf-fentry", "6.18", 100, 40, 34, 268, 220, 0, 13, 80, 6, 0, 0},
    {"bpf-fexit", "6.14", 266, 103, 85, 704, 552, 0, 11, 227, 5, 21, 0},
    {"bpf-fexit", "6.19", 233, 93, 74, 624, 472, 0, 11, 195, 4, 21, 0},
    {"bpf-fexit-shared", "6.14", 427, 158, 124, 1144, 864, 0, 44, 324, 35, 21, 0},
    {"bpf-fexit-shared", "6.19", 393, 147, 112, 1056, 776, 0, 44, 292, 33, 21, 0},
    {"optprobe", "6.14", 64, 26, 28, 201, 224, 0, 20, 21, 20, 0, 0},
    {"kprobe", "6.14", 289, 129, 90, 909, 720, 2, 110, 134, 32, 0, 10},
    {"kprobe-body", "6.14", 289, 129, 90, 909, 720, 2, 110, 134, 32, 0, 10},
};

} // namespace

TEST_CASE("x86_64: exact per-call counts of every added path and era") {
    check_count_table(Arch::x86_64, counts);
}

TEST_CASE("x86_64: every added era runs with the real handlers and they see the truth") {
    for (const PathCounts& e : counts) {
        CAPTURE(e.path);
        CAPTURE(e.kernel);
        Record r = run_x86(e.path, e.kernel, "read-all");
        CHECK_MESSAGE(r.checks.ok(), (r.checks.ok() ? "" : r.checks.problems.front()));
        if (r.regs_struct == "none")
            CHECK_FALSE(r.checks.handler_args.has_value()); // nothing to read the arguments from
        else
            CHECK(r.checks.handler_args.value_or(false));
    }
}

TEST_CASE(
    "x86_64 fgraph: 6.14 reserves a 168-byte ftrace_regs on return, 6.1 16 bytes for rax and rdx") {
    Record r614 = run_x86("fgraph", "6.14"), r61 = run_x86("fgraph", "6.1");
    // return_to_handler's save: 6.14 rax, rdx, rbp; 6.1 rax, rdx. 6.14's C also writes ip. At
    // entry 6.14 keeps save_curr_ret_stack in r12 across the entryfunc (push, move, pop: 8 B).
    CHECK(phase_of(r614, Phase::save)->metrics.stores -
              phase_of(r61, Phase::save)->metrics.stores ==
          1);
    CHECK(r614.per_call.bytes_stored - r61.per_call.bytes_stored == 16 + 8);
    CHECK(r614.per_call.instructions - r61.per_call.instructions == 2 + 3);
    // what the callbacks are given: the ftrace_regs on both ends (6.14); nothing in 6.1, where
    // the entryfunc got only the trace entry and the retfunc no return value (fgraph_ret_regs: 6.5)
    const PathSpec* s614 = *catalogue().find_path("fgraph", Arch::x86_64, "6.14");
    const PathSpec* s61 = *catalogue().find_path("fgraph", Arch::x86_64, "6.1");
    CHECK(s614->regs_struct == "ftrace_regs");
    CHECK(s614->exit_regs_struct == "ftrace_regs");
    CHECK(s61->regs_struct == "none");
    CHECK(s61->exit_regs_struct.empty());
    // so in 6.1 the reading handlers read nothing: read-all costs what empty costs
    CHECK(run_x86("fgraph", "6.1", "read-all").per_call == r61.per_call);
    // the ftrace_regs frame reaches deeper into the stack
    CHECK(phase_of(r614, Phase::save)->metrics.max_stack_depth >=
          phase_of(r61, Phase::save)->metrics.max_stack_depth);
}

TEST_CASE(
    "x86_64 fprobe: on fgraph (6.14) it costs less than on ftrace_regs_caller + rethook (6.1)") {
    Record fgraph_era = run_x86("fprobe", "6.14"), rethook_era = run_x86("fprobe-rethook", "6.1");
    CHECK(fgraph_era.per_call.instructions < rethook_era.per_call.instructions);
    CHECK(fgraph_era.per_call.bytes_stored < rethook_era.per_call.bytes_stored);
    // the names are eras of one mechanism: no fprobe-rethook after 6.13, no fprobe-on-fgraph before
    auto late = catalogue().find_path("fprobe-rethook", Arch::x86_64, "6.14");
    REQUIRE_FALSE(late);
    CHECK(late.error().message.find("available: 6.1") != std::string::npos);
}

TEST_CASE(
    "x86_64 fprobe for BPF: ftrace_partial_regs is a cast, so the proposal costs the same here") {
    Record partial = run_x86("fprobe-bpf", "6.14"), native = run_x86("fprobe-native", "6.14");
    CHECK(partial.per_call == native.per_call);
    CHECK(partial.regs_struct == "pt_regs");
    CHECK(native.regs_struct == "ftrace_regs");
}

TEST_CASE("x86_64 kretprobe = the kprobe-ftrace entry plus the 41-instruction rethook trampoline") {
    Record kp = run_x86("kprobe-ftrace", "6.14"), krp = run_x86("kretprobe", "6.14");
    // arch_rethook_trampoline: 20 saving instructions (4 pushes, sub, 15 pushes), 19 restoring
    // (15 pops, 2 adds, popfq, ret), mov + call in hijack
    CHECK(phase_instructions(krp, Phase::save) - phase_instructions(kp, Phase::save) == 20);
    CHECK(phase_instructions(krp, Phase::restore) - phase_instructions(kp, Phase::restore) == 19);
    CHECK(phase_instructions(kp, Phase::hijack) == 0);
}

TEST_CASE("x86_64 kprobe by int3 takes two traps (probe, then the int3 after the XOL copy); the "
          "rest none") {
    Record r = run_x86("kprobe", "6.14");
    CHECK(r.traps == 2);
    REQUIRE(phase_of(r, Phase::trap));
    CHECK(phase_of(r, Phase::trap)->metrics.stores == 10); // ss, rsp, rflags, cs, rip per trap
    CHECK(phase_of(r, Phase::trap)->metrics.bytes_stored == 80);
    for (const char* path : {"kprobe-ftrace", "optprobe", "kretprobe"}) {
        CAPTURE(path);
        Record other = run_x86(path, "6.14");
        CHECK(other.traps == 0);
        CHECK(other.per_call.instructions < r.per_call.instructions);
    }
}

TEST_CASE("x86_64 kprobe-body: the imul is stepped out of line (two traps) and the handler sees "
          "the body's state") {
    Record entry = run_x86("kprobe", "6.14"), body = run_x86("kprobe-body", "6.14");
    CHECK(body.traps == 2);
    CHECK(body.per_call == entry.per_call);
    // the fentry NOP runs untouched; the body runs int3, the imul in the slot and its int3
    CHECK(phase_instructions(body, Phase::site) == 1);
    CHECK(phase_instructions(body, Phase::body) == 8 + 2);
    CHECK(phase_instructions(entry, Phase::site) == 1 + 2);
    CHECK(phase_instructions(entry, Phase::body) == 8);
    // at the probe, rbx already holds a (mov %rdi, %rbx ran): the pt_regs says so
    bool saw_bx = false;
    for (const FieldCheck& f : body.regs_check)
        if (f.field == "bx") saw_bx = f.seen == 0x1111;
    CHECK(saw_bx);
}

TEST_CASE("x86_64 kprobe-body: the kprobe's address is the site_at label (where the int3 goes)") {
    const PathSpec* spec = *catalogue().find_path("kprobe-body", Arch::x86_64, "6.14");
    CHECK(spec->site_at == "phase.body.traced_func_probe");
    auto image = build_image(catalogue(), *spec, **catalogue().find_handler("empty"));
    REQUIRE_MESSAGE(image, (image ? "" : image.error().message));
    auto label = image->address_of(spec->site_at), kprobe = image->address_of("the_kprobe");
    REQUIRE(label);
    REQUIRE(kprobe);
    uint64_t addr = 0; // struct kprobe: addr @8
    std::memcpy(&addr, image->data.data() + (*kprobe + 8 - image->layout.data_base), sizeof addr);
    CHECK(addr == *label);
}

TEST_CASE("x86_64 BPF: fexit adds the second program and the call of the body to fentry") {
    Record fentry = run_x86("bpf-fentry", "6.14"), fexit = run_x86("bpf-fexit", "6.14");
    CHECK(fentry.regs_struct == "bpf_args");
    CHECK(fexit.per_call.instructions > fentry.per_call.instructions);
    CHECK(phase_instructions(fentry, Phase::hijack) == 0);
    CHECK(phase_instructions(fexit, Phase::hijack) > 0);
}

TEST_CASE("x86_64 has no path the kernel cannot do") {
    for (const PathSpec& spec : catalogue().paths) {
        if (spec.arch != Arch::x86_64) continue;
        CAPTURE(spec.name);
        CHECK(spec.supported);
    }
}
