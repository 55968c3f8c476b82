// bpf-fexit in the "jmp" mode of Linux v6.19 (Menglong Dong's series, bpf-next-6.19:
// 25e4e3565d45 "ftrace: Introduce FTRACE_OPS_FL_JMP", 0c3772a8db1f "x86/ftrace: Implement
// DYNAMIC_FTRACE_WITH_JMP", 47c9214dcbea "bpf: fix the usage of BPF_TRAMP_F_SKIP_FRAME",
// 373f2f44c300 "bpf,x86: adjust the "jmp" mode for bpf trampoline"): kernel/bpf/trampoline.c
// bpf_trampoline_update clears BPF_TRAMP_F_SKIP_FRAME when the trampoline calls the original
// (CALL_ORIG, no SHARE_IPMODIFY), so bpf_trampoline_use_jmp() holds, the direct ftrace_ops gets
// FTRACE_OPS_FL_JMP (bit 0 of its direct address) and arch/x86/kernel/ftrace.c
// ftrace_call_replace writes `jmp` (e9 rel32) at the fentry site instead of `call`.
// arch_prepare_bpf_trampoline (arch/x86/net/bpf_jit_comp.c) then emits the same trampoline as
// bpf_trampoline_fexit.S minus the epilogue's `add $8, %rsp`: orig_call is still
// traced_func + 5 (47c9214dcbea keys that on CALL_ORIG), and the final ret returns to the
// caller whose `call` the return stack holds. bpf_trampoline.inc's bpf_fexit_trampoline in
// `jmp` mode. Site: `jmp bpf_trampoline_fexit_jmp`. Left out: as bpf_trampoline_fexit.S. The
// site shared with other ftrace ops (ftrace_regs_caller's jmp-bit direct exit): bpf-fexit-shared.
    .include "bpf_trampoline.inc"
    bpf_fexit_trampoline bpf_trampoline_fexit_jmp, jmp, bpf_fexit_prog, tracer_exit_func, %rcx, bpf_fentry_prog, tracer_entry_func
