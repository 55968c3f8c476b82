// A kprobe in the middle of traced_func (phase.body.traced_func_probe: `mul x19, x0, x1`):
// an ordinary instruction is stepped out of line in every era, two BRK exceptions per hit
// (Linux arch/arm64/kernel/probes/decode-insn.c, kprobes.c). The pre_handler is the tracer's
// handler. Data only.
//
// The probe address: the site patch puts the BRK at the catalogue's site_at label;
// kprobe_handler compares the BRK's address (ELR) with p->addr below. That word should be the
// label's address, but phase.body.traced_func_probe is a local symbol of traced.S and the link
// resolves data only against globals, so p->addr is traced_func + 20 (two NOPs, stp, mov, str),
// as x86_64's kprobe_int3_body.S writes traced_func + 9. If traced.S moves the label, the
// compare fails on the first exception and the run stops (unhandled BRK): loud, never a
// silent miscount. To be replaced by the label itself once it is linkable (a global
// `traced_func_probe`, or data relocations against phase labels).
    .set    TRACED_FUNC_PROBE_OFFSET, 5 * AARCH64_INSN_SIZE
    .data
    .balign 64
    .globl probed_kprobe
probed_kprobe:                              // addr, pre_handler, slot, simulate, restore, opcode
    .quad   traced_func + TRACED_FUNC_PROBE_OFFSET, tracer_entry_func, xol_slot_mul, 0
    .quad   traced_func + TRACED_FUNC_PROBE_OFFSET + AARCH64_INSN_SIZE, 0x9b017c13
    .balign 64
    .globl kernel_break_hooks
kernel_break_hooks:                         // registered el1 break hooks: imm, fn
    .quad   KPROBES_BRK_IMM, kprobe_breakpoint_handler
    .quad   KPROBES_BRK_SS_IMM, kprobe_breakpoint_ss_handler
    .quad   0, 0
