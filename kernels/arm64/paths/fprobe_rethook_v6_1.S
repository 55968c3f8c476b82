// fprobe of the WITH_REGS era (5.18-6.1): ftrace_regs_caller's pt_regs to the entry handler,
// the return hooked through rethook.
// The site calls ftrace_regs_caller.S (v6.1 arch/arm64/kernel/entry-ftrace.S); its ftrace_call
// target `ftrace_ops_func` is the fprobe's ops func, defined here. Follows Linux v6.1
// kernel/trace/fprobe.c (fprobe_handler, fprobe_exit_handler), kernel/trace/rethook.c
// (rethook_try_get, rethook_hook) and arch/arm64/kernel/rethook.c arch_rethook_prepare.
// Written from the kernel's effects.
//
// fprobe_handler: if the fprobe has an entry_handler, call it (fp, ip, regs) with the pt_regs
// (ftrace_get_regs: the frame itself); if it has an exit_handler (else the return is left
// alone), take a rethook node from the pool, record the entry ip, then rethook_hook: arch_rethook_prepare records regs->regs[30] (the return address) and x29 and
// writes arch_rethook_trampoline into the saved LR slot; the node goes on current->rethooks.
// The exit is rethook_trampoline_v6_1.S.
// Per-task state (current->rethooks) and the node pool (a freelist) are .data.
// Simplified: no recursion lock, no nmissed (6.1's entry handler is void: no verdict).
    .set    RHN_NEXT, 0                     // struct fprobe_rethook_node (flattened)
    .set    RHN_RET_ADDR, 8
    .set    RHN_FRAME, 16
    .set    RHN_ENTRY_IP, 24
    .set    FP_ENTRY_HANDLER, 0             // struct fprobe (the fields we use)
    .set    FP_EXIT_HANDLER, 8
    .set    FP_FLAGS, 16
    .set    FP_POOL, 24                     // fp->rethook's free nodes

    .text
// fprobe_handler(ip, parent_ip, ops, fregs): the ops' func at ftrace_regs_caller.S's ftrace_call
    .globl ftrace_ops_func
ftrace_ops_func:
fprobe_handler:
phase.dispatch.fprobe_handler:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    mov     x19, x0                         // ip
    mov     x20, x3                         // regs = ftrace_get_regs(fregs)
    adrp    x21, fprobe_v6_1
    add     x21, x21, :lo12:fprobe_v6_1
    ldr     w9, [x21, #FP_FLAGS]            // fprobe_disabled(fp)
    tbnz    w9, #0, 1f
    ldr     x9, [x21, #FP_ENTRY_HANDLER]    // if (fp->entry_handler)
    cbz     x9, 2f
    mov     x0, x19                         // entry_handler(fp, ip, regs), in our handler ABI
    ldr     x1, [x20, #S_X30]
    mov     x2, x21
    mov     x3, x20
    blr     x9
2:  ldr     x9, [x21, #FP_EXIT_HANDLER]     // if (fp->exit_handler)
    cbz     x9, 1f
    ldr     x22, [x21, #FP_POOL]            // rethook_try_get
    cbz     x22, 1f
    ldr     x9, [x22, #RHN_NEXT]
    str     x9, [x21, #FP_POOL]
    str     x19, [x22, #RHN_ENTRY_IP]       // fpr->entry_ip = ip
phase.hijack.fprobe_handler:
    ldp     x9, x10, [x20, #S_X29]          // arch_rethook_prepare: x29, x30
    stp     x10, x9, [x22, #RHN_RET_ADDR]   // ret_addr, frame
    adrp    x11, arch_rethook_trampoline
    add     x11, x11, :lo12:arch_rethook_trampoline
    str     x11, [x20, #S_X30]              // the trampoline's reload of x30 hooks the return
    adrp    x12, current_rethooks           // __llist_add(&node->llist, &current->rethooks)
    ldr     x13, [x12, :lo12:current_rethooks]
    str     x13, [x22, #RHN_NEXT]
    str     x22, [x12, :lo12:current_rethooks]
1:
phase.dispatch.fprobe_handler_out:
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret

// fprobe_exit_handler(rh, data, regs): exit_handler(fp, entry_ip, regs)
    .globl fprobe_exit_handler
fprobe_exit_handler:
phase.hijack.fprobe_exit_handler:
    ldr     x9, [x1, #FP_EXIT_HANDLER]
    ldr     x0, [x0, #RHN_ENTRY_IP]         // in our handler ABI (ip, ret_ip, fp, regs)
    mov     x3, x2
    mov     x2, x1
    ldr     x1, [x3, #S_PC]                 // the real return address, set by rethook
    br      x9

    .data
    .balign 64
    .globl fprobe_v6_1
fprobe_v6_1:                                // entry_handler, exit_handler, flags, node pool
    .quad   tracer_entry_func, tracer_exit_func, 0, rethook_node_pool
    .balign 64
    .globl current_rethooks
current_rethooks:                           // current->rethooks
    .quad   0
    .balign 64
rethook_node_pool:                          // two nodes: next, ret_addr, frame, entry_ip
    .quad   rethook_node_pool + 32, 0, 0, 0
    .quad   0, 0, 0, 0
