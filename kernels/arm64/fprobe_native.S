// BPF kprobe_multi on fprobe as the talk proposes: the program reads the ftrace_regs itself.
// Same as fprobe_bpf.S (Linux v6.14 kernel/trace/bpf_trace.c kprobe_multi_link_prog_run on
// fprobe on fgraph) minus ftrace_partial_regs: bpf_prog_run gets the fregs pointer, so no copy,
// no per-CPU pt_regs, and nothing stale is handed out (the program's context type would be
// ftrace_regs, read through BTF accessors). Not in any kernel: the proposal, modelled.
//
// The link is a session link (entry and exit handler, one program); our handler ABI splits it
// into the entry and exit handler. Per-CPU state (bpf_prog_active, current->bpf_ctx) is .data.
// Simplified as fprobe_bpf.S: no migrate_disable / rcu_read_lock, no session cookie.
    .text
// kprobe_multi_link_handler(fp, entry_ip, ret_ip, fregs, data) / the exit one, reached as
// (ip, ret_ip, fp, fregs) from fprobe.S
kprobe_multi_link_handler:
phase.dispatch.kprobe_multi_link_handler_native:
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    mov     w4, #0                          // is_return
    bl      kprobe_multi_link_prog_run
    ldp     x29, x30, [sp], #16
    ret

kprobe_multi_link_exit_handler:
phase.hijack.kprobe_multi_link_exit_handler_native:
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    mov     w4, #1                          // is_return
    bl      kprobe_multi_link_prog_run
    ldp     x29, x30, [sp], #16
    ret

// kprobe_multi_link_prog_run(link, entry_ip, fregs, is_return, data) (both sides share it;
// its phase is dispatch for entry and exit alike)
kprobe_multi_link_prog_run:
phase.dispatch.kprobe_multi_link_prog_run_native:
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
    mov     x3, x21                         // bpf_prog_run(link->prog, fregs)
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
