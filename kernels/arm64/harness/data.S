// Kernel data the trampolines and handlers use, each object on a cache line of its own.
    .data
    .globl function_trace_op
    .globl handler_seen
    .globl tracer_ops
    .balign 64
function_trace_op:              // kernel/trace/ftrace.c: the ops passed to the ftrace_call target
    .quad   tracer_ops
    .balign 64
tracer_ops:                     // a struct ftrace_ops, first fields: func, next, flags, private
    .quad   tracer_entry_func, 0, 0, 0
    .balign 64
handler_seen:                   // what recording handlers saw: 3 arguments, the return value
    .quad   0, 0, 0, 0
