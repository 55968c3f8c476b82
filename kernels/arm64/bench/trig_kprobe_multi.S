// trig-kprobe-multi (arm64): the bench's kprobe.multi program on fprobe on fgraph, Linux v6.14
// (ftrace_caller.S -> fgraph.S -> fprobe.S): an entry-only kprobe_multi link
// (kprobe_multi_link_handler -> kprobe_multi_link_prog_run -> the bench program, trig_prog.S).
// fprobe_entry finds no exit handler and returns 0, so fgraph drops the shadow-stack frame
// and does not hook the return: the traced function returns straight to its caller. The
// link's code is trig_kprobe_multi.inc.
    .include "trig_kprobe_multi.inc"
    trig_kprobe_multi_link return=0
