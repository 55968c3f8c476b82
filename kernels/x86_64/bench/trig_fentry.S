// trig-fentry: the BPF trampoline for the bench's one fentry program, as
// arch_prepare_bpf_trampoline (Linux v6.14 arch/x86/net/bpf_jit_comp.c) emits it with
// BPF_TRAMP_F_RESTORE_REGS, and invoke_bpf_prog calling the JITed program directly
// (emit_rsb_call to p->bpf_func) with the ctx in %rdi (R1). The same sequence as
// bpf_trampoline_fentry.S (which calls tracer_entry_func with the ctx in %rcx for our handler
// ABI); here the program is trig_prog.S's and the prog struct is trig_prog. Enter/exit:
// bpf_prog_enter_exit.S or bpf_prog_enter_exit_6_18.S (__bpf_prog_enter_recur /
// __bpf_prog_exit_recur as Debian's booted kernels run them: RCU, migrate, run-ctx swap,
// prog->active per CPU, stats off).
// Attach point: our 3-argument traced_func (the bench attaches to bpf_get_numa_node_id; see
// docs/bpf-bench.md). Written from the JIT's effects, not copied.
    .include "bpf_trampoline.inc"
    bpf_fentry_trampoline trig_tramp_fentry, trig_prog, trig_bpf_func, %rdi
