// kretprobe on rethook (x86_64 KRETPROBE_ON_RETHOOK, 5.19+), Linux v6.14 kernel/kprobes.c:
// pre_handler_kretprobe (the kprobe's pre_handler) and kretprobe_rethook_handler (the rethook
// handler). At a function's entry the kprobe is on ftrace (kprobe_ftrace.S), the return goes
// through arch_rethook_trampoline (rethook.S). Written from the kernel's effects, not copied.
//
// pre_handler_kretprobe: rethook_try_get(rp->rh) (none: nmissed); rp->entry_handler(ri, regs);
// rethook_hook(node, regs, kprobe_ftrace(p) = true); return 0.
// kretprobe_rethook_handler: current_kprobe = &rp->kp, status HIT_ACTIVE; rp->handler(ri,
// regs); current_kprobe = NULL.
// Handler calls in our ABI's positions: (ip = rp->kp.addr, ri, rp, regs).
// Code only: the registered kretprobe (its kp, handler, entry_handler, rethook) is data of the
// path that uses it (kretprobe_probe.S: the tracer's handlers; trig_kretprobe.S: the bench's
// kretprobe_dispatcher and no entry_handler).
// Simplified: the entry_handler's return value is ignored (non-zero would recycle the node and
// skip the return probe); nmissed accounting left out; ri data size 0.
    .equ    KP_ADDR, 8
    .equ    KRP_HANDLER, 56
    .equ    KRP_ENTRY_HANDLER, 64
    .equ    KRP_RH, 72
    .equ    KPROBE_HIT_ACTIVE, 1

    .text
    .globl pre_handler_kretprobe
    .globl kretprobe_rethook_handler
pre_handler_kretprobe:          // (ip, -, p, regs) -> 0
phase.dispatch.pre_handler_kretprobe:
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    movq    %rdx, %r12                      // rp = container_of(p, struct kretprobe, kp)
    movq    %rcx, %rbx                      // regs
phase.hijack.pre_handler_kretprobe_get:
    movq    KRP_RH(%r12), %rdi
    call    rethook_try_get
    testq   %rax, %rax
    jz      .Lmissed
    movq    %rax, %r13                      // ri's node
phase.dispatch.pre_handler_kretprobe_call:
    cmpq    $0, KRP_ENTRY_HANDLER(%r12)     // if (rp->entry_handler && ...)
    je      .Lhook
    movq    KP_ADDR(%r12), %rdi
    movq    %r13, %rsi
    movq    %r12, %rdx
    movq    %rbx, %rcx
    call    *KRP_ENTRY_HANDLER(%r12)        // rp->entry_handler(ri, regs)
.Lhook:
phase.hijack.pre_handler_kretprobe_hook:
    movq    %r13, %rdi
    movq    %rbx, %rsi
    movl    $1, %edx                        // mcount: the kprobe is on ftrace
    call    rethook_hook
.Lmissed:
    xorl    %eax, %eax
    popq    %r13
    popq    %r12
    popq    %rbx
    ret

kretprobe_rethook_handler:      // (node, rp, ret_addr, regs)
phase.hijack.kretprobe_rethook_handler:
    cmpq    $0, KRP_HANDLER(%rsi)
    je      .Lno_handler
    movq    %rsi, current_kprobe(%rip)      // __this_cpu_write(current_kprobe, &rp->kp)
    movq    $KPROBE_HIT_ACTIVE, kprobe_status(%rip)
    movq    %rsi, %rdx
    movq    %rdi, %rsi
    movq    KP_ADDR(%rdx), %rdi
    call    *KRP_HANDLER(%rdx)              // rp->handler(ri, regs)
    movq    $0, current_kprobe(%rip)
.Lno_handler:
    ret
