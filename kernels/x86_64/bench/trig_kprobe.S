// trig-kprobe: the BPF glue between a kprobe's pre_handler and the program, Linux v6.14:
// kernel/trace/trace_kprobe.c kprobe_dispatcher (-> kprobe_perf_func, inlined: static, one
// caller) and kernel/trace/bpf_trace.c trace_call_bpf with include/linux/bpf.h
// bpf_prog_run_array / bpf_prog_run / __bpf_prog_run (always-inline). The kprobe is on ftrace
// (kprobe_ftrace.S + kprobes_core.S): this file defines `the_kprobe`, inside a trace_kprobe,
// with pre_handler = kprobe_dispatcher. Written from the kernel's effects, not copied.
//
// kprobe_dispatcher(kp, regs): tk = container_of(kp); raw_cpu_inc(*tk->nhit);
// TP_FLAG_TRACE clear (no ftrace event: tested, not taken); TP_FLAG_PROFILE set ->
// kprobe_perf_func: call = &tk->tp.event->call; bpf_prog_array_valid(call); orig_ip =
// regs->ip; trace_call_bpf(call, regs); regs->ip unchanged and ret == 0 (the bench program
// returns 0) -> return 0 (no perf sample).
// trace_call_bpf: __this_cpu_inc_return(bpf_prog_active) == 1; rcu_read_lock (PREEMPT_RCU:
// __rcu_read_lock); bpf_prog_run_array(call->prog_array, regs): run ctx on the stack
// (is_uprobe = false, bpf_cookie from the item), migrate_disable, bpf_set_run_ctx, for each
// item: __bpf_prog_run (bpf_stats_enabled_key off: a patched-out jump, not modeled) ->
// bpf_dispatcher_nop_func: prog->bpf_func(ctx, prog->insnsi), ret &= result;
// bpf_reset_run_ctx, migrate_enable; rcu_read_unlock; __this_cpu_dec(bpf_prog_active).
// Arguments: kprobe_ftrace_handler calls the pre_handler with p in %rdx and regs in %rcx (our
// handler ABI positions, docs/paths-x86_64.md); the kernel passes (p, regs) in %rdi, %rsi.
// migrate_disable / migrate_enable and the RCU pair are the kernel's out-of-line functions
// (migrate.S, rcu_read_lock.S). Simplified: bpf_prog_active is a plain global; the miss path
// (nested BPF: bpf_prog_inc_misses_counters) and the perf-event path (no BPF, or a program
// returning non-zero) stop with ud2; no retpoline on the indirect call; struct offsets are ours
// (the fields, not the kernel's layout).
    .equ    TK_NHIT, -16        // trace_kprobe.nhit, relative to its kprobe
    .equ    TK_TP_EVENT, 56     // trace_kprobe.tp.event, relative to its kprobe
    .include "trig_bpf_layout.inc"

    .text
    .globl kprobe_dispatcher
kprobe_dispatcher:              // (ip, -, kp, regs) -> 0
phase.dispatch.kprobe_dispatcher:
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    movq    %rdx, %rbx                      // kp (tk = kp - offset, folded into the offsets)
    movq    %rcx, %r12                      // regs
    movq    TK_NHIT(%rbx), %rax
    incq    (%rax)                          // raw_cpu_inc(*tk->nhit)
    movq    TK_TP_EVENT(%rbx), %rax
    testb   $TP_FLAG_TRACE, EV_FLAGS(%rax)
    jnz     .Ltrace_event_not_modeled
    testb   $TP_FLAG_PROFILE, EV_FLAGS(%rax)
    jz      .Ldone
    leaq    EV_CALL(%rax), %rdi             // kprobe_perf_func: call = trace_probe_event_call()
    cmpq    $0, CALL_PROG_ARRAY(%rdi)       // bpf_prog_array_valid(call)
    je      .Lperf_not_modeled
    movq    PT_IP(%r12), %r13               // orig_ip
    movq    %r12, %rsi
    call    trace_call_bpf
    cmpq    PT_IP(%r12), %r13               // the program moved the pc: return 1
    jne     .Lpc_changed
    testl   %eax, %eax
    jnz     .Lperf_not_modeled              // non-zero: go on to the perf sample
.Ldone:
    xorl    %eax, %eax
    popq    %r13
    popq    %r12
    popq    %rbx
    ret
.Lpc_changed:
    movl    $1, %eax
    popq    %r13
    popq    %r12
    popq    %rbx
    ret
.Ltrace_event_not_modeled:
.Lperf_not_modeled:
    ud2

    .include "trig_trace_call_bpf.inc"

    .data
    .balign 64
trig_trace_kprobe:              // struct trace_kprobe: nhit, then rp.kp, then tp
    .quad   trig_kprobe_nhit    // nhit (per-CPU)
    .quad   0                   // symbol
    .globl the_kprobe
the_kprobe:                     // rp.kp (kprobes_core.S layout)
    .quad   0                   // hlist next
    .quad   traced_func         // addr
    .quad   kprobe_dispatcher   // pre_handler
    .quad   0                   // post_handler
    .quad   0                   // flags
    .quad   0, 0                // ainsn
    .quad   trig_tp_event       // tp.event
    .balign 64
trig_tp_event:                  // struct trace_probe_event
    .quad   TP_FLAG_PROFILE     // flags: perf (BPF) only
    .zero   56
    .zero   32                  // call: ...
    .quad   trig_prog_array     // call.prog_array
    .balign 64
trig_prog_array:                // struct bpf_prog_array: items[], NULL-terminated
    .quad   trig_prog, 0
    .quad   0, 0
    .balign 64
    .globl trig_kprobe_nhit
trig_kprobe_nhit:
    .quad   0
