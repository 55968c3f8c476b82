// The fgraph_ops of a plain function-graph tracer (the `fgraph` path): its entryfunc is
// trace_graph_entry (kernel/trace/trace_functions_graph.c, v6.14 and v6.1), which records the
// entry and returns 1 ("trace the return"); our handler stands for the recording, this
// wrapper for the verdict (fgraph_entry.S hooks the return only on non-zero). The retfunc is
// the tracer's exit handler itself (trace_graph_return returns nothing). The kernel builds
// with an 8-byte stack alignment, so the wrapper needs no frame around its call.
    .text
    .globl trace_graph_entry
trace_graph_entry:              // (ip, parent_ip, gops, fregs) -> 1
phase.dispatch.trace_graph_entry:
    call    tracer_entry_func
    movl    $1, %eax
    ret

    .data
    .balign 64
    .globl fgraph_gops
fgraph_gops:                    // struct fgraph_ops: entryfunc, retfunc
    .quad   trace_graph_entry, tracer_exit_func
