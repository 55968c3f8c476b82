// trig-tp: the bench's tracepoint program on bpf_trigger_tp (SEC("tp/bpf_test_run/
// bpf_trigger_tp"): a perf event with the program in the event call's prog_array), Linux
// v6.14 (the perf functions in v6.12's compiled shape: below). The tracepoint block (trig_tracepoint.inc) calls its one probe, the perf probe
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
// In the shape Debian's 6.12 amd64 build runs them (its booted trace: `tracesim boot --debian
// trixie --path trig-tp --trace trig-tp`): the probe's stack canary, the per-CPU pointers
// (perf_events, __perf_regs, perf_trace_buf) through this_cpu_off, current->perf_recursion
// through `current`, the fentry NOPs of the two traceable functions.
// Simplified: the trace_entry header is not written (v6.14 fills it only on the perf path);
// the WARN, busy and perf-sample paths stop with ud2; struct offsets are ours; IBT's entry
// NOPs are the mitigations axis. Written from the kernel's effects, not copied.
    .equ    CALL_PERF_EVENTS, 0     // trace_event_call (ours): perf_events @0, prog_array @32
    .include "trig_bpf_layout.inc"
    .equ    TE_NONCE, 8             // trace_event_raw_bpf_trigger_tp: trace_entry (8), nonce
    .equ    ENTRY_SIZE, 12
    .equ    PERF_MAX_TRACE_SIZE, 8192
    .include "task.inc"
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
    movq    %rdi, %rbx                      // event_call
    subq    $24, %rsp                       // the canary @-32, __regs @-40, rctx @-44
    movq    CALL_PERF_EVENTS(%rdi), %r12    // head = this_cpu_ptr(event_call->perf_events) ...
    movq    %gs:__stack_chk_guard(%rip), %r13
    movq    %r13, -32(%rbp)
    movl    %esi, %r13d                     // nonce
    movq    $0, -40(%rbp)                   // __regs = NULL
    movl    $0, -44(%rbp)                   // rctx
    movq    CALL_PROG_ARRAY(%rdi), %rax
    addq    %gs:this_cpu_off(%rip), %r12    // ... through the per-CPU base
    testq   %rax, %rax                      // !bpf_prog_array_valid(call) && hlist_empty(head)
    je      .Lno_prog_not_modeled
    movl    $ENTRY_SIZE, %edi               // perf_trace_buf_alloc(__entry_size, &__regs, &rctx)
    leaq    -44(%rbp), %rdx
    leaq    -40(%rbp), %rsi
    call    perf_trace_buf_alloc
    movq    %rax, %rdi                      // entry
    testq   %rax, %rax
    je      .Lno_buffer_not_modeled
    movq    8(%rbp), %rax                   // perf_fetch_caller_regs(__regs): CALLER_ADDR0
    movq    -40(%rbp), %r9
    movq    %rbx, %rcx                      // event_call
    movl    $ENTRY_SIZE, %esi
    movl    $1, %r8d                        // __count
    movq    %rax, PT_IP(%r9)                // ip
    movl    $KERNEL_CS, %eax
    movq    %rbp, PT_SP(%r9)                // sp = __builtin_frame_address(0)
    movq    %rax, PT_CS(%r9)                // the kernel's u16 cs; our slot is 8 bytes
    movq    $0, PT_FLAGS(%r9)
    movl    %r13d, TE_NONCE(%rdi)           // TP_fast_assign: entry->nonce = nonce
    pushq   $0                              // task (8th argument)
    pushq   %r12                            // head (7th)
    movl    -44(%rbp), %edx                 // rctx
    call    perf_trace_run_bpf_submit
    popq    %rdx
    popq    %rcx
    movq    -32(%rbp), %rax
    subq    %gs:__stack_chk_guard(%rip), %rax
    jne     .Lperf_canary_not_modeled
    leaq    -24(%rbp), %rsp
    popq    %rbx
    popq    %r12
    popq    %r13
    popq    %rbp
    ret

    .globl perf_trace_buf_alloc
perf_trace_buf_alloc:           // (size, &regs, &rctx) -> raw_data
phase.dispatch.perf_trace_buf_alloc:
    pushq   %r12
    pushq   %rbp
    pushq   %rbx
    movslq  %edi, %rbx
    cmpl    $PERF_MAX_TRACE_SIZE, %ebx      // WARN_ONCE(size > PERF_MAX_TRACE_SIZE)
    jg      .Lwarn_not_modeled
    movq    %rdx, %r12
    movq    %rsi, %rbp
    call    perf_swevent_get_recursion_context
    movl    %eax, (%r12)                    // *rctxp = rctx
    testl   %eax, %eax
    js      .Lbusy_not_modeled
    cltq
    testq   %rbp, %rbp                      // if (regs)
    je      .Lno_regs_not_modeled
    leaq    (%rax,%rax,4), %rdx             // rctx * 21 quads: one pt_regs
    leaq    (%rax,%rdx,4), %rcx
    movq    %gs:this_cpu_off(%rip), %rdx    // *regs = this_cpu_ptr(&__perf_regs[rctx])
    leaq    __perf_regs(%rdx,%rcx,8), %rdx
    movq    %rdx, (%rbp)
    movq    perf_trace_buf(,%rax,8), %rax   // raw_data = this_cpu_ptr(perf_trace_buf[rctx])
    addq    %gs:this_cpu_off(%rip), %rax
    movq    $0, -8(%rax,%rbx)               // memset(&raw_data[size - 8], 0, 8)
    popq    %rbx
    popq    %rbp
    popq    %r12
    ret

    .globl perf_swevent_get_recursion_context
perf_swevent_get_recursion_context:     // -> rctx (0: task context)
phase.dispatch.perf_swevent_get_recursion_context:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // call __fentry__, NOP-ed at boot
    movl    %gs:__preempt_count(%rip), %edx // interrupt_context_level(): preempt_count()
    testl   $(NMI_MASK | HARDIRQ_MASK), %edx
    movl    %edx, %ecx
    setne   %al
    andl    $NMI_MASK, %ecx
    cmpl    $1, %ecx
    movq    %gs:pcpu_current_task(%rip), %rcx
    sbbb    $-1, %al
    andl    $(NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET), %edx
    cmpl    $1, %edx
    sbbb    $-1, %al
    movsbq  %al, %rdx
    leaq    TASK_PERF_RECURSION(%rcx,%rdx), %rdx // &current->perf_recursion[rctx]
    cmpb    $0, (%rdx)                      // if (recursion[rctx]) return -1
    jne     .Lbusy_not_modeled
    movb    $1, (%rdx)                      // recursion[rctx]++ (from 0)
    movsbl  %al, %eax
    ret

    .globl perf_trace_run_bpf_submit
perf_trace_run_bpf_submit:      // (raw_data, size, rctx, call, count, regs, head, task)
phase.dispatch.perf_trace_run_bpf_submit:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // call __fentry__, NOP-ed at boot
    pushq   %r15
    movl    %esi, %r15d                     // size
    pushq   %r14
    movq    %r8, %r14                       // count
    pushq   %r13
    movq    %r9, %r13                       // regs
    pushq   %r12
    movl    %edx, %r12d                     // rctx
    pushq   %rbp
    movq    %rdi, %rbp                      // raw_data
    pushq   %rbx
    movq    %rcx, %rbx                      // call
    subq    $16, %rsp
    movq    CALL_PROG_ARRAY(%rcx), %rax
    movq    72(%rsp), %r9                   // head
    movq    80(%rsp), %rdx                  // task
    testq   %rax, %rax                      // bpf_prog_array_valid(call)
    je      .Lperf_not_modeled
    movq    %r13, (%rdi)                    // *(struct pt_regs **)raw_data = regs
    movq    %rdi, %rsi
    movq    %rcx, %rdi
    movq    %rdx, 8(%rsp)
    movq    %r9, (%rsp)
    call    trace_call_bpf
    testl   %eax, %eax                      // !trace_call_bpf() || hlist_empty(head)
    jne     .Lperf_not_modeled              // non-zero: the head test and perf_tp_event
    movq    %gs:pcpu_current_task(%rip), %rax // perf_swevent_put_recursion_context(rctx)
    addq    $TASK_PERF_RECURSION, %rax
    movzbl  %r12b, %r12d
    subb    $1, (%rax,%r12)                 // current->perf_recursion[rctx]--
    addq    $16, %rsp
    popq    %rbx
    popq    %rbp
    popq    %r12
    popq    %r13
    popq    %r14
    popq    %r15
    ret
.Lno_prog_not_modeled:
.Lno_buffer_not_modeled:
.Lno_regs_not_modeled:
.Lperf_canary_not_modeled:
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
