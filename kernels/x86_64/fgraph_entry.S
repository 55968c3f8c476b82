// The function-graph entry hook: model of ftrace_graph_func (arch/x86/kernel/ftrace.c) and
// function_graph_enter_regs / ftrace_push_return_trace (kernel/trace/fgraph.c), Linux v6.14.
// Reached from ftrace_caller.S's ftrace_call site (fgraph is an ordinary ftrace_ops whose func
// is ftrace_graph_func, defined here as `ftrace_ops_func`); the era difference (6.1) is only on
// the exit side, see return_to_handler_6_1.S. Written from the kernel's effects, not copied.
//
// Sequence: parent = regs->sp (the slot holding the traced function's return address);
// recursion trylock; push a shadow-stack entry {ret = *parent, func = ip, retp = parent};
// save_curr_ret_stack (the static-call branch keeps it in a callee-saved register); call the
// one fgraph_ops' entryfunc with the ftrace_regs; its verdict decides: non-zero -> the return
// is hooked (*parent = return_to_handler); zero -> curr_ret_stack = save_curr_ret_stack (drops
// what the entryfunc reserved) and out_ret drops the frame, function_graph_enter_regs returns
// -EBUSY and ftrace_graph_func leaves *parent alone: the traced function returns straight to
// its caller. Unlock after the hook, as the kernel does. 6.1's function_graph_enter did the
// same (`if (!ftrace_graph_entry(&trace)) goto out_ret`: curr_ret_stack--), without the save.
//
// State: the per-task shadow stack (current->ret_stack, curr_ret_stack) is a global array and
// top pointer here. An entry is 4 words: ret, func, retp, and one word of per-callback data
// (fgraph_reserve_data; fprobe keeps its header there, so a reservation never moves the top).
// Simplified: skip_ftrace_return (graph dead / paused), curr_ret_depth (++ at entry, -- on the
// drop and at return) and the ret_stack header word with the fgraph_array bitmap (set_bitmap
// on the hooked path) are left out. The drop's two stores (restore the saved top, then
// subtract the frame) are one store of save - frame: nothing between them reads the field,
// so the compiler folds them. The entryfunc is reached through the gops pointer (6.1's
// ftrace_graph_entry pointer; 6.14 uses a static call when one gops is registered: the same
// call without the pointer load). The 6.1 entryfunc got only `trace`, no fregs (fgraph passes
// fregs to entryfunc from 6.14): the catalogue gives 6.1 regs_struct "none", so its entryfunc
// is a handler that reads nothing; %rcx still holds the trampoline's fregs (no instruction
// either way), which a 6.1 entryfunc has no parameter for.
    .equ    FRS_RET, 0
    .equ    FRS_FUNC, 8
    .equ    FRS_RETP, 16
    .equ    FRS_DATA, 24
    .equ    FRS_SIZE, 32
    .equ    GOPS_ENTRYFUNC, 0
    .equ    TRACE_CTX_BIT, 0

    .text
    .globl ftrace_ops_func
    .globl ftrace_graph_func
ftrace_ops_func:
ftrace_graph_func:              // (ip, parent_ip, op, fregs)
phase.dispatch.fgraph_entry:
    pushq   %rbx
    pushq   %r12
    movq    PT_SP(%rcx), %rbx               // parent: the return-address slot
    btsq    $TRACE_CTX_BIT, trace_recursion(%rip)  // ftrace_test_recursion_trylock
    jc      .Lrecursion
    movq    fgraph_ret_stack_top(%rip), %rax    // ftrace_push_return_trace
    movq    (%rbx), %r8                     // *parent: the original return address
    movq    %r8, FRS_RET(%rax)
    movq    %rdi, FRS_FUNC(%rax)
    movq    %rbx, FRS_RETP(%rax)
    addq    $FRS_SIZE, %rax
    movq    %rax, fgraph_ret_stack_top(%rip)
    movq    %rax, %r12                      // save_curr_ret_stack
    // entryfunc(trace, gops, fregs); our ABI: ip, parent_ip, op still in %rdi %rsi %rdx, fregs in %rcx
    call    *fgraph_gops+GOPS_ENTRYFUNC(%rip)
    testl   %eax, %eax                      // does the entryfunc want the return?
    jz      .Lno_return_hook
phase.hijack.fgraph_entry_hook:
    leaq    return_to_handler(%rip), %rax
    movq    %rax, (%rbx)                    // the traced function now returns to return_to_handler
phase.dispatch.fgraph_entry_unlock:
.Lunlock:
    btrq    $TRACE_CTX_BIT, trace_recursion(%rip)  // ftrace_test_recursion_unlock
.Lrecursion:
    popq    %r12
    popq    %rbx
    ret
.Lno_return_hook:               // curr_ret_stack = save, then out_ret: -= the frame (folded)
    leaq    -FRS_SIZE(%r12), %rax
    movq    %rax, fgraph_ret_stack_top(%rip)
    jmp     .Lunlock

    .data
    .balign 64
    .globl fgraph_ret_stack
    .globl fgraph_ret_stack_top
fgraph_ret_stack_top:           // current->curr_ret_stack, as a pointer to the next free entry
    .quad   fgraph_ret_stack
    .balign 64
fgraph_ret_stack:               // current->ret_stack: room for 16 nested entries
    .fill   16 * FRS_SIZE / 8, 8, 0
