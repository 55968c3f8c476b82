// kretprobe, the generic part: the entry pre_handler that hooks the return, and the return
// handler that finds the instance, runs the exit handler and gives back the real address.
// Follows Linux kernel/kprobes.c (pre_handler_kretprobe, __kretprobe_trampoline_handler,
// kretprobe_trampoline_handler; arm64 has no KRETPROBE_ON_RETHOOK) and
// arch/arm64/kernel/probes/kprobes.c arch_prepare_kretprobe. Written from the kernel's effects.
//
// Entry: pop an instance, run entry_handler(ri, regs), record x30 (the return address) and x29,
// replace regs->regs[30] with __kretprobe_trampoline, push the instance on the task's list.
// Exit: the instance on top must carry the same frame pointer; regs->pc = the real return
// address; handler(ri, regs); unlink and recycle; return the address.
// The trampoline is era-specific: kretprobe_v6_1.S (hand-built pt_regs) or kretprobe_brk.S
// (6.9+: a BRK, so the exception entry builds the pt_regs).
// Per-task state (current->kretprobe_instances) is .data; the instance pool is a freelist
// (6.7+ uses an objpool: a per-CPU ring, a few more instructions).
// Handlers in our ABI's positions: entry_handler (ip = kp.addr, parent_ip = the return address,
// rp, regs), handler (ip = kp.addr, ri, rp, regs) as rp->handler(ri, regs).
// Code only: the registered kretprobe (`probed_kretprobe`), the task's instance list
// (`kretprobe_instances`) and the instance pool are data of the path that uses them
// (kretprobe_probe.S: the tracer's handlers; trig_kretprobe.S: the bench's dispatcher).
// Simplified: no nmissed / kprobe_busy_begin/end bookkeeping, no search past the top instance;
// the entry_handler's return value is ignored (non-zero would recycle the instance).
    .set    RI_NEXT, 0                      // struct kretprobe_instance (flattened)
    .set    RI_RET_ADDR, 8
    .set    RI_FP, 16
    .set    RP_ENTRY_HANDLER, 0             // struct kretprobe (the fields we use)
    .set    RP_HANDLER, 8
    .set    RP_FREELIST, 16
    .set    RP_KP_ADDR, 24

    .text
// pre_handler_kretprobe(p, regs), reached as (ip, parent_ip, p, regs) from kprobe_handler
    .globl pre_handler_kretprobe
pre_handler_kretprobe:
phase.dispatch.pre_handler_kretprobe:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    str     x21, [sp, #32]
    mov     x19, x3                         // regs
    adrp    x20, probed_kretprobe
    add     x20, x20, :lo12:probed_kretprobe
    ldr     x21, [x20, #RP_FREELIST]        // freelist_try_get
    cbz     x21, 1f                         // none left: nmissed
    ldr     x9, [x21, #RI_NEXT]
    str     x9, [x20, #RP_FREELIST]
    ldr     x9, [x20, #RP_ENTRY_HANDLER]    // entry_handler(ri, regs), in our handler ABI
    cbz     x9, 2f
    ldr     x1, [x19, #S_X30]
    mov     x2, x20
    mov     x3, x19
    blr     x9
2:
phase.hijack.pre_handler_kretprobe:
    ldp     x9, x10, [x19, #S_X29]          // arch_prepare_kretprobe: x29, x30
    stp     x10, x9, [x21, #RI_RET_ADDR]    // ri->ret_addr, ri->fp
    adrp    x11, __kretprobe_trampoline
    add     x11, x11, :lo12:__kretprobe_trampoline
    str     x11, [x19, #S_X30]              // return into the trampoline
    adrp    x12, kretprobe_instances        // __llist_add(&ri->llist, &current->...)
    ldr     x13, [x12, :lo12:kretprobe_instances]
    str     x13, [x21, #RI_NEXT]
    str     x21, [x12, :lo12:kretprobe_instances]
1:  mov     w0, #0
    ldr     x21, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret

// kretprobe_trampoline_handler(regs, frame_pointer): returns the real return address
    .globl kretprobe_trampoline_handler
kretprobe_trampoline_handler:
phase.hijack.kretprobe_trampoline_handler:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    mov     x19, x0                         // regs
    adrp    x9, kretprobe_instances
    ldr     x20, [x9, :lo12:kretprobe_instances]
    cbz     x20, 9f
    ldp     x21, x10, [x20, #RI_RET_ADDR]   // __kretprobe_find_ret_addr: ret_addr, fp
    cmp     x10, x1                         // WARN_ON(ri->fp != frame_pointer)
    b.ne    9f
    str     x21, [x19, #S_PC]               // instruction_pointer_set(regs, ret_addr)
    adrp    x22, probed_kretprobe
    add     x22, x22, :lo12:probed_kretprobe
    ldr     x9, [x22, #RP_HANDLER]          // rp->handler(ri, regs), in our handler ABI
    cbz     x9, 1f
    ldr     x0, [x22, #RP_KP_ADDR]
    mov     x1, x20
    mov     x2, x22
    mov     x3, x19
    blr     x9
1:  ldr     x9, [x20, #RI_NEXT]             // unlink from current->kretprobe_instances
    adrp    x10, kretprobe_instances
    str     x9, [x10, :lo12:kretprobe_instances]
    ldr     x11, [x22, #RP_FREELIST]        // recycle_rp_inst: back to the freelist
    str     x11, [x20, #RI_NEXT]
    str     x20, [x22, #RP_FREELIST]
    mov     x0, x21
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret
9:  udf     #0                              // no instance for this frame: BUG
