// trig-kprobe-multi: the bench's kprobe.multi program on fprobe on fgraph, Linux v6.14
// kernel/trace/bpf_trace.c kprobe_multi_link_handler -> kprobe_multi_link_prog_run, the same
// sequence as bpf_kprobe_multi.S (run ctx on the stack, migrate_disable, bpf_prog_active
// inc-and-test, ftrace_partial_regs = a cast on x86_64, bpf_set_run_ctx, bpf_prog_run =
// prog->bpf_func(regs, insnsi) by pointer, reset, dec, migrate_enable) with the bench program
// (trig_prog.S) and an entry-only fprobe. Defines `the_fprobe` for fprobe_fgraph.S.
// Written from the kernel's effects, not copied.
// NOT faithful: the link has no exit handler, so v6.14 fprobe_entry returns 0 and fgraph
// drops the return hook; our fgraph_entry.S ignores the entryfunc's result and always hooks
// the return, so this path also pays return_to_handler + fprobe_return + an empty exit handler
// (phase hijack). docs/bpf-bench.md reports the entry-side cost separately.
    .equ    RC_SAVED, 0
    .equ    RC_LINK, 8
    .equ    RC_ENTRY_IP, 16
    .equ    RC_SIZE, 32
    .equ    PROG_FUNC, 8        // trig_prog.S layout
    .equ    PROG_INSNSI, 16

    .text
trig_kmulti_handler:            // fp->entry_handler (ip, ret_ip, fp, fregs)
phase.dispatch.trig_kmulti_handler:
    leaq    trig_prog(%rip), %rdx           // link->link.prog
trig_kmulti_prog_run:           // (entry_ip, ret_ip, prog, fregs)
    subq    $RC_SIZE, %rsp                  // struct bpf_kprobe_multi_run_ctx
    incq    migration_disabled(%rip)        // migrate_disable()
    incq    bpf_prog_active(%rip)           // __this_cpu_inc_return(bpf_prog_active) != 1
    cmpq    $1, bpf_prog_active(%rip)
    jne     .Lbusy
    movq    %rdx, RC_LINK(%rsp)
    movq    %rdi, RC_ENTRY_IP(%rsp)
    movq    current_bpf_ctx(%rip), %rax     // bpf_set_run_ctx(&run_ctx)
    movq    %rax, RC_SAVED(%rsp)
    movq    %rsp, current_bpf_ctx(%rip)
    movq    %rcx, %rdi                      // regs = ftrace_partial_regs(fregs): a cast
    leaq    PROG_INSNSI(%rdx), %rsi
    call    *PROG_FUNC(%rdx)                // bpf_prog_run(prog, regs)
    movq    RC_SAVED(%rsp), %rax            // bpf_reset_run_ctx(old)
    movq    %rax, current_bpf_ctx(%rip)
.Lbusy:
    decq    bpf_prog_active(%rip)
    decq    migration_disabled(%rip)        // migrate_enable()
    addq    $RC_SIZE, %rsp
    xorl    %eax, %eax                      // not a session link: return 0
    ret

trig_kmulti_no_exit:            // stands for "no exit handler" (see the header)
phase.hijack.trig_kmulti_no_exit:
    ret

    .data
    .balign 64
    .globl the_fprobe
the_fprobe:                     // bpf_kprobe_multi_link.fp: flags, entry_handler, exit_handler
    .quad   0, trig_kmulti_handler, trig_kmulti_no_exit
