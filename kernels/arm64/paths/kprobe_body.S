// A kprobe in the middle of traced_func (phase.body.traced_func_probe: `mul x19, x0, x1`):
// an ordinary instruction is stepped out of line in every era, two BRK exceptions per hit
// (Linux arch/arm64/kernel/probes/decode-insn.c, kprobes.c). The pre_handler is the tracer's
// handler. Data only.
//
// The probe address: the site patch puts the BRK at the catalogue's site_at label;
// kprobe_handler compares the BRK's address (ELR) with p->addr below, the same label.
    .include "registered_kprobe.inc"
    registered_kprobe phase.body.traced_func_probe, tracer_entry_func, xol_slot_mul, 0, phase.body.traced_func_probe + AARCH64_INSN_SIZE, 0x9b017c13
