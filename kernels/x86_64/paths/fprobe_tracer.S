// A registered fprobe whose entry and exit handlers are the tracer's handlers (paths fprobe,
// fprobe-rethook). Data only; the layout is the one fprobe_fgraph.S and fprobe_rethook.S use
// (a model: flags, entry_handler, exit_handler; the kernel's struct has more).
    .data
    .balign 64
    .globl the_fprobe
the_fprobe:
    .quad   0                   // flags (FPROBE_FL_DISABLED clear)
    .quad   tracer_entry_func   // entry_handler
    .quad   tracer_exit_func    // exit_handler
