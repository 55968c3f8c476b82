// BPF kprobe_multi on fprobe, Linux v6.14 kernel/trace/bpf_trace.c:
// kprobe_multi_link_handler / kprobe_multi_link_exit_handler -> kprobe_multi_link_prog_run.
// Written from the kernel's effects, not copied. Defines `the_fprobe` for fprobe_fgraph.S.
//
// prog_run: the run context on the stack; migrate_disable; bpf_prog_active per-CPU
// inc-and-test (a miss when nested); regs = ftrace_partial_regs(fregs, per-CPU pt_regs);
// bpf_set_run_ctx; bpf_prog_run(prog, regs): an indirect call of prog->bpf_func with the ctx in
// %rdi (our handler ABI reads it from %rcx, which holds the same pointer); bpf_reset_run_ctx;
// dec bpf_prog_active; migrate_enable.
//
// ftrace_partial_regs on x86_64 (HAVE_FTRACE_REGS_HAVING_PT_REGS, 6.14) is a cast of fregs to
// its pt_regs: no instruction, no copy. So path fprobe-bpf (the program gets it as a pt_regs,
// cs = 0 and r10-r15, rbx, flags, ss stale; the late-2025 arch_ftrace_partial_regs that sets
// cs = __KERNEL_CS and clears X86_EFLAGS_FIXED is not modeled) and path fprobe-native (the
// talk's proposal: the program reads the ftrace_regs as such) run the same instructions here;
// they differ in what the program is told it holds. On arm64 the conversion is a copy.
//
// Simplified: one fprobe with both handlers runs two programs (entry: tracer_entry_func,
// exit: tracer_exit_func), as a session link would; migrate_disable is the per-task count
// only (not the out-of-line function); rcu_read_lock is free (!PREEMPT_RCU); the IBT
// entry-ip fix-up (ftrace_get_entry_ip) and bpf stats are left out.
    .equ    RC_SAVED, 0         // old run ctx (a callee-saved register in the C)
    .equ    RC_LINK, 8          // bpf_kprobe_multi_run_ctx.link
    .equ    RC_ENTRY_IP, 16     // .entry_ip
    .equ    RC_SIZE, 32
    .equ    BPF_PROG_FUNC, 0

    .text
    .globl kprobe_multi_link_handler
kprobe_multi_link_handler:      // fp->entry_handler (ip, ret_ip, fp, fregs)
phase.dispatch.kprobe_multi_link_handler:
    leaq    bpf_entry_prog(%rip), %rdx      // link->link.prog
    jmp     kprobe_multi_link_prog_run

    .globl kprobe_multi_link_exit_handler
kprobe_multi_link_exit_handler: // fp->exit_handler (func, ret_ip, fp, fregs)
phase.hijack.kprobe_multi_link_exit_handler:
    leaq    bpf_exit_prog(%rip), %rdx
    jmp     kprobe_multi_link_prog_run

kprobe_multi_link_prog_run:     // (entry_ip, ret_ip, prog, fregs)
phase.dispatch.kprobe_multi_link_prog_run:
    subq    $RC_SIZE, %rsp                  // struct bpf_kprobe_multi_run_ctx
    incq    migration_disabled(%rip)        // migrate_disable()
    incq    bpf_prog_active(%rip)           // __this_cpu_inc_return(bpf_prog_active) != 1
    cmpq    $1, bpf_prog_active(%rip)
    jne     .Lbusy
    movq    %rdx, RC_LINK(%rsp)
    movq    %rdi, RC_ENTRY_IP(%rsp)
    // regs = ftrace_partial_regs(fregs, ...): &fregs->regs, the same pointer (%rcx)
    movq    current_bpf_ctx(%rip), %rax     // bpf_set_run_ctx(&run_ctx)
    movq    %rax, RC_SAVED(%rsp)
    movq    %rsp, current_bpf_ctx(%rip)
    movq    %rcx, %rdi                      // bpf_prog_run(prog, regs): ctx in R1
    call    *BPF_PROG_FUNC(%rdx)
    movq    RC_SAVED(%rsp), %rax            // bpf_reset_run_ctx(old)
    movq    %rax, current_bpf_ctx(%rip)
.Lbusy:
    decq    bpf_prog_active(%rip)
    decq    migration_disabled(%rip)        // migrate_enable()
    addq    $RC_SIZE, %rsp
    xorl    %eax, %eax
    ret

    .data
    .balign 64
    .globl the_fprobe
the_fprobe:                     // bpf_kprobe_multi_link.fp
    .quad   0, kprobe_multi_link_handler, kprobe_multi_link_exit_handler
bpf_entry_prog:                 // struct bpf_prog: bpf_func (the JITed program)
    .quad   tracer_entry_func
bpf_exit_prog:
    .quad   tracer_exit_func
