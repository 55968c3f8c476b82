// The bench's fmod_ret program (tools/testing/selftests/bpf/progs/trigger_bench.c,
// bench_trigger_fmodret, Linux v6.14: inc_counter(); return -22) in the x86_64 JIT's shape of
// v6.14 (do_jit / emit_prologue): trig_prog.S's 16 instructions with the last statement
// `w0 = -22` (clang -mcpu=v3 for an int return: BPF_ALU | BPF_MOV | BPF_K) emitted by
// emit_mov_imm32 as `mov eax, imm32` instead of the xor of `return 0`. Same length, same
// counter (trig_hits[0]); its own struct bpf_prog (active, bpf_func, insnsi). Hand-written from
// the emit functions, not copied. Left out as in trig_prog.S: IBT endbr64, the return thunk.
    .text
    .globl trig_fmodret_bpf_func
    .p2align 4
trig_fmodret_bpf_func:          // (ctx in %rdi, insnsi in %rsi) -> -22
phase.handler.trig_fmodret_bpf_func:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // emit_nops(X86_PATCH_SIZE)
    .byte   0x66, 0x90                      // nop2: not tail-call reachable
    pushq   %rbp
    movq    %rsp, %rbp
    leaq    cpu_number(%rip), %rax          // r0 = &pcpu_hot.cpu_number
    addq    this_cpu_off(%rip), %rax        // BPF_MOV64_PERCPU_REG
    movl    (%rax), %eax                    // r0 = *(u32 *)r0
    andl    $255, %eax                      // w0 &= CPU_MASK
    shlq    $7, %rax                        // r0 <<= 7
    movabsq $trig_hits, %rdi                // r1 = &hits
    addq    %rax, %rdi                      // r1 += r0
    movl    $1, %esi                        // r2 = 1
    lock addq %rsi, (%rdi)                  // hits[cpu].value += 1
    movl    $-22, %eax                      // w0 = -22 (zero-extended: rax = 0xffffffea)
    leave
    ret

    .data
    .balign 64
    .globl trig_fmodret_prog
trig_fmodret_prog:              // struct bpf_prog: active, bpf_func, insnsi
    .quad   0
    .quad   trig_fmodret_bpf_func
    .quad   0
