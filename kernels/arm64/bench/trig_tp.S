// trig-tp (arm64): the bench's tracepoint program on bpf_trigger_tp (a perf event with the
// program in the event call's prog_array), Linux v6.14. The tracepoint block and the iterator
// (trig_tracepoint.inc) call the one probe, perf_trace_bpf_trigger_tp (include/trace/perf.h)
// with __data = the trace_event_call; the same sequence as x86_64's trig_tp.S: head;
// bpf_prog_array_valid (the empty-head test skipped); perf_trace_buf_alloc(12, &regs, &rctx)
// (size check, perf_swevent_get_recursion_context: interrupt_context_level() from
// thread_info.preempt.count, current->perf_recursion[rctx] test + increment; &__perf_regs[rctx];
// perf_trace_buf[rctx]; the last u64 zeroed); perf_fetch_caller_regs (arm64
// perf_arch_fetch_caller_regs: pc = the return address, x29 = the frame address, sp, pstate =
// PSR_MODE_EL1h); entry->nonce; perf_trace_run_bpf_submit: raw_data[0] = regs,
// trace_call_bpf (trig_trace_call_bpf.inc) returns 0 -> perf_swevent_put_recursion_context
// (inlined) -> return. Simplified: per-CPU data are plain globals (no tpidr_el1 offset),
// current->perf_recursion is a global; the trace_entry header is not written (only the perf
// path fills it); WARN, busy and perf-sample paths stop with brk #0x800; offsets are ours.
// Written from the kernel's effects, not copied.
    .set    CALL_PERF_EVENTS, 0             // trace_event_call (ours): perf_events @0, prog_array @32
    .set    CALL_PROG_ARRAY, 32
    .set    ITEM_PROG, 0
    .set    ITEM_COOKIE, 8
    .set    ITEM_SIZE, 16
    .set    PROG_FUNC, 8                    // trig_prog.S layout
    .set    PROG_INSNSI, 16
    .set    RC_SAVED, 48                    // bpf_trace_run_ctx in trace_call_bpf's frame
    .set    RC_COOKIE, 56
    .set    RC_IS_UPROBE, 64
    .set    TE_NONCE, 8                     // trace_event_raw_bpf_trigger_tp: trace_entry, nonce
    .set    ENTRY_SIZE, 12
    .set    PERF_MAX_TRACE_SIZE, 8192
    .set    TP_PROBE, perf_trace_bpf_trigger_tp
    .set    TP_DATA, trig_tp_event_call

    .include "trig_tracepoint.inc"

    .text
    .globl perf_trace_bpf_trigger_tp
perf_trace_bpf_trigger_tp:                  // (event_call, nonce)
phase.dispatch.perf_trace_bpf_trigger_tp:
    stp     x29, x30, [sp, #-64]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    str     x21, [sp, #32]                  // __regs @48, rctx @56
    mov     x19, x0                         // event_call
    mov     w20, w1                         // nonce
    ldr     x21, [x0, #CALL_PERF_EVENTS]    // head = this_cpu_ptr(event_call->perf_events)
    ldr     x9, [x19, #CALL_PROG_ARRAY]     // !bpf_prog_array_valid(call) && hlist_empty(head)
    cbnz    x9, 1f
    ldr     x9, [x21]
    cbz     x9, 2f
1:  mov     w0, #ENTRY_SIZE                 // perf_trace_buf_alloc(__entry_size, &__regs, &rctx)
    add     x1, sp, #48
    add     x2, sp, #56
    bl      perf_trace_buf_alloc
    cbz     x0, 2f
    ldr     x5, [sp, #48]                   // perf_fetch_caller_regs(__regs)
    ldr     x9, [x29, #8]
    str     x9, [x5, #S_PC]                 // pc = CALLER_ADDR0
    str     x29, [x5, #S_X29]               // regs[29] = __builtin_frame_address(0)
    mov     x9, sp
    str     x9, [x5, #S_SP]                 // sp = current_stack_pointer
    mov     x9, #PSR_MODE_EL1H
    str     x9, [x5, #S_PSTATE]
    str     w20, [x0, #TE_NONCE]            // TP_fast_assign: entry->nonce = nonce
    mov     w1, #ENTRY_SIZE                 // perf_trace_run_bpf_submit(entry, size, rctx,
    ldr     w2, [sp, #56]                   //   call, count, regs, head, task)
    mov     x3, x19
    mov     x4, #1
    mov     x6, x21
    mov     x7, #0
    bl      perf_trace_run_bpf_submit
2:  ldr     x21, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #64
    ret

    .globl perf_trace_buf_alloc
perf_trace_buf_alloc:                       // (size, &regs, &rctx) -> raw_data
phase.dispatch.perf_trace_buf_alloc:
    cmp     w0, #PERF_MAX_TRACE_SIZE        // WARN_ONCE(size > PERF_MAX_TRACE_SIZE)
    b.gt    8f
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    str     x21, [sp, #32]
    sxtw    x19, w0
    mov     x20, x1
    mov     x21, x2
    bl      perf_swevent_get_recursion_context
    str     w0, [x21]                       // *rctxp = rctx
    tbnz    w0, #31, 8f
    adrp    x9, __perf_regs                 // *regs = this_cpu_ptr(&__perf_regs[rctx])
    add     x9, x9, :lo12:__perf_regs
    mov     x10, #S_SIZE
    smaddl  x9, w0, w10, x9
    str     x9, [x20]
    adrp    x10, perf_trace_buf             // raw_data = this_cpu_ptr(perf_trace_buf[rctx])
    add     x10, x10, :lo12:perf_trace_buf
    ldr     x0, [x10, w0, sxtw #3]
    add     x9, x0, x19                     // memset(&raw_data[size - 8], 0, 8)
    stur    xzr, [x9, #-8]
    ldr     x21, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret

    .globl perf_swevent_get_recursion_context
perf_swevent_get_recursion_context:         // -> rctx (0: task context)
phase.dispatch.perf_swevent_get_recursion_context:
    mrs     x9, sp_el0                      // interrupt_context_level(): preempt_count()
    ldr     w10, [x9, #TI_PREEMPT]
    tst     w10, #0xf00000                  // NMI_MASK
    cset    w0, ne
    tst     w10, #0xff0000                  // NMI_MASK | HARDIRQ_MASK
    cinc    w0, w0, ne
    mov     w11, #0x100                     // | SOFTIRQ_OFFSET (not a logical immediate)
    movk    w11, #0xff, lsl #16
    tst     w10, w11
    cinc    w0, w0, ne
    adrp    x9, perf_recursion              // current->perf_recursion
    add     x9, x9, :lo12:perf_recursion
    ldrb    w10, [x9, w0, uxtw]             // if (recursion[rctx]) return -1
    cbnz    w10, 8f
    add     w10, w10, #1                    // recursion[rctx]++
    strb    w10, [x9, w0, uxtw]
    ret

    .globl perf_trace_run_bpf_submit
perf_trace_run_bpf_submit:                  // (raw_data, size, rctx, call, count, regs, head, task)
phase.dispatch.perf_trace_run_bpf_submit:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     x19, [sp, #16]
    ldr     x9, [x3, #CALL_PROG_ARRAY]      // bpf_prog_array_valid(call)
    cbz     x9, 8f
    mov     w19, w2                         // rctx
    str     x5, [x0]                        // *(struct pt_regs **)raw_data = regs
    mov     x1, x0
    mov     x0, x3
    bl      trace_call_bpf
    cbnz    w0, 8f                          // non-zero: the head test and perf_tp_event
    adrp    x9, perf_recursion              // perf_swevent_put_recursion_context(rctx)
    add     x9, x9, :lo12:perf_recursion
    ldrb    w10, [x9, w19, sxtw]
    sub     w10, w10, #1                    // recursion[rctx]--
    strb    w10, [x9, w19, sxtw]
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret
8:  brk     #0x800                          // WARN, busy, perf sample: not modeled

    .include "trig_trace_call_bpf.inc"

    .data
    .balign 64
trig_tp_event_call:                         // struct trace_event_call (ours)
    .quad   trig_tp_perf_events             // perf_events
    .zero   24
    .quad   trig_prog_array                 // prog_array
    .balign 64
trig_prog_array:                            // struct bpf_prog_array: items[], NULL-terminated
    .quad   trig_prog, 0
    .quad   0, 0
    .balign 64
trig_tp_perf_events:                        // this CPU's hlist_head: the bench's one event
    .quad   trig_tp_perf_event
trig_tp_perf_event:
    .quad   0
    .balign 64
    .globl perf_recursion
perf_recursion:                             // current->perf_recursion[4]
    .byte   0, 0, 0, 0
    .balign 64
__perf_regs:                                // this CPU's __perf_regs[4]
    .zero   4 * S_SIZE
    .balign 64
perf_trace_buf:                             // this CPU's perf_trace_buf[4] (8 KiB each in the kernel)
    .quad   trig_tp_buf0, trig_tp_buf1, trig_tp_buf2, trig_tp_buf3
    .balign 64
trig_tp_buf0: .zero 64
trig_tp_buf1: .zero 64
trig_tp_buf2: .zero 64
trig_tp_buf3: .zero 64
