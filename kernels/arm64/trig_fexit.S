// trig-fexit (arm64): the BPF trampoline for the bench's one fexit program, as
// prepare_trampoline (Linux v6.14 arch/arm64/net/bpf_jit_comp.c) emits it with
// BPF_TRAMP_F_CALL_ORIG | BPF_TRAMP_F_SKIP_FRAME and no fentry program: frames and ctx[] as
// trig-fentry, __bpf_tramp_enter(im), the args reloaded, the body called at the BL's return
// address, x0 into ctx[3] (retval), the ip_after_call NOP, invoke_bpf_prog with the bench's
// program, __bpf_tramp_exit(im), x0 reloaded, return to the parent (x9). The same sequence as
// bpf_trampoline.S's fexit minus its fentry program. Written from the JIT's effects.
    .include "bpf_trampoline.inc"

    .text
    .globl trig_tramp_fexit
trig_tramp_fexit:
phase.save.trig_tramp_fexit:
    bti     jc
    stp     x29, x9, [sp, #-16]!
    mov     x29, sp
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    sub     sp, sp, #FEXIT_STACK
    mov     x10, #3
    str     x10, [sp, #NREGS_OFF]
    str     x0, [sp, #BARGS_OFF]
    str     x1, [sp, #BARGS_OFF + 8]
    str     x2, [sp, #BARGS_OFF + 16]
    str     x19, [sp, #56]
    str     x20, [sp, #64]
phase.dispatch.trig_tramp_fexit:
    mov_addr x0, trig_tramp_image
    emit_call __bpf_tramp_enter
phase.hijack.trig_tramp_fexit_call:
    ldr     x0, [sp, #BARGS_OFF]            // restore_args
    ldr     x1, [sp, #BARGS_OFF + 8]
    ldr     x2, [sp, #BARGS_OFF + 16]
    ldr     x10, [sp, #FEXIT_STACK + 8]     // retaddr_off: the BL's return address
    adr     x30, 2f                         // the original returns here
    ret     x10                             // call the original function
2:  str     x0, [sp, #RETVAL_OFF]           // ctx[3] = the return value
    nop                                     // im->ip_after_call
phase.dispatch.trig_tramp_fexit_prog:
    invoke_bpf_prog trig_prog, trig_bpf_func, x0
    mov_addr x0, trig_tramp_image
    emit_call __bpf_tramp_exit
phase.restore.trig_tramp_fexit:
    ldr     x19, [sp, #56]
    ldr     x20, [sp, #64]
    ldr     x0, [sp, #RETVAL_OFF]
    mov     sp, x29
    ldp     x29, x30, [sp], #16
    ldp     x29, x9, [sp], #16
    mov     x30, x9                         // skip the patched function: back to the parent
    ret     x9
