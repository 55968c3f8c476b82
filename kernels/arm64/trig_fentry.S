// trig-fentry (arm64): the BPF trampoline for the bench's one fentry program, as
// prepare_trampoline (Linux v6.14 arch/arm64/net/bpf_jit_comp.c) emits it with
// BPF_TRAMP_F_RESTORE_REGS: bti, the two frame records, nregs + x0-x2 into ctx[], x19/x20
// saved, invoke_bpf_prog (trig_tramp.inc) with the bench's program (trig_prog.S), the args
// reloaded, return into the traced function. The same sequence as bpf_trampoline.S's fentry.
// Enter/exit helpers: trig_tramp_runtime.S. Attach point: our 3-argument traced_func (the
// bench attaches to bpf_get_numa_node_id; docs/bpf-bench.md). Written from the JIT's effects.
    .include "trig_tramp.inc"
    .set    FENTRY_STACK, 64

    .text
    .globl trig_tramp_fentry
trig_tramp_fentry:
phase.save.trig_tramp_fentry:
    bti     jc
    stp     x29, x9, [sp, #-16]!            // frame for the parent function
    mov     x29, sp
    stp     x29, x30, [sp, #-16]!           // frame for the patched function
    mov     x29, sp
    sub     sp, sp, #FENTRY_STACK
    mov     x10, #3
    str     x10, [sp, #NREGS_OFF]
    str     x0, [sp, #BARGS_OFF]            // save_args
    str     x1, [sp, #BARGS_OFF + 8]
    str     x2, [sp, #BARGS_OFF + 16]
    str     x19, [sp, #48]
    str     x20, [sp, #56]
phase.dispatch.trig_tramp_fentry:
    invoke_bpf_prog trig_prog, trig_bpf_func
phase.restore.trig_tramp_fentry:
    ldr     x0, [sp, #BARGS_OFF]            // restore_args
    ldr     x1, [sp, #BARGS_OFF + 8]
    ldr     x2, [sp, #BARGS_OFF + 16]
    ldr     x19, [sp, #48]
    ldr     x20, [sp, #56]
    mov     sp, x29
    ldp     x29, x30, [sp], #16
    ldp     x29, x9, [sp], #16
    mov     x10, x30                        // return into the patched function
    mov     x30, x9
    ret     x10
