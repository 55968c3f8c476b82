// A kprobe on traced_func's first instruction (a patchable-entry NOP), as armed from 6.13:
// arm_probe_decode_insn simulates a NOP (simulate_nop, INSN_GOOD_NO_SLOT), so a hit takes one
// BRK exception (Linux v6.14 arch/arm64/kernel/probes/decode-insn.c). The pre_handler is the
// tracer's handler, given the exception's pt_regs. Data only.
    .include "registered_kprobe.inc"
    registered_kprobe traced_func, tracer_entry_func, 0, simulate_nop, 0, 0xd503201f
