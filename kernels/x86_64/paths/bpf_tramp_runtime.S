// What a BPF trampoline calls around each program, Linux v6.14 kernel/bpf/trampoline.c:
// __bpf_prog_enter_recur / __bpf_prog_exit_recur (fentry/fexit tracing programs) and
// __bpf_tramp_enter / __bpf_tramp_exit (trampolines that call the original function); plus the
// tracer's handlers for a program's ctx (struct bpf_args: the u64 array arg0, arg1, arg2, ret).
// Written from the kernel's effects, not copied.
//
// enter: rcu_read_lock (free, !PREEMPT_RCU); migrate_disable (the per-task count);
// run_ctx->saved = current->bpf_ctx, current->bpf_ctx = run_ctx; this_cpu_inc_return(
// prog->active) != 1 -> recursion (skip the program); return NO_START_TIME (1: stats off).
// exit: current->bpf_ctx = saved; no stats; this_cpu_dec(prog->active); migrate_enable.
// tramp enter/exit: percpu_ref_get/put of the image's pcref (one per-CPU increment).
// State: prog->active and the pcref are plain counters in the objects below.
    .equ    RUN_CTX_SAVED, 8    // bpf_tramp_run_ctx: bpf_cookie @0, saved_run_ctx @8
    .equ    PROG_ACTIVE, 0

    .text
    .globl __bpf_prog_enter_recur
__bpf_prog_enter_recur:         // (prog, run_ctx) -> start time, 0 = skip
phase.dispatch.bpf_prog_enter_recur:
    incq    migration_disabled(%rip)
    movq    current_bpf_ctx(%rip), %rax
    movq    %rax, RUN_CTX_SAVED(%rsi)
    movq    %rsi, current_bpf_ctx(%rip)
    incq    PROG_ACTIVE(%rdi)
    cmpq    $1, PROG_ACTIVE(%rdi)
    jne     .Lrecursion
    movl    $1, %eax                        // NO_START_TIME
    ret
.Lrecursion:
    xorl    %eax, %eax
    ret

    .globl __bpf_prog_exit_recur
__bpf_prog_exit_recur:          // (prog, start, run_ctx)
phase.dispatch.bpf_prog_exit_recur:
    movq    RUN_CTX_SAVED(%rdx), %rax
    movq    %rax, current_bpf_ctx(%rip)
    decq    PROG_ACTIVE(%rdi)
    decq    migration_disabled(%rip)
    ret

    .globl __bpf_tramp_enter
__bpf_tramp_enter:              // (im)
phase.dispatch.bpf_tramp_enter:
    incq    (%rdi)                          // percpu_ref_get(&im->pcref)
    ret

    .globl __bpf_tramp_exit
__bpf_tramp_exit:               // (im)
phase.dispatch.bpf_tramp_exit:
    decq    (%rdi)                          // percpu_ref_put(&im->pcref)
    ret

// The programs' side: read the ctx array the trampoline built (handed over in %rcx).
    .globl handler_read_args__bpf_args
handler_read_args__bpf_args:
phase.handler.read_args__bpf_args:
    movq    BPF_CTX_ARG0(%rcx), %rax
    movq    %rax, handler_seen(%rip)
    movq    BPF_CTX_ARG1(%rcx), %rax
    movq    %rax, handler_seen+8(%rip)
    movq    BPF_CTX_ARG2(%rcx), %rax
    movq    %rax, handler_seen+16(%rip)
    ret

    .globl handler_read_ret__bpf_args
handler_read_ret__bpf_args:
phase.handler.read_ret__bpf_args:
    movq    BPF_CTX_RET(%rcx), %rax
    movq    %rax, handler_seen+24(%rip)
    ret

    .data
    .balign 64
    .globl bpf_fentry_prog
    .globl bpf_fexit_prog
    .globl bpf_tramp_im
bpf_fentry_prog:                // struct bpf_prog: active (per-CPU in the kernel)
    .quad   0
bpf_fexit_prog:
    .quad   0
bpf_tramp_im:                   // struct bpf_tramp_image: pcref
    .quad   0
