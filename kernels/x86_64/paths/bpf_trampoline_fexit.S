// The BPF trampoline for an fentry and an fexit program on a 3-argument function, as
// arch_prepare_bpf_trampoline (Linux v6.14 arch/x86/net/bpf_jit_comp.c) generates it with
// flags BPF_TRAMP_F_CALL_ORIG | BPF_TRAMP_F_SKIP_FRAME: the trampoline calls the traced
// function's body itself (orig_call = traced_func + 5, past the patched site), keeps its
// return value in ctx[3] for the fexit program, then returns straight to the traced function's
// caller. Written from the JIT's emitted sequence, not copied. Site: `call bpf_trampoline_fexit`.
// The sequence is bpf_trampoline.inc's bpf_fexit_trampoline in `call` mode (frame there):
// frame; rbx; arg count; save_args; __bpf_tramp_enter(im); invoke the fentry program;
// restore_regs; call orig; store rax at ctx[3]; the 5-byte NOP of ip_after_call; invoke the
// fexit program; __bpf_tramp_exit(im); reload rax, rbx; leave; add 8 (skip the return into the
// traced function); ret to its caller. v6.19 reaches it by a jmp: bpf_trampoline_fexit_jmp.S.
// The one fentry + one fexit pair gives this path an entry and an exit handler, like the other
// paths; an fexit program alone drops the first invoke (16 instructions + enter/exit).
// Differences: as in bpf_trampoline_fentry.S (ctx lea into %rcx for our handler ABI).
    .include "bpf_trampoline.inc"
    bpf_fexit_trampoline bpf_trampoline_fexit, call, bpf_fexit_prog, tracer_exit_func, %rcx, bpf_fentry_prog, tracer_entry_func
