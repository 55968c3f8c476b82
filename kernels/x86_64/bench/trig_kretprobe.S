// trig-kretprobe (x86_64): the bench's kretprobe program. A kretprobe on rethook
// (KRETPROBE_ON_RETHOOK): at entry the kprobe is on ftrace (ftrace_regs_caller.S,
// kprobe_ftrace.S, kprobes_core.S) with pre_handler_kretprobe, at return
// arch_rethook_trampoline (rethook.S) -> kretprobe_rethook_handler -> rp->handler =
// kretprobe_dispatcher (Linux v6.14 kernel/trace/trace_kprobe.c; kretprobe_perf_func inlined)
// -> trace_call_bpf (trig_trace_call_bpf.inc) -> the bench's program (trig_prog.S) with the
// rethook's pt_regs. Written from the kernel's effects, not copied.
// pre_handler_kretprobe and kretprobe_rethook_handler are kretprobe.S's; here is the data: a
// trace_kprobe whose rp has no entry_handler (the bench's program has no entry args, so
// rp.entry_handler is NULL: tested, not called) and whose handler is kretprobe_dispatcher.
// kretprobe_dispatcher(ri, regs): rp = get_kretprobe(ri) (ri->node.rethook->data, NULL: 0);
// tk = container_of; raw_cpu_inc(*tk->nhit); TP_FLAG_TRACE clear; TP_FLAG_PROFILE set ->
// kretprobe_perf_func: bpf_prog_array_valid(call) && !trace_call_bpf(call, regs) -> return;
// return 0. Handler calls in our ABI's positions (ip, ri, rp, regs), as kretprobe.S.
// Simplified as trig_kprobe.S (per-CPU words are globals, the perf-sample path stops with ud2).
    .equ    TK_NHIT, -16        // trace_kprobe.nhit, relative to rp.kp
    .equ    TK_TP_EVENT, 80     // trace_kprobe.tp.event, relative to rp.kp
    .equ    RHN_RETHOOK, 8      // rethook.S layout
    .equ    RH_DATA, 0
    .include "trig_bpf_layout.inc"

    .text
kretprobe_dispatcher:           // (ip, ri, -, regs) -> 0
phase.dispatch.trig_kretprobe_dispatcher:
    pushq   %rbx
    pushq   %r12
    movq    %rcx, %r12                      // regs
    movq    RHN_RETHOOK(%rsi), %rax         // rp = get_kretprobe(ri)
    movq    RH_DATA(%rax), %rbx
    testq   %rbx, %rbx
    jz      .Lkret_done
    movq    TK_NHIT(%rbx), %rax
    incq    (%rax)                          // raw_cpu_inc(*tk->nhit)
    movq    TK_TP_EVENT(%rbx), %rax
    testb   $TP_FLAG_TRACE, EV_FLAGS(%rax)
    jnz     .Lkret_not_modeled
    testb   $TP_FLAG_PROFILE, EV_FLAGS(%rax)
    jz      .Lkret_done
    leaq    EV_CALL(%rax), %rdi             // kretprobe_perf_func: call
    cmpq    $0, CALL_PROG_ARRAY(%rdi)       // bpf_prog_array_valid(call)
    je      .Lkret_not_modeled
    movq    %r12, %rsi
    call    trace_call_bpf
    testl   %eax, %eax
    jnz     .Lkret_not_modeled              // non-zero: on to the perf sample
.Lkret_done:
    xorl    %eax, %eax
    popq    %r12
    popq    %rbx
    ret
.Lkret_not_modeled:
    ud2

    .include "trig_trace_call_bpf.inc"

    .data
    .balign 64
trig_trace_kretprobe:           // struct trace_kprobe: nhit, symbol, rp (kp, handler, entry_handler, rh), tp
    .quad   trig_kretprobe_nhit // nhit (per-CPU)
    .quad   0                   // symbol
    .globl the_kprobe
    .globl the_rethook
the_kprobe:                     // rp.kp (kprobes_core.S layout)
    .quad   0, traced_func, pre_handler_kretprobe, 0, 0, 0, 0
    .quad   kretprobe_dispatcher // rp.handler
    .quad   0                   // rp.entry_handler: none
    .quad   the_rethook         // rp.rh
    .quad   trig_kret_tp_event  // tp.event
the_rethook:                    // rp->rh: data, handler
    .quad   the_kprobe, kretprobe_rethook_handler
    .balign 64
trig_kret_tp_event:             // struct trace_probe_event
    .quad   TP_FLAG_PROFILE
    .zero   56
    .zero   32                  // call: ...
    .quad   trig_kret_prog_array // call.prog_array
    .balign 64
trig_kret_prog_array:           // items[], NULL-terminated
    .quad   trig_prog, 0
    .quad   0, 0
    .balign 64
    .globl trig_kretprobe_nhit
trig_kretprobe_nhit:
    .quad   0
