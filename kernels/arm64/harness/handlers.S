// Tracer handlers, called as an ftrace_ops func:
//   void func(unsigned long ip, unsigned long parent_ip, struct ftrace_ops *op,
//             struct ftrace_regs *fregs)      -> x0, x1, x2, x3
// read_args stores the first three arguments it finds in the struct at handler_seen, read_ret
// the return value at handler_seen+24; tracesim checks them against the truth. Exit handlers get
// the same four arguments, the struct of the exit path. ftrace_regs (6.2+) and pt_regs keep x0..x2
// at different names but the same offsets; each variant uses its own struct's names.
    .text
    .globl handler_empty
handler_empty:
phase.handler.empty:
    ret

    .globl handler_read_args__ftrace_regs
handler_read_args__ftrace_regs:
phase.handler.read_args__ftrace_regs:
    ldr     x9, [x3, #FREGS_X0]
    ldr     x10, [x3, #FREGS_X1]
    ldr     x11, [x3, #FREGS_X2]
    adrp    x12, handler_seen
    add     x12, x12, :lo12:handler_seen
    stp     x9, x10, [x12]
    str     x11, [x12, #16]
    ret

    .globl handler_read_args__pt_regs
handler_read_args__pt_regs:
phase.handler.read_args__pt_regs:
    ldr     x9, [x3, #S_X0]
    ldr     x10, [x3, #S_X1]
    ldr     x11, [x3, #S_X2]
    adrp    x12, handler_seen
    add     x12, x12, :lo12:handler_seen
    stp     x9, x10, [x12]
    str     x11, [x12, #16]
    ret

    .globl handler_read_ret__ftrace_regs
handler_read_ret__ftrace_regs:
phase.handler.read_ret__ftrace_regs:
    ldr     x9, [x3, #FREGS_X0]
    adrp    x12, handler_seen
    add     x12, x12, :lo12:handler_seen
    str     x9, [x12, #24]
    ret

    .globl handler_read_ret__pt_regs
handler_read_ret__pt_regs:
phase.handler.read_ret__pt_regs:
    ldr     x9, [x3, #S_X0]
    adrp    x12, handler_seen
    add     x12, x12, :lo12:handler_seen
    str     x9, [x12, #24]
    ret
