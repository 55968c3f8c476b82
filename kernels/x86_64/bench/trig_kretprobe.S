// trig-kretprobe (x86_64): the bench's kretprobe program. A kretprobe on rethook
// (KRETPROBE_ON_RETHOOK): at entry the kprobe is on ftrace (ftrace_regs_caller.S,
// kprobe_ftrace.S, kprobes_core.S) with pre_handler_kretprobe, at return
// arch_rethook_trampoline (rethook.S) -> kretprobe_rethook_handler -> rp->handler =
// kretprobe_dispatcher -> kretprobe_perf_func (Linux v6.12 kernel/trace/trace_kprobe.c, out of
// line as Debian's 6.12 amd64 build has it; its booted trig-kretprobe trace) ->
// trace_call_bpf (trig_trace_call_bpf.inc) -> the bench's program (trig_prog.S) with the
// rethook's pt_regs. Written from the kernel's effects, not copied.
// pre_handler_kretprobe and kretprobe_rethook_handler are kretprobe.S's; here is the data: a
// trace_kprobe whose rp has no entry_handler (the bench's program has no entry args, so
// rp.entry_handler is NULL: tested, not called) and whose handler is kretprobe_dispatcher.
// kretprobe_dispatcher(ri, regs): rp = get_kretprobe(ri) (ri->node.rethook->data, NULL: 0);
// tk = container_of; raw_cpu_inc(*tk->nhit) (per-CPU); flags: TP_FLAG_TRACE clear,
// TP_FLAG_PROFILE set -> kretprobe_perf_func(tk, ri, regs): the stack canary,
// bpf_prog_array_valid(call) && !trace_call_bpf(call, regs) -> return; return 0.
// Handler calls in our ABI's positions (ip, ri, rp, regs), as kretprobe.S. Simplified as
// trig_kprobe.S (the perf-sample path stops with ud2).
    .equ    TK_NHIT, -16        // trace_kprobe.nhit, relative to rp.kp
    .equ    TK_TP_EVENT, 80     // trace_kprobe.tp.event, relative to rp.kp
    .equ    TK_KP, 16           // trace_kprobe: rp.kp's offset
    .equ    PERF_FRAME, 0x40    // kretprobe_perf_func's frame: the canary at its top
    .include "rethook_objpool.inc"
    .include "trig_bpf_layout.inc"

    .text
kretprobe_dispatcher:           // (ip, ri, -, regs) -> 0
phase.dispatch.trig_kretprobe_dispatcher:
    movq    RHN_RETHOOK(%rsi), %rax         // rp = get_kretprobe(ri): ri->node.rethook->data
    movq    RH_DATA(%rax), %rax
    testq   %rax, %rax
    je      .Lkret_gone
    pushq   %r13
    leaq    -TK_KP(%rax), %r13              // tk = container_of(rp, struct trace_kprobe, rp)
    pushq   %r12
    pushq   %rbp
    movq    %rcx, %rbp                      // regs
    pushq   %rbx
    movq    TK_NHIT(%rax), %rdx
    movq    %rsi, %rbx                      // ri
    incq    %gs:(%rdx)                      // raw_cpu_inc(*tk->nhit)
    movq    TK_TP_EVENT(%rax), %rax
    movl    EV_FLAGS(%rax), %r12d           // flags = trace_probe_load_flag(&tk->tp)
    testb   $TP_FLAG_TRACE, %r12b
    jne     .Lkret_not_modeled
    andl    $TP_FLAG_PROFILE, %r12d
    je      .Lkret_done
    movq    %rbp, %rdx
    movq    %rbx, %rsi
    movq    %r13, %rdi
    call    kretprobe_perf_func             // (tk, ri, regs)
.Lkret_done:
    xorl    %eax, %eax
    popq    %rbx
    popq    %rbp
    popq    %r12
    popq    %r13
    ret
.Lkret_gone:
    xorl    %eax, %eax
    ret

kretprobe_perf_func:            // (tk, ri, regs)
phase.dispatch.kretprobe_perf_func:
    pushq   %r15
    pushq   %r14
    pushq   %r13
    pushq   %r12
    pushq   %rbp
    pushq   %rbx
    movq    %rdi, %rbx
    subq    $PERF_FRAME, %rsp
    movq    TK_KP + TK_TP_EVENT(%rdi), %r9  // call = trace_probe_event_call(&tk->tp)
    movq    %rsi, 8(%rsp)
    movq    %gs:__stack_chk_guard(%rip), %r12
    movq    %r12, PERF_FRAME - 8(%rsp)
    movq    %rdx, %r12                      // regs
    movl    $0, PERF_FRAME - 12(%rsp)       // rctx
    movq    EV_CALL + CALL_PROG_ARRAY(%r9), %rax
    testq   %rax, %rax                      // bpf_prog_array_valid(call)
    je      .Lkret_not_modeled
    leaq    EV_CALL(%r9), %rdi
    movq    %r12, %rsi
    movq    %r9, (%rsp)
    call    trace_call_bpf
    movq    (%rsp), %r9
    testl   %eax, %eax
    jne     .Lkret_not_modeled              // non-zero: on to the perf sample
    movq    PERF_FRAME - 8(%rsp), %rax
    subq    %gs:__stack_chk_guard(%rip), %rax
    jne     .Lkret_not_modeled
    addq    $PERF_FRAME, %rsp
    popq    %rbx
    popq    %rbp
    popq    %r12
    popq    %r13
    popq    %r14
    popq    %r15
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
the_kprobe:                     // rp.kp (kprobes_core.S layout), flags KPROBE_FLAG_FTRACE
    .quad   0, traced_func, pre_handler_kretprobe, 0, 8, 0, 0
    .quad   kretprobe_dispatcher // rp.handler
    .quad   0                   // rp.entry_handler: none
    .quad   the_rethook         // rp.rh
    .quad   trig_kret_tp_event  // tp.event
    .balign 64
the_rethook:                    // rp->rh: data, handler, its node pool
    rethook_object the_kprobe, kretprobe_rethook_handler
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
