// ftrace_regs_caller: the full pt_regs entry trampoline of the DYNAMIC_FTRACE_WITH_REGS era.
// Follows Linux v6.1 arch/arm64/kernel/entry-ftrace.S (ftrace_regs_entry with allregs=1, then
// ftrace_common and ftrace_common_return). Removed in 6.2 ("move from REGS to ARGS") because a
// pt_regs can only be saved reliably at an exception boundary. Written from the kernel's
// sequence of effects, not copied.
//
// The frame: a pt_regs (336 bytes) plus one frame record (16 bytes). x0-x29 are stored (the x9
// slot holds the copy of the traced function's LR, not the real x9), lr/sp/pc are filled, and
// PSTATE is NEVER written: software cannot read it whole outside an exception. orig_x0,
// syscallno, sdei_ttbr1, pmr_save, lockdep_hardirqs and exit_rcu keep whatever the stack held.
//
// The ftrace_call site calls `ftrace_ops_func`, the one ops' func: defined by the path's
// dispatch file (fprobe_rethook_v6_1.S: fprobe_handler), else bound by the runner to the
// tracer's handler. `ftrace_common_return` is global because 6.1's other entry, ftrace_caller
// (allregs=0, fgraph_v6_1.S), returns through the same code, as in the kernel.
//
// Left out: the ftrace_graph_call site is the NOP it is when the graph tracer is off.
    .include "ftrace_regs_entry.inc"

    .text
    .globl ftrace_regs_caller
ftrace_regs_caller:
phase.save.ftrace_regs_caller:
    ftrace_regs_entry allregs=1
    b       ftrace_common
    .globl ftrace_common                    // global as in the kernel (SYM_CODE_START)
ftrace_common:
phase.dispatch.ftrace_common:
    sub     x0, x30, #AARCH64_INSN_SIZE     // ip: the BL
    mov     x1, x9                          // parent_ip
    adrp    x2, function_trace_op
    ldr     x2, [x2, :lo12:function_trace_op]
    mov     x3, sp                          // the pt_regs
    bl      ftrace_ops_func                 // ftrace_call: the ops' func
    nop                                     // ftrace_graph_call: `b ftrace_graph_caller` when on
    .globl ftrace_common_return
ftrace_common_return:
phase.restore.ftrace_common:
    ldp     x0, x1, [sp, #S_X0]
    ldp     x2, x3, [sp, #S_X2]
    ldp     x4, x5, [sp, #S_X4]
    ldp     x6, x7, [sp, #S_X6]
    ldr     x8, [sp, #S_X8]
    ldr     x29, [sp, #S_X29]
    ldr     x30, [sp, #S_X30]
    ldr     x9, [sp, #S_PC]
    add     sp, sp, #(S_SIZE + 16)
    ret     x9
