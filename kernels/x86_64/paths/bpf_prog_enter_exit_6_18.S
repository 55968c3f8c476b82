// __bpf_prog_enter_recur / __bpf_prog_exit_recur, Linux v6.18 kernel/bpf/trampoline.c: since
// "bpf: use rcu_read_lock_dont_migrate() for trampoline.c" the pair is
// rcu_read_lock_dont_migrate() / rcu_read_unlock_migrate() (include/linux/rcupdate.h), and
// migrate_disable / migrate_enable are inline (include/linux/sched.h, same release). With
// PREEMPT_RCU (x86_64's PREEMPT_DYNAMIC kernels) that is migrate_disable() then rcu_read_lock(),
// and rcu_read_unlock() then migrate_enable(); without it migration is left alone (not this
// file). The shape is the one Debian's 7.3 amd64 build runs (read from its booted trace):
// enter(prog, run_ctx): migrate_disable() inline: current->migration_disabled set -> ++; else
//   preempt_disable(), this_rq()->nr_pinned++, migration_disabled = 1, preempt_enable() (its
//   reschedule call not modeled); __rcu_read_lock (rcu_read_lock.S); bpf_set_run_ctx;
//   this_cpu_inc_return(*prog->active) != 1 -> recursion: skip (misses counter and
//   recursion_detected hook not modeled); the stats static branch, off -> NO_START_TIME (1).
// exit(prog, start, run_ctx): bpf_reset_run_ctx; update_prog_stats inline (its static branch);
//   this_cpu_dec(*prog->active); __rcu_read_unlock; migrate_enable() inline: > 1 -> --; else
//   preempt_disable(), cpus_ptr != &cpus_mask -> ___migrate_enable (not modeled),
//   migration_disabled = 0, this_rq()->nr_pinned--, preempt_enable().
// Debian's 7.3 build counts preemption with 64-bit incq/decq; this file uses the 32-bit count
// of arch/x86/include/asm/preempt.h: the same instructions and accesses, 4 bytes narrower.
// Left out: IBT's endbr64 at each entry (the mitigations axis). Written from the kernel's
// effects, not copied.
    .include "task.inc"
    .equ    RUN_CTX_SAVED, 8    // bpf_tramp_run_ctx: bpf_cookie @0, saved_run_ctx @8
    .equ    PROG_ACTIVE, 0      // struct bpf_prog: active (the per-CPU int's address)

    .text
    .globl __bpf_prog_enter_recur
__bpf_prog_enter_recur:         // (prog, run_ctx) -> start time, 0 = skip
phase.dispatch.bpf_prog_enter_recur:
    pushq   %r12
    movq    %rdi, %r12
    pushq   %rbp
    movq    %gs:pcpu_current_task(%rip), %rbp
    pushq   %rbx
    movq    %rsi, %rbx
    movzwl  TASK_MIGRATION_DISABLED(%rbp), %eax
    testw   %ax, %ax
    jne     .Lnested_disable
    incl    %gs:__preempt_count(%rip)       // preempt_disable
    movq    %gs:this_cpu_off(%rip), %rax    // this_rq_raw()->nr_pinned++
    addl    $1, runqueues+RQ_NR_PINNED(%rax)
    movl    $1, %eax
    movw    %ax, TASK_MIGRATION_DISABLED(%rbp)
    decl    %gs:__preempt_count(%rip)       // preempt_enable
    je      .Lresched_not_modeled
.Lmigration_disabled:
    call    __rcu_read_lock
    movq    TASK_BPF_CTX(%rbp), %rax        // bpf_set_run_ctx
    movq    %rbx, TASK_BPF_CTX(%rbp)
    movq    %rax, RUN_CTX_SAVED(%rbx)
    movl    $1, %eax
    movq    PROG_ACTIVE(%r12), %rdx         // this_cpu_inc_return(*prog->active)
    xaddl   %eax, %gs:(%rdx)
    testl   %eax, %eax
    jne     .Lrecursion
    .byte   0x66, 0x90                      // bpf_stats_enabled_key: off
    movl    $1, %eax                        // NO_START_TIME
.Lenter_done:
    popq    %rbx
    popq    %rbp
    popq    %r12
    ret
.Lnested_disable:
    addl    $1, %eax                        // nested: ++
    movw    %ax, TASK_MIGRATION_DISABLED(%rbp)
    jmp     .Lmigration_disabled
.Lrecursion:
    xorl    %eax, %eax
    jmp     .Lenter_done

    .globl __bpf_prog_exit_recur
__bpf_prog_exit_recur:          // (prog, start, run_ctx)
phase.dispatch.bpf_prog_exit_recur:
    pushq   %r12
    pushq   %rbp
    movq    %rdi, %rbp
    pushq   %rbx
    movq    %gs:pcpu_current_task(%rip), %rbx
    movq    RUN_CTX_SAVED(%rdx), %rax       // bpf_reset_run_ctx
    movq    %rax, TASK_BPF_CTX(%rbx)
    .byte   0x66, 0x90                      // update_prog_stats: bpf_stats_enabled_key off
    movq    PROG_ACTIVE(%rbp), %rax         // this_cpu_dec(*prog->active)
    decl    %gs:(%rax)
    call    __rcu_read_unlock
    movzwl  TASK_MIGRATION_DISABLED(%rbx), %eax
    cmpw    $1, %ax
    ja      .Lnested_enable
    incl    %gs:__preempt_count(%rip)       // preempt_disable
    leaq    TASK_CPUS_MASK(%rbx), %rax
    cmpq    %rax, TASK_CPUS_PTR(%rbx)
    jne     .Laffinity_not_modeled          // ___migrate_enable()
    xorl    %eax, %eax
    movw    %ax, TASK_MIGRATION_DISABLED(%rbx)
    movq    %gs:this_cpu_off(%rip), %rax    // this_rq_raw()->nr_pinned--
    subl    $1, runqueues+RQ_NR_PINNED(%rax)
    decl    %gs:__preempt_count(%rip)       // preempt_enable
    je      .Lresched_not_modeled
.Lexit_done:
    popq    %rbx
    popq    %rbp
    popq    %r12
    ret
.Lnested_enable:
    subl    $1, %eax                        // nested: --
    movw    %ax, TASK_MIGRATION_DISABLED(%rbx)
    jmp     .Lexit_done
.Laffinity_not_modeled:
.Lresched_not_modeled:
    ud2
