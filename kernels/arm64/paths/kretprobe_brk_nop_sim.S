// 6.13+: the kretprobe's entry kprobe simulates the NOP (simulate_nop, "arm64: insn: Simulate
// nop instruction for better uprobe performance"): one exception at entry. Data only.
    .include "registered_kprobe.inc"
    registered_kprobe traced_func, pre_handler_kretprobe, 0, simulate_nop, 0, 0xd503201f, 1
