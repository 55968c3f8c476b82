// The kprobe lookup every x86_64 kprobe path shares: get_kprobe (kernel/kprobes.c, v6.14):
// walk the hash bucket of the address for the kprobe whose addr matches. Written from the
// kernel's effects, not copied. The kprobe is `the_kprobe`, defined by the path's probe file
// (kprobe_probe.S, kretprobe.S, kprobe_int3_entry.S, kprobe_int3_body.S).
//
// struct kprobe (a model of the fields the paths use; the files that touch it repeat these
// offsets): hlist next @0, addr @8, pre_handler @16, post_handler @24, flags @32,
// ainsn.insn (the XOL slot) @40, the probed instruction's length @48.
// The walk as v6.12 runs it (Debian's 6.12 amd64 booted trace): hash_ptr(addr, KPROBE_HASH_BITS)
// (a multiply by GOLDEN_RATIO_64 and a shift), the bucket's head, then the hlist walk.
// Simplified: the bucket the hash picks is known only at link time, so every bucket of the
// table holds the_kprobe (the table of one probe, reached as the kernel reaches it: an address
// with no kprobe still walks to NULL, as the_kprobe's next is NULL).
    .equ    KP_HLIST, 0
    .equ    KP_ADDR, 8
    .equ    KPROBE_HASH_BITS, 6
    .equ    KPROBE_TABLE_SIZE, 1 << KPROBE_HASH_BITS

    .text
    .globl get_kprobe
get_kprobe:                     // (addr) -> struct kprobe * or 0
phase.dispatch.get_kprobe:
    .byte   0x0f, 0x1f, 0x44, 0x00, 0x00    // call __fentry__, NOP-ed at boot
    movabsq $0x61c8864680b583eb, %rax       // GOLDEN_RATIO_64 (include/linux/hash.h)
    imulq   %rdi, %rax
    shrq    $(64 - KPROBE_HASH_BITS), %rax
    movq    kprobe_table(,%rax,8), %rax     // the bucket's first kprobe
    testq   %rax, %rax
    jne     .Lcompare
    ret
.Lnext:
    movq    KP_HLIST(%rax), %rax
    testq   %rax, %rax
    je      .Ldone
.Lcompare:
    cmpq    %rdi, KP_ADDR(%rax)
    jne     .Lnext
.Ldone:
    ret

    .data
    .balign 64
kprobe_table:                   // kprobe_table[KPROBE_TABLE_SIZE]: struct hlist_head
    .rept   KPROBE_TABLE_SIZE
    .quad   the_kprobe
    .endr
