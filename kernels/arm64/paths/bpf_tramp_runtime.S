// __bpf_prog_enter_recur / __bpf_prog_exit_recur and __bpf_tramp_enter / __bpf_tramp_exit,
// what the arm64 BPF trampolines call (bpf_trampoline.S's and the bench's; the state they reach
// is task_state.S's) (Linux v6.14 kernel/bpf/trampoline.c, with
// kernel/sched/core.c's out-of-line migrate_disable / migrate_enable, 6.12 to 6.17), in the shape
// Debian's 6.12 arm64 build runs them (read from its booted trace, `tracesim boot --arch arm64
// --trace trig-fentry`): no PREEMPT_RCU and no PREEMPT_COUNT there, so rcu_read_lock and
// preempt_disable are compiler barriers only; pointer authentication (paciasp / autiasp) in
// every function that saves the link register; the stack protector's per-task canary.
// enter(prog, run_ctx): migrate_disable(); run_ctx->saved_run_ctx = bpf_set_run_ctx
//   (current->bpf_ctx through sp_el0); this_cpu_inc_return(*prog->active) != 1 -> recursion:
//   skip (misses counter and recursion_detected hook not modeled); the stats static branch,
//   off -> NO_START_TIME (1).
// exit(prog, start, run_ctx): bpf_reset_run_ctx; update_prog_stats (out of line: its static
//   branch and a return); this_cpu_dec(*prog->active); migrate_enable().
// migrate_disable: set -> ++; else this_rq()->nr_pinned++ (the runqueue at its per-CPU
//   address + tpidr_el1), migration_disabled = 1. migrate_enable: its struct affinity_context
//   on the stack under the canary; > 1 -> --; else cpus_ptr != &cpus_mask ->
//   __set_cpus_allowed_ptr (not modeled: brk), migration_disabled = 0, nr_pinned--. Both
//   are traceable: `mov x9, x30` (what ftrace_init_nop writes) and the NOP of the patchable entry.
// __bpf_tramp_enter/exit: percpu_ref_get/put of the image, the per-CPU count when
//   __ref_is_percpu (low two bits clear), else the atomic count (not modeled).
// The per-CPU atomics are the LSE forms of arch/arm64/include/asm/percpu.h (ldadd + add /
// stadd, padded with NOPs to the LL/SC sequence's four instructions): Neoverse has LSE; QEMU's
// Cortex-A72 runs the LL/SC loop, the same count. Written from the kernel's effects, not
// copied. 6.18 changed this code (rcu_read_lock_dont_migrate, inline migrate_disable): not
// modeled on arm64 yet.
    .include "task.inc"
    .set    RUN_CTX_SAVED, 8                // bpf_tramp_run_ctx: cookie, saved_run_ctx
    .set    PROG_ACTIVE, 0                  // struct bpf_prog: active (the per-CPU int's address)
    .set    IM_PCREF, 0                     // the image: pcref.percpu_count_ptr (ours)
    .set    SCA_MIGRATE_ENABLE, 4

    .text
    .globl __bpf_prog_enter_recur
__bpf_prog_enter_recur:                     // (prog, run_ctx) -> start (0: skip the program)
phase.dispatch.bpf_prog_enter:
    paciasp
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    mov     x20, x0
    mov     x19, x1
    bl      migrate_disable
    mrs     x0, sp_el0                      // bpf_set_run_ctx
    ldr     x1, [x0, #TASK_BPF_CTX]
    str     x19, [x0, #TASK_BPF_CTX]
    str     x1, [x19, #RUN_CTX_SAVED]
    ldr     x1, [x20, #PROG_ACTIVE]         // this_cpu_inc_return(*prog->active)
    mrs     x2, tpidr_el1
    mov     w0, #1
    add     x1, x1, x2
    ldadd   w0, w3, [x1]
    add     w3, w3, w0
    nop
    nop
    cmp     w3, w0
    b.ne    1f
    nop                                     // bpf_stats_enabled_key: off
    ldp     x19, x20, [sp, #16]
    mov     x0, #1                          // NO_START_TIME
    ldp     x29, x30, [sp], #32
    autiasp
    ret
1:  mov     x0, #0                          // recursion: skip the program
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #32
    autiasp
    ret

    .globl __bpf_prog_exit_recur
__bpf_prog_exit_recur:                      // (prog, start, run_ctx)
phase.dispatch.bpf_prog_exit:
    paciasp
    stp     x29, x30, [sp, #-32]!
    mrs     x3, sp_el0
    mov     x29, sp
    str     x19, [sp, #16]
    mov     x19, x0
    ldr     x2, [x2, #RUN_CTX_SAVED]        // bpf_reset_run_ctx
    str     x2, [x3, #TASK_BPF_CTX]
    bl      update_prog_stats
    ldr     x0, [x19, #PROG_ACTIVE]         // this_cpu_dec(*prog->active)
    mrs     x1, tpidr_el1
    mov     w2, #-1
    add     x0, x0, x1
    stadd   w2, [x0]
    nop
    nop
    nop
    bl      migrate_enable
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    autiasp
    ret

update_prog_stats:                          // (prog, start): the stats key is off
phase.dispatch.update_prog_stats:
    nop
    ret

    .globl migrate_disable
migrate_disable:
phase.dispatch.migrate_disable:
    mov     x9, x30                         // the patchable entry, as ftrace_init_nop leaves it
    nop
    mrs     x1, sp_el0
    ldrh    w0, [x1, #TASK_MIGRATION_DISABLED]
    cbnz    w0, 2f
    adrp    x0, runqueues                   // this_rq()->nr_pinned++
    add     x0, x0, :lo12:runqueues
    mrs     x2, tpidr_el1
    add     x0, x0, x2
    mov     w3, #1
    ldr     w2, [x0, #RQ_NR_PINNED]
    add     w2, w2, #1
    str     w2, [x0, #RQ_NR_PINNED]
    strh    w3, [x1, #TASK_MIGRATION_DISABLED]
    ret
2:  add     w0, w0, #1                      // nested: ++
    strh    w0, [x1, #TASK_MIGRATION_DISABLED]
    ret

    .globl migrate_enable
migrate_enable:
phase.dispatch.migrate_enable:
    mov     x9, x30                         // the patchable entry
    nop
    paciasp
    sub     sp, sp, #64                     // struct affinity_context @0, the canary @24
    mrs     x0, sp_el0
    mov     w2, #SCA_MIGRATE_ENABLE
    stp     x29, x30, [sp, #32]
    add     x29, sp, #32
    str     x19, [sp, #48]
    mrs     x19, sp_el0
    ldr     x1, [x0, #TASK_STACK_CANARY]
    str     x1, [sp, #24]
    mov     x1, #0
    ldrh    w0, [x19, #TASK_MIGRATION_DISABLED]
    stp     xzr, xzr, [sp, #8]              // ac = { .new_mask = &p->cpus_mask,
    add     x1, x19, #TASK_CPUS_MASK        //        .flags = SCA_MIGRATE_ENABLE }
    str     x1, [sp]
    str     w2, [sp, #16]
    cmp     w0, #1
    b.hi    4f
    ldr     x0, [x19, #TASK_CPUS_PTR]
    cmp     x1, x0
    b.ne    5f                              // __set_cpus_allowed_ptr(p, &ac)
    adrp    x0, runqueues                   // this_rq()->nr_pinned--
    add     x0, x0, :lo12:runqueues
    strh    wzr, [x19, #TASK_MIGRATION_DISABLED]
    mrs     x1, tpidr_el1
    add     x0, x0, x1
    ldr     w1, [x0, #RQ_NR_PINNED]
    sub     w1, w1, #1
    str     w1, [x0, #RQ_NR_PINNED]
3:  mrs     x0, sp_el0                      // the canary check
    ldr     x2, [sp, #24]
    ldr     x1, [x0, #TASK_STACK_CANARY]
    subs    x2, x2, x1
    mov     x1, #0
    b.ne    5f
    ldr     x19, [sp, #48]
    ldp     x29, x30, [sp, #32]
    add     sp, sp, #64
    autiasp
    ret
4:  sub     w0, w0, #1                      // nested: --
    strh    w0, [x19, #TASK_MIGRATION_DISABLED]
    b       3b
5:  brk     #0x800                          // affinity change or a smashed stack: not modeled

    .globl __bpf_tramp_enter
__bpf_tramp_enter:                          // (im): percpu_ref_get(&im->pcref)
phase.dispatch.bpf_tramp_enter:
    mov     x1, x0
    ldr     x0, [x0, #IM_PCREF]
    tst     x0, #3                          // __PERCPU_REF_ATOMIC_DEAD: not per-CPU
    b.ne    6f
    mov     x2, #1
    mrs     x1, tpidr_el1
    add     x0, x0, x1
    stadd   x2, [x0]                        // this_cpu_inc(*percpu_count)
    nop
    nop
    nop
    ret

    .globl __bpf_tramp_exit
__bpf_tramp_exit:                           // (im): percpu_ref_put(&im->pcref)
phase.dispatch.bpf_tramp_exit:
    paciasp
    stp     x29, x30, [sp, #-16]!
    mov     x1, x0
    mov     x29, sp
    ldr     x0, [x0, #IM_PCREF]
    tst     x0, #3
    b.ne    6f
    mov     x2, #-1
    mrs     x1, tpidr_el1
    add     x0, x0, x1
    stadd   x2, [x0]                        // this_cpu_dec(*percpu_count)
    nop
    nop
    nop
    ldp     x29, x30, [sp], #16
    autiasp
    ret
6:  brk     #0x800                          // the atomic count: not modeled

