// trig-fentry (arm64): the BPF trampoline for the bench's one fentry program, as
// prepare_trampoline (Linux v6.14 arch/arm64/net/bpf_jit_comp.c) emits it with
// BPF_TRAMP_F_RESTORE_REGS: bti, the two frame records, nregs + x0-x2 into ctx[], x19/x20
// saved, invoke_bpf_prog (bpf_trampoline.inc) with the bench's program (trig_prog.S), the args
// reloaded, return into the traced function. The same sequence as bpf_trampoline.S's fentry.
// Enter/exit helpers: paths/bpf_tramp_runtime.S. Attach point: our 3-argument traced_func (the
// bench attaches to bpf_get_numa_node_id; docs/bpf-bench.md). Written from the JIT's effects.
    .include "bpf_trampoline.inc"

    .text
    bpf_fentry_trampoline trig_tramp_fentry, trig_prog, trig_bpf_func, x0
