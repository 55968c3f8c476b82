// trig-fentry: the BPF trampoline for the bench's one fentry program, as
// arch_prepare_bpf_trampoline (Linux v6.14 arch/x86/net/bpf_jit_comp.c) emits it with
// BPF_TRAMP_F_RESTORE_REGS, and invoke_bpf_prog calling the JITed program directly
// (emit_rsb_call to p->bpf_func) with the ctx in %rdi (R1). The same sequence as
// bpf_trampoline_fentry.S (which calls tracer_entry_func with the ctx in %rcx for our handler
// ABI); here the program is trig_prog.S's and the prog struct is trig_prog. Enter/exit:
// bpf_tramp_runtime.S (__bpf_prog_enter_recur / __bpf_prog_exit_recur: migrate count,
// run-ctx swap, prog->active recursion counter, stats off, rcu_read_lock free).
// Attach point: our 3-argument traced_func (the bench attaches to bpf_get_numa_node_id; see
// docs/bpf-bench.md). Written from the JIT's effects, not copied.
    .text
    .globl trig_tramp_fentry
trig_tramp_fentry:
phase.save.trig_tramp_fentry:
    pushq   %rbp
    movq    %rsp, %rbp
    subq    $56, %rsp
    movq    %rbx, -40(%rbp)
    movl    $3, %eax                        // nr_regs
    movq    %rax, -32(%rbp)
    movq    %rdi, -24(%rbp)                 // save_args: ctx[0..2]
    movq    %rsi, -16(%rbp)
    movq    %rdx, -8(%rbp)
phase.dispatch.trig_tramp_fentry:
    xorl    %edi, %edi                      // cookie 0
    movq    %rdi, -56(%rbp)                 // run_ctx.bpf_cookie
    movabsq $trig_prog, %rdi
    leaq    -56(%rbp), %rsi
    call    __bpf_prog_enter_recur
    movq    %rax, %rbx                      // start time
    testq   %rax, %rax
    je      .Lskip_prog
    leaq    -24(%rbp), %rdi                 // ctx (R1)
    call    trig_bpf_func                   // the JITed program, a direct call
.Lskip_prog:
    movabsq $trig_prog, %rdi
    movq    %rbx, %rsi
    leaq    -56(%rbp), %rdx
    call    __bpf_prog_exit_recur
phase.restore.trig_tramp_fentry:
    movq    -24(%rbp), %rdi                 // restore_regs
    movq    -16(%rbp), %rsi
    movq    -8(%rbp), %rdx
    movq    -40(%rbp), %rbx
    leave
    ret                                     // into the traced function, after the site
