// trig-kretprobe (arm64): the bench's kretprobe program. arm64 has no KRETPROBE_ON_RETHOOK:
// the entry is a BRK kprobe on the first NOP (simulated, 6.13+) with pre_handler_kretprobe,
// the return goes through __kretprobe_trampoline's BRK (6.9+, kretprobe_brk.S) ->
// kretprobe_trampoline_handler -> rp->handler = kretprobe_dispatcher (Linux v6.14
// kernel/trace/trace_kprobe.c; kretprobe_perf_func inlined) -> trace_call_bpf
// (trig_trace_call_bpf.inc) -> the bench's program (trig_prog.S) with the exception's pt_regs.
// Two exceptions per hit. Written from the kernel's effects, not copied.
// pre_handler_kretprobe and kretprobe_trampoline_handler are kretprobe.S's sequence (kernel/
// kprobes.c v6.14) with their own data: the trace_kprobe's rp has no entry_handler (the bench
// program has no entry args), the handler is kretprobe_dispatcher, called with ri in x1.
// kretprobe_dispatcher(ri, regs): rp = get_kretprobe(ri) (ri->rph->rp; NULL: return 0);
// tk = container_of; raw_cpu_inc(*tk->nhit); TP_FLAG_TRACE clear; TP_FLAG_PROFILE set ->
// kretprobe_perf_func: bpf_prog_array_valid(call) && !trace_call_bpf(call, regs) -> return;
// return 0. Simplified as kretprobe.S and trig_kprobe.S.
    .set    RI_NEXT, 0                      // struct kretprobe_instance (flattened)
    .set    RI_RET_ADDR, 8
    .set    RI_FP, 16
    .set    RI_RPH, 24                      // ri->rph (-> rp)
    .set    RP_ENTRY_HANDLER, 0             // struct kretprobe (the fields we use)
    .set    RP_HANDLER, 8
    .set    RP_FREELIST, 16
    .set    RP_KP_ADDR, 24
    .set    TK_NHIT, -16                    // trace_kprobe.nhit, relative to its rp
    .set    TK_TP_EVENT, 32                 // trace_kprobe.tp.event, relative to its rp
    .set    EV_FLAGS, 0
    .set    EV_CALL, 64
    .set    CALL_PROG_ARRAY, 32
    .set    ITEM_PROG, 0
    .set    ITEM_COOKIE, 8
    .set    ITEM_SIZE, 16
    .set    PROG_FUNC, 8                    // trig_prog.S layout
    .set    PROG_INSNSI, 16
    .set    RC_SAVED, 48                    // bpf_trace_run_ctx in trace_call_bpf's frame
    .set    RC_COOKIE, 56
    .set    RC_IS_UPROBE, 64

    .text
// pre_handler_kretprobe(p, regs), reached as (ip, parent_ip, p, regs) from kprobe_handler
    .globl pre_handler_kretprobe
pre_handler_kretprobe:
phase.dispatch.trig_pre_handler_kretprobe:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    str     x21, [sp, #32]
    mov     x19, x3                         // regs
    adrp    x20, trig_kretprobe_rp
    add     x20, x20, :lo12:trig_kretprobe_rp
    ldr     x21, [x20, #RP_FREELIST]        // freelist_try_get
    cbz     x21, 1f                         // none left: nmissed
    ldr     x9, [x21, #RI_NEXT]
    str     x9, [x20, #RP_FREELIST]
    ldr     x9, [x20, #RP_ENTRY_HANDLER]    // rp->entry_handler: NULL for the bench
    cbnz    x9, 8f
phase.hijack.trig_pre_handler_kretprobe:
    ldp     x9, x10, [x19, #S_X29]          // arch_prepare_kretprobe: x29, x30
    stp     x10, x9, [x21, #RI_RET_ADDR]    // ri->ret_addr, ri->fp
    adrp    x11, __kretprobe_trampoline
    add     x11, x11, :lo12:__kretprobe_trampoline
    str     x11, [x19, #S_X30]              // return into the trampoline
    adrp    x12, trig_kretprobe_instances   // __llist_add(&ri->llist, &current->...)
    ldr     x13, [x12, :lo12:trig_kretprobe_instances]
    str     x13, [x21, #RI_NEXT]
    str     x21, [x12, :lo12:trig_kretprobe_instances]
1:  mov     w0, #0
    ldr     x21, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret
8:  brk     #0x800                          // an entry_handler: not modeled

// kretprobe_trampoline_handler(regs, frame_pointer): returns the real return address
    .globl kretprobe_trampoline_handler
kretprobe_trampoline_handler:
phase.hijack.trig_kretprobe_trampoline_handler:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    mov     x19, x0                         // regs
    adrp    x9, trig_kretprobe_instances
    ldr     x20, [x9, :lo12:trig_kretprobe_instances]
    cbz     x20, 9f
    ldp     x21, x10, [x20, #RI_RET_ADDR]   // __kretprobe_find_ret_addr: ret_addr, fp
    cmp     x10, x1                         // WARN_ON(ri->fp != frame_pointer)
    b.ne    9f
    str     x21, [x19, #S_PC]               // instruction_pointer_set(regs, ret_addr)
    adrp    x22, trig_kretprobe_rp
    add     x22, x22, :lo12:trig_kretprobe_rp
    ldr     x9, [x22, #RP_HANDLER]          // rp->handler(ri, regs): (ip, ri, rp, regs) here
    cbz     x9, 1f
    ldr     x0, [x22, #RP_KP_ADDR]
    mov     x1, x20
    mov     x2, x22
    mov     x3, x19
    blr     x9
1:  ldr     x9, [x20, #RI_NEXT]             // unlink from current->kretprobe_instances
    adrp    x10, trig_kretprobe_instances
    str     x9, [x10, :lo12:trig_kretprobe_instances]
    ldr     x11, [x22, #RP_FREELIST]        // recycle_rp_inst: back to the freelist
    str     x11, [x20, #RI_NEXT]
    str     x20, [x22, #RP_FREELIST]
    mov     x0, x21
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret
9:  udf     #0                              // no instance for this frame: BUG

// kretprobe_dispatcher(ri, regs), reached as (ip, ri, rp, regs)
kretprobe_dispatcher:
phase.dispatch.trig_kretprobe_dispatcher:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     x19, [sp, #16]
    ldr     x9, [x1, #RI_RPH]               // rp = get_kretprobe(ri): ri->rph->rp
    ldr     x19, [x9]
    cbz     x19, 1f
    ldur    x9, [x19, #TK_NHIT]             // raw_cpu_inc(*tk->nhit)
    ldr     x10, [x9]
    add     x10, x10, #1
    str     x10, [x9]
    ldr     x9, [x19, #TK_TP_EVENT]
    ldr     w10, [x9, #EV_FLAGS]
    tbnz    w10, #0, 8f                     // TP_FLAG_TRACE: not modeled
    tbz     w10, #1, 1f                     // TP_FLAG_PROFILE
    add     x0, x9, #EV_CALL                // kretprobe_perf_func: call
    ldr     x10, [x0, #CALL_PROG_ARRAY]     // bpf_prog_array_valid(call)
    cbz     x10, 8f
    mov     x1, x3
    bl      trace_call_bpf
    cbnz    w0, 8f                          // non-zero: on to the perf sample
1:  mov     w0, #0
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret
8:  brk     #0x800                          // not modeled

    .include "trig_trace_call_bpf.inc"

    .data
    .balign 64
trig_trace_kretprobe:                       // struct trace_kprobe: nhit, symbol, rp, tp
    .quad   trig_kretprobe_nhit
    .quad   0
trig_kretprobe_rp:                          // entry_handler, handler, freelist, kp.addr
    .quad   0, kretprobe_dispatcher, trig_kretprobe_pool, traced_func
    .quad   trig_kret_tp_event              // tp.event
    .balign 64
trig_kretprobe_rph:                         // struct kretprobe_holder: rp
    .quad   trig_kretprobe_rp
    .balign 64
trig_kretprobe_instances:                   // current->kretprobe_instances
    .quad   0
    .balign 64
trig_kretprobe_pool:                        // two instances: next, ret_addr, fp, rph
    .quad   trig_kretprobe_pool + 32, 0, 0, trig_kretprobe_rph
    .quad   0, 0, 0, trig_kretprobe_rph
    .balign 64
trig_kret_tp_event:                         // struct trace_probe_event
    .quad   2                               // flags: TP_FLAG_PROFILE
    .zero   56
    .zero   32                              // call: ...
    .quad   trig_kret_prog_array            // call.prog_array
    .balign 64
trig_kret_prog_array:                       // items[], NULL-terminated
    .quad   trig_prog, 0
    .quad   0, 0
    .balign 64
    .globl trig_kretprobe_nhit
trig_kretprobe_nhit:
    .quad   0
