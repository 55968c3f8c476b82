// The function-graph tracer as fgraph's only user: its entryfunc is trace_graph_entry
// (kernel/trace/trace_functions_graph.c, v6.14: it gets the ftrace_regs), which records the
// entry and returns 1 ("trace the return"); our handler stands for the recording, this wrapper
// for the verdict (fgraph.S hooks the return only on non-zero). The retfunc is the tracer's
// exit handler itself (trace_graph_return returns nothing). The hook itself is fgraph.S.
    .text
    .globl trace_graph_entry
trace_graph_entry:                          // (ip, parent_ip, gops, fregs) -> 1
phase.dispatch.trace_graph_entry:
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    bl      tracer_entry_func
    mov     w0, #1
    ldp     x29, x30, [sp], #16
    ret

    .data
    .balign 64
    .globl fgraph_ops
fgraph_ops:                                 // struct fgraph_ops: entryfunc, retfunc
    .quad   trace_graph_entry, tracer_exit_func
