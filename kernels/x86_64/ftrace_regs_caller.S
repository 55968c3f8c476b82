// ftrace_regs_caller: the full pt_regs entry trampoline (ops with FTRACE_OPS_FL_SAVE_REGS:
// kprobes on ftrace, fprobe before 6.14, livepatch).
// Follows Linux v6.14 arch/x86/kernel/ftrace_64.S (ftrace_regs_caller with save_mcount_regs
// shifted by the pushed flags word), no CONFIG_FRAME_POINTER. Written from the kernel's
// sequence of effects, not copied.
//
// Every pt_regs slot is written: flags are real (pushfq before anything changes them), cs and
// ss are the constants __KERNEL_CS / __KERNEL_DS (not read from the CPU), orig_ax = 0 (also the
// direct-trampoline slot), sp is the traced function's SP at entry. After the handler, r11 is
// not restored (the kernel treats it as clobbered by the call).
//
// The ftrace_regs_call site calls `ftrace_ops_func`, the one SAVE_REGS ops' func: defined by
// the path's dispatch file (kprobe_ftrace.S: kprobe_ftrace_handler, fprobe_rethook.S:
// fprobe_handler), else bound by the runner to the tracer's handler.
//
// Left out: CALL_DEPTH_ACCOUNT, ENCODE_FRAME_POINTER, and the direct-trampoline exit taken when
// a handler sets orig_ax (arch_ftrace_set_direct_caller): tracesim stops with an error there.
    .text
    .globl ftrace_regs_caller
ftrace_regs_caller:
phase.save.ftrace_regs_caller:
    pushfq                                  // flags first: nothing below may change them
    // save_mcount_regs with the flags word between the frame and the return address
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
    movq    PT_SIZE+16(%rsp), %rsi          // 2nd arg: parent_ip
    subq    $MCOUNT_INSN_SIZE, %rdi         // 1st arg: ip = the call site
    movq    function_trace_op(%rip), %rdx   // 3rd arg (ftrace_regs_caller_op_ptr)
    // the registers ftrace_caller leaves out
    movq    %r15, PT_R15(%rsp)
    movq    %r14, PT_R14(%rsp)
    movq    %r13, PT_R13(%rsp)
    movq    %r12, PT_R12(%rsp)
    movq    %r11, PT_R11(%rsp)
    movq    %r10, PT_R10(%rsp)
    movq    %rbx, PT_BX(%rsp)
    movq    PT_SIZE(%rsp), %rcx             // the pushed flags
    movq    %rcx, PT_FLAGS(%rsp)
    movq    $KERNEL_DS, %rcx                // constants, not the CPU's selectors
    movq    %rcx, PT_SS(%rsp)
    movq    $KERNEL_CS, %rcx
    movq    %rcx, PT_CS(%rsp)
    leaq    PT_SIZE+16(%rsp), %rcx          // SP at function entry (past flags and return)
    movq    %rcx, PT_SP(%rsp)
phase.dispatch.ftrace_regs_caller:
    leaq    (%rsp), %rcx                    // 4th arg: a full pt_regs
    call    ftrace_ops_func                 // ftrace_regs_call: the ops' func
phase.restore.ftrace_regs_caller:
    // a handler may change flags and ip: write them back where popfq and ret find them
    movq    PT_FLAGS(%rsp), %rax
    movq    %rax, PT_SIZE(%rsp)
    movq    PT_IP(%rsp), %rax
    movq    %rax, PT_SIZE+8(%rsp)
    movq    PT_R15(%rsp), %r15
    movq    PT_R14(%rsp), %r14
    movq    PT_R13(%rsp), %r13
    movq    PT_R12(%rsp), %r12
    movq    PT_R10(%rsp), %r10
    movq    PT_BX(%rsp), %rbx
    // orig_ax names a direct trampoline when set; copied below the flags word (the ss slot)
    movq    PT_ORIG_AX(%rsp), %rax
    movq    %rax, PT_SIZE-8(%rsp)
    testq   %rax, %rax
    jnz     .Ldirect_not_modeled
    // restore_mcount_regs
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
