// What a BPF trampoline calls around its programs, Linux v6.14 kernel/bpf/trampoline.c, that no
// kernel version here changed: __bpf_tramp_enter / __bpf_tramp_exit (trampolines that call the
// original function: percpu_ref_get / percpu_ref_put of the image's pcref); plus the tracer's
// handlers for a program's ctx (struct bpf_args: the u64 array arg0, arg1, arg2, ret) and the
// struct bpf_prog objects of the tracer's programs. __bpf_prog_enter_recur / __bpf_prog_exit_recur
// are per era: bpf_prog_enter_exit.S (6.12 to 6.17), bpf_prog_enter_exit_6_18.S (6.18 on).
// The shape is the one Debian's 7.3 amd64 build runs (read from its booted trace):
// percpu_ref_get(ref): rcu_read_lock(); if __ref_is_percpu(ref, &counts) (the pointer's low two
// bits clear: __PERCPU_REF_ATOMIC_DEAD) this_cpu_inc(*counts), else the atomic count (not
// modeled: ud2); rcu_read_unlock() as a tail call. put is the same with this_cpu_dec.
// Written from the kernel's effects, not copied.
    .equ    IM_PCREF, 0     // struct bpf_tramp_image: pcref.percpu_count_ptr (ours)

    .text
    .globl __bpf_tramp_enter
__bpf_tramp_enter:              // (im)
phase.dispatch.bpf_tramp_enter:
    pushq   %rbx
    movq    %rdi, %rbx
    call    __rcu_read_lock
    movq    IM_PCREF(%rbx), %rax
    testb   $3, %al                         // __PERCPU_REF_ATOMIC_DEAD: not per-CPU
    jne     .Lpcref_atomic_not_modeled
    incq    %gs:(%rax)                      // this_cpu_inc(*percpu_count)
    popq    %rbx
    jmp     __rcu_read_unlock

    .globl __bpf_tramp_exit
__bpf_tramp_exit:               // (im)
phase.dispatch.bpf_tramp_exit:
    pushq   %rbx
    movq    %rdi, %rbx
    call    __rcu_read_lock
    movq    IM_PCREF(%rbx), %rax
    testb   $3, %al
    jne     .Lpcref_atomic_not_modeled
    decq    %gs:(%rax)                      // this_cpu_dec(*percpu_count)
    popq    %rbx
    jmp     __rcu_read_unlock
.Lpcref_atomic_not_modeled:
    ud2

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
bpf_fentry_prog:                // struct bpf_prog: active, its per-CPU recursion counter
    .quad   bpf_fentry_prog_active
bpf_fexit_prog:
    .quad   bpf_fexit_prog_active
bpf_tramp_im:                   // struct bpf_tramp_image: pcref.percpu_count_ptr
    .quad   bpf_tramp_im_pcref
    .balign 8
    .globl bpf_fentry_prog_active
    .globl bpf_fexit_prog_active
    .globl bpf_tramp_im_pcref
bpf_fentry_prog_active:         // per-CPU ints (CPU 0's copies, task_state.S)
    .long   0
bpf_fexit_prog_active:
    .long   0
bpf_tramp_im_pcref:             // per-CPU unsigned long: the image's reference count
    .quad   0
