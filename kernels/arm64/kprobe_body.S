// A kprobe in the middle of traced_func (phase.body.traced_func_probe: `mul x19, x0, x1`):
// an ordinary instruction is stepped out of line in every era, two BRK exceptions per hit
// (Linux arch/arm64/kernel/probes/decode-insn.c, kprobes.c). The pre_handler is the tracer's
// handler. Data only.
//
// The probe address: the site patch puts the BRK at the catalogue's site_at label;
// kprobe_handler compares the BRK's address (ELR) with p->addr below, the same label.
    .data
    .balign 64
    .globl probed_kprobe
probed_kprobe:                              // addr, pre_handler, slot, simulate, restore, opcode
    .quad   phase.body.traced_func_probe, tracer_entry_func, xol_slot_mul, 0
    .quad   phase.body.traced_func_probe + AARCH64_INSN_SIZE, 0x9b017c13
    .balign 64
    .globl kernel_break_hooks
kernel_break_hooks:                         // registered el1 break hooks: imm, fn
    .quad   KPROBES_BRK_IMM, kprobe_breakpoint_handler
    .quad   KPROBES_BRK_SS_IMM, kprobe_breakpoint_ss_handler
    .quad   0, 0
