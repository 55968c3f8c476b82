// The function-graph tracer of the DYNAMIC_FTRACE_WITH_REGS era (arm64 5.5-6.1).
// Follows Linux v6.1:
//   arch/arm64/kernel/entry-ftrace.S  ftrace_caller (ftrace_regs_entry allregs=0), ftrace_common,
//                                     ftrace_graph_caller, return_to_handler (64-byte frame)
//   arch/arm64/kernel/ftrace.c        prepare_ftrace_return
//   kernel/trace/fgraph.c             function_graph_enter, ftrace_return_to_handler
// Written from the kernel's sequence of effects, not copied.
//
// Entry: ftrace_caller stores x0-x9, fp, lr, sp, pc into a pt_regs-sized frame; ftrace_call is
// `bl ftrace_stub` (graph_ops' func when only the graph tracer is on) and the ftrace_graph_call
// NOP is patched to `b ftrace_graph_caller`, which passes (pc - 4, &S_LR, the parent fp) to
// prepare_ftrace_return: push {old lr, func, fp, retp} on the shadow stack, call the tracer's
// graph entry with a struct ftrace_graph_ent (no registers); a zero verdict pops the frame
// again (out_ret: curr_ret_stack--) and leaves S_LR alone; trace_graph_entry returns 1, so
// return_to_handler is written into S_LR.
// Exit: return_to_handler saves x0-x7 (64 bytes) and passes fp BY VALUE; the retfunc gets a
// struct ftrace_graph_ret without the return value (retval came with 6.5).
// So neither handler sees registers: regs_struct "none" (our handlers get x3 = 0).
//
// Shared and not: ftrace_common_return (the restore) is ftrace_regs_caller.S's, as in the
// kernel, where both entries end there. The entry (allregs=0 saves x0-x9 and fp only) and this
// ftrace_common must stay here: ftrace_regs_caller.S's ftrace_common has the graph-off NOP at
// ftrace_graph_call and `bl ftrace_ops_func` at ftrace_call, while graph-on 6.1 needs `bl
// ftrace_stub` and `b ftrace_graph_caller` there; a path patches one site only (the call site),
// so the patched flavour is its own code.
// Per-task state is .data as in fgraph.S. Simplified as there: no calltime/depth, no
// recursion test. `bti c` is left out as in
// ftrace_regs_caller.S.
    .set    FGRAPH_RET, 0
    .set    FGRAPH_FUNC, 8
    .set    FGRAPH_FP, 16
    .set    FGRAPH_RETP, 24
    .set    FGRAPH_FRAME_SIZE, 32
    .set    FGRAPH_DEPTH_MAX, 32

    .include "ftrace_regs_entry.inc"

    .text
    .globl ftrace_caller_v6_1
ftrace_caller_v6_1:
phase.save.ftrace_caller_v6_1:
    ftrace_regs_entry
    b       ftrace_common_v6_1
ftrace_common_v6_1:
phase.dispatch.ftrace_common_v6_1:
    sub     x0, x30, #AARCH64_INSN_SIZE
    mov     x1, x9
    adrp    x2, function_trace_op
    ldr     x2, [x2, :lo12:function_trace_op]
    mov     x3, sp
    bl      ftrace_stub_v6_1                // ftrace_call
    b       ftrace_graph_caller_v6_1        // ftrace_graph_call, patched from a NOP

ftrace_stub_v6_1:
phase.dispatch.ftrace_stub_v6_1:
    ret

ftrace_graph_caller_v6_1:
phase.dispatch.ftrace_graph_caller_v6_1:
    ldr     x0, [sp, #S_PC]
    sub     x0, x0, #AARCH64_INSN_SIZE      // ip: the BL
    add     x1, sp, #S_X30                  // parent: &S_LR
    ldr     x2, [sp, #S_SIZE]               // the callsite's FP
    bl      prepare_ftrace_return_v6_1
    b       ftrace_common_return            // ftrace_regs_caller.S: reloads x30 = S_LR

// prepare_ftrace_return(self_addr, parent, frame_pointer)
    .globl prepare_ftrace_return_v6_1          // global: `tracesim kernel` stubs a real kernel's with it
prepare_ftrace_return_v6_1:
phase.dispatch.prepare_ftrace_return_v6_1:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     x19, [sp, #16]
    mov     x19, x1
    adrp    x9, fgraph_task_v6_1
    ldr     w10, [x9, :lo12:fgraph_task_v6_1] // current->tracing_graph_pause
    cbnz    w10, 1f
    mov     x1, x0                          // func
    ldr     x0, [x19]                       // old = *parent
    mov     x3, x2                          // retp = frame_pointer
    bl      function_graph_enter_v6_1
    cbnz    w0, 1f
phase.hijack.prepare_ftrace_return_v6_1:
    adrp    x9, return_to_handler_v6_1
    add     x9, x9, :lo12:return_to_handler_v6_1
    str     x9, [x19]                       // *parent = return_to_handler
1:
phase.dispatch.prepare_ftrace_return_v6_1_out:
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

// function_graph_enter(ret, func, frame_pointer, retp): 0 = hooked
    .globl function_graph_enter_v6_1           // global: `tracesim kernel` stubs a real kernel's with it
function_graph_enter_v6_1:
phase.dispatch.function_graph_enter_v6_1:
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    adrp    x9, fgraph_curr_ret_stack_v6_1
    ldr     x10, [x9, :lo12:fgraph_curr_ret_stack_v6_1]
    cmp     x10, #(FGRAPH_FRAME_SIZE * (FGRAPH_DEPTH_MAX - 1))
    b.hi    2f
    adrp    x11, fgraph_ret_stack_v6_1
    add     x11, x11, :lo12:fgraph_ret_stack_v6_1
    add     x11, x11, x10
    stp     x0, x1, [x11, #FGRAPH_RET]
    stp     x2, x3, [x11, #FGRAPH_FP]
    add     x10, x10, #FGRAPH_FRAME_SIZE
    str     x10, [x9, :lo12:fgraph_curr_ret_stack_v6_1]
    mov     x12, x0                         // ftrace_graph_entry(&trace): no registers
    mov     x0, x1
    mov     x1, x12
    mov     x2, #0
    mov     x3, #0
    adrp    x9, ftrace_graph_entry_v6_1
    ldr     x9, [x9, :lo12:ftrace_graph_entry_v6_1]
    blr     x9
    cbz     w0, 1f                          // the tracer does not want the return
    mov     w0, #0
    ldp     x29, x30, [sp], #16
    ret
1:  adrp    x9, fgraph_curr_ret_stack_v6_1  // out_ret: current->curr_ret_stack--
    ldr     x10, [x9, :lo12:fgraph_curr_ret_stack_v6_1]
    sub     x10, x10, #FGRAPH_FRAME_SIZE
    str     x10, [x9, :lo12:fgraph_curr_ret_stack_v6_1]
2:  mov     w0, #-16
    ldp     x29, x30, [sp], #16
    ret

// trace_graph_entry (kernel/trace/trace_functions_graph.c, v6.1): records the entry (our
// handler) and returns 1, the verdict function_graph_enter tests
trace_graph_entry_v6_1:
phase.dispatch.trace_graph_entry_v6_1:
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    bl      tracer_entry_func
    mov     w0, #1
    ldp     x29, x30, [sp], #16
    ret

// return_to_handler (<= 6.4)
    .globl return_to_handler_v6_1
return_to_handler_v6_1:
phase.save.return_to_handler_v6_1:
    sub     sp, sp, #64
    stp     x0, x1, [sp]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
phase.dispatch.return_to_handler_v6_1:
    mov     x0, x29                         // the frame pointer, by value
    bl      ftrace_return_to_handler_v6_1
phase.hijack.return_to_handler_v6_1:
    mov     x30, x0
phase.restore.return_to_handler_v6_1:
    ldp     x0, x1, [sp]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    add     sp, sp, #64
    ret

// ftrace_return_to_handler(frame_pointer)
    .globl ftrace_return_to_handler_v6_1       // global: `tracesim kernel` stubs a real kernel's with it
ftrace_return_to_handler_v6_1:
phase.hijack.ftrace_return_to_handler_v6_1:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    adrp    x9, fgraph_curr_ret_stack_v6_1
    ldr     x10, [x9, :lo12:fgraph_curr_ret_stack_v6_1]
    subs    x20, x10, #FGRAPH_FRAME_SIZE
    b.lo    9f
    adrp    x11, fgraph_ret_stack_v6_1
    add     x11, x11, :lo12:fgraph_ret_stack_v6_1
    add     x11, x11, x20
    ldp     x19, x1, [x11, #FGRAPH_RET]     // ret, func
    ldr     x12, [x11, #FGRAPH_FP]
    cmp     x12, x0
    b.ne    9f
    mov     x0, x1                          // ftrace_graph_return(&trace): no registers
    mov     x1, x19
    mov     x2, #0
    mov     x3, #0
    adrp    x9, ftrace_graph_return_v6_1
    ldr     x9, [x9, :lo12:ftrace_graph_return_v6_1]
    blr     x9
    adrp    x9, fgraph_curr_ret_stack_v6_1
    str     x20, [x9, :lo12:fgraph_curr_ret_stack_v6_1]
    mov     x0, x19
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret
9:  brk     #0x800                          // ftrace_graph_stop + panic

    .data
    .balign 64
ftrace_graph_entry_v6_1:                    // the tracer's graph entry / return functions
    .quad   trace_graph_entry_v6_1
ftrace_graph_return_v6_1:
    .quad   tracer_exit_func
    .balign 64
fgraph_task_v6_1:
    .quad   0
    .balign 64
fgraph_curr_ret_stack_v6_1:
    .quad   0
    .balign 64
fgraph_ret_stack_v6_1:
    .zero   FGRAPH_FRAME_SIZE * FGRAPH_DEPTH_MAX
