// The traced function: long f(long a, long b, long c) { return (a * b + c) ^ b; }
// built with -fpatchable-function-entry=2 (CONFIG_DYNAMIC_FTRACE_WITH_ARGS / _WITH_REGS): two
// NOPs at entry, which ftrace patches to `mov x9, x30; bl <trampoline>`
// (arch/arm64/kernel/ftrace.c) and kprobes overwrite with a BRK.
// Left out: a `bti c` landing pad and pointer authentication (paciasp/autiasp), which come
// after the patched NOPs and do not change what the trampolines see (docs/kernels.md).
    .text
    .globl traced_func
    .p2align 4
traced_func:
phase.site.traced_func:
    nop                                     // patched: mov x9, x30
    nop                                     // patched: bl ftrace_caller
phase.body.traced_func:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     x19, [sp, #16]
phase.body.traced_func_probe:               // where kprobe-body probes: an instruction mid-body
    mul     x19, x0, x1
    add     x19, x19, x2
    eor     x0, x19, x1
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret
