// The kprobe lookup every x86_64 kprobe path shares: get_kprobe (kernel/kprobes.c, v6.14):
// walk the hash bucket of the address for the kprobe whose addr matches. Written from the
// kernel's effects, not copied. The kprobe is `the_kprobe`, defined by the path's probe file
// (kprobe_probe.S, kretprobe.S, kprobe_int3_entry.S, kprobe_int3_body.S).
//
// struct kprobe (a model of the fields the paths use; the files that touch it repeat these
// offsets): hlist next @0, addr @8, pre_handler @16, post_handler @24, flags @32,
// ainsn.insn (the XOL slot) @40, the probed instruction's length @48.
// Simplified: KPROBE_TABLE_SIZE buckets and hash_ptr (a multiply and a shift) are one bucket.
    .equ    KP_HLIST, 0
    .equ    KP_ADDR, 8

    .text
    .globl get_kprobe
get_kprobe:                     // (addr) -> struct kprobe * or 0
phase.dispatch.get_kprobe:
    movq    kprobe_table(%rip), %rax        // the bucket's first kprobe
.Lnext:
    testq   %rax, %rax
    jz      .Ldone
    cmpq    %rdi, KP_ADDR(%rax)
    je      .Ldone
    movq    KP_HLIST(%rax), %rax
    jmp     .Lnext
.Ldone:
    ret

    .data
    .balign 64
kprobe_table:                   // kprobe_table[hash_ptr(traced_func, KPROBE_HASH_BITS)]
    .quad   the_kprobe
