// Layer 4: the `bench trig-*` paths (docs/bpf-bench.md): the bench's program runs exactly once
// per hit, the traced function still returns its value, the per-CPU / per-task counters the
// dispatch models touch are balanced after N hits, and the per-call counts are exact. This file:
// the entry probes (trig-fentry, trig-fexit, trig-kprobe, trig-kprobe-multi); tests/441 the
// return probes, the scenario, trig-fmodret, trig-rawtp and trig-tp. Helpers: bench_run.h.
#include "bench_run.h"
#include "report/render.h"
#include "sim/scenario.h"

#include <cstring>
#include <set>

using namespace tracesim;
using namespace tracesim::test::bench;
using tracesim::test::catalogue;
using tracesim::test::phase_instructions;
using tracesim::test::phase_of;

TEST_CASE("trig-*: the bench program counts exactly one hit per call, counters balanced, the value "
          "returned") {
    for (Arch arch : {Arch::x86_64, Arch::arm64}) {
        for (const char* path : {"trig-fentry", "trig-fexit", "trig-kprobe", "trig-kprobe-multi",
                                 "trig-kretprobe-multi", "trig-rawtp", "trig-tp"}) {
            CAPTURE(std::string(name_of(arch)));
            CAPTURE(path);
            for (int calls : {1, 7}) {
                Run r = run_calls(arch, path, calls, balanced_words(arch, path));
                CHECK(r.hits == uint64_t(calls));
                CHECK(r.return_value == true_return);
                CHECK(r.last_body.instructions > 0); // the traced function's body ran
                for (const auto& [name, value] : r.words) {
                    CAPTURE(name);
                    CHECK(value == r.before[name]);
                }
            }
        }
    }
}

TEST_CASE("x86_64 trig-kprobe: kprobe_dispatcher counted the hits in the trace_kprobe's nhit") {
    // get_kprobe found the probe at traced_func: only its pre_handler (kprobe_dispatcher)
    // counts nhit and reaches the program.
    Run r = run_calls(Arch::x86_64, "trig-kprobe", 5, {"trig_kprobe_nhit"});
    CHECK(r.hits == 5);
    CHECK(r.words["trig_kprobe_nhit"] == 5);
}

TEST_CASE("x86_64 trig-*: exact per-call counts (handler empty, warm call)") {
    // trig-fentry (newest era, 6.18) 115 = bpf-fentry 6.18's 100 - its empty handler (1) + the
    //   JIT-shaped program (16: nop5, nop2, push rbp, mov, lea cpu_number, add this_cpu_off,
    //   load cpu, and, shl, movabs hits, add, mov 1, lock add, xor, leave, ret).
    Record fentry = run_record("trig-fentry");
    CHECK(fentry.kernel == "6.18");
    CHECK(fentry.per_call.instructions == 115);
    CHECK(fentry.per_call.bytes_stored == 236);
    // trig-fexit 6.14 180: the fentry invoke dropped from bpf-fexit (266 - 14 invoke - 39 enter
    //   (__bpf_prog_enter_recur 20, __rcu_read_lock 6, migrate_disable 13) - 47 exit
    //   (__bpf_prog_exit_recur 11, update_prog_stats 2, migrate_enable 29, __rcu_read_unlock 5)
    //   - 1 handler = 165) + the program 16 - 1 (the fexit handler's ret replaced) = 180.
    Record fexit = run_record("trig-fexit", Arch::x86_64, "6.14");
    CHECK(fexit.per_call.instructions == 180);
    // trig-kprobe 346: kprobe-ftrace 155 - its handler 1 + the program 16 + kprobe_dispatcher 18
    //   (flags, nhit through its per-CPU pointer, the tail call) + kprobe_perf_func 40 (six
    //   saved registers, the canary, bpf_prog_array_valid, orig_ip, the pc test) +
    //   trace_call_bpf 65 (six saved registers, the canary, the xadd on bpf_prog_active, the
    //   zeroed run ctx, the item loop as compiled, the stats key's NOP) + the kernel's calls:
    //   __rcu_read_lock 6 and __rcu_read_unlock 5, migrate_disable 13 and migrate_enable 29.
    Record kprobe = run_record("trig-kprobe");
    CHECK(kprobe.per_call.instructions == 155 - 1 + 16 + 18 + 40 + 65 + (6 + 5) + (13 + 29));
    // trig-kprobe-multi 132: the ftrace_caller copy (save 18, dispatch 5, restore 12) +
    //   ftrace_graph_func 23 (shadow push, save_curr_ret_stack, entryfunc, verdict 0: the frame
    //   dropped, no hook) + fprobe_entry 29 (node walk, ret_ip, entry_handler tested and called,
    //   no exit_handler: return 0) + the link 29 (kprobe_multi_link_handler with prog_run
    //   inlined: run ctx 4 stores, bpf_prog_active, migrate count, run ctx swap, the program by
    //   pointer, is_kprobe_session 4) + the program 16. No hijack: return_to_handler never runs.
    Record kmulti = run_record("trig-kprobe-multi");
    CHECK(kmulti.per_call.instructions == 132);
    CHECK(kmulti.per_call.bytes_stored == 345);
    CHECK(kmulti.traps == 0);
    CHECK(phase_of(kmulti, Phase::hijack) == nullptr);
}

TEST_CASE("x86_64 trig-fexit: the classic (6.14) and jmp (6.19) modes both run the program once "
          "per hit") {
    // Both eras: one hit per call, the traced function's value returned, the trampoline image's
    // percpu_ref and the BPF run state back where they were, SP and callee-saved intact.
    for (const char* kernel : {"6.14", "6.19"}) {
        CAPTURE(kernel);
        for (int calls : {1, 7}) {
            Run r = run_calls(Arch::x86_64, "trig-fexit", calls,
                              balanced_words(Arch::x86_64, "trig-fexit"), "", kernel);
            CHECK(r.hits == uint64_t(calls));
            CHECK(r.return_value == true_return);
            for (const auto& [name, value] : r.words) {
                CAPTURE(name);
                CHECK(value == r.before[name]);
            }
        }
        Record record = run_record("trig-fexit", Arch::x86_64, kernel);
        CHECK(record.kernel == kernel);
        CHECK(record.checks.stack_balanced);
        CHECK_MESSAGE(record.checks.ok(),
                      (record.checks.ok() ? "" : record.checks.problems.front()));
    }
}

TEST_CASE(
    "x86_64 trig-fexit: exact counts, jmp mode = classic minus the site's push and the add 8") {
    // 6.14 180 (above). 6.19 163: the site's `jmp` stores no return address (one store, 8 B)
    //   and the epilogue loses `add $8, %rsp` (restore 5 -> 4); the rest is the same trampoline
    //   (bpf_trampoline.inc bpf_fexit_trampoline) with 6.18's enter/exit
    //   (bpf_prog_enter_exit_6_18.S): 16 instructions, 5 loads and 5 stores (36 B) fewer than
    //   6.14's out-of-line migrate_disable/enable (enter 39 -> 37, exit 47 -> 33: no calls, no
    //   struct affinity_context, no stack canary).
    Record classic = run_record("trig-fexit", Arch::x86_64, "6.14");
    Record jmp = run_record("trig-fexit", Arch::x86_64, "6.19");
    CHECK(classic.per_call.instructions == 180);
    CHECK(classic.per_call.stores == 55);
    CHECK(classic.per_call.bytes_stored == 368);
    CHECK(jmp.per_call.instructions == 180 - 1 - 16);
    CHECK(jmp.per_call.loads == classic.per_call.loads - 5);
    CHECK(jmp.per_call.stores == 55 - 1 - 5);
    CHECK(jmp.per_call.bytes_stored == 368 - 8 - 36);
    CHECK(phase_instructions(jmp, Phase::restore) == 4);
    CHECK(jmp.traps == 0);
    // Without --kernel the newest era runs: the jmp mode.
    CHECK(run_record("trig-fexit").kernel == "6.19");
}

TEST_CASE("x86_64 fexit sites: 6.14 writes call rel32 (e8), 6.19 jmp rel32 (e9), both to the "
          "trampoline") {
    struct Site {
        const char *path, *kernel, *trampoline;
        uint8_t opcode;
    };
    for (const Site& want : {Site{"trig-fexit", "6.14", "trig_tramp_fexit", 0xe8},
                             Site{"trig-fexit", "6.19", "trig_tramp_fexit_jmp", 0xe9},
                             Site{"bpf-fexit", "6.14", "bpf_trampoline_fexit", 0xe8},
                             Site{"bpf-fexit", "6.19", "bpf_trampoline_fexit_jmp", 0xe9}}) {
        CAPTURE(want.path);
        CAPTURE(want.kernel);
        auto spec = catalogue().find_path(want.path, Arch::x86_64, want.kernel);
        REQUIRE(spec);
        auto image = build_image(catalogue(), **spec, **catalogue().find_handler("empty"));
        REQUIRE(image);
        REQUIRE(patch_site(*image, **spec));
        auto site = image->phase_range((*spec)->site_at);
        REQUIRE(site);
        CHECK(site->second - site->first == 5); // the fentry NOP the kernel pokes
        const uint8_t* at = image->text.data() + (site->first - image->layout.text_base);
        CHECK(at[0] == want.opcode);
        int32_t rel = 0;
        std::memcpy(&rel, at + 1, sizeof rel);
        CHECK(site->first + 5 + int64_t(rel) == *image->address_of(want.trampoline));
    }
}

TEST_CASE("x86_64 fexit: the classic mode's skipped frame mispredicts the returns above it, the "
          "jmp mode none") {
    // Classic: the site's call pushes site+5 on the return stack; the trampoline's ret (after
    //   add 8) goes to caller_inner but pops site+5: mispredict (restore). The stack is now one
    //   entry behind, so caller_inner's ret pops its own return address where caller_outer's is
    //   due, and caller_outer's ret (the run's last, scored against the stop address) pops the
    //   next: 2 more (caller).
    // jmp: every call has its ret, each ret pops its own return address: none.
    for (const char* path : {"trig-fexit", "bpf-fexit"}) {
        CAPTURE(path);
        Record classic = run_nested(path, "6.14"), jmp = run_nested(path, "6.19");
        CHECK(classic.checks.ok());
        CHECK(jmp.checks.ok());
        REQUIRE(classic.cycles_traced);
        REQUIRE(jmp.cycles_traced);
        CHECK(classic.cycles_traced->return_mispredicts_warm == 3);
        CHECK(return_mispredicts_warm(classic, Phase::restore) == 1);
        CHECK(return_mispredicts_warm(classic, Phase::caller) == 2);
        CHECK(jmp.cycles_traced->return_mispredicts_warm == 0);
        CHECK(jmp.cycles_traced->mispredicts_warm == 0);
        // Each mispredict costs znver3's 13-cycle penalty.
        CHECK(classic.cycles_per_call->cycles_warm - jmp.cycles_per_call->cycles_warm >= 3 * 13);
    }
    // Shared site (another ftrace_ops on the function: ftrace_regs_caller's direct exit).
    //   6.14: the rebalancing call makes the ret into the trampoline pop its own entry
    //   (mispredicted: it goes to the trampoline), leaving site+5 on top, which the trampoline's
    //   SKIP_FRAME ret then mispredicts and desyncs as above: 4 (restore 2, caller 2).
    //   6.19: the jmp-bit exit's ret into the trampoline pops site+5 (mispredicted), and from
    //   there every ret pops its own address: 1 (restore).
    Record shared_classic = run_nested("bpf-fexit-shared", "6.14"),
           shared_jmp = run_nested("bpf-fexit-shared", "6.19");
    CHECK(shared_classic.checks.ok());
    CHECK(shared_jmp.checks.ok());
    CHECK(shared_classic.cycles_traced->return_mispredicts_warm == 4);
    CHECK(return_mispredicts_warm(shared_classic, Phase::restore) == 2);
    CHECK(return_mispredicts_warm(shared_classic, Phase::caller) == 2);
    CHECK(shared_jmp.cycles_traced->return_mispredicts_warm == 1);
    CHECK(return_mispredicts_warm(shared_jmp, Phase::restore) == 1);
    CHECK(shared_jmp.cycles_traced->mispredicts_warm == 1);
    // fmod_ret takes the same two modes (CALL_ORIG): the bench's -22 program skips the body in
    // both; 6.19's jmp mode drops the add $8 (one instruction) and its return mispredict, and
    // runs 6.18's enter/exit (16 fewer, above).
    for (auto [kernel, instructions, mispredicts] :
         {std::tuple{"6.14", 171, 1}, std::tuple{"6.19", 154, 0}}) {
        CAPTURE(kernel);
        RunRequest request{Arch::x86_64, "trig-fmodret", kernel, "empty", 3};
        request.core = "znver3";
        auto r = run_path(catalogue(), request);
        REQUIRE(r);
        CHECK(r->checks.ok());
        CHECK(r->per_call.instructions == instructions);
        CHECK(r->cycles_traced->return_mispredicts_warm == mispredicts);
    }
    // With the shipped one-level driver.S the trampoline's ret is the run's last instruction,
    // scored against the run's stop address: the classic mode's one mispredict, none in jmp mode.
    for (auto [kernel, expected] : {std::pair{"6.14", 1}, std::pair{"6.19", 0}}) {
        CAPTURE(kernel);
        RunRequest request{Arch::x86_64, "trig-fexit", kernel, "empty", 3};
        request.core = "znver3";
        auto r = run_path(catalogue(), request);
        REQUIRE(r);
        CHECK(r->cycles_traced->return_mispredicts_warm == expected);
        CHECK(return_mispredicts_warm(*r, Phase::restore) == expected);
    }
}

TEST_CASE("arm64 trig-kprobe: kprobe_handler found the probe at traced_func, its dispatcher "
          "counted nhit") {
    Run r = run_calls(Arch::arm64, "trig-kprobe", 5, {"trig_kprobe_nhit"});
    CHECK(r.hits == 5);
    CHECK(r.words["trig_kprobe_nhit"] == 5);
}

TEST_CASE("arm64 trig-*: exact per-call counts (handler empty, warm call)") {
    // The program (trig_prog.S) is 25 instructions: bti jc, mov x9/lr, nop, paciasp, stp fp/lr,
    //   mov fp, stp xzr/x26, mov x26, bti j, mrs sp_el0, ldr cpu, and, lsl, 3 moves for &hits,
    //   add, mov 1, stadd, mov r0, ldp x26, ldp fp/lr, mov x0/x7, autiasp, ret.
    // trig-fentry 172: bpf-fentry's trampoline (the empty handler's ret replaced by the
    //   program) around the kernel's C as Debian's 6.12 arm64 build runs it
    //   (paths/bpf_tramp_runtime.S): __bpf_prog_enter_recur 27 + migrate_disable 15 and
    //   __bpf_prog_exit_recur 22 + update_prog_stats 2 + migrate_enable 42, where the lean
    //   helpers were 15 and 11: 99 + 82; its 3 calls one `bl` each (emit_direct_call), not
    //   movz/movk/movk + blr: - 9.
    Record fentry = run_record("trig-fentry", Arch::arm64);
    CHECK(fentry.per_call.instructions == 99 + (27 + 15 - 15) + (22 + 2 + 42 - 11) - 3 * 3);
    CHECK(fentry.per_call.bytes_stored == 288);
    CHECK(fentry.traps == 0);
    // trig-fexit 214: fentry's frame + __bpf_tramp_enter/exit (12 and 17, the lean 4 and 4) +
    //   the call of the body at the BL's return address, ctx[3] and the ip_after_call NOP:
    //   126 of the lean helpers + 82 + 21, its 5 calls one `bl` each: - 15.
    Record fexit = run_record("trig-fexit", Arch::arm64);
    CHECK(fexit.per_call.instructions == 126 + 82 + 21 - 5 * 3);
    CHECK(fexit.per_call.bytes_stored == 328);
    // trig-kprobe 233, one BRK exception (the entry NOP simulated, 6.13+).
    Record kprobe = run_record("trig-kprobe", Arch::arm64);
    CHECK(kprobe.per_call.instructions == 233);
    CHECK(kprobe.per_call.bytes_stored == 577);
    CHECK(kprobe.traps == 1);
    // trig-kprobe-multi 212: fprobe on fgraph, entry only (fprobe_entry returns 0: fgraph drops
    //   the frame, no hook), the 13-instruction ftrace_partial_regs copy, the migrate count, no
    //   exception, no hijack.
    Record kmulti = run_record("trig-kprobe-multi", Arch::arm64);
    CHECK(kmulti.per_call.instructions == 212);
    CHECK(kmulti.per_call.bytes_stored == 561);
    CHECK(kmulti.traps == 0);
    CHECK(phase_of(kmulti, Phase::hijack) == nullptr);
}
