// An fprobe whose entry and exit handlers are the tracer's (register_fprobe() by a module):
// both get the ftrace_regs (Linux v6.14 include/linux/fprobe.h). Data only.
    .data
    .balign 64
    .globl fprobe_instance
fprobe_instance:                            // struct fprobe: entry_handler, exit_handler, flags
    .quad   tracer_entry_func, tracer_exit_func, 0
