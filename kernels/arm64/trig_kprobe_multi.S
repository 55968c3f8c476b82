// trig-kprobe-multi (arm64): the bench's kprobe.multi program on fprobe on fgraph (6.14:
// ftrace_caller.S -> fgraph.S -> fprobe.S), with the link's entry handler of Linux v6.14
// kernel/trace/bpf_trace.c: kprobe_multi_link_handler -> kprobe_multi_link_prog_run(link,
// get_entry_ip(ip) (= ip: the IBT fix-up is x86-only), fregs, false, data):
// __this_cpu_inc_return(bpf_prog_active) == 1, rcu_read_lock (free),
// ftrace_partial_regs = arm64's copy of x0-x8, fp, lr, sp, pc into the per-CPU pt_regs (arm64
// has no HAVE_FTRACE_REGS_HAVING_PT_REGS; as fprobe_bpf.S), bpf_set_run_ctx (run ctx on the
// stack: is_return, data, link, entry_ip), bpf_prog_run = prog->bpf_func(regs, insnsi) by
// pointer (stats off), reset, __this_cpu_dec; the handler returns 0 (not a session program:
// is_kprobe_session tests the prog's attach type). No migrate_disable: v6.14 relies on fgraph
// not migrating (its comment in kprobe_multi_link_prog_run). Written from the kernel's effects.
// NOT faithful: the link has no exit handler, so v6.14 fprobe_entry returns 0 and fgraph
// drops the return hook; fgraph.S/fprobe.S always hook the return (as on x86_64), so this path
// also pays return_to_handler + fprobe_return (which finds no exit handler) (docs/bpf-bench.md).
    .set    RC_SAVED, 0                     // bpf_kprobe_multi_run_ctx in prog_run's frame (+48)
    .set    RC_IS_RETURN, 8
    .set    RC_DATA, 16
    .set    RC_LINK, 24
    .set    RC_ENTRY_IP, 32
    .set    PROG_FUNC, 8                    // trig_prog.S layout
    .set    PROG_INSNSI, 16
    .set    PROG_ATTACH_TYPE, 24            // bpf_prog->expected_attach_type (ours: after insnsi)
    .set    LINK_PROG, 24                   // link.prog, after the fprobe (ours)
    .set    BPF_TRACE_KPROBE_SESSION, 56    // enum bpf_attach_type (v6.14)

    .text
// kprobe_multi_link_handler(fp, ip, ret_ip, fregs, data), reached as (ip, ret_ip, fp, fregs)
trig_kmulti_handler:
phase.dispatch.trig_kmulti_handler:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     x19, [sp, #16]
    mov     x19, x2                         // link = container_of(fp): fp first in our link
    mov     x1, x0                          // entry_ip = get_entry_ip(ip) = ip
    mov     x0, x19
    bl      trig_kmulti_prog_run
    ldr     x9, [x19, #LINK_PROG]           // is_kprobe_session(link->link.prog)
    ldr     w9, [x9, #PROG_ATTACH_TYPE]
    cmp     w9, #BPF_TRACE_KPROBE_SESSION
    csel    w0, w0, wzr, eq
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

// kprobe_multi_link_prog_run(link, entry_ip, fregs, is_return, data); fregs in x3 here
trig_kmulti_prog_run:
phase.dispatch.trig_kmulti_prog_run:
    stp     x29, x30, [sp, #-96]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    str     x21, [sp, #32]
    mov     x19, x0                         // link
    str     xzr, [sp, #48 + RC_IS_RETURN]   // run_ctx = { is_return, data, link, entry_ip }
    str     xzr, [sp, #48 + RC_DATA]
    stp     x0, x1, [sp, #48 + RC_LINK]
    adrp    x9, bpf_prog_active             // __this_cpu_inc_return(bpf_prog_active) != 1
    ldr     x10, [x9, :lo12:bpf_prog_active]
    add     x10, x10, #1
    str     x10, [x9, :lo12:bpf_prog_active]
    cmp     x10, #1
    b.ne    8f
    mov     x0, x3                          // regs = ftrace_partial_regs(fregs, per-CPU regs)
    adrp    x1, trig_kmulti_pt_regs
    add     x1, x1, :lo12:trig_kmulti_pt_regs
    bl      trig_ftrace_partial_regs
    mov     x20, x0
    adrp    x9, current_bpf_ctx             // old = bpf_set_run_ctx(&run_ctx)
    ldr     x21, [x9, :lo12:current_bpf_ctx]
    add     x10, sp, #48
    str     x10, [x9, :lo12:current_bpf_ctx]
    ldr     x9, [x19, #LINK_PROG]           // bpf_prog_run(link->link.prog, regs)
    mov     x0, x20
    add     x1, x9, #PROG_INSNSI
    ldr     x10, [x9, #PROG_FUNC]
    blr     x10
    adrp    x9, current_bpf_ctx             // bpf_reset_run_ctx(old)
    str     x21, [x9, :lo12:current_bpf_ctx]
1:  adrp    x9, bpf_prog_active             // __this_cpu_dec(bpf_prog_active)
    ldr     x10, [x9, :lo12:bpf_prog_active]
    sub     x10, x10, #1
    str     x10, [x9, :lo12:bpf_prog_active]
    ldr     x21, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #96
    ret
8:  mov     w0, #1                          // err = 1 (misses counter not modeled)
    b       1b

// ftrace_partial_regs(fregs, regs): arm64's copy (an inline in the kernel), as fprobe_bpf.S
trig_ftrace_partial_regs:
phase.dispatch.trig_ftrace_partial_regs:
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
fprobe_instance:                            // bpf_kprobe_multi_link: fp {entry_handler, exit_handler, flags}
    .quad   trig_kmulti_handler, 0, 0       // no exit handler: a kprobe.multi (not session) link
    .quad   trig_prog                       // link.prog
    .balign 64
trig_kmulti_pt_regs:                        // per-CPU pt_regs
    .zero   S_SIZE
