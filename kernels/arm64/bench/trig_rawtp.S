// trig-rawtp (arm64): the bench's raw_tp program on bpf_trigger_tp, Linux v6.14: the
// tracepoint block and the iterator (trig_tracepoint.inc) call the one probe,
// __bpf_trace_bpf_trigger_tp (include/trace/bpf_probe.h: bpf_trace_run1(__data,
// CAST_TO_U64(nonce)), the int zero-extended, a tail call) with __data = the
// bpf_raw_tp_link; bpf_trace_run1 (kernel/trace/bpf_trace.c, __bpf_trace_run always-inline):
// args[0] = arg1; prog = link->link.prog; this_cpu_inc_return(*prog->active) == 1;
// run_ctx.bpf_cookie = link->cookie; old = bpf_set_run_ctx(&run_ctx); rcu_read_lock (free);
// prog->bpf_func(args, insnsi) by pointer (stats key off); bpf_reset_run_ctx(old);
// this_cpu_dec(*prog->active). The same sequence as x86_64's trig_rawtp.S. prog->active is
// the per-CPU int's address plus tpidr_el1, its atomics the LSE forms padded to the LL/SC
// sequence's four instructions (arch/arm64/include/asm/percpu.h). Simplified: the run ctx is
// a global; the recursion miss stops with brk #0x800; offsets are ours. Written from the
// kernel's effects, not copied.
    .set    LINK_PROG, 0                    // bpf_raw_tp_link: link.prog, cookie (ours)
    .set    LINK_COOKIE, 8
    .set    PROG_ACTIVE, 0                  // trig_prog.S layout
    .set    PROG_FUNC, 8
    .set    PROG_INSNSI, 16
    .set    TP_PROBE, __bpf_trace_bpf_trigger_tp
    .set    TP_DATA, trig_raw_tp_link

    .include "trig_tracepoint.inc"

    .text
    .globl __bpf_trace_bpf_trigger_tp
__bpf_trace_bpf_trigger_tp:                 // (link, nonce)
phase.dispatch.bpf_trace_bpf_trigger_tp:
    mov     w1, w1                          // CAST_TO_U64(int): u32, zero-extended
    b       bpf_trace_run1                  // tail call

    .globl bpf_trace_run1
bpf_trace_run1:                             // (link, arg1)
phase.dispatch.bpf_trace_run1:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    str     x1, [sp, #32]                   // args[0] = arg1
    ldr     x19, [x0, #LINK_PROG]           // prog = link->link.prog
    ldr     x9, [x19, #PROG_ACTIVE]         // this_cpu_inc_return(*prog->active) != 1
    mrs     x10, tpidr_el1
    mov     w11, #1
    add     x9, x9, x10
    ldadd   w11, w12, [x9]                  // the LSE form, padded to LL/SC's four
    add     w12, w12, w11
    nop
    nop
    cmp     w12, #1
    b.ne    8f
    ldr     x9, [x0, #LINK_COOKIE]          // run_ctx.bpf_cookie = link->cookie
    str     x9, [sp, #40]
    adrp    x10, current_bpf_ctx            // old = bpf_set_run_ctx(&run_ctx.run_ctx)
    ldr     x20, [x10, :lo12:current_bpf_ctx]
    add     x11, sp, #40
    str     x11, [x10, :lo12:current_bpf_ctx]
    add     x0, sp, #32                     // bpf_func(args, insnsi)
    add     x1, x19, #PROG_INSNSI
    ldr     x9, [x19, #PROG_FUNC]
    blr     x9
    adrp    x10, current_bpf_ctx            // bpf_reset_run_ctx(old)
    str     x20, [x10, :lo12:current_bpf_ctx]
    ldr     x9, [x19, #PROG_ACTIVE]         // this_cpu_dec(*prog->active)
    mrs     x10, tpidr_el1
    mov     w11, #-1
    add     x9, x9, x10
    stadd   w11, [x9]
    nop
    nop
    nop
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret
8:  brk     #0x800                          // recursion miss: not modeled

    .data
    .balign 64
    .globl trig_raw_tp_link
trig_raw_tp_link:                           // struct bpf_raw_tp_link: link.prog, cookie
    .quad   trig_prog
    .quad   0
