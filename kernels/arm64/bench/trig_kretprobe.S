// trig-kretprobe (arm64): the bench's kretprobe program. arm64 has no KRETPROBE_ON_RETHOOK:
// the entry is a BRK kprobe on the first NOP (simulated, 6.13+) with pre_handler_kretprobe,
// the return goes through __kretprobe_trampoline's BRK (6.9+, kretprobe_brk.S) ->
// kretprobe_trampoline_handler -> rp->handler = kretprobe_dispatcher (Linux v6.14
// kernel/trace/trace_kprobe.c; kretprobe_perf_func inlined) -> trace_call_bpf
// (trig_trace_call_bpf.inc) -> the bench's program (trig_prog.S) with the exception's pt_regs.
// Two exceptions per hit. Written from the kernel's effects, not copied.
// pre_handler_kretprobe and kretprobe_trampoline_handler are kretprobe.S's (kernel/kprobes.c
// v6.14); here is the data they use: the trace_kprobe's rp has no entry_handler (the bench
// program has no entry args), the handler is kretprobe_dispatcher, called with ri in x1.
// kretprobe_dispatcher(ri, regs): rp = get_kretprobe(ri) (ri->rph->rp; NULL: return 0);
// tk = container_of; raw_cpu_inc(*tk->nhit); TP_FLAG_TRACE clear; TP_FLAG_PROFILE set ->
// kretprobe_perf_func: bpf_prog_array_valid(call) && !trace_call_bpf(call, regs) -> return;
// return 0. Simplified as kretprobe.S and trig_kprobe.S.
    .set    RI_RPH, 24                      // ri->rph (-> rp); kretprobe.S has the rest
    .set    TK_NHIT, -16                    // trace_kprobe.nhit, relative to its rp
    .set    TK_TP_EVENT, 32                 // trace_kprobe.tp.event, relative to its rp
    .include "trig_bpf_layout.inc"

    .text
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
    .globl probed_kretprobe
probed_kretprobe:                           // rp: entry_handler, handler, freelist, kp.addr
    .quad   0, kretprobe_dispatcher, trig_kretprobe_pool, traced_func
    .quad   trig_kret_tp_event              // tp.event
    .balign 64
trig_kretprobe_rph:                         // struct kretprobe_holder: rp
    .quad   probed_kretprobe
    .balign 64
    .globl kretprobe_instances
kretprobe_instances:                        // current->kretprobe_instances
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
