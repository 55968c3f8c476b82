// return_to_handler, Linux v6.1 arch/x86/kernel/ftrace_64.S (before HAVE_FUNCTION_GRAPH_RETVAL,
// 6.5), and a model of ftrace_return_to_handler(frame_pointer) (kernel/trace/fgraph.c v6.1).
// Written from the kernel's effects, not copied.
//
// Entered by the traced function's `ret`. Reserves 16 bytes and saves rax, rdx (the return
// registers) only; passes rbp by value; the C code pops the shadow-stack entry, calls the
// return callback and returns the original return address; the asm reloads rdx, rax, drops the
// 16 bytes and jumps there with the RSB-balanced call / overwrite / ret.
//
// What the exit handler can see: in 6.1 the retfunc gets only `struct ftrace_graph_ret` (func,
// times, depth): no return value, no registers (the retval came with 6.5, fgraph_ret_regs).
// So the catalogue gives this era no exit struct and our handler gets regs = 0, as on arm64's
// 6.1; the {rax, rdx} block exists only so the traced function's return value survives the C.
// Simplified: trace_clock_local, the fp check and the pause/dead tests are left out; the
// retfunc is reached through a pointer (6.1: the ftrace_graph_return function pointer).
    .equ    FRS_RET, 0
    .equ    FRS_FUNC, 8
    .equ    FRS_SIZE, 32
    .equ    GOPS_RETFUNC, 8

    .text
    .globl return_to_handler
return_to_handler:
phase.save.return_to_handler_6_1:
    subq    $16, %rsp
    movq    %rax, (%rsp)
    movq    %rdx, 8(%rsp)
phase.hijack.return_to_handler_6_1_call:
    movq    %rbp, %rdi                      // frame pointer, for the (absent) fp test
    call    ftrace_return_to_handler
    movq    %rax, %rdi                      // the original return address
phase.restore.return_to_handler_6_1:
    movq    8(%rsp), %rdx
    movq    (%rsp), %rax
    addq    $16, %rsp
phase.hijack.return_to_handler_6_1_jump:
    call    .Ldo_rop
    int3
.Ldo_rop:
    movq    %rdi, (%rsp)
    ret

    .globl ftrace_return_to_handler
ftrace_return_to_handler:       // (frame_pointer) -> original return address
phase.hijack.ftrace_return_to_handler_6_1:
    pushq   %rbx
    movq    fgraph_ret_stack_top(%rip), %rax    // ftrace_pop_return_trace
    movq    FRS_RET-FRS_SIZE(%rax), %rbx
    movq    FRS_FUNC-FRS_SIZE(%rax), %rdi   // trace.func
    movq    %rbx, %rsi
    leaq    fgraph_gops(%rip), %rdx
    xorl    %ecx, %ecx                      // no registers: ftrace_graph_return(&trace) only
    call    *fgraph_gops+GOPS_RETFUNC(%rip) // ftrace_graph_return(&trace)
    subq    $FRS_SIZE, fgraph_ret_stack_top(%rip)
    movq    %rbx, %rax
    popq    %rbx
    ret
