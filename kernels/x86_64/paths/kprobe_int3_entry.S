// The int3 kprobe of path `kprobe`: on traced_func's first instruction, the 5-byte fentry NOP
// (CONFIG_KPROBES_ON_FTRACE=n; kprobe_int3.S has the exception and handler model, Linux
// v6.14). arch_copy_kprobe copies the NOP into an XOL slot followed by an int3; the NOP needs
// no emulate_op, so it is single-stepped there (two traps). Data and the slot only; the
// kernel fills the slot at arm time, we build it at link time.
    .text
    .balign 16
kprobe_xol_slot:                // p->ainsn.insn: the copied instruction, then an int3
phase.site.kprobe_xol_slot:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // the probed 5-byte NOP, executed out of line
    int3

    .data
    .balign 64
    .globl the_kprobe
the_kprobe:                     // kprobes_core.S layout, + emulate_op @56
    .quad   0, traced_func, tracer_entry_func, 0, 0
    .quad   kprobe_xol_slot     // ainsn.insn
    .quad   5                   // the probed instruction's length
    .quad   0                   // ainsn.emulate_op: none for a NOP
