// 6.9-6.12: the kretprobe's entry kprobe steps the NOP out of line (XOL slot {nop, brk
// #KPROBES_BRK_SS_IMM}, resume at traced_func + 4): two exceptions at entry. Data only.
    .include "registered_kprobe.inc"
    registered_kprobe traced_func, pre_handler_kretprobe, xol_slot_nop, 0, traced_func + 4, 0xd503201f, 1
