// rethook on x86_64 with the objpool node pool (6.7+), as Debian's 6.12 amd64 build runs it
// (read from its booted trig-kretprobe trace): the shared arch_rethook_trampoline
// (macros/rethook_trampoline.inc), arch_rethook_trampoline_callback (arch/x86/kernel/rethook.c),
// and kernel/trace/rethook.c's rethook_try_get (objpool_pop inlined, lib/objpool.c and
// include/linux/objpool.h), rethook_hook / arch_rethook_prepare, rethook_trampoline_handler
// (with __rethook_find_ret_addr, arch_rethook_fixup_return, rethook_recycle -> objpool_push),
// Linux v6.12. Linked by kretprobe and trig-kretprobe with one file defining `the_rethook` (a
// struct rethook with its objpool: macro `rethook_object`, macros/rethook_objpool.inc). Written from the kernel's
// effects, not copied.
//
// Entry (hijack; the kprobe's pre_handler calls it): rethook_try_get: rh->handler tested;
// objpool_pop with IRQs saved and disabled: this CPU's slot, head against last, the entry at
// head & mask, head advanced by cmpxchg; IRQs restored. rethook_hook: arch_rethook_prepare
// saves the return address at regs->sp and that slot's address (frame) in the node and writes
// arch_rethook_trampoline over it; the node's llist goes on current->rethooks.
// Return (hijack, the trampoline's call): the callback fakes cs = __KERNEL_CS, ip, orig_ax = ~0,
// sp += 16; rethook_trampoline_handler finds the real return address (the first node whose
// ret_addr is not the trampoline), sets regs->ip, preempt_disable_notrace, calls each node's
// handler up to it (one here) by pointer, arch_rethook_fixup_return writes the real return
// address over the fake one, unlinks the nodes and recycles them (objpool_push: tail advanced
// by cmpxchg, the entry stored, last released), preempt_enable_notrace; the callback copies
// flags into the ss slot for the trampoline's popfq.
// Simplified: one CPU's slot (the pop's walk to other CPUs' slots, a failed cmpxchg's retry, a
// node whose rethook is gone and a reschedule at preempt_enable stop with ud2); `lock
// cmpxchg` as on SMP (the booted guest, one CPU, runs the alternatives' UP form: a DS prefix);
// the trampoline's address is taken RIP-relative (the kernel, in the top 2 GiB, uses a 32-bit
// immediate): one instruction more in arch_rethook_prepare, the callback and the handler's
// find; the retpoline thunk the node's handler is called through and IBT's entry NOPs are the
// mitigations axis.
    .include "pt_regs_stack.inc"
    .include "rethook_trampoline.inc"
    .include "task.inc"
    .include "rethook_objpool.inc"
    .equ    X86_EFLAGS_IF, 0x200

    .text
    rethook_trampoline

    // global under the kernel's name: `tracesim kernel` points a real image's
    // arch_rethook_trampoline's call at this model (docs/real-kernel.md)
    .globl arch_rethook_trampoline_callback
arch_rethook_trampoline_callback:   // (regs)
phase.hijack.arch_rethook_trampoline_callback:
    pushq   %rbx
    movl    $KERNEL_CS, %eax
    movq    %rdi, %rbx
    leaq    PT_SIZE(%rdi), %rsi             // frame: the fake return address slot
    addq    $16, PT_SP(%rdi)                // the SP after the traced function's ret
    movq    %rax, PT_CS(%rdi)               // the kernel's u16 cs; our slot is 8 bytes
    leaq    arch_rethook_trampoline(%rip), %rax
    movq    %rax, PT_IP(%rdi)
    movq    $-1, PT_ORIG_AX(%rdi)
    call    rethook_trampoline_handler
    movq    PT_FLAGS(%rbx), %rax            // for popfq right before ret
    movq    %rax, PT_SS(%rbx)
    popq    %rbx
    ret

rethook_trampoline_handler:     // (regs, frame) -> correct return address
phase.hijack.rethook_trampoline_handler:
    pushq   %r15
    pushq   %r14
    movq    %gs:pcpu_current_task(%rip), %r14
    pushq   %r13
    pushq   %r12
    pushq   %rbp
    pushq   %rbx
    movq    TASK_RETHOOKS(%r14), %rbx       // __rethook_find_ret_addr: from the first node
    testq   %rbx, %rbx
    je      .Lno_ret_addr_not_modeled
    movq    %rdi, %r15                      // regs
    movq    %rsi, %r13                      // frame
.Lfind:
    movq    RHN_RET_ADDR - RHN_LLIST(%rbx), %r12
    leaq    arch_rethook_trampoline(%rip), %rax
    cmpq    %rax, %r12                      // a nested trampoline's node: the next one
    je      .Lnested_not_modeled
    testq   %r12, %r12
    je      .Lno_ret_addr_not_modeled
    movq    %r12, PT_IP(%r15)               // instruction_pointer_set(regs, correct_ret_addr)
    incl    %gs:__preempt_count(%rip)       // preempt_disable_notrace()
    movq    TASK_RETHOOKS(%r14), %rbp       // first
    testq   %rbp, %rbp
    je      .Lfixup
.Lcall:
    cmpq    %r13, RHN_FRAME - RHN_LLIST(%rbp) // WARN_ON_ONCE(rhn->frame != frame)
    jne     .Lframe_mismatch_not_modeled
    movq    RHN_RETHOOK - RHN_LLIST(%rbp), %rdx
    movq    RH_HANDLER(%rdx), %rax          // handler = READ_ONCE(rhn->rethook->handler)
    testq   %rax, %rax
    je      .Lnext_call
    movq    RH_DATA(%rdx), %rsi
    leaq    -RHN_LLIST(%rbp), %rdi          // rhn
    movq    %r15, %rcx
    movq    %r12, %rdx
    call    *%rax                           // handler(rhn, data, correct_ret_addr, regs)
.Lnext_call:
    cmpq    %rbx, %rbp                      // the node of this return: done
    je      .Lfixup
    movq    (%rbp), %rbp
    testq   %rbp, %rbp
    jne     .Lcall
.Lfixup:
    movq    %r12, %rsi
    movq    %r15, %rdi
    call    arch_rethook_fixup_return
    movq    (%rbx), %rax                    // unlink: current->rethooks.first = node->next
    movq    TASK_RETHOOKS(%r14), %rbp       // first
    movq    %rax, TASK_RETHOOKS(%r14)
    movq    $0, (%rbx)                      // node->next = NULL
    jmp     .Lrecycle_test
.Lrecycle:
    movq    %rbp, %rax
    leaq    -RHN_LLIST(%rbp), %rdi          // rhn
    movq    (%rbp), %rbp                    // first = first->next
    movq    RHN_RETHOOK - RHN_LLIST(%rax), %rsi
    movq    RH_HANDLER(%rsi), %rax
    testq   %rax, %rax                      // rethook_recycle: a rethook being freed ...
    je      .Lfree_not_modeled              // ... frees the node by RCU
    addq    $RH_POOL, %rsi
    call    objpool_push                    // objpool_push(node, &rh->pool)
.Lrecycle_test:
    testq   %rbp, %rbp
    jne     .Lrecycle
    decl    %gs:__preempt_count(%rip)       // preempt_enable_notrace()
    je      .Lresched_not_modeled
    popq    %rbx
    movq    %r12, %rax
    popq    %rbp
    popq    %r12
    popq    %r13
    popq    %r14
    popq    %r15
    ret
.Lno_ret_addr_not_modeled:
.Lnested_not_modeled:
.Lframe_mismatch_not_modeled:
.Lfree_not_modeled:
.Lresched_not_modeled:
    ud2

arch_rethook_fixup_return:      // (regs, correct_ret_addr)
phase.hijack.arch_rethook_fixup_return:
    movq    %rsi, PT_SIZE(%rdi)             // the real return address over the fake one
    ret

objpool_push:                   // (obj, pool): this CPU's slot
phase.hijack.objpool_push:
    movq    %rdi, %r9
    pushfq                                  // local_irq_save(flags)
    popq    %rax
    nopl    (%rax)                          // the paravirt save_fl site, patched to native
    movq    %rax, %r10
    cli
    nopl    (%rax,%rax)                     // the paravirt irq_disable site's padding
    movslq  %gs:cpu_number(%rip), %rax      // raw_smp_processor_id()
    movq    POOL_CPU_SLOTS(%rsi), %rdx
    movq    (%rdx,%rax,8), %rcx             // slot = pool->cpu_slots[cpu]
    movl    SLOT_TAIL(%rcx), %edx           // tail = READ_ONCE(slot->tail)
    leaq    SLOT_TAIL(%rcx), %r8
    movl    SLOT_HEAD(%rcx), %edi
    movl    %edx, %eax
    subl    %edi, %eax
    cmpl    %eax, POOL_NR_OBJS(%rsi)        // WARN_ON_ONCE(tail - head > pool->nr_objs)
    jb      .Lpush_overflow_not_modeled
    leal    1(%rdx), %edi
    movl    %edx, %eax
    lock cmpxchgl %edi, (%r8)               // try_cmpxchg_acquire(&slot->tail, &tail, tail + 1)
    jne     .Lpush_retry_not_modeled
    andl    SLOT_MASK(%rcx), %edx
    addq    $SLOT_ENTRIES / 8, %rdx
    movq    %r9, (%rcx,%rdx,8)              // WRITE_ONCE(slot->entries[tail & mask], obj)
    movl    %edi, SLOT_LAST(%rcx)           // smp_store_release(&slot->last, tail + 1)
    testl   $X86_EFLAGS_IF, %r10d           // local_irq_restore(flags)
    je      .Lpush_irqs_off
    sti
    nopl    (%rax,%rax)
.Lpush_irqs_off:
    ret
.Lpush_overflow_not_modeled:
.Lpush_retry_not_modeled:
    ud2

    .globl rethook_try_get
rethook_try_get:                // (rh) -> node or 0
phase.hijack.rethook_try_get:
    movq    RH_HANDLER(%rdi), %rax          // a rethook being freed has no handler
    testq   %rax, %rax
    je      .Lget_none
    pushq   %r12
    pushq   %rbp
    movq    %rdi, %rbp
    pushq   %rbx
    pushfq                                  // objpool_pop: local_irq_save(flags)
    popq    %rax
    nopl    (%rax)
    movq    %rax, %rbx
    cli
    nopl    (%rax,%rax)
    movl    RH_POOL + POOL_NR_CPUS(%rbp), %eax
    movl    %gs:cpu_number(%rip), %edi      // cpu = raw_smp_processor_id()
    testl   %eax, %eax
    jle     .Lpop_empty_not_modeled
    xorl    %r12d, %r12d                    // i = 0 (the CPUs walked)
    jmp     .Lpop_slot
.Lpop_take:
    movl    %eax, %ecx
    andl    SLOT_MASK(%rdx), %ecx
    addq    $SLOT_ENTRIES / 8, %rcx
    movq    (%rdx,%rcx,8), %rsi             // obj = slot->entries[head & mask]
    leal    1(%rax), %ecx
    lock cmpxchgl %ecx, SLOT_HEAD(%rdx)     // try_cmpxchg_release(&slot->head, &head, head + 1)
    jne     .Lpop_retry_not_modeled
    testq   %rsi, %rsi
    jne     .Lpop_done
    jmp     .Lpop_empty_not_modeled
.Lpop_slot:
    movq    RH_POOL + POOL_CPU_SLOTS(%rbp), %rdx
    movslq  %edi, %rax
    movq    (%rdx,%rax,8), %rdx             // slot = pool->cpu_slots[cpu]
    movl    SLOT_HEAD(%rdx), %eax           // head = READ_ONCE(slot->head)
    movl    SLOT_LAST(%rdx), %ecx
    cmpl    %eax, %ecx
    je      .Lpop_empty_not_modeled         // empty: the next CPU's slot
    movl    SLOT_LAST(%rdx), %ecx           // smp_load_acquire(&slot->last)
    subl    $1, %ecx
    subl    %eax, %ecx
    cmpl    RH_POOL + POOL_NR_OBJS(%rbp), %ecx
    jb      .Lpop_take
    jmp     .Lpop_retry_not_modeled         // head moved past last: reload
.Lpop_done:
    andb    $(X86_EFLAGS_IF >> 8), %bh      // local_irq_restore(flags)
    je      .Lpop_irqs_off
    sti
    nopl    (%rax,%rax)
.Lpop_irqs_off:
    popq    %rbx
    movq    %rsi, %rax
    popq    %rbp
    popq    %r12
    ret
.Lget_none:
    xorl    %eax, %eax
    ret
.Lpop_empty_not_modeled:
.Lpop_retry_not_modeled:
    ud2

    .globl rethook_hook
rethook_hook:                   // (node, regs, mcount)
phase.hijack.rethook_hook:
    pushq   %rbx
    movzbl  %dl, %edx
    movq    %rdi, %rbx
    addq    $RHN_LLIST, %rbx
    call    arch_rethook_prepare
    movq    %gs:pcpu_current_task(%rip), %rax
    movq    TASK_RETHOOKS(%rax), %rdx       // __llist_add(&node->llist, &current->rethooks)
    movq    %rdx, (%rbx)
    movq    %rbx, TASK_RETHOOKS(%rax)
    popq    %rbx
    ret

arch_rethook_prepare:           // (node, regs, mcount)
phase.hijack.arch_rethook_prepare:
    movq    PT_SP(%rsi), %rax               // stack = (unsigned long *)regs->sp
    movq    (%rax), %rdx
    movq    %rdx, RHN_RET_ADDR(%rdi)        // rh->ret_addr = stack[0]
    movq    PT_SP(%rsi), %rdx
    movq    %rdx, RHN_FRAME(%rdi)           // rh->frame = regs->sp
    leaq    arch_rethook_trampoline(%rip), %rdx
    movq    %rdx, (%rax)                    // stack[0] = arch_rethook_trampoline
    ret

    .data
    .balign 64
    .globl rethook_cpu_slot0
rethook_cpu_slot0:              // CPU 0's struct objpool_slot: all nodes in it
    .long   0, RETHOOK_NODES, RETHOOK_NODES, RETHOOK_NODES - 1  // head, tail, last, mask
    .quad   rethook_nodes, rethook_nodes + RHN_SIZE
    .quad   rethook_nodes + 2 * RHN_SIZE, rethook_nodes + 3 * RHN_SIZE
    .balign 64
    .globl rethook_cpu_slots
rethook_cpu_slots:              // pool->cpu_slots[]: per possible CPU
    .quad   rethook_cpu_slot0
    .balign 64
rethook_nodes:                  // the pool's objects: rcu, llist, rethook, ret_addr, frame, pad
    .rept   RETHOOK_NODES
    .quad   0, 0, 0, the_rethook, 0, 0
    .endr
