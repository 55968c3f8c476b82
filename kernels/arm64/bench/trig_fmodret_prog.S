// The bench's fmod_ret program (tools/testing/selftests/bpf/progs/trigger_bench.c,
// bench_trigger_fmodret, Linux v6.14: inc_counter(); return -22) in the arm64 JIT's shape of
// v6.14: trig_prog.S's 25 instructions with `w0 = -22` (clang -mcpu=v3, an int return:
// BPF_ALU | BPF_MOV | BPF_K) emitted by emit_a64_mov_i(is64 = false) as one `movn w7, #21`
// instead of `mov x7, #0`. Same length, same counter (trig_hits[0]); its own struct bpf_prog.
// The code is trig_prog.inc's, with ret = -22. Assumptions as trig_prog.S's.
    .include "trig_prog.inc"
    bench_bpf_func trig_fmodret_bpf_func, -22

    .data
    .balign 64
    .globl trig_fmodret_prog
trig_fmodret_prog:                          // struct bpf_prog: active, bpf_func, insnsi
    .quad   trig_fmodret_prog_active
    .quad   trig_fmodret_bpf_func
    .quad   0
    .balign 8
    .globl trig_fmodret_prog_active
trig_fmodret_prog_active:                   // per-CPU int: its recursion count
    .long   0
