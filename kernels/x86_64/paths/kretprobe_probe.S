// A registered kretprobe on traced_func whose entry_handler and handler are the tracer's
// (path kretprobe). Data only; layout in kretprobe.S (kp as in kprobes_core.S, the rethook as
// in rethook_objpool.inc).
    .include "rethook_objpool.inc"
    .data
    .balign 64
    .globl the_kprobe
    .globl the_rethook
the_kprobe:                     // struct kretprobe, kp first
    .quad   0, traced_func, pre_handler_kretprobe, 0 // kp: hlist, addr, pre_handler, post_handler
    .quad   8, 0, 0             // kp: flags KPROBE_FLAG_FTRACE, ainsn (kprobes_core.S layout)
    .quad   tracer_exit_func    // handler
    .quad   tracer_entry_func   // entry_handler
    .quad   the_rethook         // rh
    .balign 64
the_rethook:                    // rp->rh: data, handler, its node pool
    rethook_object the_kprobe, kretprobe_rethook_handler
