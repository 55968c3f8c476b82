// Optimized kprobe (optprobe) on x86_64: the probed instruction(s) are replaced by `jmp rel32`
// to a per-probe slot holding a copy of optprobe_template, the displaced instructions and a
// jmp back. Follows Linux v6.14 arch/x86/kernel/kprobes/opt.c (optprobe_template_func,
// optimized_callback) and kprobes/common.h (SAVE_REGS_STRING / RESTORE_REGS_STRING). Written
// from the kernel's effects, not copied.
//
// The probed site here is traced_func's 5-byte NOP (one whole, relocatable instruction): the
// path's site patch writes `jmp optprobe_slot` over it and the slot ends with the copied NOP
// and `jmp traced_func+5`. A real kernel will not optimize a kprobe on an ftrace site (it uses
// kprobe-ftrace there); the site stands for any 5-byte probed instruction.
//
// Template: push __KERNEL_DS (ss), push rsp (sp - 8), pushfq, a 3-byte NOP (clac with SMAP),
// skip cs/ip/orig_ax, 15 GPR pushes: a pt_regs; rsi = regs, rdi = op (a movabs patched in),
// call optimized_callback; copy flags into the ss slot; 15 pops, skip orig_ax/ip/cs, skip
// flags and sp, popfq (the copy); then the displaced instruction and the jmp back.
// optimized_callback: disabled and kprobe_running tests; regs->sp += 8, cs = __KERNEL_CS,
// ip = addr + 1 (int3 semantics), orig_ax = ~0; current_kprobe = &op->kp, HIT_ACTIVE;
// opt_pre_handler: the user kprobe's pre_handler (our ABI: ip = addr, -, kp, regs);
// current_kprobe = NULL.
// Simplified: preempt_disable/enable and nmissed left out; opt_pre_handler's list walk over
// the aggregated kprobes is one direct indirect call, inlined; the SMAP clac is the NOP (the
// emulated CPU has no SMAP).
    .include "pt_regs_stack.inc"
    .equ    KP_ADDR, 8
    .equ    KP_PRE_HANDLER, 16
    .equ    KP_FLAGS, 32
    .equ    OP_LIST, 56          // the aggregated kprobes (the user's kprobe)
    .equ    KPROBE_FLAG_DISABLED, 2
    .equ    KPROBE_HIT_ACTIVE, 1

    .text
    .globl optprobe_slot
optprobe_slot:
phase.save.optprobe_template:
    pushq   $KERNEL_DS                      // ss
    pushq   %rsp                            // sp - 8, fixed by the callback
    pushfq
    nopl    (%rax)                          // optprobe_template_clac
    subq    $24, %rsp                       // SAVE_REGS_STRING: skip cs, ip, orig_ax
    push_pt_regs_gprs
phase.dispatch.optprobe_template:
    movq    %rsp, %rsi
    movabsq $optprobe_op, %rdi              // optprobe_template_val
    call    optimized_callback              // optprobe_template_call
phase.restore.optprobe_template:
    movq    PT_FLAGS(%rsp), %rdx            // regs->flags into regs->ss, for popfq last
    movq    %rdx, PT_SS(%rsp)
    pop_pt_regs_gprs                        // RESTORE_REGS_STRING
    addq    $24, %rsp                       // orig_ax, ip, cs
    addq    $16, %rsp                       // flags, sp
    popfq
phase.site.optprobe_displaced:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // the displaced instruction: the 5-byte NOP
    jmp     traced_func + MCOUNT_INSN_SIZE  // back after the probed bytes

    .globl optimized_callback, optprobe_op  // global: tracesim kernel builds a detour buffer from a real template
optimized_callback:             // (op, regs)
phase.dispatch.optimized_callback:
    testb   $KPROBE_FLAG_DISABLED, KP_FLAGS(%rdi)
    jnz     .Lout
    cmpq    $0, current_kprobe(%rip)        // kprobe_running(): a miss
    jne     .Lout
    addq    $8, PT_SP(%rsi)                 // the SP at the probe
    movq    $KERNEL_CS, PT_CS(%rsi)
    movq    KP_ADDR(%rdi), %rax
    incq    %rax                            // + INT3_INSN_SIZE
    movq    %rax, PT_IP(%rsi)
    movq    $-1, PT_ORIG_AX(%rsi)
    movq    %rdi, current_kprobe(%rip)
    movq    $KPROBE_HIT_ACTIVE, kprobe_status(%rip)
    movq    OP_LIST(%rdi), %rdx             // opt_pre_handler: the user's kprobe
    movq    %rsi, %rcx
    movq    KP_ADDR(%rdx), %rdi
    call    *KP_PRE_HANDLER(%rdx)
    movq    $0, current_kprobe(%rip)
.Lout:
    ret

    .data
    .balign 64
optprobe_op:                    // struct optimized_kprobe: kp (kprobes_core.S layout), list
    .quad   0, traced_func, 0, 0, 0, 0, 0
    .quad   the_kprobe
