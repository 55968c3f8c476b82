// The bench's fmod_ret program (tools/testing/selftests/bpf/progs/trigger_bench.c,
// bench_trigger_fmodret, Linux v6.14: inc_counter(); return -22) in the arm64 JIT's shape of
// v6.14: trig_prog.S's 25 instructions with `w0 = -22` (clang -mcpu=v3, an int return:
// BPF_ALU | BPF_MOV | BPF_K) emitted by emit_a64_mov_i(is64 = false) as one `movn w7, #21`
// instead of `mov x7, #0`. Same length, same counter (trig_hits[0]); its own struct bpf_prog.
// Hand-written from the emit functions, not copied. Assumptions as trig_prog.S's.
    .text
    .globl trig_fmodret_bpf_func
    .balign 16
trig_fmodret_bpf_func:                      // (ctx in x0, insnsi in x1) -> -22 (w0)
phase.handler.trig_fmodret_bpf_func:
    bti     jc
    mov     x9, x30
    nop
    hint    #25                             // paciasp
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    stp     xzr, x26, [sp, #-16]!           // tail_call_cnt = 0
    mov     x26, sp                         // tail_call_cnt_ptr
    bti     j
    mrs     x10, sp_el0                     // inlined bpf_get_smp_processor_id
    ldr     w7, [x10, #16]                  // thread_info.cpu
    and     w7, w7, #255
    lsl     x7, x7, #7
    movz    x0, #:abs_g2:trig_hits          // r1 = &hits
    movk    x0, #:abs_g1_nc:trig_hits
    movk    x0, #:abs_g0_nc:trig_hits
    add     x0, x0, x7
    mov     x1, #1
    stadd   x1, [x0]                        // hits[cpu].value += 1
    movn    w7, #21                         // w0 = -22 (x7 = 0xffffffea)
    ldp     xzr, x26, [sp], #16
    ldp     x29, x30, [sp], #16
    mov     x0, x7
    hint    #29                             // autiasp
    ret

    .data
    .balign 64
    .globl trig_fmodret_prog
trig_fmodret_prog:                          // struct bpf_prog: active, bpf_func, insnsi
    .quad   0
    .quad   trig_fmodret_bpf_func
    .quad   0
