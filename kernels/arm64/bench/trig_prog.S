// The bench's BPF program (tools/testing/selftests/bpf/progs/trigger_bench.c: inc_counter();
// return 0) in the shape the arm64 BPF JIT of Linux v6.14 emits for it
// (arch/arm64/net/bpf_jit_comp.c build_prologue / build_body / build_epilogue). Hand-written
// from the emit functions, not copied. BPF registers: r0 = x7, r1 = x0, r2 = x1, tmp = x10.
// Prologue (main program, not an exception callback, stack depth 0, no callee-saved BPF
// register used so push_callee_regs emits nothing): bti jc; mov x9, lr + nop (the poke site
// for bpf_arch_text_poke); paciasp (CONFIG_ARM64_PTR_AUTH_KERNEL, written as its hint: a NOP
// here); the frame record; prepare_bpf_tail_call_cnt for a main program (push {xzr, x26}, x26 =
// the counter's address); bti j (the tail-call landing pad). No `mov x25, sp` (fp not used).
// Body: bpf_get_smp_processor_id is inlined by the JIT (6.10+, bpf_jit_inlines_helper_call):
// mrs sp_el0 (current) + 32-bit load of thread_info.cpu (offset 16: no SW_TTBR0_PAN, no SCS).
// w0 &= 255 (logical immediate), r0 <<= 7, r1 = &hits (ld_imm64: three moves, movz/movk here,
// movn/movk for a kernel address), r1 += r0, r2 = 1, the atomic add as LSE `stadd` (the CPU has
// ARM64_HAS_LSE_ATOMICS; offset 0 needs no add), r0 = 0; exit is the last instruction (no branch).
// Epilogue: pop {xzr, x26}, pop the frame, mov x0, x7, autiasp (hint), ret.
// Also here: the struct bpf_prog each dispatch model hands this program through, the bench's
// hits[] (128-byte slots, CPU 0 uses the first), and the per-CPU / per-task words the
// dispatch models touch (bpf_prog_active, current->migration_disabled, current->bpf_ctx) as
// .data globals.
    .set    TRIG_PROG_ACTIVE, 0             // bpf_prog->active: the per-CPU int's address
    .set    TRIG_PROG_FUNC, 8               // bpf_prog->bpf_func
    .set    TRIG_PROG_INSNSI, 16            // bpf_prog->insnsi
    .set    TRIG_PROG_ATTACH_TYPE, 24       // bpf_prog->expected_attach_type

    .include "trig_prog.inc"
    bench_bpf_func trig_bpf_func, 0

    .data
    .balign 64
    .globl trig_prog
trig_prog:                                  // struct bpf_prog (the fields the models use)
    .quad   trig_prog_active                // active: its per-CPU recursion count
    .quad   trig_bpf_func                   // bpf_func
    .quad   0                               // insnsi
    .quad   42                              // expected_attach_type: BPF_TRACE_KPROBE_MULTI
    .balign 8
    .globl trig_prog_active
trig_prog_active:                           // per-CPU int (CPU 0's copy: tpidr_el1 is 0)
    .long   0
    .balign 64
    .globl trig_tramp_image
    .globl trig_tramp_pcref
trig_tramp_image:                           // the bench trampolines' image: pcref.percpu_count_ptr
    .quad   trig_tramp_pcref
    .balign 8
trig_tramp_pcref:                           // per-CPU unsigned long: the image's reference count
    .quad   0
    .balign 64
    .globl bpf_prog_active
    .globl migration_disabled
    .globl current_bpf_ctx
bpf_prog_active:                            // per-CPU
    .quad   0
migration_disabled:                         // current->migration_disabled
    .quad   0
current_bpf_ctx:                            // current->bpf_ctx
    .quad   0
    .balign 128
    .globl trig_hits
trig_hits:                                  // struct counter hits[]: 128-byte slots
    .zero   256
