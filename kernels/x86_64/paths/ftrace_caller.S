// ftrace_caller: the args-only ftrace_regs entry trampoline.
// Follows Linux v6.14 arch/x86/kernel/ftrace_64.S (ftrace_caller, save_mcount_regs,
// restore_mcount_regs) with CONFIG_DYNAMIC_FTRACE_WITH_ARGS (5.11+), no CONFIG_FRAME_POINTER.
// Written from the kernel's sequence of effects, not copied.
//
// On entry: (%rsp) = return address into the traced function (site + 5),
//           8(%rsp) = the traced function's own return address (its parent).
// The frame is a pt_regs-sized ftrace_regs of which only the argument registers, bp, ip, sp,
// orig_ax (0) and cs (0 = "not a full pt_regs", tested by ftrace_get_regs()) are written.
//
// The ftrace_call site calls `ftrace_ops_func`, the func of the one ops on the site (as the
// per-ops trampoline copy, FTRACE_OPS_FL_ALLOC_TRAMP, does: same instructions). A path whose
// files define `ftrace_ops_func` puts its ops func there (fgraph_entry.S: ftrace_graph_func);
// otherwise the runner binds it to the tracer's handler (the plain function tracer).
//
// CALL_DEPTH_ACCOUNT is its 9-byte NOP (call-depth tracking off, as under TCG; on, it is one
// instruction too: mcount_regs.inc). Left out: ftrace_ops_list_func / ftrace_ops_assist_func
// (one ops, called directly), the return thunk, endbr64.
    .include "mcount_regs.inc"

    .text
    .globl ftrace_caller
ftrace_caller:
phase.save.ftrace_caller:
    save_mcount_regs
    call_depth_account
    // the traced function's SP at entry: the slot holding its return address
    leaq    PT_SIZE+8(%rsp), %rcx
    movq    %rcx, PT_SP(%rsp)
phase.dispatch.ftrace_caller:
    movq    function_trace_op(%rip), %rdx   // 3rd arg: the ops (ftrace_caller_op_ptr)
    leaq    (%rsp), %rcx                    // 4th arg: the ftrace_regs
    movq    $0, PT_CS(%rsp)                 // only a SAVE_REGS frame has cs set
    call_depth_account                      // for the call below
    call    ftrace_ops_func                 // ftrace_call: patched to the ops' func
phase.restore.ftrace_caller:
    // a handler may change the ip (livepatch): it becomes the return address
    movq    PT_IP(%rsp), %rax
    movq    %rax, PT_SIZE(%rsp)
    restore_mcount_regs
    ret
