# The programs of the BPF trigger bench (tools/testing/selftests/bpf/progs/trigger_bench.c,
# Linux v6.12-7.x), written as BPF assembly for LLVM's BPF target (llvm-mc -triple=bpfel):
# our own bytecode in the shape clang gives the bench's C, not a copy of the compiled object.
# One ELF section per program, "prog.NAME"; the guest agent (boot/agent/bpf_bench.c) loads a
# program by NAME and resolves its relocations against undefined symbols:
#   hits         ld_imm64 -> the address of the counters (BPF_PSEUDO_MAP_VALUE of the agent's
#                one-entry array map: the bench's .bss `hits[256]`, 128-byte counters)
#   batch_iters  ld_imm64 -> the loop count (the plan's `calls`; the bench's const volatile)
#   any call     call -> that kernel function as a kfunc (BPF_PSEUDO_KFUNC_CALL, its BTF id)
# Helper numbers (include/uapi/linux/bpf.h): 8 bpf_get_smp_processor_id, 42 bpf_get_numa_node_id.

# inc_counter(): __sync_add_and_fetch(&hits[bpf_get_smp_processor_id() & 255].value, 1), its
# result unused, so clang emits the plain atomic add (BPF_STX | BPF_ATOMIC | BPF_DW, BPF_ADD).
# The verifier inlines the helper on x86_64 and arm64 (the per-CPU cpu number).
.macro inc_counter
	call 8
	r0 &= 255
	r0 <<= 7
	r1 = hits ll
	r1 += r0
	r2 = 1
	lock *(u64 *)(r1 + 0) += r2
.endm

# The counter program every probe type runs (bench_trigger_fentry, _kprobe, _rawtp, ...).
	.section prog.count, "ax"
count:
	inc_counter
	r0 = 0
	exit

# bench_trigger_fmodret: the same counter, returning -EINVAL, so the trampoline skips the body
# of bpf_modify_return_test_tp and returns -22 to the driver.
	.section prog.count_einval, "ax"
count_einval:
	inc_counter
	r0 = -22
	exit

# trigger_driver: batch_iters calls of the helper bpf_get_numa_node_id(), the attach point of
# fentry, fexit, kprobe, kretprobe, kprobe.multi and kretprobe.multi. The bench reloads
# batch_iters (const volatile) every iteration; the count in r6 is our simplification (the
# loop is outside the measured call either way).
	.section prog.driver_helper, "ax"
driver_helper:
	r6 = batch_iters ll
1:
	call 42
	r6 += -1
	if r6 != 0 goto 1b
	r0 = 0
	exit

# trigger_driver_kfunc: batch_iters calls of the kfunc bpf_modify_return_test_tp(0)
# (net/bpf/test_run.c), the attach point of fmod_ret; its tracepoint bpf_trigger_tp is the
# attach point of raw_tp and tp.
	.section prog.driver_kfunc, "ax"
driver_kfunc:
	r6 = batch_iters ll
1:
	r1 = 0
	call bpf_modify_return_test_tp
	r6 += -1
	if r6 != 0 goto 1b
	r0 = 0
	exit

# trigger_kernel_count: the counter inline in the driver's loop, no call, no probe: the bench's
# baseline (trig-kernel-count).
	.section prog.kernel_count, "ax"
kernel_count:
	r6 = batch_iters ll
1:
	inc_counter
	r6 += -1
	if r6 != 0 goto 1b
	r0 = 0
	exit
