// kprobe by int3 (CONFIG_KPROBES_ON_FTRACE=n at a function's entry, or any probed instruction),
// Linux v6.14 x86_64: the #BP IDT entry asm_exc_int3 (arch/x86/entry/entry_64.S idtentry with
// the kernel-mode 6-word gap, error_entry, PUSH_AND_CLEAR_REGS, error_return /
// restore_regs_and_return_to_kernel), and models of exc_int3 / do_int3 (arch/x86/kernel/
// traps.c) and kprobe_int3_handler / setup_singlestep / resume_singlestep /
// kprobe_post_process (arch/x86/kernel/kprobes/core.c). Written from the kernel's effects,
// not copied. The hardware half of #BP (aligned push of ss, rsp, rflags, cs, rip; IF/TF
// cleared) is the simulator's (phase trap).
//
// Trap 1 (the int3 over the probed instruction): entry stub (orig_ax = -1, the six-word copy
// of orig_ax..ss that leaves room to emulate a call), error_entry (the return-address slot
// becomes pt_regs->di, 15 pushes, 13 registers cleared, the native_irq_return_iret /
// .Lgs_change checks, return &pt_regs), exc_int3 (no text_poke_bp in progress, kernel mode,
// irqentry_nmi_enter), kprobe_int3_handler: addr = ip - 1, get_kprobe, current_kprobe and the
// saved IF, pre_handler (our ABI: ip = addr, -, p, regs), setup_singlestep: status HIT_SS,
// clear IF in regs->flags, regs->ip = the XOL slot; irqentry_nmi_exit; POP_REGS, skip
// orig_ax, iretq into the slot. Trap 2 (the int3 after the copied instruction): the same entry;
// get_kprobe finds nothing, kprobe_is_ss and ip inside the slot: resume_singlestep restores IF
// and sets ip = addr + the instruction's length; kprobe_post_process: no post_handler,
// current_kprobe = NULL; iretq to the instruction after the probed one.
//
// The probe (`the_kprobe`, with its XOL slot: the copied instruction, then an int3) is the
// path's file: kprobe_int3_entry.S (the fentry NOP, path kprobe) or kprobe_int3_body.S (the
// imul mid-body, path kprobe-body); this file is the same for every int3 kprobe.
//
// CONFIG_PREEMPTION=y (PREEMPT_DYNAMIC distro kernels) compiles out boosting, so the copied
// instruction is single-stepped this way (two traps). Simplified: no IBT endbr, the SMAP clac
// is its NOP (the emulated CPU has no SMAP), FENCE_SWAPGS_KERNEL_ENTRY / CALL_DEPTH_ACCOUNT
// alternatives are off, irqentry_nmi_enter/exit is the preempt-count and context-tracking
// update only (no lockdep, tracing, kmsan), the pre_handler's return value is taken as 0,
// re-entry, user mode, optprobe detours and emulated instructions stop with ud2.
    .include "pt_regs_stack.inc"
    .equ    KP_ADDR, 8
    .equ    KP_PRE_HANDLER, 16
    .equ    KP_POST_HANDLER, 24
    .equ    KP_FLAGS, 32
    .equ    KP_INSN, 40
    .equ    KP_EMULATE_OP, 56
    .equ    KPROBE_FLAG_OPTIMIZED, 4
    .equ    KPROBE_HIT_ACTIVE, 1
    .equ    KPROBE_HIT_SS, 2
    .equ    KPROBE_HIT_SSDONE, 4
    .equ    MAX_INSN_SIZE, 16
    .equ    X86_EFLAGS_IF, 0x200
    .equ    NMI_HARDIRQ_OFFSET, 0x110000    // NMI_OFFSET + HARDIRQ_OFFSET

    .text
    .globl asm_exc_int3
asm_exc_int3:
phase.save.asm_exc_int3:
    nopl    (%rax)                          // ASM_CLAC
    cld
    pushq   $-1                             // orig_ax: no syscall to restart
    testb   $3, PT_CS-PT_ORIG_AX(%rsp)
    jnz     .Luser_not_modeled
    .rept   6                               // copy orig_ax..ss down: a 6-word gap above
    pushq   5*8(%rsp)
    .endr
    call    error_entry
    movq    %rax, %rsp                      // same stack: from kernel mode
phase.dispatch.asm_exc_int3:
    movq    %rsp, %rdi
    call    exc_int3
    jmp     error_return

error_entry:
phase.save.error_entry:
    pushq   %rsi                            // PUSH_REGS save_ret=1
    movq    8(%rsp), %rsi                   // our return address ...
    movq    %rdi, 8(%rsp)                   // ... its slot becomes pt_regs->di
    pushq   %rdx
    pushq   %rcx
    pushq   %rax
    pushq   %r8
    pushq   %r9
    pushq   %r10
    pushq   %r11
    pushq   %rbx
    pushq   %rbp
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    pushq   %rsi                            // the return address back on top
    xorl    %esi, %esi                      // CLEAR_REGS: nothing for speculation to use
    xorl    %edx, %edx
    xorl    %ecx, %ecx
    xorl    %r8d, %r8d
    xorl    %r9d, %r9d
    xorl    %r10d, %r10d
    xorl    %r11d, %r11d
    xorl    %ebx, %ebx
    xorl    %ebp, %ebp
    xorl    %r12d, %r12d
    xorl    %r13d, %r13d
    xorl    %r14d, %r14d
    xorl    %r15d, %r15d
    testb   $3, PT_CS+8(%rsp)
    jnz     .Luser_not_modeled
    leaq    native_irq_return_iret(%rip), %rcx  // a fault on iretq itself?
    cmpq    %rcx, PT_IP+8(%rsp)
    je      .Lbad_iret_not_modeled
    movl    %ecx, %eax                      // its truncated form (B-step K8)
    cmpq    %rax, PT_IP+8(%rsp)
    je      .Lbad_iret_not_modeled
    cmpq    $.Lgs_change, PT_IP+8(%rsp)
    je      .Lbad_iret_not_modeled
    leaq    8(%rsp), %rax                   // &pt_regs
    ret

error_return:
phase.trap_return.error_return:
    testb   $3, PT_CS(%rsp)
    jnz     .Luser_not_modeled
phase.restore.error_return:
restore_regs_and_return_to_kernel:          // the kernel's name here (tracesim kernel's phase split)
    pop_pt_regs_gprs                        // POP_REGS
    addq    $8, %rsp                        // orig_ax
phase.trap_return.native_iret:
    testb   $4, PT_SS-PT_IP(%rsp)           // an LDT stack segment (espfix)?
    jnz     .Lldt_not_modeled
native_irq_return_iret:
    iretq
.Lgs_change:                                // stands for asm_load_gs_index's label
.Luser_not_modeled:
.Lbad_iret_not_modeled:
.Lldt_not_modeled:
    ud2

    .globl exc_int3                 // global: tracesim kernel points a real asm_exc_int3's call here
exc_int3:                       // (regs)
phase.dispatch.exc_int3:
    pushq   %rbx
    movq    %rdi, %rbx
    cmpq    $0, text_poke_bp_refs(%rip)     // poke_int3_handler: no text_poke_bp under way
    jne     .Lnot_modeled
    testb   $3, PT_CS(%rbx)                 // user_mode(regs)
    jnz     .Lnot_modeled
    addq    $NMI_HARDIRQ_OFFSET, preempt_count(%rip)    // irqentry_nmi_enter
    incq    ct_nmi_nesting(%rip)
    movq    %rbx, %rdi                      // do_int3 -> kprobe_int3_handler
    call    kprobe_int3_handler
    testl   %eax, %eax
    jz      .Lnot_modeled                   // notify_die / die("int3")
    decq    ct_nmi_nesting(%rip)            // irqentry_nmi_exit
    subq    $NMI_HARDIRQ_OFFSET, preempt_count(%rip)
    popq    %rbx
    ret

kprobe_int3_handler:            // (regs) -> 1 when it was ours
phase.dispatch.kprobe_int3_handler:
    pushq   %rbx
    pushq   %r12
    movq    %rdi, %rbx
    testb   $3, PT_CS(%rbx)
    jnz     .Lnot_ours
    movq    PT_IP(%rbx), %rdi
    decq    %rdi                            // addr = regs->ip - INT3_INSN_SIZE
    call    get_kprobe
    testq   %rax, %rax
    jz      .Lmaybe_single_step
    movq    %rax, %r12
    cmpq    $0, current_kprobe(%rip)        // kprobe_running(): reenter_kprobe
    jne     .Lnot_modeled
    movq    %r12, current_kprobe(%rip)      // set_current_kprobe
    movq    PT_FLAGS(%rbx), %rax
    andl    $X86_EFLAGS_IF, %eax
    movq    %rax, kprobe_saved_flags(%rip)
    movq    %rax, kprobe_old_flags(%rip)
    movq    $KPROBE_HIT_ACTIVE, kprobe_status(%rip)
    movq    KP_PRE_HANDLER(%r12), %rax
    testq   %rax, %rax
    jz      .Lsetup_singlestep
    movq    KP_ADDR(%r12), %rdi
    movq    %r12, %rdx
    movq    %rbx, %rcx
    call    *%rax                           // p->pre_handler(p, regs)
.Lsetup_singlestep:
    testb   $KPROBE_FLAG_OPTIMIZED, KP_FLAGS(%r12)  // setup_detour_execution
    jnz     .Lnot_modeled
    movq    $KPROBE_HIT_SS, kprobe_status(%rip)
    cmpq    $0, KP_EMULATE_OP(%r12)         // p->ainsn.emulate_op
    jne     .Lnot_modeled
    andq    $~X86_EFLAGS_IF, PT_FLAGS(%rbx) // no interrupt while in the slot
    movq    KP_INSN(%r12), %rax
    movq    %rax, PT_IP(%rbx)               // iretq into the XOL slot
    jmp     .Lhandled
.Lmaybe_single_step:
    cmpq    $KPROBE_HIT_SS, kprobe_status(%rip)     // kprobe_is_ss(kcb)
    jne     .Lnot_ours
    movq    current_kprobe(%rip), %r12
    movq    KP_INSN(%r12), %rax             // copy_ip
    movq    PT_IP(%rbx), %rdx
    cmpq    %rax, %rdx                      // the int3 after the copied instruction?
    jbe     .Lnot_ours
    leaq    MAX_INSN_SIZE+1(%rax), %rcx
    cmpq    %rcx, %rdx
    jae     .Lnot_ours
    movq    kprobe_saved_flags(%rip), %rcx  // resume_singlestep: IF back
    orq     %rcx, PT_FLAGS(%rbx)
    movq    KP_ADDR(%r12), %rcx
    subq    %rax, %rcx
    decq    %rcx                            // (orig_ip - copy_ip) - INT3_INSN_SIZE
    addq    %rcx, PT_IP(%rbx)               // ip = addr + length
    movq    $KPROBE_HIT_SSDONE, kprobe_status(%rip) // kprobe_post_process
    cmpq    $0, KP_POST_HANDLER(%r12)
    jne     .Lnot_modeled
    movq    $0, current_kprobe(%rip)        // reset_current_kprobe
.Lhandled:
    movl    $1, %eax
    popq    %r12
    popq    %rbx
    ret
.Lnot_ours:
    xorl    %eax, %eax
    popq    %r12
    popq    %rbx
    ret
.Lnot_modeled:
    ud2

    .data
    .balign 64
kprobe_saved_flags:             // kprobe_ctlblk.kprobe_saved_flags / kprobe_old_flags
    .quad   0
kprobe_old_flags:
    .quad   0
text_poke_bp_refs:              // bp_desc.refs: no text_poke_bp in progress
    .quad   0
