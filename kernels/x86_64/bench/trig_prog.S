// The bench's BPF program (tools/testing/selftests/bpf/progs/trigger_bench.c, every
// bench_trigger_* attached in the kernel: inc_counter(); return 0) in the shape the x86_64 BPF
// JIT of Linux v6.14 (arch/x86/net/bpf_jit_comp.c do_jit / emit_prologue) emits for it, after
// the verifier inlined bpf_get_smp_processor_id (kernel/bpf/verifier.c, 6.10+: r0 =
// &pcpu_hot.cpu_number; r0 = per-CPU(r0); r0 = *(u32 *)r0). Hand-written from the emit
// functions, not copied. The counter update is the clang -O2 BPF for
// __sync_add_and_fetch(&hits[cpu & 255].value, 1) with its result unused: w0 &= 255, r0 <<= 7
// (struct counter is 128-byte aligned), r1 = &hits (ld_imm64), r1 += r0, r2 = 1,
// lock *(u64 *)(r1 + 0) += r2; r0 = 0; exit.
// Prologue: the 5-byte NOP (X86_PATCH_SIZE, for bpf_arch_text_poke), the 2-byte NOP that
// keeps the tail-call layout (not tail-call reachable, so no xor rax), push rbp, mov rbp, rsp;
// stack depth 0 (no sub), no callee-saved register used (no pushes). Epilogue: leave, ret.
// Left out: IBT endbr64 (as every file here), the return thunk.
// Per-CPU: `add rax, gs:[this_cpu_off]` as the JIT emits it (this_cpu_off and cpu_number are
// task_state.S's CPU 0 copies). CPU 0: hits[0] is the word tests read.
// Also here: the struct bpf_prog each dispatch model hands this program through
// (bpf_func, the trampoline's per-CPU `active` recursion counter).
    .equ    TRIG_PROG_ACTIVE, 0     // bpf_prog->active: the per-CPU int's address (offset)
    .equ    TRIG_PROG_FUNC, 8       // bpf_prog->bpf_func
    .equ    TRIG_PROG_INSNSI, 16    // bpf_prog->insnsi (passed to bpf_func, unused by JITed code)

    .include "trig_prog.inc"
    bench_bpf_func trig_bpf_func, 0

    .data
    .balign 64
    .globl trig_prog
trig_prog:                      // struct bpf_prog (the fields the dispatch models use)
    .quad   trig_prog_active    // active: its per-CPU recursion counter
    .quad   trig_bpf_func       // bpf_func
    .quad   0                   // insnsi
    .quad   42                  // expected_attach_type: BPF_TRACE_KPROBE_MULTI (kprobe_multi links test it)
    .byte   0                   // sleepable: no (trig_rawtp_6_18.S tests it)
    .balign 8
    .globl trig_prog_active
trig_prog_active:               // per-CPU int: the trampoline's and tracepoint's recursion count
    .long   0
    .balign 128
    .globl trig_hits
trig_hits:                      // struct counter hits[MAX_CPUS]: 128-byte slots; CPU 0 uses the first
    .zero   256
