// trig-rawtp: the bench's raw_tp program on bpf_trigger_tp (SEC("raw_tp/bpf_trigger_tp")),
// Linux v6.14: the tracepoint block (trig_tracepoint.inc) calls the one probe,
// __bpf_trace_bpf_trigger_tp (include/trace/bpf_probe.h __BPF_DECLARE_TRACE: bpf_trace_run1(
// __data, CAST_TO_U64(nonce)): the int zero-extended, a tail call), with __data = the
// bpf_raw_tp_link (bpf_probe_register registers btp->bpf_func with the link as data).
// bpf_trace_run1 (kernel/trace/bpf_trace.c BPF_TRACE_DEFN_x(1): u64 args[1] = {arg1};
// __bpf_trace_run(link, args), always-inline): prog = link->link.prog; cant_sleep (no-op);
// this_cpu_inc_return(*prog->active) == 1; run_ctx.bpf_cookie = link->cookie; old =
// bpf_set_run_ctx(&run_ctx) (current->bpf_ctx); rcu_read_lock (PREEMPT_RCU: __rcu_read_lock,
// rcu_read_lock.S); bpf_prog_run(prog, args): __bpf_prog_run with the stats key off (not
// modeled, as elsewhere) -> prog->bpf_func(args, insnsi) by pointer; rcu_read_unlock;
// bpf_reset_run_ctx(old); this_cpu_dec(*prog->active).
// No bpf_prog_active, no migrate_disable (the raw tracepoint path has neither). prog->active is
// the address of a per-CPU int and `current` the per-CPU current_task, reached %gs-relative
// (task_state.S, task.inc). Simplified: the miss path (recursion:
// bpf_prog_inc_misses_counter) stops with ud2; struct offsets are ours; the indirect call is
// a plain `call *` (the retpoline thunk of a RETPOLINE kernel is the mitigations axis). Written from the
// kernel's effects, not copied.
    .include "task.inc"
    .include "trig_rawtp_probe.inc"

    .text
    .globl bpf_trace_run1
bpf_trace_run1:                 // (link, arg1)
phase.dispatch.bpf_trace_run1:
    pushq   %rbx
    pushq   %r12
    pushq   %rbp
    subq    $24, %rsp                       // args[1] @0, bpf_trace_run_ctx @8 (cookie @8, is_uprobe @16)
    movq    %rsi, 0(%rsp)                   // args[0] = arg1
    movq    LINK_PROG(%rdi), %rbx           // prog = link->link.prog
    movq    PROG_ACTIVE(%rbx), %rdx         // this_cpu_inc_return(*prog->active) != 1
    movl    $1, %eax
    xaddl   %eax, %gs:(%rdx)
    testl   %eax, %eax
    jne     .Lmiss_not_modeled
    movq    LINK_COOKIE(%rdi), %rax         // run_ctx.bpf_cookie = link->cookie
    movq    %rax, 8(%rsp)
    movq    %gs:pcpu_current_task(%rip), %rbp
    movq    TASK_BPF_CTX(%rbp), %r12        // old = bpf_set_run_ctx(&run_ctx.run_ctx)
    leaq    8(%rsp), %rax
    movq    %rax, TASK_BPF_CTX(%rbp)
    call    __rcu_read_lock
    movq    %rsp, %rdi                      // bpf_func(args, insnsi)
    leaq    PROG_INSNSI(%rbx), %rsi
    call    *PROG_FUNC(%rbx)
    call    __rcu_read_unlock
    movq    %r12, TASK_BPF_CTX(%rbp)        // bpf_reset_run_ctx(old)
    movq    PROG_ACTIVE(%rbx), %rax         // this_cpu_dec(*prog->active)
    decl    %gs:(%rax)
    addq    $24, %rsp
    popq    %rbp
    popq    %r12
    popq    %rbx
    ret
.Lmiss_not_modeled:
    ud2
