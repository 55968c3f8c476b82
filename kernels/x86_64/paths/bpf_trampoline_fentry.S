// The BPF trampoline for one fentry program on a 3-argument function, as
// arch_prepare_bpf_trampoline (Linux v6.14 arch/x86/net/bpf_jit_comp.c) generates it with
// flags BPF_TRAMP_F_RESTORE_REGS (no fexit / fmod_ret: the trampoline returns into the traced
// function, which then runs its body). Written from the JIT's emitted sequence, not copied.
// The site's `call __fentry__` NOP is patched to `call bpf_trampoline_fentry`.
//
// Frame (stack_size 56): rbp-8..-24 the args = the program's ctx (u64 array, bpf_args), -32 the
// arg count (bpf_get_func_arg_cnt), -40 saved rbx, -56 the bpf_tramp_run_ctx (cookie, saved).
// invoke_bpf_prog: cookie into run_ctx; __bpf_prog_enter_recur(prog, &run_ctx) (runtime in
// bpf_tramp_runtime.S); rbx = start; skip the program if 0; call the program with the ctx;
// __bpf_prog_exit_recur(prog, start, &run_ctx). Then restore the argument registers, rbx,
// leave, ret.
// Differences: the JIT loads the ctx into %rdi (R1); our handler ABI takes it in %rcx, so the
// one lea targets %rcx instead. The program is the handler, called directly as the JIT calls
// prog->bpf_func. No IBT endbr, no call-depth accounting, plain ret (no return thunk).
    .include "bpf_trampoline.inc"
    bpf_fentry_trampoline bpf_trampoline_fentry, bpf_fentry_prog, tracer_entry_func, %rcx
