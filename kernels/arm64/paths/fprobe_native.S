// BPF kprobe_multi on fprobe as the talk proposes: the program reads the ftrace_regs itself.
// Same as fprobe_bpf.S (Linux v6.14 kernel/trace/bpf_trace.c kprobe_multi_link_prog_run on
// fprobe on fgraph) minus ftrace_partial_regs: bpf_prog_run gets the fregs pointer, so no copy,
// no per-CPU pt_regs, and nothing stale is handed out (the program's context type would be
// ftrace_regs, read through BTF accessors). Not in any kernel: the proposal, modelled.
//
// The link is a session link (entry and exit handler, one program); our handler ABI splits it
// into the entry and exit handler. Per-CPU state (bpf_prog_active, current->bpf_ctx) is .data.
// Simplified as fprobe_bpf.S: no migrate_disable / rcu_read_lock, no session cookie.
    .include "kprobe_multi_link.inc"
    kprobe_multi_link convert=0
