// fprobe on ftrace + rethook, Linux v6.1 kernel/trace/fprobe.c: fprobe_handler /
// __fprobe_handler as the ops func of a SAVE_REGS ftrace_ops (the site calls
// ftrace_regs_caller.S, whose ftrace_regs_call is `ftrace_ops_func`, defined here), and
// fprobe_exit_handler as the rethook handler (rethook_6_1.S). Written from the kernel's effects,
// not copied. The fprobe is `the_fprobe` (fprobe_tracer.S).
//
// fprobe_handler: disabled test; recursion trylock; if fp->entry_handler: call it (fp, ip,
// ftrace_get_regs(fregs)) (6.1: void, no entry data); if fp->exit_handler: rethook_try_get,
// record entry_ip in the node, rethook_hook(node, regs, true) (an fprobe without an exit
// handler leaves the return alone); unlock.
// fprobe_exit_handler: disabled test; exit_handler(fp, entry_ip, regs).
// Handler calls use our ABI's positions: (ip, *, fp, regs) in %rdi %rsi %rdx %rcx; the
// kernel's 6.1 handlers take no parent_ip (the entry handler's %rsi is the ops func's
// parent_ip, passed through; the exit handler's is the node's data area).
// Simplified: the fp is the global, not container_of(ops); no nmissed accounting; entry data
// size 0; no FPROBE_FL_KPROBE_SHARED (kprobe_busy_begin/end).
    .equ    FP_FLAGS, 0
    .equ    FP_ENTRY_HANDLER, 8
    .equ    FP_EXIT_HANDLER, 16
    .equ    FPROBE_FL_DISABLED, 1
    .equ    RHN_ENTRY_IP, 32
    .equ    RHN_DATA, 40
    .equ    TRACE_CTX_BIT, 0

    .text
    .globl ftrace_ops_func
    .globl fprobe_handler
ftrace_ops_func:
fprobe_handler:                 // (ip, parent_ip, ops, fregs)
phase.dispatch.fprobe_handler:
    pushq   %rbx
    pushq   %r12
    testb   $FPROBE_FL_DISABLED, the_fprobe+FP_FLAGS(%rip)
    jnz     .Lout
    btsq    $TRACE_CTX_BIT, trace_recursion(%rip)   // ftrace_test_recursion_trylock
    jc      .Lout
    movq    %rdi, %r12                      // ip
    movq    %rcx, %rbx                      // ftrace_get_regs(fregs): full, cs != 0
    cmpq    $0, PT_CS(%rcx)
    je      .Lunlock
    movq    the_fprobe+FP_ENTRY_HANDLER(%rip), %rax // if (fp->entry_handler)
    testq   %rax, %rax
    jz      .Lno_entry_handler
    leaq    the_fprobe(%rip), %rdx
    call    *%rax                           // entry_handler(fp, ip, regs)
.Lno_entry_handler:
    cmpq    $0, the_fprobe+FP_EXIT_HANDLER(%rip)    // if (fp->exit_handler)
    je      .Lunlock
phase.hijack.fprobe_handler_get:
    leaq    the_rethook(%rip), %rdi
    call    rethook_try_get
    testq   %rax, %rax
    jz      .Lunlock
    movq    %r12, RHN_ENTRY_IP(%rax)        // fpr->entry_ip = ip
    movq    %rax, %rdi
    movq    %rbx, %rsi
    movl    $1, %edx
    call    rethook_hook
phase.dispatch.fprobe_handler_out:
.Lunlock:
    btrq    $TRACE_CTX_BIT, trace_recursion(%rip)
.Lout:
    popq    %r12
    popq    %rbx
    ret

fprobe_exit_handler:            // rethook handler (node, fp, ret_addr, regs)
phase.hijack.fprobe_exit_handler:
    testb   $FPROBE_FL_DISABLED, FP_FLAGS(%rsi)
    jnz     .Ldisabled
    movq    %rsi, %rdx                      // fp
    leaq    RHN_DATA(%rdi), %rsi            // entry data
    movq    RHN_ENTRY_IP(%rdi), %rdi        // fpr->entry_ip
    jmp     *FP_EXIT_HANDLER(%rdx)          // exit_handler(fp, entry_ip, regs, data)
.Ldisabled:
    ret

    .data
    .balign 64
    .globl the_rethook
the_rethook:                    // fp->rethook: data, handler
    .quad   the_fprobe, fprobe_exit_handler
