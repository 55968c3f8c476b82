// The fgraph_ops of a plain function-graph tracer (the `fgraph` path): its entryfunc and
// retfunc are the tracer's handlers themselves (as trace_graph_entry / trace_graph_return are
// for the function_graph tracer). Data only.
    .data
    .balign 64
    .globl fgraph_gops
fgraph_gops:                    // struct fgraph_ops: entryfunc, retfunc
    .quad   tracer_entry_func, tracer_exit_func
