// kretprobe on rethook (x86_64 KRETPROBE_ON_RETHOOK, 5.19+), Linux v6.12 kernel/kprobes.c:
// pre_handler_kretprobe (the kprobe's pre_handler) and kretprobe_rethook_handler (the rethook
// handler), in the shape Debian's 6.12 amd64 build runs them (its booted trig-kretprobe trace).
// At a function's entry the kprobe is on ftrace (kprobe_ftrace.S), the return goes through
// arch_rethook_trampoline (rethook.S). Written from the kernel's effects, not copied.
//
// pre_handler_kretprobe (dispatch; what it calls is the hijack): rethook_try_get(rp->rh)
// (none: nmissed); rp->entry_handler(ri, regs) when there is one; rethook_hook(node, regs,
// kprobe_ftrace(p): the kprobe's FTRACE flag); return 0.
// kretprobe_rethook_handler (dispatch): rp = data (NULL while unregistering: nothing);
// rp->handler tested; current_kprobe = &rp->kp, the ctlblk's status HIT_ACTIVE (per-CPU);
// rp->handler(ri, regs); current_kprobe = NULL.
// Handler calls in our ABI's positions: (ip = rp->kp.addr, ri, rp, regs), moves the kernel's
// (ri, regs) does not need.
// Code only: the registered kretprobe (its kp, handler, entry_handler, rethook) is data of the
// path that uses it (kretprobe_probe.S: the tracer's handlers; trig_kretprobe.S: the bench's
// kretprobe_dispatcher and no entry_handler).
// Simplified: the entry_handler's return value is ignored (non-zero would recycle the node and
// skip the return probe); nmissed accounting left out; ri data size 0; IBT's entry NOPs and the
// retpoline thunk of the handler calls are the mitigations axis.
    .equ    KP_ADDR, 8
    .equ    KP_FLAGS, 32
    .equ    KPROBE_FLAG_FTRACE_SHIFT, 3     // KPROBE_FLAG_FTRACE = 8
    .equ    KRP_HANDLER, 56
    .equ    KRP_ENTRY_HANDLER, 64
    .equ    KRP_RH, 72
    .equ    KPROBE_HIT_ACTIVE, 1

    .text
    .globl pre_handler_kretprobe
    .globl kretprobe_rethook_handler
pre_handler_kretprobe:          // (ip, -, p, regs) -> 0
phase.dispatch.pre_handler_kretprobe:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // call __fentry__, NOP-ed at boot
    pushq   %r12
    movq    %rcx, %r12                      // regs
    pushq   %rbp
    pushq   %rbx
    movq    %rdx, %rbx                      // rp = container_of(p, struct kretprobe, kp)
    movq    KRP_RH(%rdx), %rdi
    call    rethook_try_get
    testq   %rax, %rax
    je      .Lmissed
    movq    %rax, %rbp                      // ri's node
    movq    KRP_ENTRY_HANDLER(%rbx), %rax   // if (rp->entry_handler && ...)
    testq   %rax, %rax
    je      .Lhook
    movq    KP_ADDR(%rbx), %rdi
    movq    %rbp, %rsi
    movq    %rbx, %rdx
    movq    %r12, %rcx
    call    *%rax                           // rp->entry_handler(ri, regs)
.Lhook:
    movzbl  KP_FLAGS(%rbx), %edx
    movq    %r12, %rsi
    movq    %rbp, %rdi
    shrb    $KPROBE_FLAG_FTRACE_SHIFT, %dl
    andl    $1, %edx                        // mcount = kprobe_ftrace(p)
    call    rethook_hook
.Lmissed:
    xorl    %eax, %eax
    popq    %rbx
    popq    %rbp
    popq    %r12
    ret

kretprobe_rethook_handler:      // (node, rp, ret_addr, regs)
phase.dispatch.kretprobe_rethook_handler:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // call __fentry__, NOP-ed at boot
    testq   %rsi, %rsi                      // rp: NULL while it is being unregistered
    je      .Lno_handler
    cmpq    $0, KRP_HANDLER(%rsi)
    je      .Lno_handler
    movq    %gs:this_cpu_off(%rip), %rax    // kcb = get_kprobe_ctlblk()
    movq    %rsi, %gs:current_kprobe(%rip)  // __this_cpu_write(current_kprobe, &rp->kp)
    movq    $KPROBE_HIT_ACTIVE, kprobe_status(%rax)
    movq    %rsi, %rdx
    movq    %rdi, %rsi
    movq    KP_ADDR(%rdx), %rdi
    call    *KRP_HANDLER(%rdx)              // rp->handler(ri, regs)
    movq    $0, %gs:current_kprobe(%rip)
.Lno_handler:
    ret
