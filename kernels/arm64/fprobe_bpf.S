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

    .text
// kprobe_multi_link_handler(fp, entry_ip, ret_ip, fregs, data) / the exit one, reached as
// (ip, ret_ip, fp, fregs) from fprobe.S
kprobe_multi_link_handler:
phase.dispatch.kprobe_multi_link_handler:
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    mov     w4, #0                          // is_return
    bl      kprobe_multi_link_prog_run
    ldp     x29, x30, [sp], #16
    ret

kprobe_multi_link_exit_handler:
phase.hijack.kprobe_multi_link_exit_handler:
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    mov     w4, #1                          // is_return
    bl      kprobe_multi_link_prog_run
    ldp     x29, x30, [sp], #16
    ret

// kprobe_multi_link_prog_run(link, entry_ip, fregs, is_return, data) (both sides share it;
// its phase is dispatch for entry and exit alike)
kprobe_multi_link_prog_run:
phase.dispatch.kprobe_multi_link_prog_run:
    stp     x29, x30, [sp, #-64]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    str     x23, [sp, #48]
    mov     x19, x0
    mov     x20, x1
    mov     x21, x3                         // fregs
    mov     w23, w4                         // is_return
    adrp    x9, bpf_prog_active             // __this_cpu_inc_return(bpf_prog_active)
    ldr     w10, [x9, :lo12:bpf_prog_active]
    add     w10, w10, #1
    str     w10, [x9, :lo12:bpf_prog_active]
    cmp     w10, #1
    b.ne    1f                              // a prog already runs here: bpf_prog_inc_misses_counter
    adrp    x9, bpf_run_ctx                 // old_run_ctx = bpf_set_run_ctx(&run_ctx)
    ldr     x22, [x9, :lo12:bpf_run_ctx]
    add     x10, sp, #56                    // (a stack slot stands for the run_ctx)
    str     x10, [x9, :lo12:bpf_run_ctx]
    mov     x0, x21                         // regs = ftrace_partial_regs(fregs, per-CPU regs)
    adrp    x1, bpf_kprobe_multi_pt_regs
    add     x1, x1, :lo12:bpf_kprobe_multi_pt_regs
    bl      ftrace_partial_regs
    mov     x3, x0                          // bpf_prog_run(link->prog, regs)
    mov     x0, x19
    mov     x1, x20
    adrp    x2, kprobe_multi_link
    add     x2, x2, :lo12:kprobe_multi_link
    ldr     x9, [x2, w23, uxtw #3]          // the session program's entry or exit run
    blr     x9
    adrp    x9, bpf_run_ctx                 // bpf_reset_run_ctx(old_run_ctx)
    str     x22, [x9, :lo12:bpf_run_ctx]
1:  adrp    x9, bpf_prog_active             // __this_cpu_dec(bpf_prog_active)
    ldr     w10, [x9, :lo12:bpf_prog_active]
    sub     w10, w10, #1
    str     w10, [x9, :lo12:bpf_prog_active]
    mov     w0, #0
    ldr     x23, [sp, #48]
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #64
    ret

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
    .globl fprobe_instance
fprobe_instance:                            // the link's fprobe: entry_handler, exit_handler, flags
    .quad   kprobe_multi_link_handler, kprobe_multi_link_exit_handler, 0
    .balign 64
kprobe_multi_link:                          // the program's bpf_func, run at entry / at exit
    .quad   tracer_entry_func, tracer_exit_func
    .balign 64
bpf_prog_active:                            // per-CPU
    .quad   0
bpf_run_ctx:                                // current->bpf_ctx
    .quad   0
    .balign 64
bpf_kprobe_multi_pt_regs:                   // per-CPU pt_regs; never cleared
    .rept   S_SIZE / 8
    .quad   0x5a5a5a5a5a5a5a5a
    .endr
