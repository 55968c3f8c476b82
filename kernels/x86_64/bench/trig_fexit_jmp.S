// trig-fexit on Linux v6.19: the bench's fexit trampoline in the "jmp" mode
// (DYNAMIC_FTRACE_WITH_JMP; bpf_trampoline_fexit_jmp.S has the commits and the mechanism). The
// fentry site is `jmp trig_tramp_fexit_jmp`; the trampoline is trig_fexit.S's without the
// SKIP_FRAME `add $8, %rsp`: it calls traced_func + 5 and its ret pairs with the caller's call.
// bpf_trampoline.inc's bpf_fexit_trampoline in `jmp` mode, the program trig_prog.S's (ctx %rdi).
// Written from the JIT's effects, not copied. Left out: IBT, call-depth accounting, thunks.
    .include "bpf_trampoline.inc"
    bpf_fexit_trampoline trig_tramp_fexit_jmp, jmp, trig_prog, trig_bpf_func, %rdi
