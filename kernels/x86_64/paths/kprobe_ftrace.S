// kprobe on ftrace (CONFIG_KPROBES_ON_FTRACE; x86 selects HAVE_KPROBES_ON_FTRACE): a kprobe on
// the fentry site is armed through kprobe_ftrace_ops (FTRACE_OPS_FL_SAVE_REGS), so the site
// calls ftrace_regs_caller.S whose ftrace_regs_call target `ftrace_ops_func` is
// kprobe_ftrace_handler (defined here). Model of arch/x86/kernel/kprobes/ftrace.c
// kprobe_ftrace_handler with include/linux/trace_recursion.h's ftrace_test_recursion_trylock /
// _unlock, Linux v6.12, in the shape Debian's 6.12 amd64 build runs it (read from its booted
// trace: `tracesim boot --debian trixie --path trig-kprobe --trace trig-kprobe`). Written from
// the kernel's effects, not copied.
//
// Sequence: regs = ftrace_get_regs(fregs) (NULL without fregs or without a full pt_regs: cs 0);
// kprobe_ftrace_disabled test; the recursion trylock: bit = TRACE_CTX_NORMAL (3) minus
// interrupt_context_level() (three tests of the preempt count), the bit tested and set in
// current->trace_recursion, preempt_disable_notrace; p = get_kprobe(ip); kprobe_disabled(p)
// (GONE or DISABLED); kprobe_running() (per-CPU current_kprobe); kcb = this_cpu_ptr(
// &kprobe_ctlblk); orig_ip = regs->ip; regs->ip = ip + 1 (what an int3 would leave);
// current_kprobe = p, kcb->kprobe_status = HIT_ACTIVE; p->pre_handler(p, regs); regs->ip =
// p->addr + 5 (single-step emulated over the 5-byte NOP); no post_handler; regs->ip = orig_ip;
// current_kprobe = NULL; the unlock: preempt_enable_notrace (decrement, reschedule at 0), the
// bit cleared. Per-CPU variables through %gs, `current` through current_task (task.inc).
// Handler call in our ABI's positions: (ip = p->addr, -, p, regs), one move more than the
// kernel's (p, regs).
// Simplified: the pre_handler's return value is taken as 0 (ours return nothing; non-zero means
// "I changed ip" and skips the step emulation: the kernel's test and branch, 2 instructions,
// are left out); a nested hit (kprobe_running) skips without counting nmissed; the recursion
// transition bit, a post_handler and a reschedule at preempt_enable stop with ud2; the
// retpoline thunk the kernel calls the pre_handler through (3 instructions under TCG's CPU)
// and IBT's endbr64 at each function's entry are the mitigations axis, not modeled here.
    .include "task.inc"
    .equ    KP_ADDR, 8
    .equ    KP_PRE_HANDLER, 16
    .equ    KP_POST_HANDLER, 24
    .equ    KP_FLAGS, 32
    .equ    KPROBE_FLAG_GONE, 1
    .equ    KPROBE_FLAG_DISABLED, 2
    .equ    KPROBE_HIT_ACTIVE, 1
    .equ    TRACE_CTX_NORMAL, 3             // the context bits: NMI 0, IRQ 1, SOFTIRQ 2, NORMAL 3

    .text
    .globl ftrace_ops_func
    .globl kprobe_ftrace_handler
ftrace_ops_func:
kprobe_ftrace_handler:          // (ip, parent_ip, ops, fregs)
phase.dispatch.kprobe_ftrace_handler:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // call __fentry__, NOP-ed at boot
    pushq   %r15
    pushq   %r14
    movq    %rdi, %r14                      // ip
    pushq   %r13
    pushq   %r12
    pushq   %rbp
    movq    %rcx, %rbp                      // fregs: regs, when it holds a full pt_regs
    pushq   %rbx
    subq    $8, %rsp
    testq   %rcx, %rcx                      // ftrace_get_regs(fregs)
    je      .Lno_regs_not_modeled
    cmpw    $0, PT_CS(%rcx)
    je      .Lno_regs_not_modeled
    cmpb    $0, kprobe_ftrace_disabled(%rip)
    jne     .Lout
    // ftrace_test_recursion_trylock(ip, parent_ip)
    movl    %gs:__preempt_count(%rip), %edx
    movq    %gs:pcpu_current_task(%rip), %rbx
    testl   $(NMI_MASK | HARDIRQ_MASK), %edx
    movl    %edx, %ecx
    movq    TASK_TRACE_RECURSION(%rbx), %rsi
    setne   %al                             // level = !!(pc & (NMI | HARDIRQ))
    andl    $NMI_MASK, %ecx
    cmpl    $1, %ecx
    movl    $TRACE_CTX_NORMAL, %ecx
    sbbb    $-1, %al                        //       + !!(pc & NMI)
    andl    $(NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET), %edx
    cmpl    $1, %edx
    sbbb    $-1, %al                        //       + !!(pc & (NMI | HARDIRQ | SOFTIRQ_OFFSET))
    movsbl  %al, %eax
    subl    %eax, %ecx                      // bit = TRACE_CTX_NORMAL - level
    movl    $1, %eax
    shll    %cl, %eax
    testl   %esi, %eax
    jne     .Lrecursion_not_modeled         // the bit is held: the transition check
    movl    %eax, %r13d
    notl    %r13d
    movslq  %r13d, %r13                     // ~(1 << bit), for the unlock
    orl     %esi, %eax
    movq    %rax, TASK_TRACE_RECURSION(%rbx)
    incl    %gs:__preempt_count(%rip)       // preempt_disable_notrace()
    movq    %r14, %rdi
    call    get_kprobe
    movq    %rax, %r12                      // p
    testq   %rax, %rax
    je      .Lunlock
    testb   $(KPROBE_FLAG_GONE | KPROBE_FLAG_DISABLED), KP_FLAGS(%rax)
    jne     .Lunlock
    cmpq    $0, %gs:current_kprobe(%rip)    // kprobe_running(): a nested hit only counts a miss
    jne     .Lunlock
    movq    %gs:this_cpu_off(%rip), %r15    // kcb = get_kprobe_ctlblk()
    addq    $1, %r14                        // ip + sizeof(kprobe_opcode_t)
    movq    PT_IP(%rbp), %rcx               // orig_ip
    movq    %r14, PT_IP(%rbp)               // as after int3
    movq    %rax, %gs:current_kprobe(%rip)
    movq    $KPROBE_HIT_ACTIVE, kprobe_status(%r15)
    movq    KP_PRE_HANDLER(%rax), %rax
    testq   %rax, %rax
    je      .Lstep
    movq    %rcx, (%rsp)                    // orig_ip, across the call
    leaq    -1(%r14), %rdi
    movq    %r12, %rdx
    movq    %rbp, %rcx
    call    *%rax                           // p->pre_handler(p, regs)
    movq    (%rsp), %rcx
.Lstep:
    movq    KP_ADDR(%r12), %rax
    addq    $MCOUNT_INSN_SIZE, %rax
    movq    %rax, PT_IP(%rbp)               // emulate the single-step over the NOP
    cmpq    $0, KP_POST_HANDLER(%r12)
    jne     .Lpost_handler_not_modeled
    movq    %rcx, PT_IP(%rbp)               // recover regs->ip
    movq    $0, %gs:current_kprobe(%rip)
.Lunlock:
    decl    %gs:__preempt_count(%rip)       // preempt_enable_notrace()
    je      .Lresched_not_modeled
    andq    %r13, TASK_TRACE_RECURSION(%rbx) // trace_clear_recursion(bit)
.Lout:
    addq    $8, %rsp
    popq    %rbx
    popq    %rbp
    popq    %r12
    popq    %r13
    popq    %r14
    popq    %r15
    ret
.Lno_regs_not_modeled:
.Lrecursion_not_modeled:
.Lpost_handler_not_modeled:
.Lresched_not_modeled:
    ud2

    .data
    .balign 64
    .globl kprobe_ftrace_disabled
kprobe_ftrace_disabled:         // set when kprobe_ftrace_ops cannot be registered: never here
    .byte   0
