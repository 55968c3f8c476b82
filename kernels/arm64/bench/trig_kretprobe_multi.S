// trig-kretprobe-multi (arm64): the bench's kretprobe.multi program on fprobe on fgraph, Linux
// v6.14: a return-only kprobe_multi link (BPF_F_KPROBE_MULTI_RETURN: no entry_handler, only
// kprobe_multi_link_exit_handler). fprobe_entry reserves the header, has no handler to call,
// writes the header and returns 1, so fgraph hooks the return; at return return_to_handler ->
// fprobe_return -> kprobe_multi_link_exit_handler -> kprobe_multi_link_prog_run(is_return =
// true) -> the bench program (trig_prog.S). The link's code is trig_kprobe_multi.inc, shared
// with trig-kprobe-multi.
    .include "trig_kprobe_multi.inc"
    trig_kprobe_multi_link return=1
