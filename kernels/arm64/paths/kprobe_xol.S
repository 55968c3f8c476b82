// A kprobe on traced_func's first instruction (a patchable-entry NOP), as armed up to 6.12:
// the NOP is a steppable hint (INSN_GOOD), so it runs from an XOL slot, and every hit takes
// two BRK exceptions (Linux v6.1 arch/arm64/kernel/probes/decode-insn.c, kprobes.c).
// The pre_handler is the tracer's handler, given the exception's pt_regs. Data only.
    .include "registered_kprobe.inc"
    registered_kprobe traced_func, tracer_entry_func, xol_slot_nop, 0, traced_func + 4, 0xd503201f
