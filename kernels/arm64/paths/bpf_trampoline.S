// BPF trampolines for fentry and fexit programs, as the arm64 JIT emits them.
// Follows Linux v6.14 arch/arm64/net/bpf_jit_comp.c prepare_trampoline / invoke_bpf_prog /
// save_args / restore_args; what it calls (kernel/bpf/trampoline.c __bpf_prog_enter_recur /
// __bpf_prog_exit_recur / __bpf_tramp_enter / __bpf_tramp_exit) is bpf_tramp_runtime.S's.
// Written from the JIT's sequence of effects, not copied.
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
    .include "bpf_trampoline.inc"

    .text
    bpf_fentry_trampoline bpf_trampoline_fentry, bpf_prog_fentry, tracer_entry_func, x3

    bpf_fexit_trampoline bpf_trampoline_fexit, bpf_tramp_image, bpf_prog_fexit, tracer_exit_func, x3, bpf_prog_fentry, tracer_entry_func

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
bpf_prog_fentry:                            // struct bpf_prog: active, its per-CPU recursion count
    .quad   bpf_prog_fentry_active
    .balign 64
bpf_prog_fexit:
    .quad   bpf_prog_fexit_active
    .balign 64
bpf_tramp_image:                            // the image: pcref.percpu_count_ptr
    .quad   bpf_tramp_pcref
    .balign 8
bpf_prog_fentry_active:                     // per-CPU (CPU 0's copies: tpidr_el1 is 0)
    .long   0
bpf_prog_fexit_active:
    .long   0
bpf_tramp_pcref:
    .quad   0
