// `current` and the per-CPU state the arm64 BPF runtime (bpf_tramp_runtime.S) reaches as the
// kernel does: the task through sp_el0, per-CPU variables at their address plus tpidr_el1 (CPU
// 0's per-CPU offset, 0: these are CPU 0's copies; sim/layout.h). Field offsets: task.inc.
    .include "task.inc"
    .data
    .balign 64
    .globl current_task
current_task:                               // the task the traced call runs in (sp_el0)
    .quad   0                               // thread_info.flags
    .quad   0                               // thread_info.preempt_count
    .long   0                               // thread_info.cpu: 0
    .long   0
    .hword  0                               // migration_disabled
    .balign 8
    .quad   0                               // bpf_ctx
    .quad   current_task + TASK_CPUS_MASK   // cpus_ptr: the task's own mask
    .quad   1                               // cpus_mask: CPU 0
    .quad   0x5d4a39072f1c6b8e              // stack_canary
    .balign 64
    .globl runqueues
runqueues:                                  // per-CPU struct rq
    .long   0                               // nr_pinned
