// kretprobe up to 6.8: the return trampoline builds a pt_regs by hand.
// Follows Linux v6.1 arch/arm64/kernel/probes/kprobes_trampoline.S (__kretprobe_trampoline,
// save_all_base_regs / restore_all_base_regs) and kprobes.c trampoline_probe_handler. The entry
// kprobe sits on the first NOP, stepped out of line (up to 6.12): two exceptions at entry,
// none at return. Written from the kernel's sequence of effects, not copied.
//
// PSTATE cannot be read whole by software: the trampoline ORs NZCV, DAIF, CurrentEL and SPSel
// into a look-alike (PAN, UAO, DIT, SSBS, TCO, BTYPE, SS, IL... are missing), stores pc = 0
// (C sets it to the real return address), and on the way out restores only NZCV.
// orig_x0, syscallno, sdei_ttbr1, pmr_save, stackframe, lockdep_hardirqs, exit_rcu: not written.
    .set    PSR_NZCV_MASK, 0xf0000000

    .text
    .globl __kretprobe_trampoline
__kretprobe_trampoline:
phase.save.kretprobe_trampoline:
    sub     sp, sp, #S_SIZE
    stp     x0, x1, [sp, #S_X0]             // save_all_base_regs
    stp     x2, x3, [sp, #S_X2]
    stp     x4, x5, [sp, #S_X4]
    stp     x6, x7, [sp, #S_X6]
    stp     x8, x9, [sp, #S_X8]
    stp     x10, x11, [sp, #S_X10]
    stp     x12, x13, [sp, #S_X12]
    stp     x14, x15, [sp, #S_X14]
    stp     x16, x17, [sp, #S_X16]
    stp     x18, x19, [sp, #S_X18]
    stp     x20, x21, [sp, #S_X20]
    stp     x22, x23, [sp, #S_X22]
    stp     x24, x25, [sp, #S_X24]
    stp     x26, x27, [sp, #S_X26]
    stp     x28, x29, [sp, #S_X28]
    add     x0, sp, #S_SIZE
    stp     x30, x0, [sp, #S_X30]
    mrs     x0, nzcv                        // construct a PSTATE
    mrs     x1, daif
    orr     x0, x0, x1
    mrs     x1, CurrentEL
    orr     x0, x0, x1
    mrs     x1, SPSel
    orr     x0, x0, x1
    stp     xzr, x0, [sp, #S_PC]            // pc = 0, pstate = the look-alike
phase.dispatch.kretprobe_trampoline:
    add     x29, sp, #S_X29                 // a frame pointer
    mov     x0, sp
    bl      trampoline_probe_handler
phase.hijack.kretprobe_trampoline:
    mov     x30, x0                         // the real return address
phase.restore.kretprobe_trampoline:
    ldr     x0, [sp, #S_PSTATE]             // restore_all_base_regs: only NZCV goes back
    and     x0, x0, #PSR_NZCV_MASK
    msr     nzcv, x0
    ldp     x0, x1, [sp, #S_X0]
    ldp     x2, x3, [sp, #S_X2]
    ldp     x4, x5, [sp, #S_X4]
    ldp     x6, x7, [sp, #S_X6]
    ldp     x8, x9, [sp, #S_X8]
    ldp     x10, x11, [sp, #S_X10]
    ldp     x12, x13, [sp, #S_X12]
    ldp     x14, x15, [sp, #S_X14]
    ldp     x16, x17, [sp, #S_X16]
    ldp     x18, x19, [sp, #S_X18]
    ldp     x20, x21, [sp, #S_X20]
    ldp     x22, x23, [sp, #S_X22]
    ldp     x24, x25, [sp, #S_X24]
    ldp     x26, x27, [sp, #S_X26]
    ldp     x28, x29, [sp, #S_X28]
    add     sp, sp, #S_SIZE
    ret

// trampoline_probe_handler(regs) = kretprobe_trampoline_handler(regs, regs->regs[29])
trampoline_probe_handler:
phase.hijack.trampoline_probe_handler:
    ldr     x1, [x0, #S_X29]
    b       kretprobe_trampoline_handler

    .data
    .balign 64
    .globl probed_kprobe
probed_kprobe:                              // addr, pre_handler, slot, simulate, restore, opcode
    .quad   traced_func, pre_handler_kretprobe, xol_slot_nop, 0, traced_func + 4, 0xd503201f
    .balign 64
    .globl kernel_break_hooks
kernel_break_hooks:                         // registered el1 break hooks: imm, fn
    .quad   KPROBES_BRK_IMM, kprobe_breakpoint_handler
    .quad   KPROBES_BRK_SS_IMM, kprobe_breakpoint_ss_handler
    .quad   0, 0
