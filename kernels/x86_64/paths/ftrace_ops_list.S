// Two ftrace_ops on one function: the site calls ftrace_regs_caller (a direct ops carries
// FTRACE_OPS_FL_SAVE_REGS on x86: MULTI_FLAGS), whose ops func is the list function
// arch_ftrace_ops_list_func -> __ftrace_ops_list_func (Linux v6.14 kernel/trace/ftrace.c; the
// same in v6.19). It walks ftrace_ops_list and calls each ops' func whose filter holds ip:
// here another tracer's ops (its func empty: `shared_ops_func`) and the BPF trampoline's
// direct ops, whose func call_direct_funcs puts the trampoline's address in regs->orig_ax
// (arch_ftrace_set_direct_caller); ftrace_regs_caller then returns into the trampoline.
// The ops data (which trampoline, the jmp bit): fexit_shared_ops_6_14.S / _6_19.S.
// Written from the kernel's effects, not copied. Simplified (as the other dispatch models):
// recursion = one bit of current->trace_recursion, no preempt count; a hash is one bucket
// (count, first entry); FTRACE_OPS_FL_RCU ops and non-empty notrace hashes stop (ud2).
    .equ    OPS_FUNC, 0                     // struct ftrace_ops (our layout of its fields)
    .equ    OPS_NEXT, 8
    .equ    OPS_FLAGS, 16
    .equ    OPS_FUNC_HASH, 24
    .equ    OPS_DIRECT_CALL, 32
    .equ    OPS_HASH_FILTER, 0              // struct ftrace_ops_hash
    .equ    OPS_HASH_NOTRACE, 8
    .equ    HASH_COUNT, 0                   // struct ftrace_hash, one bucket
    .equ    HASH_FIRST, 8
    .equ    ENTRY_NEXT, 0                   // struct ftrace_func_entry
    .equ    ENTRY_IP, 8
    .equ    OPS_FL_STUB, 1 << 13
    .equ    OPS_FL_RCU, 1 << 14
    .equ    TRACE_LIST_BIT, 8               // TRACE_LIST_START + the normal-context offset

    .text
    .globl ftrace_ops_func
ftrace_ops_func:                // (ip, parent_ip, op (ignored), fregs)
phase.dispatch.ftrace_ops_list_func:
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    movq    %rdi, %r12                      // ip
    movq    %rsi, %r13                      // parent_ip
    movq    %rcx, %r14                      // fregs
    xorl    %r15d, %r15d                    // regs = ftrace_get_regs(fregs): cs != 0 -> fregs
    cmpq    $0, PT_CS(%rcx)
    cmovneq %rcx, %r15
    btsq    $TRACE_LIST_BIT, trace_recursion(%rip)  // trace_test_and_set_recursion
    jc      .Lout
    movq    ftrace_ops_list(%rip), %rbx
.Lop:
    movq    OPS_FLAGS(%rbx), %rax
    testq   $OPS_FL_STUB, %rax              // stubs are neither tested nor called
    jnz     .Lnext
    testq   $OPS_FL_RCU, %rax
    jnz     .Lrcu_not_modeled
    // ftrace_ops_test(op, ip, regs)
    testq   %r15, %r15                      // no regs for an ops that wants them: skip
    jz      .Lno_regs_not_modeled
    movq    OPS_FUNC_HASH(%rbx), %rax
    movq    OPS_HASH_FILTER(%rax), %rcx
    movq    OPS_HASH_NOTRACE(%rax), %rdx
    testq   %rcx, %rcx                      // an empty filter traces every function
    jz      .Lnotrace
    cmpq    $0, HASH_COUNT(%rcx)
    je      .Lnotrace
    movq    HASH_FIRST(%rcx), %rcx
.Llookup:
    testq   %rcx, %rcx
    jz      .Lnext                          // ip not in the filter
    cmpq    %r12, ENTRY_IP(%rcx)
    je      .Lnotrace
    movq    ENTRY_NEXT(%rcx), %rcx
    jmp     .Llookup
.Lnotrace:
    testq   %rdx, %rdx
    jz      .Lcall
    cmpq    $0, HASH_COUNT(%rdx)
    jne     .Lnotrace_not_modeled
.Lcall:
    movq    OPS_FUNC(%rbx), %rax
    testq   %rax, %rax                      // FTRACE_WARN_ON(!op->func)
    jz      .Lno_func_not_modeled
    movq    %r12, %rdi
    movq    %r13, %rsi
    movq    %rbx, %rdx
    movq    %r14, %rcx
    call    *%rax                           // op->func(ip, parent_ip, op, fregs)
.Lnext:
    movq    OPS_NEXT(%rbx), %rbx            // while_for_each_ftrace_op
    testq   %rbx, %rbx
    jz      .Ldone
    cmpq    $ftrace_list_end, %rbx
    jne     .Lop
.Ldone:
    btrq    $TRACE_LIST_BIT, trace_recursion(%rip)  // trace_clear_recursion
.Lout:
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    ret
.Lrcu_not_modeled:
.Lno_regs_not_modeled:
.Lnotrace_not_modeled:
.Lno_func_not_modeled:
    ud2

// call_direct_funcs: the direct ops' func. arch_ftrace_set_direct_caller (x86): orig_ax = addr.
    .globl call_direct_funcs
call_direct_funcs:              // (ip, parent_ip, ops, fregs)
phase.dispatch.call_direct_funcs:
    movq    OPS_DIRECT_CALL(%rdx), %rax     // READ_ONCE(ops->direct_call)
    testq   %rax, %rax
    jz      .Lno_direct
    movq    %rax, PT_ORIG_AX(%rcx)
.Lno_direct:
    ret

// The other tracer on the function: its callback does nothing, its cost is not the question.
    .globl shared_ops_func
shared_ops_func:
phase.handler.shared_ops_func:
    ret

    .data
    .balign 64
    .globl ftrace_list_end
ftrace_list_end:                // the list's end marker: a stub ops
    .quad   0, 0, OPS_FL_STUB, 0, 0
