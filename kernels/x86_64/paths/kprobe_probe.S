// A registered kprobe on traced_func's first instruction whose pre_handler is the tracer's
// entry handler (paths kprobe-ftrace, optprobe). Data only; layout in kprobes_core.S.
    .data
    .balign 64
    .globl the_kprobe
the_kprobe:
    .quad   0                   // hlist next
    .quad   traced_func         // addr
    .quad   tracer_entry_func   // pre_handler
    .quad   0                   // post_handler
    .quad   8                   // flags: KPROBE_FLAG_FTRACE (DISABLED and GONE clear)
    .quad   0, 0                // ainsn: no XOL slot on ftrace
