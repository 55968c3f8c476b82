// A registered kretprobe on traced_func whose entry_handler and handler are the tracer's
// (path kretprobe), the task's instance list and a two-instance pool. Data only; layout in
// kretprobe.S.
    .data
    .balign 64
    .globl probed_kretprobe
probed_kretprobe:                           // entry_handler, handler, freelist, kp.addr
    .quad   tracer_entry_func, tracer_exit_func, kretprobe_instance_pool, traced_func
    .balign 64
    .globl kretprobe_instances
kretprobe_instances:                        // current->kretprobe_instances
    .quad   0
    .balign 64
kretprobe_instance_pool:                    // two instances on the freelist: next, ret_addr, fp
    .quad   kretprobe_instance_pool + 32, 0, 0, 0
    .quad   0, 0, 0, 0
