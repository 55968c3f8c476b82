// trig-fexit: the BPF trampoline for the bench's one fexit program (no fentry), as
// arch_prepare_bpf_trampoline (Linux v6.14 arch/x86/net/bpf_jit_comp.c) emits it with
// BPF_TRAMP_F_CALL_ORIG | BPF_TRAMP_F_SKIP_FRAME: the classic mode that calls the traced body
// from the trampoline and returns to the caller past the traced function's frame.
// bpf_trampoline.inc's bpf_fexit_trampoline in `call` mode without an fentry program; the
// program is trig_prog.S's, called directly with the ctx in %rdi. Enter/exit helpers:
// bpf_tramp_runtime.S. v6.19's jmp mode: trig_fexit_jmp.S.
// Written from the JIT's effects, not copied. Left out: IBT, call-depth accounting, thunks.
    .include "bpf_trampoline.inc"
    bpf_fexit_trampoline trig_tramp_fexit, call, trig_prog, trig_bpf_func, %rdi
