// ftrace_regs_caller as in Linux v6.19 arch/x86/kernel/ftrace_64.S: v6.14's (ftrace_regs_caller.S
// has the description) plus the jmp-bit branch of its direct-trampoline exit from 0c3772a8db1f
// "x86/ftrace: Implement DYNAMIC_FTRACE_WITH_JMP": when bit 0 of orig_ax is set, the cleared
// address replaces the return into the traced function and a plain ret enters the trampoline
// with the caller's return address on top (as the site's jmp would). Other sites are as 6.14.
// Written from the kernel's sequence of effects, not copied. Left out: as ftrace_regs_caller.S.
    .include "ftrace_regs_caller.inc"
    ftrace_regs_caller_body 1
