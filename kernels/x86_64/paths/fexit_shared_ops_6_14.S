// bpf-fexit-shared, v6.14: the direct ops points at the classic (call-mode) trampoline.
// Layout and users: fexit_shared_ops.inc, ftrace_ops_list.S.
    .include "fexit_shared_ops.inc"
    fexit_shared_ops bpf_trampoline_fexit
