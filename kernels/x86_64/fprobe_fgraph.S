// fprobe on function graph, Linux v6.14 kernel/trace/fprobe.c: the shared fgraph_ops
// fprobe_graph_ops whose entryfunc is fprobe_entry and retfunc fprobe_return. Written from the
// kernel's effects, not copied. Linked with fgraph_entry.S (the entry hook) and
// return_to_handler_6_14.S (the exit), and with one file defining `the_fprobe`
// (fprobe_tracer.S, or bpf_kprobe_multi.S for the BPF paths).
//
// fprobe_entry: look the ip up in fprobe_ip_table (an rhltable; here one bucket, one node),
// read ret_ip from the stack slot fregs->sp points at, call fp->entry_handler(fp, ip, ret_ip,
// fregs, data), then keep the fprobe in the shadow-stack entry's data word (the fprobe header
// of fgraph_reserve_data; x86_64 encodes it in one word). fprobe_return: fetch that header
// (fgraph_retrieve_data), ret_ip = fregs->ip (which fgraph filled), call
// fp->exit_handler(fp, func, ret_ip, fregs, data).
// Handler calls use our ABI's positions: (ip, ret_ip, fp, fregs) in %rdi %rsi %rdx %rcx.
//
// Simplified: the two-pass node walk (sizes, then handlers) is one pass; the exit side's
// is_fprobe_still_exist hash lookup and preempt_disable are left out; entry data size 0.
    .equ    FRS_DATA, 24
    .equ    FRS_SIZE, 32
    .equ    FP_FLAGS, 0
    .equ    FP_ENTRY_HANDLER, 8
    .equ    FP_EXIT_HANDLER, 16
    .equ    FPROBE_FL_DISABLED, 1
    .equ    FPN_NEXT, 0
    .equ    FPN_ADDR, 8
    .equ    FPN_FP, 16

    .text
    .globl fprobe_entry
fprobe_entry:                   // entryfunc (ip, parent_ip, gops, fregs) -> keep the return hook?
phase.dispatch.fprobe_entry:
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    movq    %rcx, %rbx                      // fregs
    movq    %rdi, %r12                      // ip
    movq    fprobe_ip_table(%rip), %rax     // rhltable_lookup(&fprobe_ip_table, &ip)
.Lnext_node:
    testq   %rax, %rax
    jz      .Lno_fprobe
    cmpq    %rdi, FPN_ADDR(%rax)
    je      .Lfound
    movq    FPN_NEXT(%rax), %rax
    jmp     .Lnext_node
.Lfound:
    movq    FPN_FP(%rax), %r13
    testb   $FPROBE_FL_DISABLED, FP_FLAGS(%r13)
    jnz     .Lno_fprobe
    movq    PT_SP(%rbx), %rsi               // ftrace_regs_get_return_address(fregs)
    movq    (%rsi), %rsi
    movq    %r12, %rdi
    movq    %r13, %rdx
    movq    %rbx, %rcx
    call    *FP_ENTRY_HANDLER(%r13)
phase.hijack.fprobe_entry_header:
    movq    fgraph_ret_stack_top(%rip), %rax    // this call's shadow-stack entry
    movq    %r13, FRS_DATA-FRS_SIZE(%rax)   // the fprobe header: which fprobe to call at exit
    movl    $1, %eax
    jmp     .Lout
.Lno_fprobe:
    xorl    %eax, %eax
.Lout:
    popq    %r13
    popq    %r12
    popq    %rbx
    ret

    .globl fprobe_return
fprobe_return:                  // retfunc (func, ret, gops, fregs)
phase.hijack.fprobe_return:
    movq    fgraph_ret_stack_top(%rip), %rax
    movq    FRS_DATA-FRS_SIZE(%rax), %rdx   // fgraph_retrieve_data: the fprobe header
    movq    PT_IP(%rcx), %rsi               // ret_ip = ftrace_regs_get_instruction_pointer()
    testb   $FPROBE_FL_DISABLED, FP_FLAGS(%rdx)
    jnz     .Ldisabled
    jmp     *FP_EXIT_HANDLER(%rdx)          // tail call: (func, ret_ip, fp, fregs)
.Ldisabled:
    ret

    .data
    .balign 64
    .globl fgraph_gops
fgraph_gops:                    // fprobe_graph_ops: entryfunc, retfunc
    .quad   fprobe_entry, fprobe_return
fprobe_ip_table:                // the bucket of traced_func's address
    .quad   fprobe_node
fprobe_node:                    // struct fprobe_hlist_node: next, addr, fp
    .quad   0, traced_func, the_fprobe
