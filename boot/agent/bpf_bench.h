/*
 * The agent's BPF side (boot/PROTOCOL.md section 2, `bpf` steps): loads the trigger bench's
 * programs (boot/bpf/trigger.s, packed as /bpf/trigger.o) through bpf(2), attaches them as
 * run_bench_trigger.sh does, and runs the driver program by BPF_PROG_TEST_RUN in the window.
 * No libbpf: the object is ours and small, and every syscall the bench makes is spelled out.
 */
#pragma once

#include <stddef.h>

/* One `bpf` step's arguments ("fentry count bpf_get_numa_node_id", "driver driver_helper").
 * Returns 0, or an errno with the reason in `why` (the verifier's log, the kernel's refusal). */
int bpf_step(const char *args, long calls, char *why, size_t why_size);

/* Whether the path loaded a driver (the window then runs it instead of the syscalls). */
int bpf_has_driver(void);

/* The BPF_PROG_TEST_RUN attribute for the driver: the window passes it to a raw bpf(2). */
void *bpf_driver_attr(size_t *size);
/* After the run: 0, or an errno with the reason (the syscall failed, or the driver's retval). */
int bpf_driver_result(long ret, char *why, size_t why_size);

/* The counters' sum (the programs' hits so far), or -errno. */
long bpf_counter_total(void);
/* Zeroes the counters. 0 or an errno. */
int bpf_counter_reset(void);
/* Whether the path attached or loaded anything (its hits are the counter, not trace lines). */
int bpf_path_active(void);

/* Detaches and closes everything the path attached and loaded; the map stays. */
void bpf_path_end(void);
