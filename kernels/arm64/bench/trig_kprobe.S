// trig-kprobe (arm64): the bench's kprobe on traced_func's entry, a BRK exception (arm64 has no
// kprobe-on-ftrace): entry_el1.S + kprobes.S (kprobe_handler -> pre_handler -> simulate_nop,
// one exception from 6.13) with pre_handler = kprobe_dispatcher, and the BPF glue of Linux
// v6.14 kernel/trace/trace_kprobe.c kprobe_dispatcher (kprobe_perf_func inlined: static, one
// caller) and kernel/trace/bpf_trace.c trace_call_bpf with include/linux/bpf.h
// bpf_prog_run_array / bpf_prog_run (always-inline). The same sequence as x86_64's
// trig_kprobe.S. Written from the kernel's effects, not copied.
//
// kprobe_dispatcher(kp, regs): raw_cpu_inc(*tk->nhit); TP_FLAG_TRACE clear; TP_FLAG_PROFILE
// set -> kprobe_perf_func: bpf_prog_array_valid(call); orig_ip = instruction_pointer(regs);
// trace_call_bpf(call, regs); pc unchanged and ret == 0 -> return 0 (no perf sample).
// trace_call_bpf: __this_cpu_inc_return(bpf_prog_active) == 1; rcu_read_lock (free);
// bpf_prog_run_array: run ctx on the stack (is_uprobe = false, cookie per item),
// migrate_disable, bpf_set_run_ctx, per item prog->bpf_func(ctx, insnsi) by pointer, ret &=;
// bpf_reset_run_ctx, migrate_enable; __this_cpu_dec(bpf_prog_active).
// Arguments: kprobes.S calls the pre_handler in our handler ABI (ip, parent_ip, p, regs): p in
// x2, regs in x3 (the kernel: x0, x1). Simplified: per-CPU words are .data (no tpidr_el1
// offset add), migrate_disable/enable are the per-task count, the miss and perf-sample paths
// stop with brk #0x800 (never taken by the bench); struct offsets are ours.
    .set    TK_NHIT, -16                    // trace_kprobe.nhit, relative to its kprobe
    .set    TK_TP_EVENT, 48                 // trace_kprobe.tp.event, relative to its kprobe
    .include "trig_bpf_layout.inc"

    .text
kprobe_dispatcher:                          // (ip, -, kp, regs) -> 0
phase.dispatch.trig_kprobe_dispatcher:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    str     x21, [sp, #32]
    mov     x19, x2                         // kp (tk = container_of: folded into the offsets)
    mov     x20, x3                         // regs
    ldur    x9, [x19, #TK_NHIT]             // raw_cpu_inc(*tk->nhit)
    ldr     x10, [x9]
    add     x10, x10, #1
    str     x10, [x9]
    ldr     x9, [x19, #TK_TP_EVENT]
    ldr     w10, [x9, #EV_FLAGS]
    tbnz    w10, #0, 8f                     // TP_FLAG_TRACE: the ftrace event, not modeled
    tbz     w10, #1, 1f                     // TP_FLAG_PROFILE
    add     x0, x9, #EV_CALL                // call = trace_probe_event_call(&tk->tp)
    ldr     x10, [x0, #CALL_PROG_ARRAY]     // bpf_prog_array_valid(call)
    cbz     x10, 8f
    ldr     x21, [x20, #S_PC]               // orig_ip
    mov     x1, x20
    bl      trace_call_bpf
    ldr     x9, [x20, #S_PC]
    cmp     x9, x21
    b.ne    2f                              // the program moved the pc: return 1
    cbnz    w0, 8f                          // non-zero: on to the perf sample
1:  mov     w0, #0
    ldr     x21, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret
2:  mov     w0, #1
    ldr     x21, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret
8:  brk     #0x800                          // not modeled

    .include "trig_trace_call_bpf.inc"

    .data
    .balign 64
trig_trace_kprobe:                          // struct trace_kprobe: nhit, symbol, rp.kp, tp
    .quad   trig_kprobe_nhit
    .quad   0
    .globl probed_kprobe
probed_kprobe:                              // kprobes.S layout: addr, pre_handler, slot, simulate, restore, opcode
    .quad   traced_func, kprobe_dispatcher, 0, simulate_nop, 0, 0xd503201f
    .quad   trig_tp_event                   // tp.event
    .balign 64
trig_tp_event:                              // struct trace_probe_event
    .quad   2                               // flags: TP_FLAG_PROFILE (perf / BPF only)
    .zero   56
    .zero   32                              // call: ...
    .quad   trig_prog_array                 // call.prog_array
    .balign 64
trig_prog_array:                            // struct bpf_prog_array: items[], NULL-terminated
    .quad   trig_prog, 0
    .quad   0, 0
    .balign 64
    .globl trig_kprobe_nhit
trig_kprobe_nhit:
    .quad   0
    .balign 64
    .globl kernel_break_hooks
kernel_break_hooks:                         // registered el1 break hooks: imm, fn
    .quad   KPROBES_BRK_IMM, kprobe_breakpoint_handler
    .quad   KPROBES_BRK_SS_IMM, kprobe_breakpoint_ss_handler
    .quad   0, 0
