// A kprobe in the middle of traced_func (phase.body.traced_func_probe: `mul x19, x0, x1`):
// an ordinary instruction is stepped out of line in every era, two BRK exceptions per hit
// (Linux arch/arm64/kernel/probes/decode-insn.c, kprobes.c). The pre_handler is the tracer's
// handler. The address is traced_func + 20 (two NOPs, stp, mov, str): the phase label is not
// a global symbol; kprobe_handler's address compare fails loudly if traced.S moves it. Data only.
    .data
    .balign 64
    .globl probed_kprobe
probed_kprobe:                              // addr, pre_handler, slot, simulate, restore, opcode
    .quad   traced_func + 20, tracer_entry_func, xol_slot_mul, 0, traced_func + 24, 0x9b017c13
    .balign 64
    .globl kernel_break_hooks
kernel_break_hooks:                         // registered el1 break hooks: imm, fn
    .quad   KPROBES_BRK_IMM, kprobe_breakpoint_handler
    .quad   KPROBES_BRK_SS_IMM, kprobe_breakpoint_ss_handler
    .quad   0, 0
