// The bench's fmod_ret program (tools/testing/selftests/bpf/progs/trigger_bench.c,
// bench_trigger_fmodret, Linux v6.14: inc_counter(); return -22) in the x86_64 JIT's shape of
// v6.14 (do_jit / emit_prologue): trig_prog.S's 16 instructions with the last statement
// `w0 = -22` (clang -mcpu=v3 for an int return: BPF_ALU | BPF_MOV | BPF_K) emitted by
// emit_mov_imm32 as `mov eax, imm32` instead of the xor of `return 0`. Same length, same
// counter (trig_hits[0]); its own struct bpf_prog (active, bpf_func, insnsi). The code is
// trig_prog.inc's, with ret = -22. Left out as in trig_prog.S: IBT endbr64, the return thunk.
    .include "trig_prog.inc"
    bench_bpf_func trig_fmodret_bpf_func, -22

    .data
    .balign 64
    .globl trig_fmodret_prog
trig_fmodret_prog:              // struct bpf_prog: active, bpf_func, insnsi
    .quad   trig_fmodret_prog_active
    .quad   trig_fmodret_bpf_func
    .quad   0
    .balign 8
    .globl trig_fmodret_prog_active
trig_fmodret_prog_active:       // per-CPU int: its recursion count (CPU 0's copy)
    .long   0
