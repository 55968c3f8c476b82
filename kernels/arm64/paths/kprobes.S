// The arm64 kprobe break handlers: BRK hit, out-of-line step or simulation, step completion.
// Follows Linux arch/arm64/kernel/probes/kprobes.c (kprobe_handler, setup_singlestep,
// kprobes_save/restore_local_irqflag, post_kprobe_handler, kprobe_breakpoint_ss_handler;
// and probes/simulate-insn.c simulate_nop (v6.13+).
// Written from the kernel's sequence of effects, not copied.
//
// The probe (struct kprobe, `probed_kprobe`) is defined by the path's file: its address, its
// pre_handler, and what arch_prepare_kprobe decided: an XOL slot {copied insn, BRK
// #KPROBES_BRK_SS_IMM} with restore = addr + 4 (INSN_GOOD), or a simulate function
// (INSN_GOOD_NO_SLOT). The slots live in our text, filled at build time as the kernel fills
// them at arm time. A NOP is stepped out of line up to 6.12 (two exceptions per hit) and
// simulated from 6.13 ("arm64: insn: Simulate nop instruction for better uprobe performance":
// one exception). Per-CPU state (kprobe_ctlblk, current_kprobe) is .data.
// The break-hook list (kernel_break_hooks) is defined by the probe's file: what is registered.
// Simplified: get_kprobe is one compare (one probe), no reentry / recursion handling, no
// post_handler; the pre_handler's verdict is taken as 0 (our handlers are void).
    .globl kprobe_breakpoint_handler
    .globl kprobe_breakpoint_ss_handler
    .set    KP_ADDR, 0                      // struct kprobe + arch_specific_insn (flattened)
    .set    KP_PRE_HANDLER, 8
    .set    KP_SLOT, 16                     // ainsn.api.insn: the XOL slot or 0
    .set    KP_SIMULATE, 24                 // ainsn.api.handler
    .set    KP_RESTORE, 32                  // ainsn.api.restore
    .set    KP_OPCODE, 40
    .set    KCB_CURRENT, 0                  // kprobe_ctlblk + current_kprobe
    .set    KCB_STATUS, 8
    .set    KCB_SAVED_IRQFLAG, 16
    .set    KPROBE_HIT_ACTIVE, 1
    .set    KPROBE_HIT_SS, 2
    .set    KPROBE_HIT_SSDONE, 8
    .set    DAIF_MASK, 0x3c0
    .set    PSR_BTYPE_MASK, 0xc00

    .text
// kprobe_breakpoint_handler(regs, esr) -> kprobe_handler(regs)
kprobe_breakpoint_handler:
phase.dispatch.kprobe_handler:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    mov     x19, x0                         // regs
    ldr     x9, [x19, #S_PC]                // addr: the BRK itself
    adrp    x20, probed_kprobe              // p = get_kprobe(addr)
    add     x20, x20, :lo12:probed_kprobe
    ldr     x10, [x20, #KP_ADDR]
    cmp     x9, x10
    b.ne    9f
    adrp    x11, kprobe_ctlblk
    add     x11, x11, :lo12:kprobe_ctlblk
    ldr     x12, [x11, #KCB_CURRENT]        // kprobe_running(): reentry is not modelled
    cbnz    x12, 9f
    mov     w12, #KPROBE_HIT_ACTIVE
    stp     x20, x12, [x11, #KCB_CURRENT]   // set_current_kprobe(p), status
    // p->pre_handler(p, regs), in our handler ABI (ip, parent_ip, op, regs)
    ldr     x13, [x20, #KP_PRE_HANDLER]
    mov     x0, x9
    ldr     x1, [x19, #S_X30]
    mov     x2, x20
    mov     x3, x19
    blr     x13
    // setup_singlestep
    adrp    x11, kprobe_ctlblk
    add     x11, x11, :lo12:kprobe_ctlblk
    ldr     x9, [x20, #KP_SLOT]
    cbz     x9, 1f
    mov     w12, #KPROBE_HIT_SS
    str     x12, [x11, #KCB_STATUS]
    ldr     x10, [x19, #S_PSTATE]           // kprobes_save_local_irqflag
    and     x12, x10, #DAIF_MASK
    str     x12, [x11, #KCB_SAVED_IRQFLAG]
    orr     x10, x10, #DAIF_MASK            // step with every exception masked
    str     x10, [x19, #S_PSTATE]
    str     x9, [x19, #S_PC]                // eret to the slot
    b       2f
1:  ldr     x9, [x20, #KP_SIMULATE]         // arch_simulate_insn
    ldr     w0, [x20, #KP_OPCODE]
    ldr     x1, [x20, #KP_ADDR]
    mov     x2, x19
    blr     x9
    mov     x0, x20
    mov     x1, x19
    bl      post_kprobe_handler
2:  mov     w0, #0                          // DBG_HOOK_HANDLED
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret
9:  mov     w0, #1                          // DBG_HOOK_ERROR
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

// kprobe_breakpoint_ss_handler(regs, esr): the BRK after the stepped instruction
kprobe_breakpoint_ss_handler:
phase.dispatch.kprobe_ss_handler:
    adrp    x11, kprobe_ctlblk
    add     x11, x11, :lo12:kprobe_ctlblk
    ldp     x12, x13, [x11, #KCB_CURRENT]   // cur, status
    cbz     x12, 9f
    tbz     w13, #1, 9f                     // KPROBE_HIT_SS
    ldr     x9, [x12, #KP_SLOT]
    add     x9, x9, #AARCH64_INSN_SIZE      // &cur->ainsn.api.insn[1]
    ldr     x10, [x0, #S_PC]
    cmp     x9, x10
    b.ne    9f
    ldr     x10, [x0, #S_PSTATE]            // kprobes_restore_local_irqflag
    ldr     x9, [x11, #KCB_SAVED_IRQFLAG]
    bic     x10, x10, #DAIF_MASK
    orr     x10, x10, x9
    str     x10, [x0, #S_PSTATE]
    mov     x1, x0
    mov     x0, x12
    stp     x29, x30, [sp, #-16]!
    bl      post_kprobe_handler
    ldp     x29, x30, [sp], #16
    mov     w0, #0
    ret
9:  mov     w0, #1
    ret

// post_kprobe_handler(p, regs)
post_kprobe_handler:
phase.dispatch.post_kprobe_handler:
    ldr     x9, [x0, #KP_RESTORE]
    cbz     x9, 1f                          // a simulated insn has set pc itself
    str     x9, [x1, #S_PC]                 // resume after the probed instruction
1:  adrp    x11, kprobe_ctlblk
    add     x11, x11, :lo12:kprobe_ctlblk
    mov     w12, #KPROBE_HIT_SSDONE
    str     x12, [x11, #KCB_STATUS]
    str     xzr, [x11, #KCB_CURRENT]        // reset_current_kprobe()
    ret

// simulate_nop(opcode, addr, regs) -> arm64_skip_faulting_instruction(regs, 4)
    .globl simulate_nop
simulate_nop:
phase.dispatch.simulate_nop:
    ldr     x9, [x2, #S_PC]
    add     x9, x9, #AARCH64_INSN_SIZE
    str     x9, [x2, #S_PC]
    ldr     x10, [x2, #S_PSTATE]
    and     x10, x10, #~PSR_BTYPE_MASK
    str     x10, [x2, #S_PSTATE]
    ret

// The XOL slots arch_prepare_ss_slot fills: {the probed instruction, BRK #KPROBES_BRK_SS_IMM}
    .globl xol_slot_nop
    .globl xol_slot_mul
    .balign 8
xol_slot_nop:
phase.site.xol_slot_nop:
    nop
    brk     #KPROBES_BRK_SS_IMM
xol_slot_mul:
phase.body.xol_slot_mul:
    mul     x19, x0, x1                     // traced_func's probed instruction
    brk     #KPROBES_BRK_SS_IMM

    .data
    .balign 64
    .balign 64
kprobe_ctlblk:                              // per-CPU: current_kprobe, status, saved_irqflag
    .quad   0, 0, 0
