/*
 * The agent's BPF side (bpf_bench.h). What run_bench_trigger.sh's bench does through libbpf, done
 * with bpf(2) and perf_event_open(2) directly:
 *   - one array map with one 32 KiB value: the bench's `hits[256]` of 128-byte counters;
 *   - the programs of /bpf/trigger.o (our boot/bpf/trigger.s), relocated here: `hits` -> the
 *     map value, `batch_iters` -> the loop count, a call to a named function -> a kfunc call
 *     by its BTF id;
 *   - the attach the bench uses per probe type (bench_trigger.c + libbpf): fentry / fexit /
 *     fmod_ret by BTF id and BPF_RAW_TRACEPOINT_OPEN, kprobe / kretprobe by the kprobe PMU and
 *     PERF_EVENT_IOC_SET_BPF, kprobe.multi / kretprobe.multi by BPF_LINK_CREATE, raw_tp by
 *     BPF_RAW_TRACEPOINT_OPEN, tp by a tracepoint perf event;
 *   - the driver (a raw_tp program) run by BPF_PROG_TEST_RUN.
 */
#define _GNU_SOURCE
#include "bpf_bench.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define OBJECT "/bpf/trigger.o"
#define BTF_FILE "/sys/kernel/btf/vmlinux"
#define COUNTERS 256   /* the bench's MAX_CPUS (CPU_MASK + 1) */
#define COUNTER_SIZE 128 /* struct counter, aligned(128) */
#define ENOTSUPP_KERNEL 524 /* the kernel's ENOTSUPP, which strerror does not know */

static long sys_bpf(int cmd, union bpf_attr *attr)
{
    return syscall(SYS_bpf, cmd, attr, sizeof *attr);
}

static void say(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
}

/* A file read whole (BTF, the object), or NULL with errno set. */
static unsigned char *read_all(const char *file, size_t *size)
{
    int fd = open(file, O_RDONLY);
    if (fd < 0) return NULL;
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            close(fd);
            errno = ENOMEM;
            return NULL;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            int err = errno;
            free(buf);
            close(fd);
            errno = err;
            return NULL;
        }
        if (r == 0) break;
        n += (size_t)r;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    close(fd);
    *size = n;
    return buf;
}

/* The first line of a small sysfs/tracefs file as a number, or -errno. */
static long read_number(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) return -errno;
    long v = -EINVAL;
    if (fscanf(f, "%ld", &v) != 1) v = -EINVAL;
    fclose(f);
    return v;
}

/* ---- the kernel's BTF: a FUNC's type id by name ---- */

static unsigned char *btf;
static size_t btf_size;

struct btf_header_v1 {
    uint16_t magic;
    uint8_t version, flags;
    uint32_t hdr_len, type_off, type_len, str_off, str_len;
};

/* The bytes after a type's 12-byte header that its kind adds (include/uapi/linux/btf.h). */
static size_t btf_extra(uint32_t info)
{
    uint32_t kind = (info >> 24) & 0x1f, vlen = info & 0xffff;
    switch (kind) {
    case 1: return 4;          /* INT */
    case 3: return 12;         /* ARRAY */
    case 4: case 5: return 12 * vlen; /* STRUCT, UNION */
    case 6: return 8 * vlen;   /* ENUM */
    case 13: return 8 * vlen;  /* FUNC_PROTO */
    case 14: return 4;         /* VAR */
    case 15: return 12 * vlen; /* DATASEC */
    case 17: return 4;         /* DECL_TAG */
    case 19: return 12 * vlen; /* ENUM64 */
    default: return 0;         /* PTR FWD TYPEDEF VOLATILE CONST RESTRICT FUNC FLOAT TYPE_TAG */
    }
}

/* The BTF id of the function `name` (kind FUNC), or -errno with the reason in why. */
static long btf_func_id(const char *name, char *why, size_t n)
{
    if (!btf) {
        btf = read_all(BTF_FILE, &btf_size);
        if (!btf) {
            int err = errno;
            say(why, n, "%s: %s: the kernel has no BTF (CONFIG_DEBUG_INFO_BTF), which fentry, "
                "fexit, fmod_ret and kfunc calls need", BTF_FILE, strerror(err));
            return -err;
        }
    }
    struct btf_header_v1 h;
    if (btf_size < sizeof h) goto bad;
    memcpy(&h, btf, sizeof h);
    if (h.magic != 0xeb9f || h.hdr_len > btf_size ||
        (uint64_t)h.hdr_len + h.type_off + h.type_len > btf_size ||
        (uint64_t)h.hdr_len + h.str_off + h.str_len > btf_size)
        goto bad;
    const unsigned char *types = btf + h.hdr_len + h.type_off;
    const char *strings = (const char *)btf + h.hdr_len + h.str_off;
    size_t at = 0;
    for (long id = 1; at + 12 <= h.type_len; id++) {
        uint32_t name_off, info;
        memcpy(&name_off, types + at, 4);
        memcpy(&info, types + at + 4, 4);
        if (((info >> 24) & 0x1f) == 12 && name_off < h.str_len &&
            !strcmp(strings + name_off, name))
            return id;
        at += 12 + btf_extra(info);
    }
    say(why, n, "no function '%s' in the kernel's BTF", name);
    return -ESRCH;
bad:
    say(why, n, "%s is not BTF this agent can read", BTF_FILE);
    return -EINVAL;
}

/* ---- the object: programs by section and their relocations ---- */

static unsigned char *object;
static size_t object_size;

static const Elf64_Shdr *section(int i)
{
    const Elf64_Ehdr *e = (const Elf64_Ehdr *)object;
    return (const Elf64_Shdr *)(object + e->e_shoff + (size_t)i * e->e_shentsize);
}

static int load_object(char *why, size_t n)
{
    if (object) return 0;
    object = read_all(OBJECT, &object_size);
    if (!object) {
        int err = errno;
        say(why, n, "%s: %s (the host packs boot/bpf/trigger.s's object)", OBJECT, strerror(err));
        return err;
    }
    const Elf64_Ehdr *e = (const Elf64_Ehdr *)object;
    if (object_size < sizeof *e || memcmp(e->e_ident, ELFMAG, SELFMAG) ||
        e->e_ident[EI_CLASS] != ELFCLASS64 || e->e_machine != EM_BPF ||
        e->e_shentsize != sizeof(Elf64_Shdr) ||
        e->e_shoff + (uint64_t)e->e_shnum * sizeof(Elf64_Shdr) > object_size ||
        e->e_shstrndx >= e->e_shnum) {
        say(why, n, "%s is not a BPF ELF object", OBJECT);
        free(object);
        object = NULL;
        return EINVAL;
    }
    for (int i = 0; i < e->e_shnum; i++)
        if (section(i)->sh_type != SHT_NOBITS &&
            section(i)->sh_offset + section(i)->sh_size > object_size) {
            say(why, n, "%s: section %d runs past the file", OBJECT, i);
            free(object);
            object = NULL;
            return EINVAL;
        }
    return 0;
}

static const char *section_name(int i)
{
    const Elf64_Ehdr *e = (const Elf64_Ehdr *)object;
    const Elf64_Shdr *names = section(e->e_shstrndx);
    if (section(i)->sh_name >= names->sh_size) return "";
    return (const char *)object + names->sh_offset + section(i)->sh_name;
}

static int map_fd = -1;

static int ensure_map(char *why, size_t n)
{
    if (map_fd >= 0) return 0;
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_type = BPF_MAP_TYPE_ARRAY;
    a.key_size = 4;
    a.value_size = COUNTERS * COUNTER_SIZE;
    a.max_entries = 1;
    strcpy(a.map_name, "tsim_hits");
    map_fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
    if (map_fd < 0) {
        int err = errno;
        say(why, n, "BPF_MAP_CREATE (the counters): %s", strerror(err));
        return err;
    }
    return 0;
}

/* Program NAME ("prog.NAME" in the object), relocated; *count instructions. */
static struct bpf_insn *program(const char *name, long calls, int *count, char *why, size_t n)
{
    const Elf64_Ehdr *e = (const Elf64_Ehdr *)object;
    char wanted[128];
    snprintf(wanted, sizeof wanted, "prog.%s", name);
    int text = -1;
    for (int i = 0; i < e->e_shnum; i++)
        if (!strcmp(section_name(i), wanted)) text = i;
    if (text < 0) {
        say(why, n, "%s has no program '%s'", OBJECT, name);
        return NULL;
    }
    const Elf64_Shdr *s = section(text);
    *count = (int)(s->sh_size / sizeof(struct bpf_insn));
    struct bpf_insn *insns = malloc(s->sh_size);
    if (!insns) {
        say(why, n, "out of memory");
        return NULL;
    }
    memcpy(insns, object + s->sh_offset, s->sh_size);
    for (int r = 0; r < e->e_shnum; r++) {
        const Elf64_Shdr *rel = section(r);
        if (rel->sh_type != SHT_REL || (int)rel->sh_info != text) continue;
        if (rel->sh_link >= e->e_shnum) goto bad;
        const Elf64_Shdr *symtab = section((int)rel->sh_link);
        if (symtab->sh_link >= e->e_shnum) goto bad;
        const Elf64_Shdr *strtab = section((int)symtab->sh_link);
        for (size_t k = 0; k < rel->sh_size / sizeof(Elf64_Rel); k++) {
            Elf64_Rel rl;
            memcpy(&rl, object + rel->sh_offset + k * sizeof rl, sizeof rl);
            size_t sym_index = ELF64_R_SYM(rl.r_info);
            size_t at = rl.r_offset / sizeof(struct bpf_insn);
            if ((sym_index + 1) * sizeof(Elf64_Sym) > symtab->sh_size || at >= (size_t)*count)
                goto bad;
            Elf64_Sym sym;
            memcpy(&sym, object + symtab->sh_offset + sym_index * sizeof sym, sizeof sym);
            if (sym.st_name >= strtab->sh_size) goto bad;
            const char *sym_name = (const char *)object + strtab->sh_offset + sym.st_name;
            struct bpf_insn *insn = &insns[at];
            int ld_imm64 = insn->code == (BPF_LD | BPF_IMM | BPF_DW) && at + 1 < (size_t)*count;
            if (ld_imm64 && !strcmp(sym_name, "hits")) {
                if (ensure_map(why, n)) goto fail;
                insn->src_reg = BPF_PSEUDO_MAP_VALUE;
                insn->imm = map_fd;
                insn[1].imm = 0; /* the offset into the value */
            } else if (ld_imm64 && !strcmp(sym_name, "batch_iters")) {
                insn->src_reg = 0;
                insn->imm = (int32_t)calls;
                insn[1].imm = 0;
            } else if (insn->code == (BPF_JMP | BPF_CALL)) {
                long id = btf_func_id(sym_name, why, n);
                if (id < 0) goto fail;
                insn->src_reg = BPF_PSEUDO_KFUNC_CALL;
                insn->imm = (int32_t)id;
                insn->off = 0; /* vmlinux's BTF */
            } else {
                say(why, n, "%s: program '%s' refers to '%s', which the agent cannot resolve",
                    OBJECT, name, sym_name);
                goto fail;
            }
        }
    }
    return insns;
bad:
    say(why, n, "%s: a malformed relocation in program '%s'", OBJECT, name);
fail:
    free(insns);
    return NULL;
}

/* ---- loading ---- */

/* The last lines of a verifier log, joined by " | " (the reason is at its end). */
static void log_tail(const char *log, char *out, size_t n)
{
    const char *lines[4] = {0};
    int count = 0;
    for (const char *p = log; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len) {
            memmove(lines, lines + 1, sizeof lines - sizeof lines[0]);
            lines[3] = p;
            count++;
        }
        p += len + (end ? 1 : 0);
    }
    out[0] = '\0';
    for (int i = count < 4 ? 4 - count : 0; i < 4; i++) {
        size_t used = strlen(out);
        const char *end = strchr(lines[i], '\n');
        int len = end ? (int)(end - lines[i]) : (int)strlen(lines[i]);
        snprintf(out + used, n - used, "%s%.*s", used ? " | " : "", len, lines[i]);
    }
}

static int fds[32];
static int nfds;
static int driver_fd = -1;
static int active;

static void keep_fd(int fd)
{
    if (nfds < (int)(sizeof fds / sizeof fds[0])) fds[nfds++] = fd;
}

/* Loads program `name` as `type` (expected attach type and BTF target for tracing programs).
 * A rejection is retried with the verifier's log on, for its reason. */
static int load(const char *name, enum bpf_prog_type type, enum bpf_attach_type expected,
                long btf_id, long calls, char *why, size_t n)
{
    int err = load_object(why, n);
    if (err) return -err;
    int count = 0;
    struct bpf_insn *insns = program(name, calls, &count, why, n);
    if (!insns) return -EINVAL;
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.prog_type = type;
    a.expected_attach_type = expected;
    a.attach_btf_id = (uint32_t)btf_id;
    a.insns = (uint64_t)(uintptr_t)insns;
    a.insn_cnt = (uint32_t)count;
    a.license = (uint64_t)(uintptr_t)"GPL";
    snprintf(a.prog_name, sizeof a.prog_name, "%s", name);
    int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
    if (fd < 0) {
        err = errno;
        static char log[1 << 16];
        log[0] = '\0';
        a.log_level = 1;
        a.log_buf = (uint64_t)(uintptr_t)log;
        a.log_size = sizeof log;
        int again = (int)sys_bpf(BPF_PROG_LOAD, &a);
        if (again >= 0) close(again);
        char tail[900];
        log_tail(log, tail, sizeof tail);
        say(why, n, "BPF_PROG_LOAD of '%s' refused (%s)%s%s", name,
            err == ENOTSUPP_KERNEL ? "ENOTSUPP" : strerror(err), *tail ? ": verifier: " : "",
            tail);
        free(insns);
        return -err;
    }
    free(insns);
    keep_fd(fd);
    return fd;
}

/* ---- attaching ---- */

static int perf_event_open(struct perf_event_attr *attr)
{
    /* pid -1, CPU 0 (the guest has one): a per-CPU event, as libbpf opens kprobe and
     * tracepoint events for BPF. */
    return (int)syscall(SYS_perf_event_open, attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
}

/* The perf event `pfd` runs program `prog` (PERF_EVENT_IOC_SET_BPF, then enable). */
static int perf_attach(int pfd, int prog, const char *what, char *why, size_t n)
{
    if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog) < 0 || ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
        int err = errno;
        say(why, n, "%s: PERF_EVENT_IOC_SET_BPF/ENABLE refused: %s", what, strerror(err));
        return err;
    }
    return 0;
}

static const char *refusal(int err)
{
    return err == ENOTSUPP_KERNEL ? "ENOTSUPP: not supported by this kernel" : strerror(err);
}

static int attach_tracing(const char *kind, const char *prog, const char *target, long calls,
                          char *why, size_t n)
{
    enum bpf_attach_type type = !strcmp(kind, "fentry") ? BPF_TRACE_FENTRY
                                : !strcmp(kind, "fexit") ? BPF_TRACE_FEXIT
                                                         : BPF_MODIFY_RETURN;
    long id = btf_func_id(target, why, n);
    if (id < 0) return (int)-id;
    int fd = load(prog, BPF_PROG_TYPE_TRACING, type, id, calls, why, n);
    if (fd < 0) return -fd;
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.raw_tracepoint.prog_fd = (uint32_t)fd;
    int link = (int)sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
    if (link < 0) {
        int err = errno;
        say(why, n, "%s attach to %s refused (%s)%s", kind, target, refusal(err),
            err == ENOTSUPP_KERNEL || err == EOPNOTSUPP
                ? ": no BPF trampoline (the JIT and DYNAMIC_FTRACE_WITH_DIRECT_CALLS)"
                : "");
        return err;
    }
    keep_fd(link);
    return 0;
}

static int attach_kprobe(int retprobe, const char *prog, const char *target, long calls,
                         char *why, size_t n)
{
    long type = read_number("/sys/bus/event_source/devices/kprobe/type");
    if (type < 0) {
        say(why, n, "no kprobe PMU (/sys/bus/event_source/devices/kprobe/type: %s)",
            strerror((int)-type));
        return (int)-type;
    }
    /* The retprobe bit: format/retprobe says "config:N". */
    int bit = 0;
    FILE *f = fopen("/sys/bus/event_source/devices/kprobe/format/retprobe", "r");
    if (f) {
        if (fscanf(f, "config:%d", &bit) != 1) bit = 0;
        fclose(f);
    }
    int fd = load(prog, BPF_PROG_TYPE_KPROBE, 0, 0, calls, why, n);
    if (fd < 0) return -fd;
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = (uint32_t)type;
    attr.config = retprobe ? 1ull << bit : 0;
    attr.config1 = (uint64_t)(uintptr_t)target; /* kprobe_func */
    attr.config2 = 0;                            /* probe_offset */
    int pfd = perf_event_open(&attr);
    if (pfd < 0) {
        int err = errno;
        say(why, n, "perf_event_open of a %s on %s refused: %s", retprobe ? "kretprobe" : "kprobe",
            target, strerror(err));
        return err;
    }
    keep_fd(pfd);
    return perf_attach(pfd, fd, retprobe ? "kretprobe" : "kprobe", why, n);
}

static int attach_kprobe_multi(int retprobe, const char *prog, const char *target, long calls,
                               char *why, size_t n)
{
    int fd = load(prog, BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0, calls, why, n);
    if (fd < 0) return -fd;
    const char *syms[1] = {target};
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.link_create.prog_fd = (uint32_t)fd;
    a.link_create.attach_type = BPF_TRACE_KPROBE_MULTI;
    a.link_create.kprobe_multi.flags = retprobe ? BPF_F_KPROBE_MULTI_RETURN : 0;
    a.link_create.kprobe_multi.cnt = 1;
    a.link_create.kprobe_multi.syms = (uint64_t)(uintptr_t)syms;
    int link = (int)sys_bpf(BPF_LINK_CREATE, &a);
    if (link < 0) {
        int err = errno;
        say(why, n, "%s link on %s refused (%s)%s", retprobe ? "kretprobe.multi" : "kprobe.multi",
            target, refusal(err), err == EOPNOTSUPP ? ": the kernel has no fprobe (CONFIG_FPROBE)" : "");
        return err;
    }
    keep_fd(link);
    return 0;
}

static int attach_raw_tp(const char *prog, const char *target, long calls, char *why, size_t n)
{
    int fd = load(prog, BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, calls, why, n);
    if (fd < 0) return -fd;
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.raw_tracepoint.name = (uint64_t)(uintptr_t)target;
    a.raw_tracepoint.prog_fd = (uint32_t)fd;
    int link = (int)sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
    if (link < 0) {
        int err = errno;
        say(why, n, "raw_tp attach to %s refused: %s", target, refusal(err));
        return err;
    }
    keep_fd(link);
    return 0;
}

/* tp: TARGET is "SYSTEM/EVENT" under tracefs events/. */
static int attach_tp(const char *prog, const char *target, long calls, char *why, size_t n)
{
    char file[256];
    snprintf(file, sizeof file, "/sys/kernel/tracing/events/%s/id", target);
    long id = read_number(file);
    if (id < 0) {
        say(why, n, "no tracepoint %s (%s: %s)", target, file, strerror((int)-id));
        return (int)-id;
    }
    int fd = load(prog, BPF_PROG_TYPE_TRACEPOINT, 0, 0, calls, why, n);
    if (fd < 0) return -fd;
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.config = (uint64_t)id;
    attr.sample_period = 1;
    int pfd = perf_event_open(&attr);
    if (pfd < 0) {
        int err = errno;
        say(why, n, "perf_event_open of tracepoint %s refused: %s", target, strerror(err));
        return err;
    }
    keep_fd(pfd);
    return perf_attach(pfd, fd, "tp", why, n);
}

int bpf_step(const char *args, long calls, char *why, size_t n)
{
    char kind[32] = "", prog[64] = "", target[128] = "";
    int got = sscanf(args, "%31s %63s %127s", kind, prog, target);
    why[0] = '\0';
    active = 1;
    if (got >= 2 && !strcmp(kind, "driver")) {
        if (driver_fd >= 0) {
            say(why, n, "a second driver in one path");
            return EINVAL;
        }
        int fd = load(prog, BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, calls, why, n);
        if (fd < 0) return -fd;
        driver_fd = fd;
        return 0;
    }
    if (got != 3) {
        say(why, n, "bpf wants KIND PROGRAM TARGET (or driver PROGRAM), not '%s'", args);
        return EINVAL;
    }
    if (!strcmp(kind, "fentry") || !strcmp(kind, "fexit") || !strcmp(kind, "fmod_ret"))
        return attach_tracing(kind, prog, target, calls, why, n);
    if (!strcmp(kind, "kprobe") || !strcmp(kind, "kretprobe"))
        return attach_kprobe(kind[1] == 'r', prog, target, calls, why, n);
    if (!strcmp(kind, "kprobe_multi") || !strcmp(kind, "kretprobe_multi"))
        return attach_kprobe_multi(kind[1] == 'r', prog, target, calls, why, n);
    if (!strcmp(kind, "raw_tp")) return attach_raw_tp(prog, target, calls, why, n);
    if (!strcmp(kind, "tp")) return attach_tp(prog, target, calls, why, n);
    say(why, n, "unknown bpf attach '%s' (fentry fexit fmod_ret kprobe kretprobe kprobe_multi "
        "kretprobe_multi raw_tp tp driver)", kind);
    return EINVAL;
}

int bpf_has_driver(void) { return driver_fd >= 0; }
int bpf_path_active(void) { return active; }

static union bpf_attr test_run;

void *bpf_driver_attr(size_t *size)
{
    memset(&test_run, 0, sizeof test_run);
    test_run.test.prog_fd = (uint32_t)driver_fd;
    *size = sizeof test_run;
    return &test_run;
}

int bpf_driver_result(long ret, char *why, size_t n)
{
    if (ret < 0) {
        say(why, n, "BPF_PROG_TEST_RUN of the driver: %s", strerror((int)-ret));
        return (int)-ret;
    }
    if (test_run.test.retval != 0) {
        say(why, n, "the driver returned %u", test_run.test.retval);
        return EIO;
    }
    return 0;
}

static unsigned char counters[COUNTERS * COUNTER_SIZE];

long bpf_counter_total(void)
{
    if (map_fd < 0) return 0;
    uint32_t key = 0;
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_fd = (uint32_t)map_fd;
    a.key = (uint64_t)(uintptr_t)&key;
    a.value = (uint64_t)(uintptr_t)counters;
    if (sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) < 0) return -errno;
    long total = 0;
    for (int i = 0; i < COUNTERS; i++) {
        long v;
        memcpy(&v, counters + i * COUNTER_SIZE, sizeof v);
        total += v;
    }
    return total;
}

int bpf_counter_reset(void)
{
    if (map_fd < 0) return 0;
    uint32_t key = 0;
    memset(counters, 0, sizeof counters);
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_fd = (uint32_t)map_fd;
    a.key = (uint64_t)(uintptr_t)&key;
    a.value = (uint64_t)(uintptr_t)counters;
    a.flags = BPF_ANY;
    return sys_bpf(BPF_MAP_UPDATE_ELEM, &a) < 0 ? errno : 0;
}

void bpf_path_end(void)
{
    /* Links and perf events first (they detach), then the programs (closed in reverse). */
    for (int i = nfds - 1; i >= 0; i--) close(fds[i]);
    nfds = 0;
    driver_fd = -1;
    active = 0;
}
