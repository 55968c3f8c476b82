// trig-fmodret (arm64): the BPF trampoline for one fmod_ret program, as prepare_trampoline
// (Linux v6.14 arch/arm64/net/bpf_jit_comp.c) emits it. bpf_trampoline_update gives fmod_ret
// the flags of fexit (BPF_TRAMP_F_CALL_ORIG | BPF_TRAMP_F_SKIP_FRAME): trig_fexit.S's frames
// and ctx[], __bpf_tramp_enter(im), invoke_bpf_mod_ret (bpf_trampoline.inc: ret slot zeroed,
// the program with save_ret, the slot reloaded and `cbnz x10, do_fexit`), the args reloaded
// and the body called at the BL's return address, x0 stored, the ip_after_call NOP, do_fexit
// (no fexit program): __bpf_tramp_exit(im), x0 reloaded, return to the parent (x9).
// Two instances: trig_tramp_fmodret runs trig_prog.S's program (returns 0: the original runs;
// the catalogue path) and trig_tramp_fmodret_bench the bench's own fmod_ret program
// (trig_fmodret_prog.S: returns -22, the original is skipped and its caller gets -22; run by
// tests/440_bpf_bench.cpp with its own site). Written from the JIT's effects.
    .include "bpf_trampoline.inc"

    .macro  bpf_fmodret_trampoline name, prog, func
    .text
    .globl \name
\name:
phase.save.\name:
    bti     jc
    stp     x29, x9, [sp, #-16]!            // frame for the parent function
    mov     x29, sp
    stp     x29, x30, [sp, #-16]!           // frame for the patched function
    mov     x29, sp
    sub     sp, sp, #FEXIT_STACK
    mov     x10, #3
    str     x10, [sp, #NREGS_OFF]
    str     x0, [sp, #BARGS_OFF]            // save_args
    str     x1, [sp, #BARGS_OFF + 8]
    str     x2, [sp, #BARGS_OFF + 16]
    str     x19, [sp, #56]
    str     x20, [sp, #64]
    mov_addr x0, trig_tramp_image
phase.dispatch.\name:                 // at the first call out, as the booted split
    emit_call __bpf_tramp_enter
    invoke_bpf_mod_ret \prog, \func, x0, .Ldo_fexit_\name
phase.hijack.\name\()_call:
    ldr     x0, [sp, #BARGS_OFF]            // restore_args
    ldr     x1, [sp, #BARGS_OFF + 8]
    ldr     x2, [sp, #BARGS_OFF + 16]
    ldr     x10, [sp, #FEXIT_STACK + 8]     // retaddr_off: the BL's return address
    adr     x30, .Lorig_ret_\name           // the original returns here
    ret     x10                             // call the original function
.Lorig_ret_\name:
    str     x0, [sp, #RETVAL_OFF]           // the return value
    nop                                     // im->ip_after_call
.Ldo_fexit_\name:
phase.dispatch.\name\()_exit:
    mov_addr x0, trig_tramp_image           // im->ip_epilogue
    emit_call __bpf_tramp_exit
phase.restore.\name:
    ldr     x19, [sp, #56]
    ldr     x20, [sp, #64]
    ldr     x0, [sp, #RETVAL_OFF]           // the (possibly overridden) return value
    mov     sp, x29
    ldp     x29, x30, [sp], #16
    ldp     x29, x9, [sp], #16
    mov     x30, x9                         // skip the patched function: back to the parent
    ret     x9
    .endm

    bpf_fmodret_trampoline trig_tramp_fmodret, trig_prog, trig_bpf_func
    bpf_fmodret_trampoline trig_tramp_fmodret_bench, trig_fmodret_prog, trig_fmodret_bpf_func
