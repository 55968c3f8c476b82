// kretprobe from 6.9: the return trampoline is a BRK, so the exception entry builds a complete
// pt_regs (pstate = SPSR). Follows Linux v6.14 arch/arm64/kernel/probes/kprobes_trampoline.S
// (`brk #KRETPROBES_BRK_IMM` then a BUG) and kprobes.c kretprobe_breakpoint_handler ("arm64:
// kretprobes: acquire the regs via a BRK exception", 6.9). Written from the effects.
// The entry kprobe on the first NOP is data of the era: kretprobe_brk_nop_sim.S (6.13+: the
// NOP simulated, one exception at entry, one at return) or kretprobe_brk_nop_xol.S (6.9-6.12:
// the NOP stepped out of line, two exceptions at entry, one at return).
    .text
    .globl __kretprobe_trampoline
__kretprobe_trampoline:
phase.hijack.kretprobe_trampoline_brk:
    brk     #KRETPROBES_BRK_IMM
    brk     #0x800                          // ASM_BUG: never reached

// kretprobe_breakpoint_handler(regs, esr)
    .globl kretprobe_breakpoint_handler
kretprobe_breakpoint_handler:
phase.hijack.kretprobe_breakpoint_handler:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     x19, [sp, #16]
    mov     x19, x0
    ldr     x9, [x19, #S_PC]                // the BRK must be the trampoline's
    adrp    x10, __kretprobe_trampoline
    add     x10, x10, :lo12:__kretprobe_trampoline
    cmp     x9, x10
    b.ne    9f
    ldr     x1, [x19, #S_X29]
    bl      kretprobe_trampoline_handler
    str     x0, [x19, #S_PC]                // eret straight to the caller
    mov     w0, #0                          // DBG_HOOK_HANDLED
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret
9:  mov     w0, #1
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret
