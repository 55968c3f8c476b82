// fprobe on function graph, Linux v6.14 kernel/trace/fprobe.c: the shared fgraph_ops
// fprobe_graph_ops whose entryfunc is fprobe_entry and retfunc fprobe_return. Written from the
// kernel's effects, not copied. Linked with fgraph_entry.S (the entry hook) and
// return_to_handler_6_14.S (the exit), and with one file defining `the_fprobe`
// (fprobe_tracer.S, bpf_kprobe_multi.S, or trig_kprobe_multi.inc's users for the bench paths).
//
// fprobe_entry: find_first_fprobe_node (fprobe_ip_table: hash_ptr buckets of hlist nodes;
// here one bucket, one node); ret_ip from the stack slot fregs->sp points at; __fprobe_handler:
// fp->entry_handler(fp, ip, ret_ip, fregs, data) if it has one; then, if fp->exit_handler,
// the fprobe header goes into the shadow-stack entry's data word (x86_64 encodes it in one
// word) and fprobe_entry returns non-zero ("used != 0"): only then does fgraph hook the
// return. An entry-only fprobe (the bench's kprobe.multi link) returns 0: no return hook.
// fprobe_return: fetch that header (fgraph_retrieve_data), ret_ip = fregs->ip (which fgraph
// filled), call fp->exit_handler(fp, func, ret_ip, fregs, data).
// Handler calls use our ABI's positions: (ip, ret_ip, fp, fregs) in %rdi %rsi %rdx %rcx.
//
// Simplified: the two node walks (reserved_words, then handlers) are one: the first walk's
// exit_handler test and fgraph_reserve_data (the data word is part of our frame) are left out,
// the second walk's exit_handler test decides; the entry handler's verdict (non-zero skips the
// exit handler) is not tested (our tracer handlers return nothing; the BPF link handlers
// return 0 for non-session links); the used/reserved_words counters and the memset test are
// left out; the exit side's is_fprobe_still_exist hash lookup and preempt_disable are left
// out; entry data size 0.
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
fprobe_entry:                   // entryfunc (ip, parent_ip, gops, fregs) -> hook the return?
phase.dispatch.fprobe_entry:
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    movq    %rcx, %rbx                      // fregs
    movq    %rdi, %r12                      // func
    movq    fprobe_ip_table(%rip), %rax     // find_first_fprobe_node(func)
.Lnext_node:
    testq   %rax, %rax
    jz      .Lno_return
    cmpq    %rdi, FPN_ADDR(%rax)
    je      .Lfound
    movq    FPN_NEXT(%rax), %rax
    jmp     .Lnext_node
.Lfound:
    movq    FPN_FP(%rax), %r13              // fp = READ_ONCE(node->fp)
    testb   $FPROBE_FL_DISABLED, FP_FLAGS(%r13)
    jnz     .Lno_return
    movq    PT_SP(%rbx), %rsi               // ret_ip = ftrace_regs_get_return_address(fregs)
    movq    (%rsi), %rsi
    movq    FP_ENTRY_HANDLER(%r13), %rax    // __fprobe_handler: no entry_handler -> ret 0
    testq   %rax, %rax
    jz      .Lentry_done
    movq    %r12, %rdi
    movq    %r13, %rdx
    movq    %rbx, %rcx
    call    *%rax
.Lentry_done:
    cmpq    $0, FP_EXIT_HANDLER(%r13)       // !ret && fp->exit_handler: keep the header
    je      .Lno_return
phase.hijack.fprobe_entry_header:
    movq    fgraph_ret_stack_top(%rip), %rax    // this call's shadow-stack entry
    movq    %r13, FRS_DATA-FRS_SIZE(%rax)   // write_fprobe_header: which fprobe to call at exit
    movl    $1, %eax                        // used != 0: hook the return
    jmp     .Lout
phase.dispatch.fprobe_entry_out:
.Lno_return:
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
