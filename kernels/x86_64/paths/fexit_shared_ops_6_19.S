// bpf-fexit-shared, v6.19: the direct ops points at the jmp-mode trampoline with bit 0 set
// (ftrace_jmp_set: FTRACE_OPS_FL_JMP in register_ftrace_direct / __modify_ftrace_direct), which
// ftrace_regs_caller_6_19.S tests. Layout and users: fexit_shared_ops.inc, ftrace_ops_list.S.
    .include "fexit_shared_ops.inc"
    fexit_shared_ops bpf_trampoline_fexit_jmp + 1
