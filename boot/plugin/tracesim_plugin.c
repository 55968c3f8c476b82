/* tracesim_plugin: the QEMU TCG plugin of `tracesim boot` (boot/PROTOCOL.md, section 5).
 *
 * It records, into a binary trace file, every instruction the guest executes (address and
 * bytes, once per translation; then one record per execution) and every load and store those
 * instructions make, but only inside the windows the guest agent opens and closes with its
 * marker instructions (PROTOCOL.md, section 4). A window holds the agent's syscalls that reach
 * the probed kernel function: that stream is what the host turns into the path's records.
 *
 * Why windows: instrumenting every instruction slows a TCG boot about five-fold, and nearly
 * all of a boot is of no interest. So the plugin has three modes:
 *   idle       (until the first ARM) only the marker instructions get an exec callback (found
 *              at translation time by their bytes); the boot runs at nearly full TCG speed.
 *   recording  every instruction gets an exec callback and a memory callback, and is recorded.
 *   paused     (between windows) as recording, but nothing is written.
 * The first ARM goes through qemu_plugin_reset: it drops all our callbacks and flushes all
 * translated code, so every block is translated again, instrumented. The reset is
 * asynchronous (it completes at the vCPU's next safe point), so callbacks of idle mode can
 * still arrive in between; each instrumented instruction carries the generation it was
 * translated in, and callbacks of another generation are ignored.
 *
 * Why no reset back to idle at DISARM: QEMU 7.2 (issue #1381, fixed in 8.0) leaves the vCPU's
 * plugin_mem_cbs pointing at the callback list of an instruction that called a helper and
 * ended its block; a flush frees those lists, and the next access made outside translated
 * code (interrupt delivery) follows the dangling pointer: QEMU aborts in
 * qemu_plugin_vcpu_mem_cb right after a second reset. Idle mode registers no memory callback,
 * so the one reset at the first ARM is safe; after it the plugin only pauses. The documented
 * API has no way to clear that pointer, and the boot's work between windows (tracefs writes)
 * is small, so paused costs a few seconds per boot. The same stale pointer makes QEMU report
 * interrupt delivery's own accesses under the last such instruction: those are dropped (an
 * access is kept only for the instruction whose exec callback ran last).
 *
 * Arguments: out=FILE (required), limit=N (events per window, default 20000000).
 * The guest runs on one vCPU (-smp 1); callbacks from any other vCPU are ignored. */
#include "qemu_plugin_api.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = TRACESIM_QEMU_PLUGIN_VERSION;

enum { OP_NONE = 0, OP_ARM = 1, OP_DISARM = 2 };

enum mode {
    IDLE,       /* only markers instrumented */
    ARMING,     /* ARM seen, reset to recording pending */
    RECORDING,  /* everything instrumented and recorded */
    PAUSED,     /* everything instrumented, nothing recorded: between windows */
    FINISHED,   /* atexit ran: the trace file is closed */
};

/* The userdata of one instrumented instruction. Allocated from an arena that is never freed:
 * QEMU may keep executing a translation (and hand us its userdata) long after translating
 * it, and we cannot know when it drops one short of a reset. */
struct insn {
    uint32_t id;   /* the trace id ('I'/'X'); recording mode only */
    uint32_t gen;  /* the generation (mode epoch) it was translated in */
    uint8_t op;    /* OP_ARM/OP_DISARM if a user-space marker, else OP_NONE */
};

#define ARENA_CHUNK 65536
#define OUT_BUF_SIZE (8u << 20)
static struct insn *arena;
static size_t arena_left;

static struct insn *new_insn(void)
{
    if (arena_left == 0) {
        arena = calloc(ARENA_CHUNK, sizeof *arena);
        if (!arena) {
            fprintf(stderr, "tracesim-plugin: out of memory\n");
            abort();
        }
        arena_left = ARENA_CHUNK;
    }
    arena_left--;
    return arena++;
}

static qemu_plugin_id_t self;
static FILE *out;
static char *out_buf;
static uint64_t limit = 20000000;
static int is_arm64;                /* guest arch: aarch64, else x86_64 */
static uint64_t user_top;           /* markers count only below this address */

static enum mode mode = IDLE;
static uint32_t gen;                /* bumped at each completed mode switch */
static uint32_t window;             /* index of the current (or next) window */
static uint32_t next_id;            /* ids of 'I' records, over the whole run */
static uint64_t window_events;      /* 'X'/'L'/'S' records in the current window */
static int overflowed;              /* the current window hit `limit` */
static const struct insn *last_exec; /* the instruction of the last exec callback */
static uint64_t total_events;
static uint32_t windows_opened;
static uint64_t dropped_accesses;   /* memory callbacks not of the last executed instruction */

/* ---- trace records (little endian whatever the host) ---- */

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void rec_u32(char tag, uint32_t v)  /* 'X', 'A', 'D', 'O' */
{
    uint8_t b[5] = {(uint8_t)tag};
    put_u32(b + 1, v);
    fwrite(b, 1, sizeof b, out);
}

static void rec_insn(uint32_t id, uint64_t vaddr, const uint8_t *bytes, size_t size)
{
    uint8_t b[14 + 255] = {'I'};
    if (size > 255)
        size = 255;
    put_u32(b + 1, id);
    put_u64(b + 5, vaddr);
    b[13] = (uint8_t)size;
    memcpy(b + 14, bytes, size);
    fwrite(b, 1, 14 + size, out);
}

static void rec_mem(char tag, uint64_t vaddr, unsigned size)  /* 'L', 'S' */
{
    uint8_t b[10] = {(uint8_t)tag};
    put_u64(b + 1, vaddr);
    b[9] = (uint8_t)size;
    fwrite(b, 1, sizeof b, out);
}

/* Counts one event of the window; false once the window is over its limit (the first such
 * event writes the 'O' record). */
static int take_event(void)
{
    if (overflowed)
        return 0;
    if (window_events >= limit) {
        overflowed = 1;
        rec_u32('O', window);
        return 0;
    }
    window_events++;
    total_events++;
    return 1;
}

/* ---- markers ---- */

/* The marker op of an instruction, or OP_NONE. Markers count only in user space: the agent
 * executes them, and the same bytes in kernel text must not switch modes. */
static int marker_op(uint64_t vaddr, const uint8_t *b, size_t size)
{
    if (vaddr >= user_top)
        return OP_NONE;
    if (is_arm64) {
        /* movz xzr, #(0x5700 | op), lsl #16 */
        if (size != 4)
            return OP_NONE;
        uint32_t w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                     (uint32_t)b[3] << 24;
        for (uint32_t op = OP_ARM; op <= OP_DISARM; op++)
            if (w == (0xd2a00000u | (0x5700u | op) << 5 | 31u))
                return (int)op;
        return OP_NONE;
    }
    /* nopl (0x7ace5700 | op)(%rax): 0f 1f 80 + imm32 */
    if (size != 7 || b[0] != 0x0f || b[1] != 0x1f || b[2] != 0x80 || b[4] != 0x57 ||
        b[5] != 0xce || b[6] != 0x7a)
        return OP_NONE;
    return (b[3] == OP_ARM || b[3] == OP_DISARM) ? b[3] : OP_NONE;
}

/* ---- mode switches ---- */

static void at_exit(qemu_plugin_id_t id, void *userdata);
static void tb_trans_idle(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
static void tb_trans_recording(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);

/* A reset drops every callback, atexit included: each mode registers its whole set. */
static void register_mode(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t trans)
{
    qemu_plugin_register_vcpu_tb_trans_cb(id, trans);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
}

/* Opens a window: its 'A' record, fresh counts. */
static void open_window(void)
{
    mode = RECORDING;
    window_events = 0;
    overflowed = 0;
    last_exec = NULL;
    windows_opened++;
    rec_u32('A', window);
}

/* Reset completed after ARM: all code is flushed, so from now on every block is translated
 * (and instrumented) afresh. */
static void now_recording(qemu_plugin_id_t id)
{
    if (mode != ARMING)
        return;
    gen++;
    open_window();
    register_mode(id, tb_trans_recording);
}

/* ---- idle mode ---- */

static void exec_marker_idle(unsigned int vcpu_index, void *userdata)
{
    const struct insn *in = userdata;
    if (vcpu_index != 0 || mode != IDLE || in->gen != gen || in->op != OP_ARM)
        return;  /* a DISARM while idle is ignored */
    mode = ARMING;  /* ignore everything until the reset completes */
    qemu_plugin_reset(self, now_recording);
}

static void tb_trans_idle(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    /* A block does not straddle the user/kernel boundary: skip kernel blocks at once. */
    if (qemu_plugin_tb_vaddr(tb) >= user_top)
        return;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *qi = qemu_plugin_tb_get_insn(tb, i);
        int op = marker_op(qemu_plugin_insn_vaddr(qi), qemu_plugin_insn_data(qi),
                           qemu_plugin_insn_size(qi));
        if (op == OP_NONE)
            continue;
        struct insn *in = new_insn();
        in->gen = gen;
        in->op = (uint8_t)op;
        qemu_plugin_register_vcpu_insn_exec_cb(qi, exec_marker_idle, QEMU_PLUGIN_CB_NO_REGS, in);
    }
}

/* ---- recording mode ---- */

static void exec_recording(unsigned int vcpu_index, void *userdata)
{
    const struct insn *in = userdata;
    if (vcpu_index != 0 || in->gen != gen)
        return;
    if (mode == PAUSED) {
        if (in->op == OP_ARM)
            open_window(); /* its first record is the instruction after the marker */
        return;
    }
    if (mode != RECORDING)
        return;
    last_exec = in;
    /* The DISARM marker is the window's last recorded instruction ('X' then 'D'). */
    if (take_event())
        rec_u32('X', in->id);
    if (in->op == OP_DISARM) {
        rec_u32('D', window);
        window++;
        mode = PAUSED;
    }
}

/* Called after the access; QEMU calls the exec callback of the same instruction first, so
 * the access belongs to the instruction of the last 'X'. A callback for another instruction
 * is QEMU 7.2's stale plugin_mem_cbs again (see the top): an access made outside any
 * instruction (x86 interrupt delivery reading the IDT and TSS and pushing its frame)
 * reported with the list of the last block-ending instruction that called a helper. Those
 * are dropped (QEMU 8.0 and later do not report them at all), except when that instruction
 * is the one last executed: then they look like its own and follow its 'X'. */
static void mem_recording(unsigned int vcpu_index, qemu_plugin_meminfo_t info, uint64_t vaddr,
                          void *userdata)
{
    const struct insn *in = userdata;
    if (vcpu_index != 0 || mode != RECORDING || in->gen != gen)
        return;
    if (in != last_exec) {
        dropped_accesses++; /* QEMU 7.2's stale list: interrupt delivery's own accesses */
        return;
    }
    if (take_event())
        rec_mem(qemu_plugin_mem_is_store(info) ? 'S' : 'L', vaddr,
                1u << qemu_plugin_mem_size_shift(info));
}

static void tb_trans_recording(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *qi = qemu_plugin_tb_get_insn(tb, i);
        uint64_t vaddr = qemu_plugin_insn_vaddr(qi);
        const uint8_t *bytes = qemu_plugin_insn_data(qi);
        size_t size = qemu_plugin_insn_size(qi);
        struct insn *in = new_insn();
        in->id = next_id++;
        in->gen = gen;
        in->op = (uint8_t)marker_op(vaddr, bytes, size);
        /* Paused or over the limit, it may still run in a later window: always defined. */
        rec_insn(in->id, vaddr, bytes, size);
        qemu_plugin_register_vcpu_insn_exec_cb(qi, exec_recording, QEMU_PLUGIN_CB_NO_REGS, in);
        qemu_plugin_register_vcpu_mem_cb(qi, mem_recording, QEMU_PLUGIN_CB_NO_REGS,
                                         QEMU_PLUGIN_MEM_RW, in);
    }
}

/* ---- install and exit ---- */

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
    char line[128];
    (void)id;
    (void)userdata;
    if (mode == FINISHED)
        return;
    mode = FINISHED;
    snprintf(line, sizeof line,
             "tracesim-plugin: windows=%" PRIu32 " events=%" PRIu64 " dropped_accesses=%" PRIu64
             "\n",
             windows_opened, total_events, dropped_accesses);
    qemu_plugin_outs(line);
    if (fclose(out) != 0)
        fprintf(stderr, "tracesim-plugin: writing the trace failed: %s\n", strerror(errno));
    out = NULL;
    free(out_buf);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "out=", 4) == 0 && a[4] != '\0') {
            path = a + 4;
        } else if (strncmp(a, "limit=", 6) == 0) {
            char *end;
            errno = 0;
            limit = strtoull(a + 6, &end, 0);
            if (errno != 0 || end == a + 6 || *end != '\0' || a[6] == '-') {
                fprintf(stderr, "tracesim-plugin: bad limit: %s\n", a + 6);
                return -1;
            }
        } else {
            fprintf(stderr, "tracesim-plugin: unknown argument: %s\n", a);
            return -1;
        }
    }
    if (!path) {
        fprintf(stderr, "tracesim-plugin: missing argument out=FILE\n");
        return -1;
    }

    if (strcmp(info->target_name, "x86_64") == 0) {
        is_arm64 = 0;
        user_top = 0x0000800000000000ull;
    } else if (strcmp(info->target_name, "aarch64") == 0) {
        is_arm64 = 1;
        user_top = 0x0001000000000000ull;
    } else {
        fprintf(stderr, "tracesim-plugin: unsupported guest %s (x86_64, aarch64)\n",
                info->target_name);
        return -1;
    }

    out = fopen(path, "wb");
    if (!out) {
        fprintf(stderr, "tracesim-plugin: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    /* Recording writes a record per instruction: keep that off the syscall path. (glibc
     * ignores the size unless we give the buffer.) */
    out_buf = malloc(OUT_BUF_SIZE);
    if (out_buf)
        setvbuf(out, out_buf, _IOFBF, OUT_BUF_SIZE);
    fwrite("TSTRACE1", 1, 8, out);

    self = id;
    register_mode(id, tb_trans_idle);
    return 0;
}
