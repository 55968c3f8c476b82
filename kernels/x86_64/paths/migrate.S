// migrate_disable / migrate_enable, Linux v6.14 kernel/sched/core.c (out of line from 6.12 to
// 6.17; 6.18 made them inline, bpf_prog_enter_exit_6_18.S), in the shape Debian's 6.12 amd64
// build runs them (read from its booted trace): what the BPF trampoline's enter/exit
// (bpf_prog_enter_exit.S) and trace_call_bpf's bpf_prog_run_array (the bench's kprobe and
// tracepoint paths) call. Both are traceable (the 5-byte __fentry__ NOP first).
// migrate_disable(): current->migration_disabled already set -> ++; else preempt_disable(),
//   this_rq()->nr_pinned++, migration_disabled = 1, preempt_enable() (its reschedule call is
//   not modeled: nothing sets need-resched). migrate_enable(): the struct affinity_context on
//   the stack (new_mask = &p->cpus_mask, flags = SCA_MIGRATE_ENABLE) under the stack canary;
//   migration_disabled > 1 -> --; else preempt_disable(), cpus_ptr != &cpus_mask ->
//   __set_cpus_allowed_ptr (not modeled: the task's affinity did not change), migration_disabled
//   = 0, this_rq()->nr_pinned--, preempt_enable().
// Per-CPU data is reached %gs-relative (task_state.S); 6.12's zero-based per-CPU addressing
// (the canary at %gs:40) becomes the same one access at each variable. Left out: IBT's endbr64
// at each entry (the mitigations axis). Written from the kernel's effects, not copied.
    .include "task.inc"
    .equ    SCA_MIGRATE_ENABLE, 4

    .text
    .globl migrate_disable
migrate_disable:
phase.dispatch.migrate_disable:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // call __fentry__, NOP-ed at boot
    movq    %gs:pcpu_current_task(%rip), %rdx
    movzwl  TASK_MIGRATION_DISABLED(%rdx), %eax
    testw   %ax, %ax
    je      .Lfirst_disable
    addl    $1, %eax                        // nested: ++
    movw    %ax, TASK_MIGRATION_DISABLED(%rdx)
    ret
.Lfirst_disable:
    incl    %gs:__preempt_count(%rip)       // preempt_disable
    movq    %gs:this_cpu_off(%rip), %rax    // this_rq()->nr_pinned++
    addl    $1, runqueues+RQ_NR_PINNED(%rax)
    movl    $1, %eax
    movw    %ax, TASK_MIGRATION_DISABLED(%rdx)
    decl    %gs:__preempt_count(%rip)       // preempt_enable
    je      .Lresched_not_modeled
    ret

    .globl migrate_enable
migrate_enable:
phase.dispatch.migrate_enable:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // call __fentry__, NOP-ed at boot
    pushq   %rbx
    subq    $32, %rsp                       // struct affinity_context @0, the canary @24
    movq    %gs:__stack_chk_guard(%rip), %rbx
    movq    %rbx, 24(%rsp)
    movq    %gs:pcpu_current_task(%rip), %rbx
    movq    $0, 16(%rsp)                    // ac = { .new_mask = &p->cpus_mask,
    movq    $0, 8(%rsp)                     //        .flags = SCA_MIGRATE_ENABLE }
    movl    $SCA_MIGRATE_ENABLE, 16(%rsp)
    movzwl  TASK_MIGRATION_DISABLED(%rbx), %eax
    leaq    TASK_CPUS_MASK(%rbx), %rdx
    movq    %rdx, (%rsp)
    cmpw    $1, %ax
    ja      .Lnested_enable
    incl    %gs:__preempt_count(%rip)       // preempt_disable
    cmpq    TASK_CPUS_PTR(%rbx), %rdx
    jne     .Laffinity_not_modeled          // __set_cpus_allowed_ptr(p, &ac)
    xorl    %eax, %eax
    movw    %ax, TASK_MIGRATION_DISABLED(%rbx)
    movq    %gs:this_cpu_off(%rip), %rax    // this_rq()->nr_pinned--
    subl    $1, runqueues+RQ_NR_PINNED(%rax)
    decl    %gs:__preempt_count(%rip)       // preempt_enable
    je      .Lresched_not_modeled
.Lenable_done:
    movq    24(%rsp), %rax
    subq    %gs:__stack_chk_guard(%rip), %rax
    jne     .Lstack_smashed
    addq    $32, %rsp
    popq    %rbx
    ret
.Lnested_enable:
    subl    $1, %eax                        // nested: --
    movw    %ax, TASK_MIGRATION_DISABLED(%rbx)
    jmp     .Lenable_done
.Laffinity_not_modeled:
.Lresched_not_modeled:
.Lstack_smashed:
    ud2
