// The host-side glue of native calibration (x86_64 Linux only; sim/calibrate/native.cpp): the timing
// loop that calls a path's traced_func on the image's own stack, and the add / imul chains that
// measure the host's cycles per TSC tick. Not a kernel model: tracesim's own harness code.
//
// The timing loop. Callee-saved registers hold the loop's state across the calls (the paths keep
// them: the emulated run checks it before anything runs natively); %r14 holds the host's stack
// pointer while the image's stack is in use. One sample = `per_sample` calls between two rdtsc:
//   lfence; rdtsc -> t0; { load a, b, c; lfence; call *fn; lfence } x per_sample; rdtsc - t0
// The lfence before each call starts it on a drained pipeline, as the model's single call does;
// the one after it keeps the next call (and the closing rdtsc) until it has completed. Samples
// hold many calls because a virtual machine's TSC may advance in coarse steps (26 ticks here).
#include "sim/calibrate/native_run.h"

    .text
    .globl  tracesim_native_run
    .type   tracesim_native_run, @function
    .p2align 6
tracesim_native_run:
    pushq   %rbx
    pushq   %rbp
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    movq    %rdi, %r15
    movq    %rsp, %r14
    movq    NATIVE_RUN_STACK_TOP(%r15), %rsp
    movq    NATIVE_RUN_COUNT(%r15), %r13
    movq    NATIVE_RUN_SAMPLES(%r15), %r12
    .p2align 4
1:
    lfence
    rdtsc
    shlq    $32, %rdx
    orq     %rdx, %rax
    movq    %rax, %rbx
    movq    NATIVE_RUN_PER_SAMPLE(%r15), %rbp
    .p2align 4
2:
    movq    NATIVE_RUN_A(%r15), %rdi
    movq    NATIVE_RUN_B(%r15), %rsi
    movq    NATIVE_RUN_C(%r15), %rdx
    lfence
    callq   *NATIVE_RUN_FN(%r15)
    lfence
    movq    %rax, NATIVE_RUN_RESULT(%r15)
    decq    %rbp
    jnz     2b
    lfence
    rdtsc
    shlq    $32, %rdx
    orq     %rdx, %rax
    subq    %rbx, %rax
    testq   %r12, %r12
    jz      3f
    movq    %rax, (%r12)
    addq    $8, %r12
3:
    decq    %r13
    jnz     1b
    movq    %rsp, NATIVE_RUN_SP_AFTER(%r15)
    movq    %r14, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbp
    popq    %rbx
    ret
    .size   tracesim_native_run, .-tracesim_native_run

    .globl  tracesim_add_chain
    .type   tracesim_add_chain, @function
    .p2align 6
tracesim_add_chain:
    lfence
    rdtsc
    shlq    $32, %rdx
    orq     %rdx, %rax
    movq    %rax, %r8
    xorl    %r9d, %r9d
    .p2align 4
1:
    .rept   100
    addq    $1, %r9
    .endr
    decq    %rdi
    jnz     1b
    lfence
    rdtsc
    shlq    $32, %rdx
    orq     %rdx, %rax
    subq    %r8, %rax
    ret
    .size   tracesim_add_chain, .-tracesim_add_chain

    .globl  tracesim_imul_chain
    .type   tracesim_imul_chain, @function
    .p2align 6
tracesim_imul_chain:
    lfence
    rdtsc
    shlq    $32, %rdx
    orq     %rdx, %rax
    movq    %rax, %r8
    movl    $1, %r9d
    movl    $3, %r10d
    .p2align 4
1:
    .rept   50
    imulq   %r10, %r9
    .endr
    decq    %rdi
    jnz     1b
    lfence
    rdtsc
    shlq    $32, %rdx
    orq     %rdx, %rax
    subq    %r8, %rax
    ret
    .size   tracesim_imul_chain, .-tracesim_imul_chain

    .section .note.GNU-stack, "", @progbits
