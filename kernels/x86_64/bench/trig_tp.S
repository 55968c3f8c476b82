// trig-tp: the bench's tracepoint program on bpf_trigger_tp (SEC("tp/bpf_test_run/
// bpf_trigger_tp"): a perf event with the program in the event call's prog_array), Linux
// v6.14. The tracepoint block (trig_tracepoint.inc) calls its one probe, the perf probe
// perf_trace_bpf_trigger_tp (include/trace/perf.h DECLARE_EVENT_CLASS), __data = the
// trace_event_call: head = this_cpu_ptr(call->perf_events); bpf_prog_array_valid(call) (so the
// empty-head test is skipped); __entry_size = ALIGN(0 + 8 + 4 + 4, 8) - 4 = 12 (trace_entry +
// int nonce, no dynamic fields); entry = perf_trace_buf_alloc(12, &regs, &rctx);
// perf_fetch_caller_regs(regs) (x86 perf_arch_fetch_caller_regs: ip = the return address, sp =
// the frame address, cs, flags = 0; __builtin_frame_address forces the rbp frame);
// entry->nonce = nonce; perf_trace_run_bpf_submit(entry, 12, rctx, call, 1, regs, head, NULL).
// perf_trace_buf_alloc (kernel/trace/trace_event_perf.c): the size check,
// perf_swevent_get_recursion_context (kernel/events/core.c + internal.h get_recursion_context:
// interrupt_context_level() from preempt_count, current->perf_recursion[rctx] test and
// increment), *regs = &__perf_regs[rctx], raw_data = perf_trace_buf[rctx], the last u64
// zeroed. perf_trace_run_bpf_submit (kernel/events/core.c): prog array valid, raw_data[0] =
// regs, trace_call_bpf(call, raw_data) (trig_trace_call_bpf.inc, as trig-kprobe) returns 0 ->
// perf_swevent_put_recursion_context(rctx) (inlined: same file) -> return; no perf sample.
// Simplified: per-CPU pointers (perf_events, __perf_regs, perf_trace_buf) are plain globals
// (no this_cpu_off add), current->perf_recursion is a global as current->bpf_ctx is; the
// trace_entry header is not written (v6.14 fills it only on the perf path); the WARN, busy
// and perf-sample paths stop with ud2; struct offsets are ours. Written from the kernel's
// effects, not copied.
    .equ    CALL_PERF_EVENTS, 0     // trace_event_call (ours): perf_events @0, prog_array @32
    .equ    CALL_PROG_ARRAY, 32
    .equ    ITEM_PROG, 0            // bpf_prog_array_item: prog, bpf_cookie
    .equ    ITEM_COOKIE, 8
    .equ    ITEM_SIZE, 16
    .equ    PROG_FUNC, 8            // trig_prog.S layout
    .equ    PROG_INSNSI, 16
    .equ    RUNCTX_SIZE, 32         // trig_bpf_layout.inc
    .equ    TE_NONCE, 8             // trace_event_raw_bpf_trigger_tp: trace_entry (8), nonce
    .equ    ENTRY_SIZE, 12
    .equ    PERF_MAX_TRACE_SIZE, 8192
    .equ    NMI_MASK, 0x00f00000
    .equ    HARDIRQ_MASK, 0x000f0000
    .equ    SOFTIRQ_OFFSET, 0x100
    .set    TP_PROBE, perf_trace_bpf_trigger_tp
    .set    TP_DATA, trig_tp_event_call

    .include "trig_tracepoint.inc"

    .text
    .globl perf_trace_bpf_trigger_tp
perf_trace_bpf_trigger_tp:      // (event_call, nonce)
phase.dispatch.perf_trace_bpf_trigger_tp:
    pushq   %rbp                            // __builtin_frame_address(0): a frame
    movq    %rsp, %rbp
    pushq   %r13
    pushq   %r12
    pushq   %rbx
    subq    $24, %rsp                       // __regs @0, rctx @8
    movq    %rdi, %rbx                      // event_call
    movl    %esi, %r12d                     // nonce
    movq    CALL_PERF_EVENTS(%rdi), %r13    // head = this_cpu_ptr(event_call->perf_events)
    cmpq    $0, CALL_PROG_ARRAY(%rbx)       // !bpf_prog_array_valid(call) && hlist_empty(head)
    jne     1f
    cmpq    $0, (%r13)
    je      2f
1:  movl    $ENTRY_SIZE, %edi               // perf_trace_buf_alloc(__entry_size, &__regs, &rctx)
    movq    %rsp, %rsi
    leaq    8(%rsp), %rdx
    call    perf_trace_buf_alloc
    testq   %rax, %rax
    je      2f
    movq    (%rsp), %r9                     // perf_fetch_caller_regs(__regs)
    movq    8(%rbp), %rdx
    movq    %rdx, PT_IP(%r9)                // ip = CALLER_ADDR0
    movq    %rbp, PT_SP(%r9)                // sp = __builtin_frame_address(0)
    movq    $KERNEL_CS, PT_CS(%r9)
    movq    $0, PT_FLAGS(%r9)
    movl    %r12d, TE_NONCE(%rax)           // TP_fast_assign: entry->nonce = nonce
    pushq   $0                              // task (8th argument)
    pushq   %r13                            // head (7th)
    movq    %rax, %rdi                      // entry
    movl    $ENTRY_SIZE, %esi
    movl    24(%rsp), %edx                  // rctx
    movq    %rbx, %rcx                      // event_call
    movl    $1, %r8d                        // __count
    call    perf_trace_run_bpf_submit
    addq    $16, %rsp
2:  addq    $24, %rsp
    popq    %rbx
    popq    %r12
    popq    %r13
    popq    %rbp
    ret

    .globl perf_trace_buf_alloc
perf_trace_buf_alloc:           // (size, &regs, &rctx) -> raw_data
phase.dispatch.perf_trace_buf_alloc:
    cmpl    $PERF_MAX_TRACE_SIZE, %edi      // WARN_ONCE(size > PERF_MAX_TRACE_SIZE)
    jg      .Lwarn_not_modeled
    pushq   %r12
    pushq   %rbx
    subq    $8, %rsp
    movslq  %edi, %rbx
    movq    %rsi, %r12
    movq    %rdx, (%rsp)
    call    perf_swevent_get_recursion_context
    movq    (%rsp), %rdx
    movl    %eax, (%rdx)                    // *rctxp = rctx
    testl   %eax, %eax
    js      .Lbusy_not_modeled
    cltq
    imulq   $PT_SIZE, %rax, %rdx            // *regs = this_cpu_ptr(&__perf_regs[rctx])
    leaq    __perf_regs(%rip), %rcx
    addq    %rcx, %rdx
    movq    %rdx, (%r12)
    leaq    perf_trace_buf(%rip), %rcx      // raw_data = this_cpu_ptr(perf_trace_buf[rctx])
    movq    (%rcx,%rax,8), %rax
    movq    $0, -8(%rax,%rbx)               // memset(&raw_data[size - 8], 0, 8)
    addq    $8, %rsp
    popq    %rbx
    popq    %r12
    ret

    .globl perf_swevent_get_recursion_context
perf_swevent_get_recursion_context:     // -> rctx (0: task context)
phase.dispatch.perf_swevent_get_recursion_context:
    movl    preempt_count(%rip), %edx       // interrupt_context_level(): preempt_count()
    xorl    %eax, %eax
    testl   $NMI_MASK, %edx
    setne   %al
    testl   $(NMI_MASK | HARDIRQ_MASK), %edx
    setne   %cl
    addb    %cl, %al
    testl   $(NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET), %edx
    setne   %cl
    addb    %cl, %al
    leaq    perf_recursion(%rip), %rdx      // current->perf_recursion
    cmpb    $0, (%rdx,%rax)                 // if (recursion[rctx]) return -1
    jne     .Lbusy_not_modeled
    incb    (%rdx,%rax)                     // recursion[rctx]++
    ret

    .globl perf_trace_run_bpf_submit
perf_trace_run_bpf_submit:      // (raw_data, size, rctx, call, count, regs, head, task)
phase.dispatch.perf_trace_run_bpf_submit:
    pushq   %rbx
    movl    %edx, %ebx                      // rctx
    cmpq    $0, CALL_PROG_ARRAY(%rcx)       // bpf_prog_array_valid(call)
    je      .Lperf_not_modeled
    movq    %r9, (%rdi)                     // *(struct pt_regs **)raw_data = regs
    movq    %rdi, %rsi
    movq    %rcx, %rdi
    call    trace_call_bpf
    testl   %eax, %eax                      // !trace_call_bpf() || hlist_empty(head)
    jnz     .Lperf_not_modeled              // non-zero: the head test and perf_tp_event
    movslq  %ebx, %rbx                      // perf_swevent_put_recursion_context(rctx)
    leaq    perf_recursion(%rip), %rax
    decb    (%rax,%rbx)                     // recursion[rctx]--
    popq    %rbx
    ret
.Lwarn_not_modeled:
.Lbusy_not_modeled:
.Lperf_not_modeled:
    ud2

    .include "trig_trace_call_bpf.inc"

    .data
    .balign 64
trig_tp_event_call:             // struct trace_event_call (ours): perf_events, ..., prog_array
    .quad   trig_tp_perf_events
    .zero   24
    .quad   trig_prog_array
    .balign 64
trig_prog_array:                // struct bpf_prog_array: items[], NULL-terminated
    .quad   trig_prog, 0
    .quad   0, 0
    .balign 64
trig_tp_perf_events:            // this CPU's hlist_head of perf events (the bench's one event)
    .quad   trig_tp_perf_event
trig_tp_perf_event:
    .quad   0
    .balign 64
    .globl perf_recursion
perf_recursion:                 // current->perf_recursion[4] (task, softirq, hardirq, NMI)
    .byte   0, 0, 0, 0
    .balign 64
__perf_regs:                    // this CPU's __perf_regs[4]
    .zero   4 * PT_SIZE
    .balign 64
perf_trace_buf:                 // this CPU's perf_trace_buf[4] (the kernel's are 8 KiB each)
    .quad   trig_tp_buf0, trig_tp_buf1, trig_tp_buf2, trig_tp_buf3
    .balign 64
trig_tp_buf0: .zero 64
trig_tp_buf1: .zero 64
trig_tp_buf2: .zero 64
trig_tp_buf3: .zero 64
