// The booted-kernel trace source's phase split on synthetic traces (continued from tests/850):
// a BPF trampoline's save / dispatch / restore and its call of the body, and a return
// trampoline entered by the body's ret.
#include "boot_trace_writer.h"
#include "sim/boot/phases.h"
#include "sim/boot/rules.h"

using namespace tracesim;
using namespace tracesim::test::boot;

TEST_CASE(
    "a BPF trampoline is save / dispatch / restore; the bench's kprobe dispatcher dispatches") {
    KernelSymbols s;
    for (const char* line :
         {"0000000000001000 t bpf_prog_0123456789abcdef_driver_helper\t[bpf]",
          "0000000000002000 T bpf_get_numa_node_id",
          "0000000000003000 t bpf_trampoline_6442506251\t[bpf]",
          "0000000000004000 T __bpf_prog_enter_recur", "0000000000004100 T __bpf_prog_exit_recur",
          "0000000000004200 T kprobe_dispatcher",
          "0000000000005000 t bpf_prog_adb0b5a15ff4e7db_count\t[bpf]"})
        REQUIRE(s.add_line(line));
    s.seal();
    TraceWriter t;
    t.window('A', 0);
    t.exec(0x1000, call, {{'S', 0x9ff8}}); // the driver calls the helper
    t.exec(0x2000, call, {{'S', 0x9ff0}}); // site: call the trampoline
    t.exec(0x3000, push, {{'S', 0x9fe8}}); // save
    t.exec(0x3001, nop);                   // save: the args
    t.exec(0x3002, call, {{'S', 0x9fe0}}); // call __bpf_prog_enter_recur
    t.exec(0x4000, ret, {{'L', 0x9fe0}});
    t.exec(0x3007, call, {{'S', 0x9fe0}}); // call the program
    t.exec(0x5000, ret, {{'L', 0x9fe0}});
    t.exec(0x300c, call, {{'S', 0x9fe0}}); // call __bpf_prog_exit_recur
    t.exec(0x4100, ret, {{'L', 0x9fe0}});
    t.exec(0x3011, nop); // restore: the args
    t.exec(0x3012, pop, {{'L', 0x9fe8}});
    t.exec(0x3013, ret, {{'L', 0x9ff0}});
    t.exec(0x2005, ret, {{'L', 0x9ff8}}); // body
    t.exec(0x1005, nop);
    t.window('D', 0);
    CallPhases got = phases_of_call(t.bytes, s, "trig-fentry");
    const std::vector<Phase>& phases = got.phases;
    using P = Phase;
    CHECK(phases == std::vector<P>{P::site, P::save, P::save, P::dispatch, P::dispatch, P::dispatch,
                                   P::handler, P::dispatch, P::dispatch, P::restore, P::restore,
                                   P::restore, P::body});
    CHECK(got.unmapped.empty());

    // kprobe_dispatcher is a kprobe event's handler, and dispatch on the bench's paths.
    const PhaseRule* event = x86_rules().rule_for("kprobe_dispatcher", "kprobe");
    const PhaseRule* bench = x86_rules().rule_for("kprobe_dispatcher", "trig-kprobe");
    REQUIRE(event);
    REQUIRE(bench);
    CHECK(event->phase == Phase::handler);
    CHECK(bench->phase == Phase::dispatch);
    CHECK(symbol_matches("bpf_prog_*_count", "bpf_prog_adb0b5a15ff4e7db_count"));
    CHECK_FALSE(symbol_matches("bpf_prog_*_count", "bpf_prog_adb0b5a15ff4e7db_count_einval"));
}

TEST_CASE("a BPF trampoline that calls the body hijacks from the call of the original on") {
    // The fexit shape (CALL_ORIG): save, __bpf_tramp_enter (dispatch), the args reloaded and the
    // body called (hijack), the body, then the return value stored and the fexit program's
    // enter / program / exit and __bpf_tramp_exit (the trampoline's own code hijack, what it
    // calls by its rules; __bpf_tramp_exit's tail call into __rcu_read_unlock, which no rule
    // names, is dispatch as the function that jumped), the epilogue after the last return
    // (restore).
    KernelSymbols s;
    for (const char* line :
         {"0000000000001000 t bpf_prog_0123456789abcdef_driver_helper\t[bpf]",
          "0000000000002000 T bpf_get_numa_node_id",
          "0000000000003000 t bpf_trampoline_6442506251\t[bpf]",
          "0000000000004000 T __bpf_prog_enter_recur", "0000000000004100 T __bpf_prog_exit_recur",
          "0000000000004200 T __bpf_tramp_enter", "0000000000004300 T __bpf_tramp_exit",
          "0000000000004400 T __rcu_read_unlock",
          "0000000000005000 t bpf_prog_adb0b5a15ff4e7db_count\t[bpf]"})
        REQUIRE(s.add_line(line));
    s.seal();
    const std::vector<uint8_t> jmp = {0xe9, 0, 0, 0, 0};
    TraceWriter t;
    t.window('A', 0);
    t.exec(0x1000, call, {{'S', 0x9ff8}}); // the driver calls the helper
    t.exec(0x2000, call, {{'S', 0x9ff0}}); // site: call the trampoline
    t.exec(0x3000, push, {{'S', 0x9fe8}}); // save
    t.exec(0x3001, call, {{'S', 0x9fe0}}); // call __bpf_tramp_enter
    t.exec(0x4200, ret, {{'L', 0x9fe0}});
    t.exec(0x3006, nop);                   // the args reloaded
    t.exec(0x3007, call, {{'S', 0x9fe0}}); // call the body (the site's return address)
    t.exec(0x2005, ret, {{'L', 0x9fe0}});  // body
    t.exec(0x300c, nop);                   // ctx[3] = the return value
    t.exec(0x300d, call, {{'S', 0x9fe0}}); // call __bpf_prog_enter_recur
    t.exec(0x4000, ret, {{'L', 0x9fe0}});
    t.exec(0x3012, call, {{'S', 0x9fe0}}); // the fexit program
    t.exec(0x5000, ret, {{'L', 0x9fe0}});
    t.exec(0x3017, call, {{'S', 0x9fe0}}); // call __bpf_prog_exit_recur
    t.exec(0x4100, ret, {{'L', 0x9fe0}});
    t.exec(0x301c, call, {{'S', 0x9fe0}}); // call __bpf_tramp_exit
    t.exec(0x4300, jmp);                   // its tail call
    t.exec(0x4400, ret, {{'L', 0x9fe0}});
    t.exec(0x3021, pop, {{'L', 0x9fe8}}); // restore
    t.exec(0x3022, ret, {{'L', 0x9ff8}}); // to the helper (SKIP_FRAME)
    t.exec(0x1005, nop);
    t.window('D', 0);
    CallPhases got = phases_of_call(t.bytes, s, "trig-fexit");
    const std::vector<Phase>& phases = got.phases;
    using P = Phase;
    CHECK(phases == std::vector<P>{P::site, P::save, P::dispatch, P::dispatch, P::hijack, P::hijack,
                                   P::body, P::hijack, P::hijack, P::dispatch, P::hijack,
                                   P::handler, P::hijack, P::dispatch, P::hijack, P::dispatch,
                                   P::dispatch, P::restore, P::restore});
    CHECK(got.unmapped.empty());
}

TEST_CASE(
    "a return trampoline entered by the body's ret saves, its calls hijack, then it restores") {
    // A kretprobe's return on rethook: the body's ret enters arch_rethook_trampoline at its
    // first instruction (save, however entered), whose call of the callback and the rethook's
    // bookkeeping are hijack, the rethook's call of the kretprobe handler dispatch, and the
    // trampoline's code after the return restore, up to its ret to the caller.
    KernelSymbols s;
    for (const char* line :
         {"0000000000001000 T do_syscall_64", "0000000000002000 T __x64_sys_getpid",
          "0000000000007000 T arch_rethook_trampoline",
          "0000000000007100 T arch_rethook_trampoline_callback",
          "0000000000007200 T rethook_trampoline_handler",
          "0000000000007300 T kretprobe_rethook_handler"})
        REQUIRE(s.add_line(line));
    s.seal();
    TraceWriter t;
    t.window('A', 0);
    t.exec(0x1000, call, {{'S', 0x9ff8}}); // the caller
    t.exec(0x2000, nop5);                  // site (its probe already ran)
    t.exec(0x2005, ret, {{'L', 0x9ff8}});  // body: returns into the trampoline
    t.exec(0x7000, push, {{'S', 0x9ff8}}); // save
    t.exec(0x7001, call, {{'S', 0x9ff0}}); // save: call the callback
    t.exec(0x7100, call, {{'S', 0x9fe8}}); // hijack
    t.exec(0x7200, call, {{'S', 0x9fe0}}); // hijack: the node's handler by pointer
    t.exec(0x7300, ret, {{'L', 0x9fe0}});  // dispatch
    t.exec(0x7205, ret, {{'L', 0x9fe8}});  // hijack: recycle the node
    t.exec(0x7105, ret, {{'L', 0x9ff0}});  // hijack
    t.exec(0x7006, pop, {{'L', 0x9ff8}});  // restore
    t.exec(0x7007, ret, {{'L', 0x9ff8}});  // restore: to the caller
    t.exec(0x1005, nop);
    t.window('D', 0);
    CallPhases got = phases_of_call(t.bytes, s);
    const std::vector<Phase>& phases = got.phases;
    using P = Phase;
    CHECK(phases == std::vector<P>{P::site, P::body, P::save, P::save, P::hijack, P::hijack,
                                   P::dispatch, P::hijack, P::hijack, P::restore, P::restore});
    CHECK(got.unmapped.empty());
}
