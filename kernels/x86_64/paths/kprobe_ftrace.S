// kprobe on ftrace (CONFIG_KPROBES_ON_FTRACE; x86 selects HAVE_KPROBES_ON_FTRACE): a kprobe on
// the fentry site is armed through kprobe_ftrace_ops (FTRACE_OPS_FL_SAVE_REGS), so the site
// calls ftrace_regs_caller.S whose ftrace_regs_call target `ftrace_ops_func` is
// kprobe_ftrace_handler (defined here). Model of arch/x86/kernel/kprobes/ftrace.c
// kprobe_ftrace_handler, Linux v6.14. Written from the kernel's effects, not copied.
//
// Sequence: regs = ftrace_get_regs(fregs) (NULL unless cs != 0); recursion trylock;
// p = get_kprobe(ip); disabled test; kprobe_running() test; save regs->ip; regs->ip = ip + 1
// (what an int3 would leave); current_kprobe = p, status HIT_ACTIVE; p->pre_handler(p, regs);
// regs->ip = p->addr + 5 (single-step emulated over the 5-byte NOP); no post_handler; restore
// regs->ip; current_kprobe = NULL; unlock.
// Handler call in our ABI's positions: (ip = p->addr, -, p, regs).
// Simplified: the pre_handler's return value is taken as 0 (ours return nothing; non-zero
// means "I changed ip" and skips the ip restore); nmissed accounting and post_handler are left
// out (a post_handler stops with ud2).
    .equ    KP_ADDR, 8
    .equ    KP_PRE_HANDLER, 16
    .equ    KP_POST_HANDLER, 24
    .equ    KP_FLAGS, 32
    .equ    KPROBE_FLAG_DISABLED, 2
    .equ    KPROBE_HIT_ACTIVE, 1
    .equ    TRACE_CTX_BIT, 0

    .text
    .globl ftrace_ops_func
    .globl kprobe_ftrace_handler
ftrace_ops_func:
kprobe_ftrace_handler:          // (ip, parent_ip, ops, fregs)
phase.dispatch.kprobe_ftrace_handler:
    cmpq    $0, PT_CS(%rcx)                 // ftrace_get_regs(fregs) == NULL: not a full pt_regs
    je      .Lret
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    movq    %rcx, %rbx                      // regs
    movq    %rdi, %r14                      // ip
    btsq    $TRACE_CTX_BIT, trace_recursion(%rip)
    jc      .Lout
    call    get_kprobe
    testq   %rax, %rax
    jz      .Lunlock
    movq    %rax, %r12                      // p
    testb   $KPROBE_FLAG_DISABLED, KP_FLAGS(%r12)
    jnz     .Lunlock
    cmpq    $0, current_kprobe(%rip)        // kprobe_running(): a nested hit only counts a miss
    jne     .Lunlock
    movq    PT_IP(%rbx), %r13               // orig_ip
    leaq    1(%r14), %rax
    movq    %rax, PT_IP(%rbx)               // as after int3
    movq    %r12, current_kprobe(%rip)
    movq    $KPROBE_HIT_ACTIVE, kprobe_status(%rip)
    movq    KP_PRE_HANDLER(%r12), %rax
    testq   %rax, %rax
    jz      .Lstep
    movq    %r14, %rdi
    movq    %r12, %rdx
    movq    %rbx, %rcx
    call    *%rax                           // p->pre_handler(p, regs)
.Lstep:
    movq    KP_ADDR(%r12), %rax
    addq    $MCOUNT_INSN_SIZE, %rax
    movq    %rax, PT_IP(%rbx)               // emulate the single-step over the NOP
    cmpq    $0, KP_POST_HANDLER(%r12)
    jne     .Lpost_handler_not_modeled
    movq    %r13, PT_IP(%rbx)               // recover regs->ip
    movq    $0, current_kprobe(%rip)
.Lunlock:
    btrq    $TRACE_CTX_BIT, trace_recursion(%rip)
.Lout:
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
.Lret:
    ret
.Lpost_handler_not_modeled:
    ud2
