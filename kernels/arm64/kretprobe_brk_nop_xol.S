// 6.9-6.12: the kretprobe's entry kprobe steps the NOP out of line (XOL slot {nop, brk
// #KPROBES_BRK_SS_IMM}, resume at traced_func + 4): two exceptions at entry. Data only.
    .include "kretprobe_brk_probe.inc"
    kretprobe_brk_probe xol_slot_nop, 0, traced_func + 4
