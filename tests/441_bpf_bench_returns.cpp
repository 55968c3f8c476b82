// Layer 4: the `bench trig-*` paths, continued from tests/440: the return probes
// (trig-kretprobe, trig-kretprobe-multi), scenarios/bpf-bench.toml, trig-fmodret, trig-rawtp
// and trig-tp. Helpers: bench_run.h.
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

TEST_CASE("trig-kretprobe: the program runs once per return, nhit counted, instances recycled") {
    // x86_64: kprobe on ftrace + rethook; arm64: BRK at entry (NOP simulated) + BRK at return.
    for (Arch arch : {Arch::x86_64, Arch::arm64}) {
        CAPTURE(std::string(name_of(arch)));
        for (int calls : {1, 7}) {
            std::vector<std::string> words = balanced_words(arch, "trig-kretprobe");
            words.push_back("trig_kretprobe_nhit");
            // x86_64's objpool (rethook.S): current->rethooks empty again after each return;
            // CPU 0's slot {head, tail} and {last, mask} move on by one per call.
            const std::vector<std::string> ring = {"rethook_cpu_slot0",    "rethook_cpu_slot0+8",
                                                   "rethook_cpu_slot0+16", "rethook_cpu_slot0+24",
                                                   "rethook_cpu_slot0+32", "rethook_cpu_slot0+40"};
            if (arch == Arch::x86_64) {
                words.push_back("current_task+48");
                words.insert(words.end(), ring.begin(), ring.end());
            }
            Run r = run_calls(arch, "trig-kretprobe", calls, words);
            CHECK(r.hits == uint64_t(calls));
            CHECK(r.return_value == true_return);
            CHECK(r.words["trig_kretprobe_nhit"] == uint64_t(calls));
            for (const auto& [name, value] : r.words) {
                if (name == "trig_kretprobe_nhit" ||
                    std::find(ring.begin(), ring.end(), name) != ring.end())
                    continue;
                CAPTURE(name);
                CHECK(value == r.before[name]);
            }
            if (arch == Arch::x86_64) {
                // Each call pops the node at head & mask and pushes it back at tail & mask: the
                // ring's indices advance by the calls (the pre-run's call included), the nodes
                // stay the pool's four.
                const uint64_t n = (r.words["rethook_cpu_slot0"] & 0xffffffff) -
                                   (r.before["rethook_cpu_slot0"] & 0xffffffff);
                const uint64_t tail = r.words["rethook_cpu_slot0"] >> 32,
                               tail_before = r.before["rethook_cpu_slot0"] >> 32,
                               last = r.words["rethook_cpu_slot0+8"] & 0xffffffff,
                               last_before = r.before["rethook_cpu_slot0+8"] & 0xffffffff,
                               mask = r.words["rethook_cpu_slot0+8"] >> 32;
                CHECK(n == uint64_t(calls));
                CHECK(tail == tail_before + n);
                CHECK(last == last_before + n);
                CHECK(mask == 3);
                // entries[]: still the four nodes, each once (a push to the wrong index would
                // leave one twice).
                std::set<uint64_t> nodes;
                for (int i = 0; i < 4; ++i)
                    nodes.insert(r.words[fmt::format("rethook_cpu_slot0+{}", 16 + 8 * i)]);
                CHECK(nodes.size() == 4);
                CHECK(nodes.count(0) == 0);
            }
        }
    }
}

TEST_CASE("trig-kretprobe: exact per-call counts (handler empty)") {
    // x86_64 613 = kretprobe's 422 less what its tracer handlers add (the entry handler's call:
    //   4 moves and the call; the two empty handlers' ret: 415) + kretprobe_dispatcher 29 (rp
    //   from the node's rethook, nhit through its per-CPU pointer, the flags, the call) +
    //   kretprobe_perf_func 35 (six saved registers, the canary, bpf_prog_array_valid, the ret
    //   test) + trace_call_bpf 65 + the RCU pair 11 + the migrate pair 42 + the program 16.
    Record x86 = run_record("trig-kretprobe", Arch::x86_64);
    CHECK(x86.per_call.instructions == 422 - 5 - 2 + 29 + 35 + 65 + 11 + 42 + 16);
    CHECK(x86.per_call.bytes_stored == 1257);
    CHECK(x86.traps == 0);
    // arm64 385: two BRK exceptions (entry kprobe, return trampoline), each a full pt_regs.
    Record arm = run_record("trig-kretprobe", Arch::arm64);
    CHECK(arm.per_call.instructions == 385);
    CHECK(arm.per_call.bytes_stored == 1065);
    CHECK(arm.traps == 2);
}

TEST_CASE(
    "trig-kprobe-multi: no exit handler, so fgraph drops its frame and the return is not hooked") {
    // v6.14 fprobe_entry returns 0 for an entry-only fprobe and function_graph_enter_regs then
    // restores curr_ret_stack and leaves the return address alone: after N calls the shadow
    // stack is empty again and no return-side code ran (no hijack phase at all).
    for (Arch arch : {Arch::x86_64, Arch::arm64}) {
        CAPTURE(std::string(name_of(arch)));
        const bool x86 = arch == Arch::x86_64;
        Run r =
            run_calls(arch, "trig-kprobe-multi", 7,
                      {x86 ? "fgraph_ret_stack_top" : "fgraph_curr_ret_stack", "fgraph_ret_stack"});
        CHECK(r.hits == 7);
        CHECK(r.return_value == true_return);
        if (x86)
            CHECK(r.words["fgraph_ret_stack_top"] == r.addresses["fgraph_ret_stack"]);
        else
            CHECK(r.words["fgraph_curr_ret_stack"] == 0);
        CHECK(phase_of(run_record("trig-kprobe-multi", arch), Phase::hijack) == nullptr);
    }
}

TEST_CASE("trig-kretprobe-multi: the program runs once per return, from fprobe_return, shadow "
          "stack balanced") {
    // A return-only link: fprobe_entry has no entry_handler to call, keeps the header and returns
    // 1, so the return is hooked; the program runs in kprobe_multi_link_exit_handler.
    for (Arch arch : {Arch::x86_64, Arch::arm64}) {
        CAPTURE(std::string(name_of(arch)));
        const bool x86 = arch == Arch::x86_64;
        for (int calls : {1, 7}) {
            Run r = run_calls(arch, "trig-kretprobe-multi", calls,
                              {"bpf_prog_active", "migration_disabled", "current_bpf_ctx",
                               x86 ? "fgraph_ret_stack_top" : "fgraph_curr_ret_stack",
                               "fgraph_ret_stack"});
            CHECK(r.hits == uint64_t(calls));
            CHECK(r.return_value == true_return);
            CHECK(r.words["bpf_prog_active"] == 0);
            CHECK(r.words["migration_disabled"] == 0);
            CHECK(r.words["current_bpf_ctx"] == 0);
            if (x86)
                CHECK(r.words["fgraph_ret_stack_top"] == r.addresses["fgraph_ret_stack"]);
            else
                CHECK(r.words["fgraph_curr_ret_stack"] == 0);
        }
    }
}

TEST_CASE("trig-kretprobe-multi: exact per-call counts (handler empty)") {
    // x86_64 158: trig-kprobe-multi's entry without the handler call and the link (fgraph hooks:
    //   the verdict is 1) + return_to_handler (save 4, restore 3) + ftrace_return_to_handler +
    //   fprobe_return (hijack 33 with the exit handler's push/link) + prog_run inlined in
    //   kprobe_multi_link_exit_handler (is_return = 1, no is_kprobe_session) + the program 16.
    Record x86 = run_record("trig-kretprobe-multi", Arch::x86_64);
    CHECK(x86.per_call.instructions == 158);
    CHECK(x86.per_call.bytes_stored == 425);
    CHECK(x86.traps == 0);
    CHECK(phase_instructions(x86, Phase::hijack) == 33);
    // arm64 284: fgraph hooks (fgraph_reserve_data, header), return_to_handler's 112-byte frame,
    //   fprobe_return, the exit handler's 4-instruction tail call into prog_run (the pt_regs copy
    //   from the return frame) + the program 25.
    Record arm = run_record("trig-kretprobe-multi", Arch::arm64);
    CHECK(arm.per_call.instructions == 284);
    CHECK(arm.per_call.bytes_stored == 713);
    CHECK(arm.traps == 0);
    CHECK(phase_instructions(arm, Phase::hijack) == 69);
}

TEST_CASE("scenarios/bpf-bench.toml: both arches, every trig-* path, the same bytes on every run") {
    const std::vector<KnownCore> cores = {{"znver3", Arch::x86_64}, {"neoverse-v2", Arch::arm64}};
    auto s = load_scenario(tracesim_home() / "scenarios" / "bpf-bench.toml", catalogue(), cores);
    REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
    // x86_64: none + 9 trig-* + trig-fexit and trig-fmodret in their second mode (@6.14 and
    // @6.19) = 12; arm64: 10 (no 6.19 eras there); one core each.
    CHECK(s->requests.size() == 22);
    auto first = run_batch(catalogue(), s->requests, 1);
    auto again = run_batch(catalogue(), s->requests, 1);
    auto parallel = run_batch(catalogue(), s->requests, 4);
    REQUIRE(first);
    REQUIRE(again);
    REQUIRE(parallel);
    const std::string json = render(*first, Format::json);
    CHECK(json == render(*again, Format::json));
    CHECK(json == render(*parallel, Format::json));
}

// ---- trig-fmodret, trig-rawtp, trig-tp (both arches) ----

namespace {

// A site that calls the same fmod_ret trampoline code with trig_prog.S's program (returns 0), where
// the catalogue path runs the bench's own program (returns -22).
std::string fmodret_zero_site(Arch arch) {
    return arch == Arch::x86_64 ? "call trig_tramp_fmodret" : "mov x9, x30\nbl trig_tramp_fmodret";
}

} // namespace

TEST_CASE("trig-fmodret as the bench runs it (the program returns -22): the body is skipped, the "
          "caller gets -22") {
    // trigger_bench.c's bench_trigger_fmodret returns -22: the trampoline's cbnz / jne to
    // do_fexit is taken, the original never runs, and the trampoline returns the program's w0
    // (0xffffffea: the 32-bit mov zero-extends) to the traced function's caller. The catalogue
    // says so (`returns`), and the runner's functional check holds the path to it.
    for (Arch arch : {Arch::x86_64, Arch::arm64}) {
        CAPTURE(std::string(name_of(arch)));
        for (int calls : {1, 7}) {
            Run r = run_calls(arch, "trig-fmodret", calls, balanced_words(arch, "trig-fmodret"));
            CHECK(r.hits == uint64_t(calls));
            CHECK(r.return_value == 0xffffffeaull);
            CHECK(r.last_body.instructions == 0);
            for (const auto& [name, value] : r.words) {
                CAPTURE(name);
                CHECK(value == r.before[name]);
            }
        }
        Record record = run_record("trig-fmodret", arch);
        CHECK(record.checks.ok());
        CHECK(record.checks.return_value);
    }
}

TEST_CASE(
    "trig-fmodret with a program that returns 0: the original runs and its value comes back") {
    for (Arch arch : {Arch::x86_64, Arch::arm64}) {
        CAPTURE(std::string(name_of(arch)));
        for (int calls : {1, 7}) {
            Run r = run_calls(arch, "trig-fmodret", calls, balanced_words(arch, "trig-fmodret"),
                              fmodret_zero_site(arch));
            CHECK(r.hits == uint64_t(calls));
            CHECK(r.return_value == true_return);
            CHECK(r.last_body.instructions > 0);
            for (const auto& [name, value] : r.words) {
                CAPTURE(name);
                CHECK(value == r.before[name]);
            }
        }
    }
}

TEST_CASE("trig-fmodret, trig-rawtp, trig-tp: exact per-call counts (handler empty, warm call)") {
    // x86_64 trig-fmodret (the bench's program returns -22) 171 = the trampoline's 63 around
    //   the program (trig-fexit's frame with invoke_bpf_mod_ret: the ret slot zeroed, the saved
    //   return, cmp + jne; the taken jne skips the call of the body) + 108 of the kernel's C:
    //   __bpf_prog_enter_recur and __bpf_prog_exit_recur with what they call (39 + 47,
    //   bpf_prog_enter_exit.S) for the lean 9 + 5 they once were, and __bpf_tramp_enter/exit
    //   with their RCU pairs (20 each) for 2.
    Record fmodret = run_record("trig-fmodret", Arch::x86_64, "6.14");
    CHECK(fmodret.per_call.instructions == 63 + (39 + 47 - 9 - 5) + 2 * (20 - 2));
    CHECK(fmodret.per_call.bytes_stored == 360);
    // x86_64 trig-rawtp 75 = our save/restore around the block (3 pushes, 3 pops, ret: 7) +
    //   the tracepoint block (incl, load funcs, test, je, 2 moves, call, decl + je of
    //   CONFIG_PREEMPTION's preempt_enable: 9) + __bpf_trace_bpf_trigger_tp (mov, jmp) +
    //   bpf_trace_run1 (30: prog->active through its per-CPU pointer, mov + mov 1 + xadd + test
    //   for the inc, mov + decl for the dec; the run ctx through `current`; the calls of
    //   __rcu_read_lock and __rcu_read_unlock around the program) + those two (6 + 5) + the
    //   program (16).
    Record rawtp = run_record("trig-rawtp", Arch::x86_64, "6.14");
    CHECK(rawtp.per_call.instructions == 75);
    CHECK(rawtp.per_call.bytes_stored == 160);
    // ... and 6.18's (the newest era) 119: bpf_trace_run1 as Debian's 7.3 build runs it, 74 for
    //   the 30 (six saved registers and the canary, the run ctx and args zeroed, prog->sleepable
    //   tested, migrate_disable and migrate_enable inline around the RCU pair with their
    //   preempt counts and the rq's nr_pinned, the stats key's NOP).
    Record rawtp_6_18 = run_record("trig-rawtp");
    CHECK(rawtp_6_18.kernel == "6.18");
    CHECK(rawtp_6_18.per_call.instructions == 75 - 30 + 74);
    CHECK(rawtp_6_18.checks.ok());
    // x86_64 trig-tp 285: the same 7 + 9, the perf probe and buffer, trace_call_bpf, the program
    //   (243 with the lean perf functions and 8 in the block) + 41 for the perf functions as
    //   Debian's 6.12 build runs them (perf_trace_bpf_trigger_tp 50: the canary, head through
    //   this_cpu_off, the caller regs; perf_trace_buf_alloc 27, perf_swevent_get_recursion_context
    //   19, perf_trace_run_bpf_submit 39: 135 for 94).
    Record tp = run_record("trig-tp");
    CHECK(tp.per_call.instructions == 243 + 1 + 41);
    CHECK(tp.per_call.bytes_stored == 551);
    // arm64 trig-fmodret 201 = the lean helpers' 113 (trig-fexit's 126 + str xzr (ret slot),
    //   str x0 (saved return), ldr x10 + cbnz, minus what the taken cbnz skips (3 arg reloads,
    //   ldr, adr, ret, str x0, NOP: 8) and the body (9)) + the kernel's C as in trig-fexit
    //   (82 + 21), its 5 calls one `bl` each (- 15).
    Record afmodret = run_record("trig-fmodret", Arch::arm64);
    CHECK(afmodret.per_call.instructions == 113 + 82 + 21 - 5 * 3);
    CHECK(afmodret.per_call.bytes_stored == 312);
    // arm64 trig-rawtp 103 = our frame around the block (4 + 6) + the block (preempt count 4 + 4,
    //   the call 3: 11) + __traceiter (17: no static calls) + __bpf_trace (2) +
    //   bpf_trace_run1 (38: prog->active at its address + tpidr_el1, the LSE atomics padded to
    //   four: 10 for the inc and test, 8 for the dec) + the program (25).
    Record arawtp = run_record("trig-rawtp", Arch::arm64);
    CHECK(arawtp.per_call.instructions == 103);
    CHECK(arawtp.per_call.bytes_stored == 200);
    Record atp = run_record("trig-tp", Arch::arm64);
    CHECK(atp.per_call.instructions == 212);
    CHECK(atp.per_call.bytes_stored == 403);
    for (const Record* r : {&fmodret, &rawtp, &tp, &afmodret, &arawtp, &atp})
        CHECK(r->traps == 0);
}

TEST_CASE(
    "trig-fmodret with a program that returns 0: exact counts of the trampoline calling the body") {
    // Per call over the untraced call (whose body this call also runs): x86_64 170 = 171 + 7 + 8
    // - 16 (run_calls builds the newest era, 6.19, whose 6.18 enter/exit the classic trampoline
    // of the zero site calls), arm64 218 = 201 + 8 + 9 (the instructions the bench's taken
    // branch skips, and the body).
    for (auto [arch, expected] : {std::pair{Arch::x86_64, 170}, std::pair{Arch::arm64, 218}}) {
        CAPTURE(std::string(name_of(arch)));
        const int64_t untraced = run_record("none", arch).traced.instructions;
        Run zero = run_calls(arch, "trig-fmodret", 1, {}, fmodret_zero_site(arch));
        CHECK(zero.last_call.instructions - untraced == expected);
    }
}
