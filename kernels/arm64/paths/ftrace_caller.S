// ftrace_caller: the args-only ftrace_regs entry trampoline.
// Follows Linux v6.2 arch/arm64/kernel/entry-ftrace.S (ftrace_caller after "ftrace: arm64:
// move from REGS to ARGS", CONFIG_DYNAMIC_FTRACE_WITH_ARGS without CALL_OPS and without
// DIRECT_CALLS). Written from the kernel's sequence of effects, not copied.
//
// On entry (call site patched to `mov x9, x30; bl ftrace_caller`): x9 = the traced function's
// return address, x30 = the instruction after the BL, x9-x17 free to clobber.
// The frame: struct ftrace_regs (x0-x8, fp, lr, sp, pc; 112 bytes) plus two frame records
// (32 bytes) so the unwinder sees the call site and the traced function. PSTATE has no field.
//
// The ftrace_call site calls `ftrace_ops_func`, the func of the one ops on the site: a path
// whose files define it puts its ops func there (fgraph.S: ftrace_graph_func); otherwise the
// runner binds it to the tracer's handler (the plain function tracer).
//
// Left out: 6.3+ CALL_OPS (per-callsite ops literal, `blr` to ops->func), 6.4+ DIRECT_CALLS
// (direct_tramp slot), ftrace_ops_list_func (one ops, called directly).
    .text
    .globl ftrace_caller
ftrace_caller:
phase.save.ftrace_caller:
    bti     c
    mov     x10, sp                         // the traced function's SP
    sub     sp, sp, #(FREGS_SIZE + 32)
    stp     x0, x1, [sp, #FREGS_X0]
    stp     x2, x3, [sp, #FREGS_X2]
    stp     x4, x5, [sp, #FREGS_X4]
    stp     x6, x7, [sp, #FREGS_X6]
    str     x8, [sp, #FREGS_X8]
    str     x29, [sp, #FREGS_FP]
    str     x9, [sp, #FREGS_LR]             // the traced function's return address
    str     x10, [sp, #FREGS_SP]
    str     x30, [sp, #FREGS_PC]            // where to resume in the traced function
    // frame records: the call site's parent, then the traced function
    stp     x29, x9, [sp, #(FREGS_SIZE + 16)]
    add     x29, sp, #(FREGS_SIZE + 16)
    stp     x29, x30, [sp, #FREGS_SIZE]
    add     x29, sp, #FREGS_SIZE
phase.dispatch.ftrace_caller:
    sub     x0, x30, #AARCH64_INSN_SIZE     // ip: the BL
    mov     x1, x9                          // parent_ip
    adrp    x2, function_trace_op
    ldr     x2, [x2, :lo12:function_trace_op]
    mov     x3, sp                          // the ftrace_regs
    bl      ftrace_ops_func                 // ftrace_call: patched to the ops' func
phase.restore.ftrace_caller:
    ldp     x0, x1, [sp, #FREGS_X0]
    ldp     x2, x3, [sp, #FREGS_X2]
    ldp     x4, x5, [sp, #FREGS_X4]
    ldp     x6, x7, [sp, #FREGS_X6]
    ldr     x8, [sp, #FREGS_X8]
    ldr     x29, [sp, #FREGS_FP]
    ldr     x30, [sp, #FREGS_LR]            // fgraph redirects the return by rewriting this
    ldr     x9, [sp, #FREGS_PC]
    add     sp, sp, #(FREGS_SIZE + 32)
    ret     x9
