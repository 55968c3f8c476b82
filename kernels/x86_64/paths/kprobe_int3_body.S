// The int3 kprobe of path `kprobe-body`: on an ordinary instruction mid-body, traced.S's
// `imulq %rsi, %rbx` (phase.body.traced_func_probe, 4 bytes 48 0f af de). Linux v6.14
// arch/x86/kernel/kprobes/core.c: arch_copy_kprobe copies the instruction into an XOL slot and
// appends an int3; imul is neither emulated (prepare_emulation: no emulate_op) nor boosted
// (CONFIG_PREEMPTION=y), so it runs in the slot and the int3 after it is the second trap;
// resume_singlestep sets ip = addr + 4. kprobe_int3.S has the exception and handler model.
// Data and the slot only; the kernel fills the slot at arm time, we build it at link time.
//
// The probe address: the site patch puts the int3 at the catalogue's site_at label; the model
// finds the kprobe by regs->ip - 1 (int3 semantics) and compares it with p->addr below, the
// same label.

    .text
    .balign 16
kprobe_body_xol_slot:           // p->ainsn.insn: the copied instruction, then an int3
phase.body.kprobe_body_xol_slot:
    imulq   %rsi, %rbx                      // traced_func's probed instruction, out of line
    int3

    .data
    .balign 64
    .globl the_kprobe
the_kprobe:                     // kprobes_core.S layout, + emulate_op @56
    .quad   0                   // hlist next
    .quad   phase.body.traced_func_probe        // addr
    .quad   tracer_entry_func   // pre_handler
    .quad   0, 0                // post_handler, flags
    .quad   kprobe_body_xol_slot    // ainsn.insn
    .quad   4                   // the probed instruction's length
    .quad   0                   // ainsn.emulate_op: none for imul
