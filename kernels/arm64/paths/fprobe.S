// fprobe on the function-graph tracer: the fgraph user's entryfunc and retfunc.
// Follows Linux v6.14 kernel/trace/fprobe.c (fprobe_entry, fprobe_return; Masami Hiramatsu's
// "fprobe on function-graph" series): all fprobes share one fgraph_ops; the ip hash table maps
// the traced address to its fprobes; a {fprobe, size} header goes into data reserved on the
// task's shadow stack; entry and exit handlers get the ftrace_regs. Written from the kernel's
// sequence of effects, not copied. The hook itself is fgraph.S; which handlers the fprobe has
// is `fprobe_instance`, defined by the user's file (fprobe_user.S, fprobe_bpf.S,
// fprobe_native.S).
//
// fprobe_entry's verdict is fgraph's: non-zero ("used != 0") only when an fprobe with an
// exit_handler wrote its header, so an entry-only fprobe (the bench's kprobe.multi link)
// returns 0 and fgraph.S does not hook the return; a return-only one (kretprobe.multi: no
// entry_handler) reserves, skips the call, writes the header and returns 1.
// Simplified: the ip-table lookup is one compare against a one-entry table; one fprobe per
// address, so the two node walks (reserved_words, then handlers) are one (the exit_handler
// test of each walk is kept), the used/reserved counters and the memset test are left out; no nmissed accounting; no
// preempt_disable around the exit handlers; the entry handler's verdict (non-zero skips the
// exit handler) is not tested (our tracer handlers return nothing; the BPF link handlers
// return 0 for non-session links).
    .set    FPROBE_ENTRY_HANDLER, 0         // struct fprobe (the fields we use)
    .set    FPROBE_EXIT_HANDLER, 8
    .set    FPROBE_FLAGS, 16                // bit 0: FPROBE_FL_DISABLED

    .text
// fprobe_entry(trace, gops, fregs), reached as (ip, parent_ip, gops, fregs)
fprobe_entry:
phase.dispatch.fprobe_entry:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    mov     x19, x0                         // ip
    mov     x20, x3                         // fregs
    adrp    x9, fprobe_ip_table             // find_first_fprobe_node(ip)
    add     x9, x9, :lo12:fprobe_ip_table
    ldp     x10, x21, [x9]                  // node->addr, node->fp
    cmp     x10, x19
    b.ne    1f
    ldr     x9, [x21, #FPROBE_EXIT_HANDLER] // reserved_words: only for an exit_handler
    mov     x22, #0                         // fgraph_data = NULL
    cbz     x9, 3f
    mov     x0, #16                         // header: {fp, size}
    bl      fgraph_reserve_data
    mov     x22, x0
3:  ldr     w9, [x21, #FPROBE_FLAGS]        // fprobe_disabled(fp)
    tbnz    w9, #0, 1f
    ldr     x9, [x21, #FPROBE_ENTRY_HANDLER]    // __fprobe_handler: none -> ret 0
    cbz     x9, 2f
    // entry_handler(fp, ip, ret_ip, fregs, data), in our handler ABI (ip, ret_ip, fp, fregs)
    mov     x0, x19
    ldr     x1, [x20, #FREGS_LR]            // ftrace_regs_get_return_address(fregs)
    mov     x2, x21
    mov     x3, x20
    blr     x9
2:  ldr     x9, [x21, #FPROBE_EXIT_HANDLER] // !ret && fp->exit_handler (reloaded after the call)
    cbz     x9, 1f
    stp     x21, xzr, [x22]                 // write_fprobe_header(data, fp, 0)
    mov     w0, #1                          // used != 0: hook the return
    b       4f
1:  mov     w0, #0
4:  ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret

// fprobe_return(trace, gops, fregs), reached as (ip, parent_ip, gops, fregs)
fprobe_return:
phase.hijack.fprobe_return:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    mov     x19, x0                         // trace->func
    mov     x20, x3                         // fregs
    bl      fgraph_retrieve_data
    ldr     x2, [x0]                        // read_fprobe_header: fp
    adrp    x9, fprobe_table                // is_fprobe_still_valid(fp)
    ldr     x9, [x9, :lo12:fprobe_table]
    cmp     x9, x2
    b.ne    1f
    ldr     w9, [x2, #FPROBE_FLAGS]
    tbnz    w9, #0, 1f
    ldr     x9, [x2, #FPROBE_EXIT_HANDLER]
    cbz     x9, 1f
    // exit_handler(fp, func, ret_ip, fregs, data), in our handler ABI (ip, ret_ip, fp, fregs)
    mov     x0, x19
    ldr     x1, [x20, #FREGS_PC]            // ftrace_regs_get_instruction_pointer: fgraph set it
    mov     x3, x20
    blr     x9
1:  ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

    .data
    .balign 64
    .globl fgraph_ops
fgraph_ops:                                 // fprobe_graph_ops: entryfunc, retfunc
    .quad   fprobe_entry, fprobe_return
    .balign 64
fprobe_ip_table:                            // one fprobe_hlist_node: the ftrace address, fp
    .quad   traced_func + AARCH64_INSN_SIZE, fprobe_instance
    .balign 64
fprobe_table:                               // the registered fprobes
    .quad   fprobe_instance
