// BPF kprobe_multi on fprobe: the program gets a pt_regs COPIED from the ftrace_regs.
// Follows Linux v6.14 kernel/trace/bpf_trace.c (kprobe_multi_link_handler,
// kprobe_multi_link_exit_handler, kprobe_multi_link_prog_run) and
// arch/arm64/include/asm/ftrace.h ftrace_partial_regs. Written from the kernel's effects.
//
// arm64 does not select HAVE_FTRACE_REGS_HAVING_PT_REGS, so ftrace_partial_regs copies x0-x8,
// sp, pc, x29 <- fp and x30 <- lr into a per-CPU pt_regs (bpf_kprobe_multi_pt_regs). pstate,
// x9-x28, orig_x0 and the rest keep whatever the buffer held: here the poison
// 0x5a5a5a5a5a5a5a5a, so the staleness is visible. At exit the same copy takes x8, lr and sp
// from return_to_handler's frame, which never wrote them (stack contents).
//
// Per-CPU state (bpf_prog_active, the pt_regs buffer, current->bpf_ctx) is modelled as .data.
// The link is a session link (kprobe.session, 6.10+: entry_handler and exit_handler set, one
// program run at both); our handler ABI splits that program into the entry and exit handler.
// Simplified: no migrate_disable / rcu_read_lock (no-ops on one CPU), no session cookie, no
// get_entry_ip fix-up, the program is one JITed prog called through its bpf_func pointer.

    .include "kprobe_multi_link.inc"
    kprobe_multi_link convert=1

// ftrace_partial_regs(fregs, regs): the arm64 copy (an inline function in the kernel)
ftrace_partial_regs:
phase.dispatch.ftrace_partial_regs:
    ldp     x9, x10, [x0, #FREGS_X0]
    stp     x9, x10, [x1, #S_X0]
    ldp     x9, x10, [x0, #FREGS_X2]
    stp     x9, x10, [x1, #S_X2]
    ldp     x9, x10, [x0, #FREGS_X4]
    stp     x9, x10, [x1, #S_X4]
    ldp     x9, x10, [x0, #FREGS_X6]
    stp     x9, x10, [x1, #S_X6]
    ldr     x9, [x0, #FREGS_X8]
    str     x9, [x1, #S_X8]
    ldp     x9, x10, [x0, #FREGS_FP]        // fp, lr -> x29, x30
    stp     x9, x10, [x1, #S_X29]
    ldp     x9, x10, [x0, #FREGS_SP]        // sp, pc
    stp     x9, x10, [x1, #S_SP]
    mov     x0, x1
    ret

    .data
    .balign 64
bpf_kprobe_multi_pt_regs:                   // per-CPU pt_regs; never cleared
    .rept   S_SIZE / 8
    .quad   0x5a5a5a5a5a5a5a5a
    .endr
