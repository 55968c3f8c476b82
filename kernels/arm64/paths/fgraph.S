// The function-graph tracer of the ftrace_regs era: entry hook and return_to_handler.
// Follows Linux v6.14:
//   arch/arm64/kernel/entry-ftrace.S  return_to_handler (FREGS_SIZE frame); the entry is
//                                     ftrace_caller.S (ARGS, without CALL_OPS)
//   arch/arm64/kernel/ftrace.c        ftrace_graph_func (the graph ops' func)
//   kernel/trace/fgraph.c             function_graph_enter_regs, ftrace_return_to_handler
// Written from the kernel's sequence of effects, not copied.
//
// The site calls ftrace_caller.S; the ops on the site is fgraph's, so its ftrace_call target
// `ftrace_ops_func` is ftrace_graph_func, defined here.
//
// Entry: ftrace_graph_func takes parent = &fregs->lr; function_graph_enter_regs pushes {old
// lr, func, fp, retp} on the task's shadow stack, keeps save_curr_ret_stack, calls the fgraph
// ops' entryfunc with the ftrace_regs and honours its verdict: non-zero -> return 0 and
// ftrace_graph_func writes return_to_handler into fregs->lr (the trampoline's reload of x30
// completes the hook); zero -> curr_ret_stack = save_curr_ret_stack (drops what the entryfunc
// reserved), out_ret drops the frame, -EBUSY: lr is left alone and the traced function
// returns straight to its caller.
// Exit: return_to_handler saves x0-x7 and fp in a 112-byte ftrace_regs (x8, lr, sp left
// unwritten), ftrace_return_to_handler pops the entry, checks fp, writes the original return
// address into fregs->pc (6.14: "for the hooks"), calls the retfunc, returns that address.
//
// Per-task state (current->ret_stack, curr_ret_stack, tracing_graph_pause) is modelled as
// globals in .data. Who the fgraph user is: the global `fgraph_ops` {entryfunc, retfunc},
// defined by the file of the user (fgraph_tracer.S, fprobe.S).
// Simplified: no recursion lock, no fgraph_array/bitmap walk (one user, called through its
// ops pointer: 6.14 uses a static call when there is one user) and no set_bitmap on the hooked
// path, no calltime / curr_ret_depth, no trace-clock. The drop's two stores (restore the saved
// offset, then subtract the frame) are one store of save - frame (nothing reads the field in
// between: the compiler folds them); our fgraph_reserve_data never moves the offset.
    .set    FGRAPH_RET, 0                   // shadow-stack frame: original return address
    .set    FGRAPH_FUNC, 8                  //   the traced function (ip)
    .set    FGRAPH_FP, 16                   //   frame pointer at entry, checked at exit
    .set    FGRAPH_RETP, 24                 //   where the return address lived
    .set    FGRAPH_DATA, 32                 //   2 words a user may reserve (fprobe header)
    .set    FGRAPH_FRAME_SIZE, 48
    .set    FGRAPH_DEPTH_MAX, 32
    .set    FGOPS_ENTRYFUNC, 0
    .set    FGOPS_RETFUNC, 8

    .text
// ftrace_graph_func(ip, parent_ip, op, fregs): the ops' func at ftrace_caller.S's ftrace_call
    .globl ftrace_ops_func
ftrace_ops_func:
ftrace_graph_func:
phase.dispatch.ftrace_graph_func:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     x19, [sp, #16]
    mov     x19, x3                         // fregs; parent = &fregs->lr
    adrp    x9, fgraph_task
    ldr     w10, [x9, :lo12:fgraph_task]    // current->tracing_graph_pause
    cbnz    w10, 1f
    mov     x1, x0                          // func
    ldr     x0, [x19, #FREGS_LR]            // old = *parent
    ldr     x2, [x19, #FREGS_FP]            // frame_pointer
    mov     x3, x2                          // retp: the caller's frame record
    mov     x4, x19
    bl      function_graph_enter_regs
    cbnz    w0, 1f
phase.hijack.ftrace_graph_func:
    adrp    x9, return_to_handler
    add     x9, x9, :lo12:return_to_handler
    str     x9, [x19, #FREGS_LR]            // *parent = return_to_handler
1:
phase.dispatch.ftrace_graph_func_out:
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

// function_graph_enter_regs(ret, func, frame_pointer, retp, fregs): 0 = hooked
function_graph_enter_regs:
phase.dispatch.function_graph_enter_regs:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     x19, [sp, #16]
    adrp    x9, fgraph_curr_ret_stack
    ldr     x10, [x9, :lo12:fgraph_curr_ret_stack]
    cmp     x10, #(FGRAPH_FRAME_SIZE * (FGRAPH_DEPTH_MAX - 1))
    b.hi    2f                              // shadow stack full: -EBUSY
    adrp    x11, fgraph_ret_stack
    add     x11, x11, :lo12:fgraph_ret_stack
    add     x11, x11, x10
    stp     x0, x1, [x11, #FGRAPH_RET]
    stp     x2, x3, [x11, #FGRAPH_FP]
    add     x10, x10, #FGRAPH_FRAME_SIZE
    str     x10, [x9, :lo12:fgraph_curr_ret_stack]
    mov     x19, x10                        // save_curr_ret_stack
    // entryfunc(trace, gops, fregs), in our handler ABI (ip, parent_ip, op, regs)
    mov     x12, x0
    mov     x0, x1                          // ip: the traced function
    mov     x1, x12                         // parent_ip: its return address
    adrp    x2, fgraph_ops
    add     x2, x2, :lo12:fgraph_ops
    ldr     x9, [x2, #FGOPS_ENTRYFUNC]
    mov     x3, x4                          // the ftrace_regs
    blr     x9
    cbz     w0, 1f                          // nobody wants the return
    mov     w0, #0
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret
1:  sub     x10, x19, #FGRAPH_FRAME_SIZE    // curr_ret_stack = save; out_ret: -= the frame
    adrp    x9, fgraph_curr_ret_stack
    str     x10, [x9, :lo12:fgraph_curr_ret_stack]
2:  mov     w0, #-16
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

// return_to_handler: where the traced function returns once hooked
    .globl return_to_handler
return_to_handler:
phase.save.return_to_handler:
    sub     sp, sp, #FREGS_SIZE
    stp     x0, x1, [sp, #FREGS_X0]
    stp     x2, x3, [sp, #FREGS_X2]
    stp     x4, x5, [sp, #FREGS_X4]
    stp     x6, x7, [sp, #FREGS_X6]
    str     x29, [sp, #FREGS_FP]            // the callsite's FP, matched at pop
phase.dispatch.return_to_handler:
    mov     x0, sp
    bl      ftrace_return_to_handler
phase.hijack.return_to_handler:
    mov     x30, x0                         // the original return address
phase.restore.return_to_handler:
    ldp     x0, x1, [sp, #FREGS_X0]
    ldp     x2, x3, [sp, #FREGS_X2]
    ldp     x4, x5, [sp, #FREGS_X4]
    ldp     x6, x7, [sp, #FREGS_X6]
    add     sp, sp, #FREGS_SIZE
    ret

// ftrace_return_to_handler(fregs): pops the shadow stack, returns the original address
// (global: `tracesim kernel` points a real return_to_handler's call at it)
    .globl ftrace_return_to_handler
ftrace_return_to_handler:
phase.hijack.ftrace_return_to_handler:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    str     x21, [sp, #32]
    mov     x19, x0                         // fregs
    adrp    x9, fgraph_curr_ret_stack
    ldr     x10, [x9, :lo12:fgraph_curr_ret_stack]
    subs    x20, x10, #FGRAPH_FRAME_SIZE    // the frame's offset, and the index after the pop
    b.lo    ftrace_graph_corrupt
    adrp    x11, fgraph_ret_stack
    add     x11, x11, :lo12:fgraph_ret_stack
    add     x11, x11, x20
    ldp     x21, x13, [x11, #FGRAPH_RET]    // ret, func
    ldr     x14, [x11, #FGRAPH_FP]
    ldr     x15, [x19, #FREGS_FP]
    cmp     x14, x15                        // HAVE_FUNCTION_GRAPH_FP_TEST
    b.ne    ftrace_graph_corrupt
    str     x21, [x19, #FREGS_PC]           // ftrace_regs_set_instruction_pointer(fregs, ret)
    // retfunc(trace, gops, fregs), in our handler ABI (ip, parent_ip, op, regs)
    mov     x0, x13
    mov     x1, x21
    adrp    x2, fgraph_ops
    add     x2, x2, :lo12:fgraph_ops
    ldr     x9, [x2, #FGOPS_RETFUNC]
    mov     x3, x19
    blr     x9
    adrp    x9, fgraph_curr_ret_stack       // after the retfunc: it may still read the frame
    str     x20, [x9, :lo12:fgraph_curr_ret_stack]
    mov     x0, x21
    ldr     x21, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret
ftrace_graph_corrupt:                       // ftrace_graph_stop() + panic in the kernel
    brk     #0x800

// fgraph_reserve_data (entry) / fgraph_retrieve_data (exit): the user's words in the top frame
    .globl fgraph_reserve_data
    .globl fgraph_retrieve_data
    .macro  top_frame_data
    adrp    x9, fgraph_curr_ret_stack
    ldr     x10, [x9, :lo12:fgraph_curr_ret_stack]
    adrp    x0, fgraph_ret_stack
    add     x0, x0, :lo12:fgraph_ret_stack
    add     x0, x0, x10
    sub     x0, x0, #(FGRAPH_FRAME_SIZE - FGRAPH_DATA)
    ret
    .endm
fgraph_reserve_data:
phase.dispatch.fgraph_reserve_data:
    top_frame_data
fgraph_retrieve_data:
phase.hijack.fgraph_retrieve_data:
    top_frame_data

    .data
    .balign 64
fgraph_task:                                // current: tracing_graph_pause
    .quad   0
    .balign 64
    .globl fgraph_curr_ret_stack
fgraph_curr_ret_stack:                      // current->curr_ret_stack (bytes)
    .quad   0
    .balign 64
    .globl fgraph_ret_stack
fgraph_ret_stack:                           // current->ret_stack
    .zero   FGRAPH_FRAME_SIZE * FGRAPH_DEPTH_MAX
