// The traced function: long f(long a, long b, long c) { return (a * b + c) ^ b; }
// compiled the way the kernel builds with CONFIG_FUNCTION_TRACER (-mfentry -mrecord-mcount):
// its first instruction is the `call __fentry__` site, which boots as a 5-byte NOP and is
// patched by ftrace (arch/x86/kernel/ftrace.c, ftrace_make_call), kprobes or optprobes.
// Left out: IBT's endbr64 before the site, and the return thunk (`jmp __x86_return_thunk`)
// that retpoline/RETHUNK kernels use instead of `ret` (docs/kernels.md).
    .text
    .globl traced_func
    .p2align 4
traced_func:
phase.site.traced_func:
    // call __fentry__, NOP-ed at boot: the 5-byte NOP nopl 0x0(%rax,%rax,1) (x86_nops[5]),
    // spelled in bytes because the assembler would pick a 4-byte form
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00
phase.body.traced_func:
    pushq   %rbx
    movq    %rdi, %rbx
phase.body.traced_func_probe:               // where kprobe-body probes: an instruction mid-body
    imulq   %rsi, %rbx
    addq    %rdx, %rbx
    movq    %rbx, %rax
    xorq    %rsi, %rax
    popq    %rbx
    ret
