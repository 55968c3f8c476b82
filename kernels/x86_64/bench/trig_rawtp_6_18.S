// trig-rawtp at 6.18: the bench's raw_tp program on bpf_trigger_tp as trig_rawtp.S, with
// kernel/trace/bpf_trace.c __bpf_trace_run as it is since "bpf: use
// rcu_read_lock_dont_migrate()" (6.18), in the shape Debian's 7.3 amd64 build runs it (read
// from its booted trace: `tracesim boot --debian 7.3.4+deb13-cloud-amd64 --path trig-rawtp
// --trace trig-rawtp`): six saved registers and the stack canary around args[] and the run
// ctx; prog->sleepable tested (not sleepable); rcu_read_lock_dont_migrate(): migrate_disable()
// inline (current->migration_disabled set -> ++; else preempt_disable(), this_rq()->nr_pinned++,
// migration_disabled = 1, preempt_enable()) then __rcu_read_lock (rcu_read_lock.S);
// this_cpu_inc_return(*prog->active) == 1; the run ctx swapped in (cookie = link->cookie);
// bpf_prog_run (the stats key's 5-byte NOP) -> prog->bpf_func(args, insnsi) by pointer; the run
// ctx back; this_cpu_dec(*prog->active); rcu_read_unlock_migrate(): __rcu_read_unlock, then
// migrate_enable() inline (> 1 -> --; else preempt_disable(), cpus_ptr == &cpus_mask,
// migration_disabled = 0, this_rq()->nr_pinned--, preempt_enable()).
// Simplified as trig_rawtp.S (the recursion miss, a sleepable program, an affinity change and
// a reschedule at preempt_enable stop with ud2; the retpoline thunk and IBT's entry NOP are the
// mitigations axis); the 32-bit preempt count (Debian's 7.3 counts it with incq/decq: the same
// instructions, 4 bytes narrower). Written from the kernel's effects, not copied.
    .equ    PROG_SLEEPABLE, 32
    .equ    RUN_FRAME, 32       // run ctx (cookie @0, is_uprobe @8), args[1] @16, the canary @24
    .include "task.inc"
    .include "trig_rawtp_probe.inc"

    .text
    .globl bpf_trace_run1
bpf_trace_run1:                 // (link, arg1)
phase.dispatch.bpf_trace_run1:
    pushq   %r15
    pushq   %r14
    pushq   %r13
    pushq   %r12
    pushq   %rbp
    pushq   %rbx
    subq    $RUN_FRAME, %rsp
    movq    LINK_PROG(%rdi), %rbp           // prog = link->link.prog
    movq    %gs:__stack_chk_guard(%rip), %r13
    movq    %r13, RUN_FRAME - 8(%rsp)
    movq    %rdi, %r13                      // link
    movq    %rsi, 16(%rsp)                  // args[0] = arg1
    movzbl  PROG_SLEEPABLE(%rbp), %r12d
    movq    $0, 0(%rsp)                     // run_ctx = {}
    movq    $0, 8(%rsp)
    andl    $1, %r12d                       // prog->sleepable
    jne     .Lsleepable_not_modeled
    // rcu_read_lock_dont_migrate(): migrate_disable() inline, then rcu_read_lock()
    movq    %gs:pcpu_current_task(%rip), %rbx
    movzwl  TASK_MIGRATION_DISABLED(%rbx), %eax
    testw   %ax, %ax
    jne     .Lnested_not_modeled
    incl    %gs:__preempt_count(%rip)       // preempt_disable
    movq    %gs:this_cpu_off(%rip), %rax
    movl    $1, %ecx
    addl    $1, runqueues+RQ_NR_PINNED(%rax) // this_rq()->nr_pinned++
    movw    %cx, TASK_MIGRATION_DISABLED(%rbx)
    decl    %gs:__preempt_count(%rip)       // preempt_enable
    je      .Lresched_not_modeled
    call    __rcu_read_lock
    xorl    %r14d, %r14d
    movq    PROG_ACTIVE(%rbp), %rdx         // this_cpu_inc_return(*prog->active) != 1
    movl    $1, %eax
    xaddl   %eax, %gs:(%rdx)
    testl   %eax, %eax
    jne     .Lmiss_not_modeled
    movq    LINK_COOKIE(%r13), %rax
    movq    TASK_BPF_CTX(%rbx), %r13        // old = bpf_set_run_ctx(&run_ctx.run_ctx)
    movq    %rsp, TASK_BPF_CTX(%rbx)
    movq    %rax, 0(%rsp)                   // run_ctx.bpf_cookie = link->cookie
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // static_branch_unlikely(&bpf_stats_enabled_key): off
    movq    PROG_FUNC(%rbp), %rax
    leaq    PROG_INSNSI(%rbp), %rsi
    leaq    16(%rsp), %rdi                  // bpf_func(args, insnsi)
    call    *%rax
    movq    %r13, TASK_BPF_CTX(%rbx)        // bpf_reset_run_ctx(old)
    movq    PROG_ACTIVE(%rbp), %rax         // this_cpu_dec(*prog->active)
    decl    %gs:(%rax)
    testb   %r12b, %r12b
    jne     .Lsleepable_not_modeled
    // rcu_read_unlock_migrate(): rcu_read_unlock(), then migrate_enable() inline
    call    __rcu_read_unlock
    movzwl  TASK_MIGRATION_DISABLED(%rbx), %eax
    cmpw    $1, %ax
    ja      .Lnested_not_modeled
    incl    %gs:__preempt_count(%rip)       // preempt_disable
    leaq    TASK_CPUS_MASK(%rbx), %rax
    cmpq    %rax, TASK_CPUS_PTR(%rbx)       // the affinity changed: __set_cpus_allowed_ptr
    jne     .Laffinity_not_modeled
    xorl    %eax, %eax
    movw    %ax, TASK_MIGRATION_DISABLED(%rbx)
    movq    %gs:this_cpu_off(%rip), %rax
    subl    $1, runqueues+RQ_NR_PINNED(%rax) // this_rq()->nr_pinned--
    decl    %gs:__preempt_count(%rip)       // preempt_enable
    je      .Lresched_not_modeled
    movq    RUN_FRAME - 8(%rsp), %rax
    subq    %gs:__stack_chk_guard(%rip), %rax
    jne     .Lcanary_not_modeled
    addq    $RUN_FRAME, %rsp
    popq    %rbx
    popq    %rbp
    popq    %r12
    popq    %r13
    popq    %r14
    popq    %r15
    ret
.Lsleepable_not_modeled:
.Lnested_not_modeled:
.Lresched_not_modeled:
.Lmiss_not_modeled:
.Laffinity_not_modeled:
.Lcanary_not_modeled:
    ud2
