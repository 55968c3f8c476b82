// A registered kretprobe on traced_func whose entry_handler and handler are the tracer's
// (path kretprobe). Data only; layout in kretprobe.S (kp as in kprobes_core.S).
    .data
    .balign 64
    .globl the_kprobe
    .globl the_rethook
the_kprobe:                     // struct kretprobe, kp first
    .quad   0, traced_func, pre_handler_kretprobe, 0, 0, 0, 0   // kp (kprobes_core.S layout)
    .quad   tracer_exit_func    // handler
    .quad   tracer_entry_func   // entry_handler
    .quad   the_rethook         // rh
the_rethook:                    // rp->rh: data, handler
    .quad   the_kprobe, kretprobe_rethook_handler
