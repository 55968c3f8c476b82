// Tracer handlers, called as an ftrace_ops func:
//   void func(unsigned long ip, unsigned long parent_ip, struct ftrace_ops *op,
//             struct ftrace_regs *fregs)      -> %rdi, %rsi, %rdx, %rcx
// On x86_64 ftrace_regs wraps a pt_regs (include/linux/ftrace_regs.h, 6.13+), so both structs
// are read through the same offsets. read_args stores the first three arguments it finds in the
// struct at handler_seen, read_ret the return value at handler_seen+24; tracesim checks them
// against the truth. Exit handlers get the same four arguments, the struct of the exit path.
    .text
    .globl handler_empty
handler_empty:
phase.handler.empty:
    ret

    .globl handler_read_args__pt_regs
    .globl handler_read_args__ftrace_regs
handler_read_args__pt_regs:
handler_read_args__ftrace_regs:
phase.handler.read_args:
    movq    PT_DI(%rcx), %rax
    movq    %rax, handler_seen(%rip)
    movq    PT_SI(%rcx), %rax
    movq    %rax, handler_seen+8(%rip)
    movq    PT_DX(%rcx), %rax
    movq    %rax, handler_seen+16(%rip)
    ret

    .globl handler_read_ret__pt_regs
    .globl handler_read_ret__ftrace_regs
handler_read_ret__pt_regs:
handler_read_ret__ftrace_regs:
phase.handler.read_ret:
    movq    PT_AX(%rcx), %rax
    movq    %rax, handler_seen+24(%rip)
    ret
