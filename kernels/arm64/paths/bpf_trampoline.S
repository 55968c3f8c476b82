// BPF trampolines for fentry and fexit programs, as the arm64 JIT emits them.
// Follows Linux v6.14 arch/arm64/net/bpf_jit_comp.c prepare_trampoline / invoke_bpf_prog /
// save_args / restore_args and kernel/bpf/trampoline.c __bpf_prog_enter_recur /
// __bpf_prog_exit_recur / __bpf_tramp_enter / __bpf_tramp_exit. Written from the JIT's
// sequence of effects, not copied.
//
// Entered from the patched call site `mov x9, x30; bl <trampoline>` (an ftrace direct call
// within BL range). Frame (nregs = 3): run_ctx at +0 (cookie), nregs at +16, the args (the
// program's u64 ctx[]) at +24, the return value at +48 (fexit: ctx[3]), x19/x20 above, then
// the two frame records (the parent's {fp, x9}, the traced function's {fp, x30}).
// fentry (BPF_TRAMP_F_RESTORE_REGS): run the program, reload the args, return into the traced
// function. fexit (BPF_TRAMP_F_CALL_ORIG | BPF_TRAMP_F_SKIP_FRAME): one fentry and one fexit
// link on the same trampoline (the tracer's entry and exit handlers); call the traced
// function's body at the BL's return address, store x0 in ctx[3], run the fexit program, return
// to the parent (x9) with x0.
// Addresses are built as the JIT does, in three instructions (movn/movk there, movz/movk here:
// our addresses have zero top bits). The program is called with the ctx pointer in x3 (our
// handler ABI) where the JIT puts it in x0: same instruction count.
// Simplified: __bpf_prog_enter/exit keep the recursion counter and the run-ctx swap, without
// migrate_disable / rcu_read_lock (no-ops on one CPU) and without stats (disabled by default);
// __bpf_tramp_enter/exit (percpu_ref get/put on the image) are one counter.
    .include "bpf_trampoline.inc"

    .text
    bpf_fentry_trampoline bpf_trampoline_fentry, bpf_prog_fentry, tracer_entry_func, x3

    bpf_fexit_trampoline bpf_trampoline_fexit, bpf_tramp_image, bpf_prog_fexit, tracer_exit_func, x3, bpf_prog_fentry, tracer_entry_func

// __bpf_prog_enter_recur(prog, run_ctx): 0 = recursion, skip the program
__bpf_prog_enter_recur:
phase.dispatch.bpf_prog_enter:
    adrp    x9, bpf_current_ctx             // run_ctx->saved_run_ctx = bpf_set_run_ctx(run_ctx)
    ldr     x10, [x9, :lo12:bpf_current_ctx]
    str     x10, [x1, #RUN_CTX_SAVED]
    str     x1, [x9, :lo12:bpf_current_ctx]
    ldr     x11, [x0]                       // this_cpu_inc_return(*prog->active)
    add     x11, x11, #1
    str     x11, [x0]
    cmp     x11, #1
    b.ne    1f
    mov     x0, #1                          // NO_START_TIME: stats are off
    ret
1:  mov     x0, #0
    ret

// __bpf_prog_exit_recur(prog, start, run_ctx)
__bpf_prog_exit_recur:
phase.dispatch.bpf_prog_exit:
    ldr     x10, [x2, #RUN_CTX_SAVED]       // bpf_reset_run_ctx
    adrp    x9, bpf_current_ctx
    str     x10, [x9, :lo12:bpf_current_ctx]
    ldr     x11, [x0]                       // this_cpu_dec(*prog->active)
    sub     x11, x11, #1
    str     x11, [x0]
    ret

// __bpf_tramp_enter(im) / __bpf_tramp_exit(im): percpu_ref_get / put on the image
__bpf_tramp_enter:
phase.dispatch.bpf_tramp_enter:
    ldr     x9, [x0]
    add     x9, x9, #1
    str     x9, [x0]
    ret
__bpf_tramp_exit:
phase.dispatch.bpf_tramp_exit:
    ldr     x9, [x0]
    sub     x9, x9, #1
    str     x9, [x0]
    ret

// The programs' view: the u64 ctx[] of the trampoline frame (struct bpf_args)
    .globl handler_read_args__bpf_args
handler_read_args__bpf_args:
phase.handler.read_args__bpf_args:
    ldr     x9, [x3, #BPF_CTX_ARG0]
    ldr     x10, [x3, #BPF_CTX_ARG1]
    ldr     x11, [x3, #BPF_CTX_ARG2]
    adrp    x12, handler_seen
    add     x12, x12, :lo12:handler_seen
    stp     x9, x10, [x12]
    str     x11, [x12, #16]
    ret

    .globl handler_read_ret__bpf_args
handler_read_ret__bpf_args:
phase.handler.read_ret__bpf_args:
    ldr     x9, [x3, #BPF_CTX_RET]
    adrp    x12, handler_seen
    add     x12, x12, :lo12:handler_seen
    str     x9, [x12, #24]
    ret

    .data
    .balign 64
bpf_prog_fentry:                            // struct bpf_prog: the per-CPU `active` counter
    .quad   0
    .balign 64
bpf_prog_fexit:
    .quad   0
    .balign 64
bpf_tramp_image:                            // the image's percpu_ref count
    .quad   0
    .balign 64
bpf_current_ctx:                            // current->bpf_ctx
    .quad   0
