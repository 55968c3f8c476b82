// The BPF trampoline for an fentry and an fexit program on a 3-argument function, as
// arch_prepare_bpf_trampoline (Linux v6.14 arch/x86/net/bpf_jit_comp.c) generates it with
// flags BPF_TRAMP_F_CALL_ORIG | BPF_TRAMP_F_SKIP_FRAME: the trampoline calls the traced
// function's body itself (orig_call = traced_func + 5, past the patched site), keeps its
// return value in ctx[3] for the fexit program, then returns straight to the traced function's
// caller. Written from the JIT's emitted sequence, not copied. Site: `call bpf_trampoline_fexit`.
//
// Frame (stack_size 64): rbp-8 the return value, -16..-32 the args (ctx = rbp-32: arg0, arg1,
// arg2, ret: bpf_args), -40 the arg count, -48 saved rbx, -64 the run ctx.
// Sequence: frame; rbx; arg count; save_args; __bpf_tramp_enter(im); invoke the fentry
// program; restore_regs; call orig; store rax at ctx[3]; the 5-byte NOP of ip_after_call;
// invoke the fexit program; __bpf_tramp_exit(im); reload rax, rbx; leave; add 8 (skip the
// return into the traced function); ret to its caller.
// The one fentry + one fexit pair gives this path an entry and an exit handler, like the other
// paths; an fexit program alone drops the first invoke (16 instructions + enter/exit).
// Differences: as in bpf_trampoline_fentry.S (ctx lea into %rcx for our handler ABI).
    .include "bpf_trampoline.inc"
    .text
    .globl bpf_trampoline_fexit
bpf_trampoline_fexit:
phase.save.bpf_trampoline_fexit:
    pushq   %rbp
    movq    %rsp, %rbp
    subq    $64, %rsp
    movq    %rbx, -48(%rbp)
    movl    $3, %eax                        // nr_regs
    movq    %rax, -40(%rbp)
    movq    %rdi, -32(%rbp)                 // save_args: ctx[0..2]
    movq    %rsi, -24(%rbp)
    movq    %rdx, -16(%rbp)
phase.dispatch.bpf_trampoline_fexit:
    movabsq $bpf_tramp_im, %rdi
    call    __bpf_tramp_enter
    invoke_bpf_prog bpf_fentry_prog, tracer_entry_func, %rcx, -32, -64   // the fentry program
phase.hijack.bpf_trampoline_fexit_call_orig:
    movq    -32(%rbp), %rdi                 // restore_regs for the original function
    movq    -24(%rbp), %rsi
    movq    -16(%rbp), %rdx
    call    traced_func + MCOUNT_INSN_SIZE  // orig_call: the body, past the patched site
phase.save.bpf_trampoline_fexit_ret:
    movq    %rax, -8(%rbp)                  // ctx[3]: the return value
phase.hijack.bpf_trampoline_fexit_invoke:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // ip_after_call: 5-byte NOP
    invoke_bpf_prog bpf_fexit_prog, tracer_exit_func, %rcx, -32, -64   // the fexit program
    movabsq $bpf_tramp_im, %rdi             // ip_epilogue
    call    __bpf_tramp_exit
phase.restore.bpf_trampoline_fexit:
    movq    -8(%rbp), %rax                  // the return value
    movq    -48(%rbp), %rbx
    leave
    addq    $8, %rsp                        // skip the return into the traced function
    ret                                     // to the traced function's caller
