// rethook on x86_64 as the lean model of the 6.1 era (the freelist pool): the shared
// arch_rethook_trampoline (macros/rethook_trampoline.inc), arch_rethook_trampoline_callback
// (arch/x86/kernel/rethook.c) and models of rethook_try_get, rethook_hook /
// arch_rethook_prepare and rethook_trampoline_handler (kernel/trace/rethook.c), linked by
// fprobe-rethook 6.1 (rethook.S is the objpool rethook of 6.7+, as 6.12 runs it). The handler
// gets v6.14's (node, data, ret_addr, regs); 6.1 passed (node, data, regs). Written from the
// kernel's effects, not copied. Linked with one file defining `the_rethook`
// (fprobe_rethook.S).
//
// Entry side (hijack): rethook_try_get pops a node from the rethook's pool; rethook_hook saves
// the return address at regs->sp and that slot's address (frame), writes
// arch_rethook_trampoline over it and pushes the node on the task's rethooks list.
// Exit: the trampoline builds a pt_regs (rethook_trampoline.inc). The callback fakes cs =
// __KERNEL_CS, ip, orig_ax = ~0, sp += 16; the handler sets ip to the real return address,
// calls the node's handler, writes the real return address over the fake one (frame = regs +
// 1), unlinks and recycles the node; the callback copies flags into the ss slot, so the
// epilogue pops the GPRs, skips flags and sp, popfq's the copy and `ret`s.
//
// State: the task's rethooks list and the node pool are globals. Simplified: the pool (a
// lock-free freelist in 6.1) is a plain singly linked list; __rethook_find_ret_addr is the
// first node (one pending return); preempt_disable and the
// rcu_is_watching test are left out.
    .include "pt_regs_stack.inc"
    .include "rethook_trampoline.inc"
    .equ    RHN_NEXT, 0         // llist node / pool link
    .equ    RHN_RETHOOK, 8
    .equ    RHN_RET_ADDR, 16
    .equ    RHN_FRAME, 24
    .equ    RHN_ENTRY_IP, 32    // fprobe_rethook_node.entry_ip
    .equ    RHN_SIZE, 48
    .equ    RH_DATA, 0
    .equ    RH_HANDLER, 8

    .text
    rethook_trampoline

    // global under the kernel's name: `tracesim kernel` points a real image's
    // arch_rethook_trampoline's call at this model (docs/real-kernel.md)
    .globl arch_rethook_trampoline_callback
arch_rethook_trampoline_callback:   // (regs)
phase.hijack.arch_rethook_trampoline_callback:
    pushq   %rbx
    movq    %rdi, %rbx
    movq    $KERNEL_CS, PT_CS(%rdi)
    leaq    arch_rethook_trampoline(%rip), %rax
    movq    %rax, PT_IP(%rdi)
    movq    $-1, PT_ORIG_AX(%rdi)
    addq    $16, PT_SP(%rdi)                // the SP after the traced function's ret
    leaq    PT_SIZE(%rdi), %rsi             // frame: the fake return address slot
    call    rethook_trampoline_handler
    movq    PT_FLAGS(%rbx), %rax            // for popfq right before ret
    movq    %rax, PT_SS(%rbx)
    popq    %rbx
    ret

rethook_trampoline_handler:     // (regs, frame) -> correct return address
phase.hijack.rethook_trampoline_handler:
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    movq    %rdi, %r12                      // regs
    movq    current_rethooks(%rip), %rbx    // __rethook_find_ret_addr: the pending node
    movq    RHN_RET_ADDR(%rbx), %r13        // correct_ret_addr
    movq    %r13, PT_IP(%r12)               // instruction_pointer_set(regs, correct_ret_addr)
    cmpq    RHN_FRAME(%rbx), %rsi           // WARN_ON_ONCE(rhn->frame != frame)
    jne     .Lframe_mismatch
    movq    RHN_RETHOOK(%rbx), %rax
    movq    %rbx, %rdi
    movq    RH_DATA(%rax), %rsi
    movq    %r13, %rdx
    movq    %r12, %rcx
    call    *RH_HANDLER(%rax)               // handler(rhn, data, ret_addr, regs)
    movq    %r13, PT_SIZE(%r12)             // arch_rethook_fixup_return: the real return address
    movq    RHN_NEXT(%rbx), %rax            // unlink: current->rethooks.first = node->next
    movq    %rax, current_rethooks(%rip)
    movq    rethook_pool(%rip), %rax        // rethook_recycle(node)
    movq    %rax, RHN_NEXT(%rbx)
    movq    %rbx, rethook_pool(%rip)
    movq    %r13, %rax
    popq    %r13
    popq    %r12
    popq    %rbx
    ret
.Lframe_mismatch:
    ud2

    .globl rethook_try_get
rethook_try_get:                // (rh) -> node or 0
phase.hijack.rethook_try_get:
    cmpq    $0, RH_HANDLER(%rdi)            // a rethook being freed has no handler
    je      .Lnone
    movq    rethook_pool(%rip), %rax        // pop a node
    testq   %rax, %rax
    jz      .Lnone
    movq    RHN_NEXT(%rax), %rdx
    movq    %rdx, rethook_pool(%rip)
    ret
.Lnone:
    xorl    %eax, %eax
    ret

    .globl rethook_hook
rethook_hook:                   // (node, regs, mcount)
phase.hijack.rethook_hook:
    movq    PT_SP(%rsi), %rax               // arch_rethook_prepare: stack = regs->sp
    movq    (%rax), %rdx
    movq    %rdx, RHN_RET_ADDR(%rdi)        // rh->ret_addr = stack[0]
    movq    %rax, RHN_FRAME(%rdi)           // rh->frame = regs->sp
    leaq    arch_rethook_trampoline(%rip), %rdx
    movq    %rdx, (%rax)                    // stack[0] = arch_rethook_trampoline
    movq    current_rethooks(%rip), %rdx    // __llist_add(&node->llist, &current->rethooks)
    movq    %rdx, RHN_NEXT(%rdi)
    movq    %rdi, current_rethooks(%rip)
    ret

    .data
    .balign 64
current_rethooks:               // current->rethooks.first
    .quad   0
rethook_pool:                   // the rethook's free nodes
    .quad   rethook_nodes
    .balign 64
rethook_nodes:                  // 4 nodes: next, rethook, ret_addr, frame, entry_ip, pad
    .quad   rethook_nodes + RHN_SIZE, the_rethook, 0, 0, 0, 0
    .quad   rethook_nodes + 2 * RHN_SIZE, the_rethook, 0, 0, 0, 0
    .quad   rethook_nodes + 3 * RHN_SIZE, the_rethook, 0, 0, 0, 0
    .quad   0, the_rethook, 0, 0, 0, 0
