// ftrace_regs_ops_trampoline: the per-ops copy of ftrace_regs_caller whose ftrace_regs_call
// site calls one SAVE_REGS ops' func directly (FTRACE_OPS_FL_ALLOC_TRAMP; see
// ftrace_ops_trampoline.S). Used by kprobe-ftrace / kretprobe (ops func kprobe_ftrace_handler,
// kprobe_ftrace.S) and fprobe-rethook (ops func fprobe_handler, fprobe_rethook.S); the dispatch
// file linked with it defines `ftrace_ops_func`.
// Follows Linux v6.14 arch/x86/kernel/ftrace_64.S ftrace_regs_caller (the same in 6.1), no
// CONFIG_FRAME_POINTER; the sequence of kernels/x86_64/ftrace_regs_caller.S with another call
// target. Written from the kernel's sequence of effects, not copied.
//
// Left out: as in ftrace_regs_caller.S (CALL_DEPTH_ACCOUNT, ENCODE_FRAME_POINTER, the
// direct-trampoline exit, which stops with ud2).
    .text
    .globl ftrace_regs_ops_trampoline
ftrace_regs_ops_trampoline:
phase.save.ftrace_regs_ops_trampoline:
    pushfq                                  // flags first
    subq    $PT_SIZE, %rsp
    movq    %rax, PT_AX(%rsp)
    movq    %rcx, PT_CX(%rsp)
    movq    %rdx, PT_DX(%rsp)
    movq    %rsi, PT_SI(%rsp)
    movq    %rdi, PT_DI(%rsp)
    movq    %r8, PT_R8(%rsp)
    movq    %r9, PT_R9(%rsp)
    movq    $0, PT_ORIG_AX(%rsp)
    movq    %rbp, PT_BP(%rsp)
    movq    PT_SIZE+8(%rsp), %rdi           // return address into the traced function
    movq    %rdi, PT_IP(%rsp)
    movq    PT_SIZE+16(%rsp), %rsi          // parent_ip
    subq    $MCOUNT_INSN_SIZE, %rdi         // ip = the call site
    movq    function_trace_op(%rip), %rdx   // the ops (the copy's op pointer)
    movq    %r15, PT_R15(%rsp)
    movq    %r14, PT_R14(%rsp)
    movq    %r13, PT_R13(%rsp)
    movq    %r12, PT_R12(%rsp)
    movq    %r11, PT_R11(%rsp)
    movq    %r10, PT_R10(%rsp)
    movq    %rbx, PT_BX(%rsp)
    movq    PT_SIZE(%rsp), %rcx             // the pushed flags
    movq    %rcx, PT_FLAGS(%rsp)
    movq    $KERNEL_DS, %rcx
    movq    %rcx, PT_SS(%rsp)
    movq    $KERNEL_CS, %rcx
    movq    %rcx, PT_CS(%rsp)
    leaq    PT_SIZE+16(%rsp), %rcx          // SP at function entry
    movq    %rcx, PT_SP(%rsp)
phase.dispatch.ftrace_regs_ops_trampoline:
    leaq    (%rsp), %rcx                    // a full pt_regs
    call    ftrace_ops_func                 // ftrace_regs_call, patched to the ops' func
phase.restore.ftrace_regs_ops_trampoline:
    movq    PT_FLAGS(%rsp), %rax
    movq    %rax, PT_SIZE(%rsp)
    movq    PT_IP(%rsp), %rax               // kprobes set ip and restore it; livepatch changes it
    movq    %rax, PT_SIZE+8(%rsp)
    movq    PT_R15(%rsp), %r15
    movq    PT_R14(%rsp), %r14
    movq    PT_R13(%rsp), %r13
    movq    PT_R12(%rsp), %r12
    movq    PT_R10(%rsp), %r10
    movq    PT_BX(%rsp), %rbx
    movq    PT_ORIG_AX(%rsp), %rax
    movq    %rax, PT_SIZE-8(%rsp)
    testq   %rax, %rax
    jnz     .Ldirect_not_modeled
    movq    PT_BP(%rsp), %rbp
    movq    PT_R9(%rsp), %r9
    movq    PT_R8(%rsp), %r8
    movq    PT_DI(%rsp), %rdi
    movq    PT_SI(%rsp), %rsi
    movq    PT_DX(%rsp), %rdx
    movq    PT_CX(%rsp), %rcx
    movq    PT_AX(%rsp), %rax
    addq    $PT_SIZE, %rsp
    popfq
    ret
.Ldirect_not_modeled:
    ud2
