// trig-fexit (arm64): the BPF trampoline for the bench's one fexit program, as
// prepare_trampoline (Linux v6.14 arch/arm64/net/bpf_jit_comp.c) emits it with
// BPF_TRAMP_F_CALL_ORIG | BPF_TRAMP_F_SKIP_FRAME and no fentry program: frames and ctx[] as
// trig-fentry, __bpf_tramp_enter(im), the args reloaded, the body called at the BL's return
// address, x0 into ctx[3] (retval), the ip_after_call NOP, invoke_bpf_prog with the bench's
// program, __bpf_tramp_exit(im), x0 reloaded, return to the parent (x9): bpf_trampoline.inc's
// bpf_fexit_trampoline, as bpf_trampoline.S's fexit without its fentry program.
    .include "bpf_trampoline.inc"

    .text
    bpf_fexit_trampoline trig_tramp_fexit, trig_tramp_image, trig_prog, trig_bpf_func, x0
