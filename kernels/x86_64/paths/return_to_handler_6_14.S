// return_to_handler, Linux v6.14 arch/x86/kernel/ftrace_64.S (HAVE_FUNCTION_GRAPH_FREGS), and
// a model of ftrace_return_to_handler / __ftrace_return_to_handler (kernel/trace/fgraph.c).
// Written from the kernel's effects, not copied.
//
// Entered by the traced function's `ret` (the return-address slot is already popped). Reserves
// a 168-byte ftrace_regs and stores rax, rdx, rbp only (every other slot is whatever the stack
// held; this is before the late-2025 ORC fix that also stores sp and re-reserves 8 bytes); the
// C code pops the shadow-stack entry, writes the original return address into the frame's ip
// ("for the hooks": fprobe's ret_ip), calls the retfunc with the frame and returns the address;
// the asm reloads rax, rdx, drops the frame and jumps to the address with an RSB-balanced
// call / overwrite / ret (IBT forbids jmp *%rdi to a return address).
//
// Simplified: trace_clock_local (rettime), the fp check and the fgraph_array bitmap walk are
// left out; one gops, reached through its retfunc pointer (6.14: a static call).
    .equ    FRS_RET, 0
    .equ    FRS_FUNC, 8
    .equ    FRS_SIZE, 32
    .equ    GOPS_RETFUNC, 8

    .text
    .globl return_to_handler
return_to_handler:
phase.save.return_to_handler_6_14:
    subq    $PT_SIZE, %rsp                  // FRAME_SIZE: a whole ftrace_regs
    movq    %rax, PT_AX(%rsp)
    movq    %rdx, PT_DX(%rsp)
    movq    %rbp, PT_BP(%rsp)
phase.hijack.return_to_handler_6_14_call:
    movq    %rsp, %rdi                      // the ftrace_regs
    call    ftrace_return_to_handler
    movq    %rax, %rdi                      // the original return address
phase.restore.return_to_handler_6_14:
    movq    PT_DX(%rsp), %rdx
    movq    PT_AX(%rsp), %rax
    addq    $PT_SIZE, %rsp
phase.hijack.return_to_handler_6_14_jump:
    call    .Ldo_rop
    int3
.Ldo_rop:
    movq    %rdi, (%rsp)                    // replace our return address with the real one
    ret

    .globl ftrace_return_to_handler
ftrace_return_to_handler:       // (fregs) -> original return address
phase.hijack.ftrace_return_to_handler_6_14:
    pushq   %rbx
    movq    %rdi, %rcx                      // the retfunc's fregs
    movq    fgraph_ret_stack_top(%rip), %rax    // ftrace_pop_return_trace: the newest entry
    movq    FRS_RET-FRS_SIZE(%rax), %rbx
    movq    FRS_FUNC-FRS_SIZE(%rax), %rdi   // trace.func
    movq    %rbx, PT_IP(%rcx)               // ftrace_regs_set_instruction_pointer(fregs, ret)
    movq    %rbx, %rsi
    leaq    fgraph_gops(%rip), %rdx
    call    *fgraph_gops+GOPS_RETFUNC(%rip) // retfunc(trace, gops, fregs)
    subq    $FRS_SIZE, fgraph_ret_stack_top(%rip)   // curr_ret_stack: drop the entry
    movq    %rbx, %rax
    popq    %rbx
    ret
