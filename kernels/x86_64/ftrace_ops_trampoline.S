// ftrace_ops_trampoline: the per-ops copy of ftrace_caller whose ftrace_call site calls one
// ops' func directly (FTRACE_OPS_FL_ALLOC_TRAMP: arch_ftrace_update_trampoline copies
// ftrace_caller..ftrace_caller_end and patches the call and the op load). The site of a
// function with a single ops calls this copy. Used by the fgraph-based paths, whose ops func
// is ftrace_graph_func (defined as `ftrace_ops_func` by fgraph_entry.S).
// Follows Linux v6.14 arch/x86/kernel/ftrace_64.S (ftrace_caller, save_mcount_regs,
// restore_mcount_regs), CONFIG_DYNAMIC_FTRACE_WITH_ARGS, no CONFIG_FRAME_POINTER; the same
// sequence as kernels/x86_64/ftrace_caller.S except the call target, which is why it is a copy
// (ftrace_caller.S calls the tracer's handler: tracer_entry_func is bound by the runner).
// Written from the kernel's sequence of effects, not copied.
//
// Left out: as in ftrace_caller.S (CALL_DEPTH_ACCOUNT, return thunk). The op passed in %rdx is
// data.S's tracer_ops (the copy would load its own ops from its tail: the same one load).
    .text
    .globl ftrace_ops_trampoline
ftrace_ops_trampoline:
phase.save.ftrace_ops_trampoline:
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
    movq    PT_SIZE(%rsp), %rdi             // return address into the traced function
    movq    %rdi, PT_IP(%rsp)
    movq    PT_SIZE+8(%rsp), %rsi           // parent_ip
    subq    $MCOUNT_INSN_SIZE, %rdi         // ip = the call site
    leaq    PT_SIZE+8(%rsp), %rcx           // the traced function's SP at entry
    movq    %rcx, PT_SP(%rsp)
phase.dispatch.ftrace_ops_trampoline:
    movq    function_trace_op(%rip), %rdx   // the ops (the copy's op pointer)
    leaq    (%rsp), %rcx                    // the ftrace_regs
    movq    $0, PT_CS(%rsp)                 // not a full pt_regs
    call    ftrace_ops_func                 // ftrace_call, patched to the ops' func
phase.restore.ftrace_ops_trampoline:
    movq    PT_IP(%rsp), %rax               // handlers may change ip
    movq    %rax, PT_SIZE(%rsp)
    movq    PT_BP(%rsp), %rbp
    movq    PT_R9(%rsp), %r9
    movq    PT_R8(%rsp), %r8
    movq    PT_DI(%rsp), %rdi
    movq    PT_SI(%rsp), %rsi
    movq    PT_DX(%rsp), %rdx
    movq    PT_CX(%rsp), %rcx
    movq    PT_AX(%rsp), %rax
    addq    $PT_SIZE, %rsp
    ret
