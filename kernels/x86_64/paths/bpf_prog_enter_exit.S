// __bpf_prog_enter_recur / __bpf_prog_exit_recur, what a BPF trampoline calls around each
// fentry/fexit/fmod_ret program, Linux v6.14 kernel/bpf/trampoline.c with the out-of-line
// migrate_disable / migrate_enable of kernel/sched/core.c (6.12 to 6.17: the same C; migrate.S),
// in the shape Debian's 6.12 amd64 build runs them (read from its booted trace; PREEMPT_RCU):
// enter(prog, run_ctx): rcu_read_lock() (__rcu_read_lock, rcu_read_lock.S); migrate_disable();
//   run_ctx->saved_run_ctx = bpf_set_run_ctx(&run_ctx->run_ctx) (current->bpf_ctx swap);
//   this_cpu_inc_return(*prog->active) != 1 -> recursion: skip the program (its misses counter
//   and recursion_detected hook are not modeled: the return of 0 only);
//   bpf_prog_start_time(): the bpf_stats_enabled_key static branch, off (a 2-byte NOP) ->
//   NO_START_TIME (1).
// exit(prog, start, run_ctx): bpf_reset_run_ctx(saved); update_prog_stats(prog, start) (not
//   inlined: its static branch, off, and a return); this_cpu_dec(*prog->active);
//   migrate_enable(); rcu_read_unlock() as a tail call.
// Per-CPU data is reached %gs-relative (task_state.S). Left out: IBT's endbr64 at each entry
// (the mitigations axis). Written from the kernel's effects, not copied.
    .include "task.inc"
    .equ    RUN_CTX_SAVED, 8    // bpf_tramp_run_ctx: bpf_cookie @0, saved_run_ctx @8
    .equ    PROG_ACTIVE, 0      // struct bpf_prog: active (the per-CPU int's address)

    .text
    .globl __bpf_prog_enter_recur
__bpf_prog_enter_recur:         // (prog, run_ctx) -> start time, 0 = skip
phase.dispatch.bpf_prog_enter_recur:
    pushq   %rbp
    movq    %rdi, %rbp
    pushq   %rbx
    movq    %rsi, %rbx
    call    __rcu_read_lock
    call    migrate_disable
    movq    %gs:pcpu_current_task(%rip), %rax
    movq    TASK_BPF_CTX(%rax), %rdx        // bpf_set_run_ctx
    movq    %rbx, TASK_BPF_CTX(%rax)
    movl    $1, %eax
    movq    %rdx, RUN_CTX_SAVED(%rbx)
    movq    PROG_ACTIVE(%rbp), %rdx         // this_cpu_inc_return(*prog->active)
    xaddl   %eax, %gs:(%rdx)
    testl   %eax, %eax
    jne     .Lrecursion
    .byte   0x66, 0x90                      // bpf_stats_enabled_key: off
    movl    $1, %eax                        // NO_START_TIME
    popq    %rbx
    popq    %rbp
    ret
.Lrecursion:
    xorl    %eax, %eax
    popq    %rbx
    popq    %rbp
    ret

    .globl __bpf_prog_exit_recur
__bpf_prog_exit_recur:          // (prog, start, run_ctx)
phase.dispatch.bpf_prog_exit_recur:
    pushq   %rbx
    movq    %gs:pcpu_current_task(%rip), %rax
    movq    %rdi, %rbx
    movq    RUN_CTX_SAVED(%rdx), %rdx       // bpf_reset_run_ctx
    movq    %rdx, TASK_BPF_CTX(%rax)
    call    update_prog_stats
    movq    PROG_ACTIVE(%rbx), %rax         // this_cpu_dec(*prog->active)
    decl    %gs:(%rax)
    call    migrate_enable
    popq    %rbx
    jmp     __rcu_read_unlock

update_prog_stats:              // (prog, start): the stats key is off
phase.dispatch.update_prog_stats:
    .byte   0x66, 0x90                      // bpf_stats_enabled_key: off
    ret
