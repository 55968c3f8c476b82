// trig-kprobe: the BPF glue between a kprobe's pre_handler and the program, Linux v6.12:
// kernel/trace/trace_kprobe.c kprobe_dispatcher, which tail-calls kprobe_perf_func (static, out
// of line in Debian's 6.12 amd64 build), and kernel/trace/bpf_trace.c trace_call_bpf
// (trig_trace_call_bpf.inc). The kprobe is on ftrace (kprobe_ftrace.S + kprobes_core.S): this
// file defines `the_kprobe`, inside a trace_kprobe, with pre_handler = kprobe_dispatcher. In the
// shape that build runs them (its booted trace: `tracesim boot --debian trixie --path
// trig-kprobe --trace trig-kprobe`). Written from the kernel's effects, not copied.
//
// kprobe_dispatcher(kp, regs): tk = container_of(kp); flags = trace_probe_load_flag(&tk->tp);
// raw_cpu_inc(*tk->nhit) (a per-CPU counter, %gs-relative); TP_FLAG_TRACE clear (no ftrace
// event: tested, not taken); TP_FLAG_PROFILE set -> tail call kprobe_perf_func(tk, regs): the
// stack canary (a local pt_regs pointer and rctx are on its frame); call =
// trace_probe_event_call(&tk->tp); bpf_prog_array_valid(call); orig_ip = regs->ip;
// trace_call_bpf(call, regs); regs->ip unchanged and ret == 0 (the bench program returns 0) ->
// return 0 (no perf sample).
// Arguments: kprobe_ftrace_handler calls the pre_handler with p in %rdx and regs in %rcx (our
// handler ABI positions, docs/paths-x86_64.md); the kernel passes (p, regs) in %rdi, %rsi, so
// the tail call moves regs once more than the kernel's. Simplified: the perf-event path (no BPF,
// or a program returning non-zero) stops with ud2; IBT's entry NOP is the mitigations axis;
// struct offsets are ours (the fields, not the kernel's layout).
    .equ    TK_KP, 16           // trace_kprobe: its kprobe's offset
    .equ    TK_NHIT, -16        // trace_kprobe.nhit, relative to its kprobe
    .equ    TK_TP_EVENT, 56     // trace_kprobe.tp.event, relative to its kprobe
    .equ    PERF_FRAME, 0x38    // kprobe_perf_func's frame: the canary at its top
    .include "trig_bpf_layout.inc"

    .text
    .globl kprobe_dispatcher
kprobe_dispatcher:              // (ip, -, kp, regs) -> 0
phase.dispatch.kprobe_dispatcher:
    pushq   %rbp
    leaq    -TK_KP(%rdx), %rbp              // tk = container_of(kp, struct trace_kprobe, rp.kp)
    pushq   %rbx
    subq    $8, %rsp
    movq    TK_TP_EVENT(%rdx), %rax
    movl    EV_FLAGS(%rax), %ebx            // flags = trace_probe_load_flag(&tk->tp)
    movq    TK_NHIT(%rdx), %rax
    incq    %gs:(%rax)                      // raw_cpu_inc(*tk->nhit)
    testb   $TP_FLAG_TRACE, %bl
    jne     .Ltrace_event_not_modeled
    andl    $TP_FLAG_PROFILE, %ebx
    jne     .Lperf
    xorl    %eax, %eax
    addq    $8, %rsp
    popq    %rbx
    popq    %rbp
    ret
.Lperf:
    addq    $8, %rsp
    movq    %rbp, %rdi                      // kprobe_perf_func(tk, regs)
    movq    %rcx, %rsi
    popq    %rbx
    popq    %rbp
    jmp     kprobe_perf_func
.Ltrace_event_not_modeled:
    ud2

kprobe_perf_func:               // (tk, regs) -> 0, or 1 when the program moved the pc
phase.dispatch.kprobe_perf_func:
    pushq   %r15
    pushq   %r14
    movq    %rdi, %r14                      // tk
    pushq   %r13
    pushq   %r12
    pushq   %rbp
    pushq   %rbx
    subq    $PERF_FRAME, %rsp
    movq    TK_KP + TK_TP_EVENT(%rdi), %rax // call = trace_probe_event_call(&tk->tp)
    movq    %gs:__stack_chk_guard(%rip), %rbp
    movq    %rbp, PERF_FRAME - 8(%rsp)
    movq    %rsi, %rbp                      // regs
    movl    $0, PERF_FRAME - 12(%rsp)       // rctx
    movq    %rax, 8(%rsp)
    movq    EV_CALL + CALL_PROG_ARRAY(%rax), %rax
    testq   %rax, %rax                      // bpf_prog_array_valid(call)
    je      .Lperf_not_modeled
    movq    8(%rsp), %rax
    movq    %rbp, %rsi
    movq    PT_IP(%rbp), %rbx               // orig_ip
    leaq    EV_CALL(%rax), %rdi
    call    trace_call_bpf
    movl    $1, %edx
    cmpq    PT_IP(%rbp), %rbx               // the program moved the pc: return 1
    jne     .Lperf_out
    testl   %eax, %eax
    jne     .Lperf_not_modeled              // non-zero: go on to the perf sample
    xorl    %edx, %edx
.Lperf_out:
    movq    PERF_FRAME - 8(%rsp), %rax
    subq    %gs:__stack_chk_guard(%rip), %rax
    jne     .Lperf_not_modeled
    addq    $PERF_FRAME, %rsp
    movl    %edx, %eax
    popq    %rbx
    popq    %rbp
    popq    %r12
    popq    %r13
    popq    %r14
    popq    %r15
    ret
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
    .quad   8                   // flags: KPROBE_FLAG_FTRACE
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
