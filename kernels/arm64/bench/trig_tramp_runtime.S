// kernel/bpf/trampoline.c (Linux v6.14) as the arm64 BPF trampolines of the bench trig-* paths
// call them: __bpf_prog_enter_recur / __bpf_prog_exit_recur and __bpf_tramp_enter / exit.
// Written from the kernel's effects, not copied. enter: rcu_read_lock (free, !PREEMPT_RCU),
// migrate_disable (the per-task count, as on x86_64's bpf_tramp_runtime.S), run_ctx->saved =
// bpf_set_run_ctx(run_ctx), this_cpu_inc_return(*prog->active) == 1, bpf_prog_start_time()
// = NO_START_TIME (1; the stats static key is off). exit: bpf_reset_run_ctx, no stats,
// this_cpu_dec(*prog->active), migrate_enable. __bpf_tramp_enter/exit: percpu_ref_get/put
// on the image (one counter). Simplified: prog->active is the prog's own word (no per-CPU
// offset, no preempt_disable around this_cpu_*); the miss path returns 0 without counting.
    .set    RUN_CTX_SAVED, 8                // bpf_tramp_run_ctx: cookie, saved_run_ctx

    .text
    .globl __bpf_prog_enter_recur
__bpf_prog_enter_recur:                     // (prog, run_ctx) -> start (0: skip the program)
phase.dispatch.trig_prog_enter:
    adrp    x9, migration_disabled          // migrate_disable()
    ldr     x10, [x9, :lo12:migration_disabled]
    add     x10, x10, #1
    str     x10, [x9, :lo12:migration_disabled]
    adrp    x9, current_bpf_ctx             // run_ctx->saved_run_ctx = bpf_set_run_ctx(run_ctx)
    ldr     x10, [x9, :lo12:current_bpf_ctx]
    str     x10, [x1, #RUN_CTX_SAVED]
    str     x1, [x9, :lo12:current_bpf_ctx]
    ldr     x11, [x0]                       // this_cpu_inc_return(*prog->active)
    add     x11, x11, #1
    str     x11, [x0]
    cmp     x11, #1
    b.ne    1f
    mov     x0, #1                          // NO_START_TIME
    ret
1:  mov     x0, #0
    ret

    .globl __bpf_prog_exit_recur
__bpf_prog_exit_recur:                      // (prog, start, run_ctx)
phase.dispatch.trig_prog_exit:
    ldr     x10, [x2, #RUN_CTX_SAVED]       // bpf_reset_run_ctx
    adrp    x9, current_bpf_ctx
    str     x10, [x9, :lo12:current_bpf_ctx]
    ldr     x11, [x0]                       // this_cpu_dec(*prog->active)
    sub     x11, x11, #1
    str     x11, [x0]
    adrp    x9, migration_disabled          // migrate_enable()
    ldr     x10, [x9, :lo12:migration_disabled]
    sub     x10, x10, #1
    str     x10, [x9, :lo12:migration_disabled]
    ret

    .globl __bpf_tramp_enter
__bpf_tramp_enter:                          // (im)
phase.dispatch.trig_tramp_enter:
    ldr     x9, [x0]
    add     x9, x9, #1
    str     x9, [x0]
    ret
    .globl __bpf_tramp_exit
__bpf_tramp_exit:
phase.dispatch.trig_tramp_exit:
    ldr     x9, [x0]
    sub     x9, x9, #1
    str     x9, [x0]
    ret

    .data
    .balign 64
    .globl trig_tramp_image
trig_tramp_image:                           // the image's percpu_ref count
    .quad   0
