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
    .include "base_regs.inc"

    .text
    .globl __kretprobe_trampoline
__kretprobe_trampoline:
phase.save.kretprobe_trampoline:
    sub     sp, sp, #S_SIZE
    save_all_base_regs
phase.dispatch.kretprobe_trampoline:
    add     x29, sp, #S_X29                 // a frame pointer
    mov     x0, sp
    bl      trampoline_probe_handler
phase.hijack.kretprobe_trampoline:
    mov     x30, x0                         // the real return address
phase.restore.kretprobe_trampoline:
    restore_all_base_regs                   // only NZCV of PSTATE goes back
    add     sp, sp, #S_SIZE
    ret

// trampoline_probe_handler(regs) = kretprobe_trampoline_handler(regs, regs->regs[29])
    .globl trampoline_probe_handler         // global: tracesim kernel points a real trampoline's bl here
trampoline_probe_handler:
phase.hijack.trampoline_probe_handler:
    ldr     x1, [x0, #S_X29]
    b       kretprobe_trampoline_handler

    .include "registered_kprobe.inc"
    registered_kprobe traced_func, pre_handler_kretprobe, xol_slot_nop, 0, traced_func + 4, 0xd503201f
