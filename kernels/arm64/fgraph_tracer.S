// The function-graph tracer as fgraph's only user: its entryfunc and retfunc are the tracer's
// handlers (kernel/trace/trace_functions_graph.c trace_graph_entry / trace_graph_return, v6.14:
// both receive the ftrace_regs). Data only; the hook itself is fgraph.S.
    .data
    .balign 64
    .globl fgraph_ops
fgraph_ops:                                 // struct fgraph_ops: entryfunc, retfunc
    .quad   tracer_entry_func, tracer_exit_func
