// The rethook return trampoline of arm64 (5.19 until rethook was dropped; fprobe's exit).
// Follows Linux v6.1 arch/arm64/kernel/rethook_trampoline.S (a copy of the <= 6.8
// __kretprobe_trampoline: see kretprobe_v6_1.S) and arch/arm64/kernel/rethook.c +
// kernel/trace/rethook.c (arch_rethook_trampoline_callback, rethook_trampoline_handler).
// Written from the kernel's sequence of effects, not copied.
//
// The pt_regs is built by hand: PSTATE = NZCV|DAIF|CurrentEL|SPSel (a look-alike), pc = 0 until
// C sets the real return address; only NZCV is restored. The handler model finds the top node
// on current->rethooks (its frame must match x29), sets regs->pc, runs the node's handler
// (fprobe_exit_handler), unlinks and recycles the node, returns the real address.
// Simplified: one node per frame (no walk), no WARN paths.
    .include "base_regs.inc"
    .set    RHN_NEXT, 0
    .set    RHN_RET_ADDR, 8
    .set    RHN_FRAME, 16
    .set    FP_POOL, 24

    .text
    .globl arch_rethook_trampoline
arch_rethook_trampoline:
phase.save.rethook_trampoline:
    sub     sp, sp, #S_SIZE
    save_all_base_regs
phase.dispatch.rethook_trampoline:
    add     x29, sp, #S_X29                 // a frame pointer
    mov     x0, sp
    bl      arch_rethook_trampoline_callback
phase.hijack.rethook_trampoline:
    mov     x30, x0                         // the real return address
phase.restore.rethook_trampoline:
    restore_all_base_regs                   // only NZCV of PSTATE goes back
    add     sp, sp, #S_SIZE
    ret

// arch_rethook_trampoline_callback(regs) = rethook_trampoline_handler(regs, regs->regs[29])
arch_rethook_trampoline_callback:
phase.hijack.rethook_trampoline_handler:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    mov     x19, x0
    ldr     x1, [x19, #S_X29]               // frame
    adrp    x9, current_rethooks
    ldr     x20, [x9, :lo12:current_rethooks]
    cbz     x20, 9f
    ldp     x21, x10, [x20, #RHN_RET_ADDR]  // __rethook_find_ret_addr: ret_addr, frame
    cmp     x10, x1
    b.ne    9f
    str     x21, [x19, #S_PC]               // instruction_pointer_set(regs, ret_addr)
    adrp    x22, fprobe_v6_1                // handler(rh, data = fp, regs)
    add     x22, x22, :lo12:fprobe_v6_1
    mov     x0, x20
    mov     x1, x22
    mov     x2, x19
    bl      fprobe_exit_handler
    ldr     x9, [x20, #RHN_NEXT]            // unlink from current->rethooks
    adrp    x10, current_rethooks
    str     x9, [x10, :lo12:current_rethooks]
    ldr     x11, [x22, #FP_POOL]            // rethook_recycle
    str     x11, [x20, #RHN_NEXT]
    str     x20, [x22, #FP_POOL]
    mov     x0, x21
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret
9:  udf     #0
