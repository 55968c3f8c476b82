// 6.13+: the kretprobe's entry kprobe simulates the NOP (simulate_nop, "arm64: insn: Simulate
// nop instruction for better uprobe performance"): one exception at entry. Data only.
    .include "kretprobe_brk_probe.inc"
    kretprobe_brk_probe 0, simulate_nop, 0
