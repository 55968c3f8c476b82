// trig-fmodret: the BPF trampoline for one fmod_ret program, as arch_prepare_bpf_trampoline
// (Linux v6.14 arch/x86/net/bpf_jit_comp.c) emits it. bpf_trampoline_update gives an fmod_ret
// program the flags of fexit (BPF_TRAMP_F_CALL_ORIG | BPF_TRAMP_F_SKIP_FRAME), so the frame is
// trig_fexit.S's (rbp-8 return value, -16..-32 the args, -40 arg count, -48 rbx, -64 run ctx):
// __bpf_tramp_enter(im), invoke_bpf_mod_ret (bpf_trampoline.inc: ret slot zeroed, the program
// with save_ret, cmp + jne do_fexit), the args restored and the body called, rax stored, the
// ip_after_call NOP, do_fexit 16-byte aligned (emit_align: the padding runs only when the body
// ran), no fexit program, __bpf_tramp_exit, rax reloaded, return past the traced function.
// Two instances: trig_tramp_fmodret runs trig_prog.S's program (returns 0: the original runs;
// the catalogue path) and trig_tramp_fmodret_bench runs the bench's own fmod_ret program
// (trig_fmodret_prog.S: returns -22, so the original is skipped and its caller gets -22;
// tests/440_bpf_bench.cpp runs it by its own site). Written from the JIT's effects.
// Left out: IBT, call-depth accounting, return thunks; the padding is the assembler's NOPs
// (the JIT's emit_nops uses at most 8-byte NOPs).
    .include "bpf_trampoline.inc"

    .macro  bpf_fmodret_trampoline name, prog, func, mode=call
    .text
    .globl \name
\name:
phase.save.\name:
    pushq   %rbp
    movq    %rsp, %rbp
    subq    $64, %rsp
    movq    %rbx, -48(%rbp)
    movl    $3, %eax                        // nr_regs
    movq    %rax, -40(%rbp)
    movq    %rdi, -32(%rbp)                 // save_args: ctx[0..2]
    movq    %rsi, -24(%rbp)
    movq    %rdx, -16(%rbp)
    movabsq $bpf_tramp_im, %rdi             // save up to the first call out (bpf_trampoline.inc)
phase.dispatch.\name:
    call    __bpf_tramp_enter               // percpu_ref_get(&im->pcref)
    invoke_bpf_mod_ret \prog, \func, %rdi, -32, -64, .Ldo_fexit_\name
phase.hijack.\name\()_call_orig:
    movq    -32(%rbp), %rdi                 // restore_regs for the original function
    movq    -24(%rbp), %rsi
    movq    -16(%rbp), %rdx
    call    traced_func + MCOUNT_INSN_SIZE  // orig_call: the body, past the patched site
    movq    %rax, -8(%rbp)                  // the return value
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // ip_after_call: 5-byte NOP
    .p2align 4                              // emit_align(16): do_fexit is a branch target
.Ldo_fexit_\name:
phase.dispatch.\name\()_exit:
    movabsq $bpf_tramp_im, %rdi             // ip_epilogue
    call    __bpf_tramp_exit
phase.restore.\name:
    movq    -8(%rbp), %rax                  // the (possibly overridden) return value
    movq    -48(%rbp), %rbx
    leave
    .ifc    \mode, call
    addq    $8, %rsp                        // SKIP_FRAME: skip the return into the traced function
    .endif
    ret                                     // to the traced function's caller
    .endm

    bpf_fmodret_trampoline trig_tramp_fmodret, trig_prog, trig_bpf_func
    bpf_fmodret_trampoline trig_tramp_fmodret_bench, trig_fmodret_prog, trig_fmodret_bpf_func
    // v6.19's jmp mode (DYNAMIC_FTRACE_WITH_JMP: CALL_ORIG without SKIP_FRAME, as for fexit,
    // bpf_trampoline_fexit_jmp.S): the site jumps here, no `add $8`, the ret pairs with the
    // caller's call.
    bpf_fmodret_trampoline trig_tramp_fmodret_bench_jmp, trig_fmodret_prog, trig_fmodret_bpf_func, jmp
