// Per-task and per-CPU state the x86_64 dispatch models share. The kernel keeps these in
// task_struct (current->...) or in per-CPU variables reached through %gs; tracesim runs one
// task on one CPU, so each is a plain global here, reached RIP-relative (one memory access,
// as a %gs-relative access would be).
    .data
    .balign 64
    .globl trace_recursion
    .globl current_kprobe
    .globl kprobe_status
    .globl bpf_prog_active
    .globl current_bpf_ctx
    .globl migration_disabled
    .globl preempt_count
    .globl ct_nmi_nesting
trace_recursion:        // current->trace_recursion: ftrace_test_recursion_trylock's bits
    .quad   0
current_kprobe:         // per-CPU current_kprobe
    .quad   0
kprobe_status:          // per-CPU kprobe_ctlblk.kprobe_status
    .quad   0
bpf_prog_active:        // per-CPU bpf_prog_active
    .quad   0
current_bpf_ctx:        // current->bpf_ctx (bpf_set_run_ctx / bpf_reset_run_ctx)
    .quad   0
migration_disabled:     // current->migration_disabled (migrate_disable / migrate_enable)
    .quad   0
preempt_count:          // per-CPU __preempt_count (__nmi_enter adds NMI + HARDIRQ offsets)
    .quad   0
ct_nmi_nesting:         // per-CPU context_tracking nmi nesting (ct_nmi_enter / ct_nmi_exit)
    .quad   0
