// trig-fexit: the BPF trampoline for the bench's one fexit program (no fentry), as
// arch_prepare_bpf_trampoline (Linux v6.14 arch/x86/net/bpf_jit_comp.c) emits it with
// BPF_TRAMP_F_CALL_ORIG | BPF_TRAMP_F_SKIP_FRAME: the classic mode that calls the traced body
// from the trampoline and returns to the caller past the traced function's frame.
// bpf_trampoline_fexit.S minus its fentry invoke; the program is trig_prog.S's, called
// directly with the ctx in %rdi. Frame (64): rbp-8 return value, -16..-32 the args (ctx),
// -40 arg count, -48 rbx, -64 run ctx. Enter/exit helpers: bpf_tramp_runtime.S.
// Written from the JIT's effects, not copied. Left out: IBT, call-depth accounting, thunks.
    .include "bpf_trampoline.inc"
    .text
    .globl trig_tramp_fexit
trig_tramp_fexit:
phase.save.trig_tramp_fexit:
    pushq   %rbp
    movq    %rsp, %rbp
    subq    $64, %rsp
    movq    %rbx, -48(%rbp)
    movl    $3, %eax                        // nr_regs
    movq    %rax, -40(%rbp)
    movq    %rdi, -32(%rbp)                 // save_args: ctx[0..2]
    movq    %rsi, -24(%rbp)
    movq    %rdx, -16(%rbp)
phase.dispatch.trig_tramp_fexit:
    movabsq $bpf_tramp_im, %rdi
    call    __bpf_tramp_enter               // percpu_ref_get(&im->pcref)
phase.hijack.trig_tramp_fexit_call_orig:
    movq    -32(%rbp), %rdi                 // restore_regs for the original function
    movq    -24(%rbp), %rsi
    movq    -16(%rbp), %rdx
    call    traced_func + MCOUNT_INSN_SIZE  // orig_call: the body, past the patched site
    movq    %rax, -8(%rbp)                  // ctx[3]: the return value
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // ip_after_call: 5-byte NOP
    invoke_bpf_prog trig_prog, trig_bpf_func, %rdi, -32, -64   // the fexit program (ctx in R1)
    movabsq $bpf_tramp_im, %rdi             // ip_epilogue
    call    __bpf_tramp_exit
phase.restore.trig_tramp_fexit:
    movq    -8(%rbp), %rax                  // the return value
    movq    -48(%rbp), %rbx
    leave
    addq    $8, %rsp                        // skip the return into the traced function
    ret                                     // to the traced function's caller
