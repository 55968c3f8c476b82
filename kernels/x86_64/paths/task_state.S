// Per-task and per-CPU state the x86_64 dispatch models share. The kernel keeps these in
// task_struct (current->...) or in per-CPU variables reached through %gs. tracesim runs one
// task on one CPU. The older models keep each as a plain global reached RIP-relative (one
// memory access, as a %gs-relative access would be); the models written from the booted
// kernels (bpf_prog_enter_exit*.S, migrate.S, rcu_read_lock.S, bpf_tramp_runtime.S,
// kprobe_ftrace.S, rethook.S, kretprobe.S, trig_rawtp*.S, trig_tp.S, trig_trace_call_bpf.inc)
// reach them as the kernel does: `current` through
// the per-CPU current_task pointer, the task's fields through it, per-CPU variables
// %gs-relative (%gs's base is CPU 0's per-CPU offset, 0: these globals are CPU 0's copies).
// Offsets: task.inc.
    .include "task.inc"
    .data
    .balign 64
    .globl pcpu_current_task
    .globl __preempt_count
    .globl this_cpu_off
    .globl cpu_number
    .globl __stack_chk_guard
pcpu_current_task:      // per-CPU current_task (pcpu_hot.current_task before 6.15): `current`
    .quad   current_task
__preempt_count:        // per-CPU, need-resched bit inverted: PREEMPT_ENABLED, preemptible
    .long   PREEMPT_ENABLED
cpu_number:             // per-CPU cpu_number (pcpu_hot.cpu_number before 6.15): CPU 0
    .long   0
this_cpu_off:           // per-CPU this_cpu_off: CPU 0's per-CPU offset, 0 (sim/layout.h)
    .quad   0
__stack_chk_guard:      // per-CPU stack canary (fixed_percpu_data.stack_canary before 6.15)
    .quad   0x2f1c6b8e5d4a3907
    .balign 64
    .globl runqueues
runqueues:              // per-CPU struct rq: this CPU's runqueue
    .long   0                               // nr_pinned
    .balign 64
    .globl current_task
current_task:           // the task_struct the traced call runs in
    .word   0                               // migration_disabled
    .balign 4
    // rcu_read_lock_nesting: 1, the RCU read section of the traced function's caller. The
    // booted BPF bench calls it from its trigger program, which runs in one (its
    // __rcu_read_unlock returns without the outermost unlock's special check).
    .long   1
    .long   0                               // rcu_read_unlock_special.s
    .balign 8
    .quad   0                               // bpf_ctx
    .quad   current_task + TASK_CPUS_MASK   // cpus_ptr: the task's own mask, no affinity change
    .quad   1                               // cpus_mask: CPU 0
    .quad   0                               // trace_recursion: no guard bit held
    .quad   0                               // rethooks.first: none pending
    .byte   0, 0, 0, 0                      // perf_recursion[4]: no perf event being handled
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
