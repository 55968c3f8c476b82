// Layer 4: the `bench trig-*` paths (docs/bpf-bench.md): the bench's program runs exactly once
// per hit, the traced function still returns its value, the per-CPU / per-task counters the
// dispatch models touch are balanced after N hits, and the per-call counts are exact.
#include "path_counts.h"
#include "report/render.h"
#include "sim/batch.h"
#include "sim/call_state.h"
#include "sim/counters.h"
#include "sim/machine.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/trap.h"

#include <cstring>
#include <set>

using namespace tracesim;
using tracesim::test::catalogue;
using tracesim::test::phase_instructions;
using tracesim::test::phase_of;

namespace {

struct Run {
    uint64_t hits = 0, return_value = 0;
    std::map<std::string, uint64_t> words;     // the state words after the last call
    std::map<std::string, uint64_t> before;    // and before the first
    std::map<std::string, uint64_t> addresses; // and where they live
    Metrics last_call;                         // the last call, all phases (the driver included)
    Metrics last_body;                         // its phase `body`: the traced function's own code
};

// "symbol" or "symbol+offset" (a field of a struct the kernels define as one object).
std::optional<uint64_t> address_of_word(const Image& image, const std::string& word) {
    const size_t plus = word.find('+');
    auto address = image.address_of(word.substr(0, plus));
    if (!address || plus == std::string::npos) return address;
    return *address + std::stoull(word.substr(plus + 1), nullptr, 0);
}

uint64_t word_at(Machine& m, const Image& image, const std::string& word) {
    auto address = address_of_word(image, word);
    REQUIRE_MESSAGE(address, word);
    uint64_t v = 0;
    REQUIRE(m.read_memory(*address, std::span<uint8_t>(reinterpret_cast<uint8_t*>(&v), sizeof v)));
    return v;
}

// Runs the traced driver `calls` times on one machine (state persists, as in a kernel) and
// reads the bench's hits[0] and the named state words. `site`, when given, is written over
// the call site instead of the catalogue's (a variant of the path: another trampoline).
Run run_calls(Arch arch, const std::string& path, int calls, const std::vector<std::string>& words,
              const std::string& site_text = "", const std::string& kernel = "") {
    auto spec = catalogue().find_path(path, arch, kernel);
    REQUIRE_MESSAGE(spec, (spec ? "" : spec.error().message));
    auto handler = catalogue().find_handler("empty");
    REQUIRE(handler);
    auto image = build_image(catalogue(), **spec, **handler);
    REQUIRE_MESSAGE(image, (image ? "" : image.error().message));
    auto site = image->phase_range((*spec)->site_at);
    REQUIRE(site);
    REQUIRE(image->patch(site->first, site->second - site->first,
                         site_text.empty() ? (*spec)->site : site_text, "test site"));
    auto machine = Machine::create(*image);
    REQUIRE(machine);
    Machine& m = **machine;
    TrapDelivery traps;
    m.set_trap_handler(&traps);
    const CallState state = initial_call_state(m.isa(), image->layout);
    Counters counters(*image);
    Run r;
    for (const std::string& w : words)
        r.before[w] = word_at(m, *image, w);
    for (int i = 0; i < calls; ++i) {
        if (i == calls - 1) m.add_listener(&counters);
        for (const auto& [reg, value] : state.registers)
            m.write(*reg, value);
        m.write(m.isa().sp, state.sp);
        m.write(m.isa().flags, state.flags);
        auto ok =
            m.run(*image->address_of("driver_entry"), *image->address_of("driver_done"), 100'000);
        REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().message));
    }
    r.hits = word_at(m, *image, "trig_hits");
    r.return_value = m.read(*m.isa().reg(m.isa().ret_regs[0]));
    for (const std::string& w : words) {
        r.words[w] = word_at(m, *image, w);
        r.addresses[w] = *address_of_word(*image, w);
    }
    r.last_call = counters.total();
    r.last_body = counters.phase(Phase::body);
    return r;
}

Record run_record(const std::string& path, Arch arch = Arch::x86_64,
                  const std::string& kernel = "") {
    auto record = run_path(catalogue(),
                           RunRequest{arch, path, kernel, "empty", 3, 100'000, false, "", false});
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

// A timed run (znver3) with driver.S replaced by driver_nested.S: two more call/ret levels above
// traced_func, so the returns after the trampoline's are scored by the return-stack model.
Record run_nested(const std::string& path, const std::string& kernel) {
    RunRequest request{Arch::x86_64, path, kernel, "empty", 3};
    request.core = "znver3";
    request.replaced_sources["driver.S"] =
        tracesim_home() / "kernels" / "x86_64" / "harness" / "driver_nested.S";
    auto record = run_path(catalogue(), request);
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

int64_t return_mispredicts_warm(const Record& r, Phase phase) {
    for (const PhaseCycles& p : r.phase_cycles)
        if (p.phase == phase) return p.metrics.return_mispredicts_warm;
    return 0;
}

// (0x1111 * 0x2222 + 0x3333) ^ 0x2222: what traced_func returns for the driver's arguments.
constexpr uint64_t true_return = ((0x1111ull * 0x2222ull) + 0x3333ull) ^ 0x2222ull;

// The per-CPU / per-task words a trig-* path touches, each back to its value before the calls
// after every call: bpf_prog_active, current->migration_disabled, current->bpf_ctx,
// prog->active, and what the path adds (kprobe's recursion guard and current_kprobe, the
// trampoline image's percpu_ref, the tracepoint's preempt guard, perf's recursion context).
// On x86_64 the older models keep the task's fields as globals (migration_disabled,
// current_bpf_ctx) and the models written from the booted kernels reach them as the kernel
// does (task_state.S: current_task's migration_disabled and RCU nesting word, its bpf_ctx at
// +16, trace_recursion at +40, perf_recursion at +56, the runqueue's nr_pinned, the preempt
// count; prog->active is trig_prog_active); on arm64
// the trampoline paths' helpers reach current_task's migration_disabled (+24) and bpf_ctx
// (+32) and the runqueue (paths/task_state.S).
std::vector<std::string> balanced_words(Arch arch, const std::string& path) {
    std::vector<std::string> words{"migration_disabled", "current_bpf_ctx", "trig_prog_active"};
    if (arch == Arch::x86_64)
        words.insert(words.end(),
                     {"current_task", "current_task+16", "runqueues", "__preempt_count"});
    else if (path == "trig-fentry" || path == "trig-fexit" || path == "trig-fmodret")
        words.insert(words.end(), {"current_task+24", "current_task+32", "runqueues"});
    if (path == "trig-fmodret") {
        words.push_back(arch == Arch::x86_64 ? "bpf_tramp_im_pcref" : "trig_tramp_pcref");
        words.push_back("trig_fmodret_prog_active");
        return words;
    }
    if (path == "trig-rawtp" || path == "trig-tp") {
        if (arch == Arch::arm64) words.push_back("trig_preempt_count");
        if (path == "trig-tp") {
            words.push_back("bpf_prog_active"); // trace_call_bpf
            // current->perf_recursion[0..3]
            words.push_back(arch == Arch::x86_64 ? "current_task+56" : "perf_recursion");
        }
        return words;
    }
    words.push_back("bpf_prog_active");
    if (arch == Arch::x86_64 && path == "trig-kprobe") {
        words.push_back("current_task+40"); // current->trace_recursion
        words.push_back("current_kprobe");
    }
    if (path == "trig-fexit")
        words.push_back(arch == Arch::x86_64 ? "bpf_tramp_im_pcref" : "trig_tramp_pcref");
    return words;
}

} // namespace

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
