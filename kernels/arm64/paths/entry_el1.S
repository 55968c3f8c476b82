// The EL1 synchronous exception path a BRK takes: vector, kernel_entry 1, the C dispatch to
// the break hook, kernel_exit 1, eret.
// Follows Linux v6.1 arch/arm64/kernel/entry.S (kernel_ventry 1 h 64 sync, kernel_entry 1,
// el1h_64_sync, ret_to_kernel / kernel_exit 1) and arch/arm64/kernel/entry-common.c +
// debug-monitors.c (el1h_64_sync_handler -> el1_dbg -> do_debug_exception -> brk_handler ->
// call_break_hook). Written from the kernel's sequence of effects, not copied.
//
// The simulator does the hardware part (ELR_EL1 = the BRK, SPSR_EL1 = PSTATE, ESR_EL1, DAIF
// masked, pc = vectors + 0x200). The pt_regs is then complete: x0-x30, sp, pc = ELR and
// pstate = SPSR (every bit). orig_x0, syscallno, sdei_ttbr1 and pmr_save are not written at EL1.
//
// Left out: the pseudo-NMI (PMR) and SW-PAN alternatives (NOPs/branches over on the hardware
// modelled), arm64_enter_el1_dbg/exit (lockdep and RCU NMI bookkeeping), the Cortex-A76
// erratum check, the `sb` after eret. Kept: kernel_exit's erratum-1508412 slot, a `nop` on
// every part the alternative does not patch (as Debian's 6.1 and 6.12 images run it). The VMAP stack check tests bit 15, not THREAD_SHIFT 14:
// our task stack is 32 KiB (sim/layout.h), as with KASAN's THREAD_SHIFT. 6.13+ writes a
// metadata frame record (xzr, xzr, FRAME_META_TYPE_PT_REGS) where this writes {x29, ELR}; the
// isa's pt_regs has the older stackframe layout, so both eras run this 6.1 form.
// The break-hook list (kernel_break_hooks: {imm, fn} pairs, 0-terminated) is defined by
// kprobes.S.
    .text
    .balign 2048
    .globl vectors
vectors:                                    // VBAR_EL1
phase.save.vectors:
    .zero   0x200                           // EL1t slots: never taken here (udf)
    // +0x200: EL1h synchronous (kernel_ventry 1, h, 64, sync)
    sub     sp, sp, #S_SIZE
    add     sp, sp, x0                      // VMAP_STACK: has the frame overflowed the stack?
    sub     x0, sp, x0
    tbnz    x0, #15, vectors_overflow
    sub     x0, sp, x0
    sub     sp, sp, x0
    b       el1h_64_sync
vectors_overflow:
    udf     #0

el1h_64_sync:
phase.save.kernel_entry:
    stp     x0, x1, [sp, #16 * 0]
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
    stp     x16, x17, [sp, #16 * 8]
    stp     x18, x19, [sp, #16 * 9]
    stp     x20, x21, [sp, #16 * 10]
    stp     x22, x23, [sp, #16 * 11]
    stp     x24, x25, [sp, #16 * 12]
    stp     x26, x27, [sp, #16 * 13]
    stp     x28, x29, [sp, #16 * 14]
    add     x21, sp, #S_SIZE                // the aborted SP
    mrs     x28, sp_el0                     // get_current_task
    mrs     x22, elr_el1
    mrs     x23, spsr_el1
    stp     x30, x21, [sp, #S_X30]
    stp     x29, x22, [sp, #S_STACKFRAME]   // synthetic frame record: the interrupted code
    add     x29, sp, #S_STACKFRAME
    stp     x22, x23, [sp, #S_PC]           // pc = ELR, pstate = SPSR: complete
phase.dispatch.el1h_64_sync:
    mov     x0, sp
    bl      el1h_64_sync_handler
    b       ret_to_kernel

ret_to_kernel:                              // kernel_exit 1
phase.trap_return.kernel_exit:
    msr     daifset, #0xf
    ldp     x21, x22, [sp, #S_PC]
    msr     elr_el1, x21
    msr     spsr_el1, x22
phase.restore.kernel_exit:
    ldp     x0, x1, [sp, #16 * 0]
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
    ldp     x18, x19, [sp, #16 * 9]
    ldp     x20, x21, [sp, #16 * 10]
    ldp     x22, x23, [sp, #16 * 11]
    ldp     x24, x25, [sp, #16 * 12]
    ldp     x26, x27, [sp, #16 * 13]
    ldp     x28, x29, [sp, #16 * 14]
    ldr     x30, [sp, #S_X30]
    add     sp, sp, #S_SIZE
phase.trap_return.eret:
    nop                                     // ARM64_WORKAROUND_1508412: `dmb sy` on affected parts only
    eret

// el1h_64_sync_handler(regs): EC = BRK64 -> el1_dbg -> brk_handler -> call_break_hook
    .globl el1h_64_sync_handler             // global: tracesim kernel points a real el1h_64_sync's bl here
el1h_64_sync_handler:
phase.dispatch.el1h_64_sync_handler:
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    mrs     x1, esr_el1
    lsr     x9, x1, #26                     // ESR_ELx_EC
    cmp     x9, #0x3c                       // ESR_ELx_EC_BRK64
    b.ne    el1_unexpected
    and     x10, x1, #0xffff                // the BRK comment
    adrp    x11, kernel_break_hooks
    add     x11, x11, :lo12:kernel_break_hooks
1:  ldp     x12, x13, [x11], #16            // hook->imm, hook->fn
    cbz     x13, el1_unexpected             // no hook: die()
    cmp     x12, x10
    b.ne    1b
    blr     x13                             // fn(regs, esr)
    cbnz    w0, el1_unexpected              // DBG_HOOK_ERROR
    ldp     x29, x30, [sp], #16
    ret
el1_unexpected:
    udf     #0
