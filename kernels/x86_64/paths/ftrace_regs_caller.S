// ftrace_regs_caller: the full pt_regs entry trampoline (ops with FTRACE_OPS_FL_SAVE_REGS:
// kprobes on ftrace, fprobe before 6.14, livepatch).
// Follows Linux v6.14 arch/x86/kernel/ftrace_64.S (ftrace_regs_caller with save_mcount_regs
// shifted by the pushed flags word), no CONFIG_FRAME_POINTER. Written from the kernel's
// sequence of effects, not copied.
//
// Every pt_regs slot is written: flags are real (pushfq before anything changes them), cs and
// ss are the constants __KERNEL_CS / __KERNEL_DS (not read from the CPU), orig_ax = 0 (also the
// direct-trampoline slot), sp is the traced function's SP at entry. After the handler, r11 is
// not restored (the kernel treats it as clobbered by the call).
//
// The ftrace_regs_call site calls `ftrace_ops_func`, the one SAVE_REGS ops' func: defined by
// the path's dispatch file (kprobe_ftrace.S: kprobe_ftrace_handler, fprobe_rethook.S:
// fprobe_handler), else bound by the runner to the tracer's handler.
//
// The direct-trampoline exit (a handler set orig_ax: arch_ftrace_set_direct_caller) swaps the
// flags with orig_ax and rets into the trampoline after the kernel's rebalancing call. v6.19
// adds a jmp-bit branch there: ftrace_regs_caller_6_19.S. Both from ftrace_regs_caller.inc.
// CALL_DEPTH_ACCOUNT is its NOP (mcount_regs.inc). Left out: ENCODE_FRAME_POINTER, the return
// thunk, endbr64.
    .include "ftrace_regs_caller.inc"
    ftrace_regs_caller_body 0
