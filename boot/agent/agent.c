/*
 * tracesim's guest agent (boot/PROTOCOL.md sections 2-4).
 *
 * It runs inside the kernel that `tracesim boot` boots under QEMU, as PID 1 (boot/agent/init
 * execs it). It reads the plan the host wrote (argv[1]), attaches each path's probe through the
 * kernel's own interfaces (tracefs, procfs), and around each measured window executes the two
 * marker instructions the QEMU plugin waits for, with the plan's syscall issued by a raw
 * syscall instruction in between: the trace then holds the kernel's path and no libc code.
 * It reports on the console (stdout) in @@TS lines, which the host parses.
 *
 * Whatever happens it ends by powering the machine off: PID 1 must not exit (the kernel would
 * panic) and the host waits for QEMU to end. Static and libc-only, so the same source builds for
 * both guest arches (boot/agent/CMakeLists.txt).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bpf_bench.h"

#define TRACING "/sys/kernel/tracing/"

/* ---- markers and the raw syscall (section 4) ---- */

/* A marker does nothing architecturally; its immediate tells the plugin ARM (1) or DISARM (2). */
#if defined(__x86_64__)
/* nopl 0x7ace570N(%rax): 0f 1f 80 + imm32. An address operand that is never accessed. */
#define MARKER(op) __asm__ volatile(".byte 0x0f,0x1f,0x80\n\t.long 0x7ace570" #op ::: "memory")
#elif defined(__aarch64__)
/* movz xzr, #(0x5700|op), lsl #16: a write to the zero register. */
#define MARKER(op) \
    __asm__ volatile(".inst (0xd2a00000 | ((0x5700 | " #op ") << 5) | 31)" ::: "memory")
#else
#error "the agent is built for x86_64 and aarch64 only"
#endif

/* The syscall by its instruction, so nothing but the kernel's entry runs between the markers
 * besides the loop itself (a libc wrapper may cache, check or add work). */
static inline long raw_syscall1(long nr, long a0)
{
#if defined(__x86_64__)
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "0"(nr), "D"(a0) : "rcx", "r11", "memory");
    return ret;
#else
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a0;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8) : "memory");
    return x0;
#endif
}

/* bpf(2) by its instruction, for the window's BPF_PROG_TEST_RUN (as raw_syscall1). */
static inline long raw_syscall3(long nr, long a0, long a1, long a2)
{
#if defined(__x86_64__)
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "0"(nr), "D"(a0), "S"(a1), "d"(a2)
                     : "rcx", "r11", "memory");
    return ret;
#else
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a0;
    register long x1 __asm__("x1") = a1;
    register long x2 __asm__("x2") = a2;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
#endif
}

static const struct {
    const char *name;
    long nr, arg;
} syscalls[] = {
    {"getpid", SYS_getpid, 0}, {"getppid", SYS_getppid, 0}, {"gettid", SYS_gettid, 0},
    {"getuid", SYS_getuid, 0}, {"getgid", SYS_getgid, 0},
    {"close_bad", SYS_close, -1}, /* close(-1): EBADF, a syscall with an error path */
};

/* ---- the console (section 3) ---- */

/* Ends the program the only way PID 1 may: power off. Run by hand outside the guest (not PID 1)
 * it exits instead, so a test on a workstation never powers the workstation off. */
static void power_off(int status) __attribute__((noreturn));
static void power_off(int status)
{
    fflush(stdout);
    sync();
    if (getpid() == 1) {
        reboot(RB_POWER_OFF);
        /* Still here: exiting makes the kernel panic, and panic=-1 with QEMU's -no-reboot
         * ends QEMU all the same. */
        printf("@@TS fatal reboot: %s\n", strerror(errno));
        fflush(stdout);
    }
    _exit(status);
}

static void begin(const char *verb)
{
    fputs("@@TS ", stdout);
    fputs(verb, stdout);
}

/* A key=value field; the value in double quotes, with " and \ escaped, when it has a space (or
 * is empty, or has a quote or backslash) so the host can split the line on spaces. */
static void field(const char *key, const char *value)
{
    int quote = *value == '\0' || strpbrk(value, " \t\"\\") != NULL;
    printf(" %s=", key);
    if (!quote) {
        fputs(value, stdout);
        return;
    }
    putchar('"');
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\\') putchar('\\');
        putchar(*p);
    }
    putchar('"');
}

static void field_num(const char *key, long value)
{
    printf(" %s=%ld", key, value);
}

/* Every protocol line is flushed at once: the console must show it before the next marker. */
static void end(void)
{
    putchar('\n');
    fflush(stdout);
}

static void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("@@TS fatal ", stdout);
    vprintf(fmt, ap);
    va_end(ap);
    end();
    power_off(1);
}

/* ---- the plan (section 2) ---- */

enum kind { C_PATH, C_WRITE, C_APPEND, C_SLEEP, C_RUN, C_BPF };

struct cmd {
    enum kind kind;
    char *text;  /* the line as written, trimmed: the step= of fail and warn lines */
    char *arg;   /* path: its name; write/append: the file's absolute path; bpf: its arguments */
    char **alts; /* write/append: the texts to try in order */
    int nalts;
    long ms; /* sleep */
};

static struct cmd *cmds;
static int ncmds;
static long calls = -1;
static long sys_nr = -1, sys_arg;
static int syms;

static char *skip_space(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    return s;
}

static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
}

/* Splits "WORD rest": terminates WORD, returns rest (after its leading blanks). */
static char *split_word(char *s)
{
    while (*s && *s != ' ' && *s != '\t') s++;
    if (!*s) return s;
    *s++ = '\0';
    return skip_space(s);
}

/* A decimal number in [min, max], the whole string. */
static int parse_num(const char *s, long min, long max, long *out)
{
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (!*s || *e || errno || v < min || v > max) return 0;
    *out = v;
    return 1;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) fatal("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d) fatal("out of memory");
    return d;
}

/* "A || B || C" into its alternatives, each trimmed; an empty TEXT is one empty alternative
 * (the open alone truncates). */
static void split_alternatives(struct cmd *c, char *text)
{
    for (;;) {
        char *bar = strstr(text, "||");
        if (bar) *bar = '\0';
        trim_end(text);
        c->alts = xrealloc(c->alts, (c->nalts + 1) * sizeof *c->alts);
        c->alts[c->nalts++] = xstrdup(text);
        if (!bar) return;
        text = skip_space(bar + 2);
    }
}

/* Reads the whole plan before running any of it: a malformed line stops the boot before any
 * probe is attached, not half way through. */
static void read_plan(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) fatal("plan: %s: %s", file, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, in_path = 0, path_has_run = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        trim_end(line);
        char *s = skip_space(line);
        if (!*s || *s == '#') continue;
        char *text = xstrdup(s);
        char *rest = split_word(s);
        struct cmd c = {.text = text};
        long n;
        if (!strcmp(s, "calls") || !strcmp(s, "syscall") || !strcmp(s, "syms")) {
            /* Settings for the whole plan: before the paths, so a path's meaning never depends
             * on a line after it. */
            if (in_path) fatal("plan:%d: '%s' after the first path", lineno, s);
            if (!strcmp(s, "calls")) {
                if (!parse_num(rest, 1, 100000000, &calls))
                    fatal("plan:%d: calls wants a number from 1 to 100000000, not '%s'", lineno, rest);
            } else if (!strcmp(s, "syms")) {
                if (!parse_num(rest, 0, 1, &n)) fatal("plan:%d: syms wants 0 or 1, not '%s'", lineno, rest);
                syms = (int)n;
            } else {
                size_t i;
                for (i = 0; i < sizeof syscalls / sizeof syscalls[0]; i++)
                    if (!strcmp(rest, syscalls[i].name)) break;
                if (i == sizeof syscalls / sizeof syscalls[0])
                    fatal("plan:%d: unknown syscall '%s' (getpid getppid gettid getuid getgid "
                          "close_bad)", lineno, rest);
                sys_nr = syscalls[i].nr;
                sys_arg = syscalls[i].arg;
            }
            free(text);
            continue;
        }
        if (!strcmp(s, "path")) {
            if (!*rest || strpbrk(rest, " \t")) fatal("plan:%d: path wants one name, not '%s'", lineno, rest);
            c.kind = C_PATH;
            c.arg = xstrdup(rest);
            in_path = 1;
            path_has_run = 0;
        } else if (!in_path) {
            fatal("plan:%d: '%s' before the first path", lineno, s);
        } else if (!strcmp(s, "write") || !strcmp(s, "append")) {
            c.kind = *s == 'w' ? C_WRITE : C_APPEND;
            char *file = rest;
            char *value = split_word(rest);
            if (!*file) fatal("plan:%d: %s wants a file", lineno, s);
            c.arg = xrealloc(NULL, strlen(TRACING) + strlen(file) + 1);
            strcpy(c.arg, *file == '/' ? "" : TRACING);
            strcat(c.arg, file);
            split_alternatives(&c, value);
        } else if (!strcmp(s, "bpf")) {
            c.kind = C_BPF;
            if (!*rest) fatal("plan:%d: bpf wants KIND PROGRAM TARGET or driver PROGRAM", lineno);
            c.arg = xstrdup(rest);
        } else if (!strcmp(s, "sleep")) {
            c.kind = C_SLEEP;
            if (!parse_num(rest, 0, 600000, &c.ms))
                fatal("plan:%d: sleep wants milliseconds from 0 to 600000, not '%s'", lineno, rest);
        } else if (!strcmp(s, "run")) {
            c.kind = C_RUN;
            if (*rest) fatal("plan:%d: run takes nothing, not '%s'", lineno, rest);
            if (path_has_run) fatal("plan:%d: a second run in one path", lineno);
            if (calls < 0 || sys_nr < 0) fatal("plan:%d: run before the calls and syscall lines", lineno);
            path_has_run = 1;
        } else {
            fatal("plan:%d: unknown command '%s'", lineno, s);
        }
        cmds = xrealloc(cmds, (ncmds + 1) * sizeof *cmds);
        cmds[ncmds++] = c;
    }
    if (ferror(f)) fatal("plan: %s: %s", file, strerror(errno));
    free(line);
    fclose(f);
}

/* ---- executing commands ---- */

/* The kernel's reason for the last failed tracefs write: the header line of the newest entry
 * in error_log ("[  1.234567] trace_kprobe: error: Invalid probed address or symbol"), without
 * its timestamp. (The entry's last line is only the caret under the command.) */
static void error_log_reason(char *out, size_t size)
{
    out[0] = '\0';
    FILE *f = fopen(TRACING "error_log", "r");
    if (!f) return;
    char buf[1024];
    while (fgets(buf, sizeof buf, f)) {
        trim_end(buf);
        if (buf[0] != '[') continue;
        char *p = strchr(buf, ']');
        snprintf(out, size, "%s", p ? skip_space(p + 1) : buf);
    }
    fclose(f);
}

static void clear_error_log(void)
{
    int fd = open(TRACING "error_log", O_WRONLY | O_TRUNC);
    if (fd >= 0) close(fd);
}

/* One write: open (O_TRUNC truncates), write TEXT + "\n" in one write() (tracefs parses per
 * write), close. An empty TEXT writes nothing: the open is the point (e.g. clearing
 * kprobe_events; a lone "\n" would be refused by current_tracer). Returns 0 or an errno. */
static int write_one(const char *file, int flags, const char *text)
{
    int fd = open(file, O_WRONLY | flags);
    if (fd < 0) return errno;
    int err = 0;
    size_t n = strlen(text);
    if (n) {
        char *buf = xrealloc(NULL, n + 1);
        memcpy(buf, text, n);
        buf[n] = '\n';
        ssize_t w = write(fd, buf, n + 1);
        if (w < 0) err = errno;
        else if ((size_t)w != n + 1) err = EIO;
        free(buf);
    }
    if (close(fd) < 0 && !err) err = errno;
    return err;
}

/* Runs one setup or teardown command; 0 or the errno of its last alternative. A bpf step's
 * reason for failing (the verifier's log, the kernel's refusal) goes to `why`. */
static int execute(const struct cmd *c, char *why, size_t why_size)
{
    why[0] = '\0';
    if (c->kind == C_BPF) return bpf_step(c->arg, calls, why, why_size);
    if (c->kind == C_SLEEP) {
        struct timespec ts = {c->ms / 1000, (c->ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
        return 0;
    }
    int err = 0;
    for (int i = 0; i < c->nalts; i++) {
        /* A clean error_log, so a fail line's log= is this command's reason, not an older one. */
        clear_error_log();
        err = write_one(c->arg, c->kind == C_WRITE ? O_TRUNC : O_APPEND, c->alts[i]);
        if (!err) return 0;
    }
    return err;
}

static void report(const char *verb, const char *path, const struct cmd *c, int err,
                   const char *why)
{
    begin(verb);
    field("path", path);
    field("step", c->text);
    field_num("errno", err);
    field("err", strerror(err));
    if (*why) {
        field("log", why);
    } else if (!strcmp(verb, "fail")) {
        char reason[1024];
        error_log_reason(reason, sizeof reason);
        field("log", reason);
    }
    end();
}

/* ---- what the agent reports ---- */

static void hello(void)
{
    struct utsname u;
    char cmdline[4096] = "";
    if (uname(&u) < 0) fatal("uname: %s", strerror(errno));
    FILE *f = fopen("/proc/cmdline", "r");
    if (f) {
        if (!fgets(cmdline, sizeof cmdline, f)) cmdline[0] = '\0';
        fclose(f);
        trim_end(cmdline);
    }
    begin("hello");
    field("release", u.release);
    field("machine", u.machine);
    field("cmdline", cmdline);
    end();
}

/* The static text symbols (types t T w W, no module column) for the host's symbolizer, after
 * the last path. Only when the host has no cached copy for this kernel: the block is large. */
static void static_symbols(void)
{
    FILE *f = fopen("/proc/kallsyms", "r");
    if (!f) fatal("syms: /proc/kallsyms: %s", strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    long count = 0;
    begin("syms begin");
    end();
    while (getline(&line, &cap, f) >= 0) {
        /* "ADDRESS TYPE NAME[\t[MODULE]]" */
        char *sp = strchr(line, ' ');
        if (!sp || sp[1] == '\0' || !strchr("tTwW", sp[1]) || sp[2] != ' ' || strchr(line, '['))
            continue;
        /* __pfx_*: the padding before each function (7.x: over a third of the table); only
         * call-depth tracking and FineIBT run it, and neither is active under TCG. */
        if (!strncmp(sp + 3, "__pfx_", 6)) continue;
        fputs(line, stdout); /* not flushed per line: no marker comes near, and it is big */
        count++;
    }
    if (ferror(f)) fatal("syms: /proc/kallsyms: %s", strerror(errno));
    free(line);
    fclose(f);
    begin("syms end");
    field_num("count", count);
    end();
}

/* The run-time code regions the window may run in (ftrace and kprobe trampolines, BPF): the
 * kallsyms lines with a module column. Read before each window, since setup creates them. */
static void dynamic_symbols(void)
{
    FILE *f = fopen("/proc/kallsyms", "r");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        if (!strchr(line, '[')) continue;
        trim_end(line);
        for (char *t = line; (t = strchr(t, '\t')); t++) *t = ' ';
        begin("sym ");
        fputs(line, stdout);
        end();
    }
    free(line);
    fclose(f);
}

/* The kernel's own list of armed kprobes (address, type, where, [FTRACE]/[OPTIMIZED]...). */
static void kprobe_list(void)
{
    FILE *f = fopen("/sys/kernel/debug/kprobes/list", "r");
    if (!f) return;
    char buf[1024];
    while (fgets(buf, sizeof buf, f)) {
        trim_end(buf);
        if (!*buf) continue;
        begin("kprobe ");
        fputs(buf, stdout);
        end();
    }
    fclose(f);
}

/* The events in the trace buffer: its lines that are not '#' comments; -errno if unreadable. */
static long count_hits(void)
{
    int fd = open(TRACING "trace", O_RDONLY);
    if (fd < 0) return -errno;
    char buf[65536];
    long n = 0;
    int at_start = 1;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < r; i++) {
            if (at_start && buf[i] != '#') n++;
            at_start = buf[i] == '\n';
        }
    }
    int err = errno;
    close(fd);
    return r < 0 ? -err : n;
}

static void clear_trace(void)
{
    write_one(TRACING "trace", O_TRUNC, "");
}

static void window(const char *path, long index)
{
    dynamic_symbols();
    kprobe_list();
    /* Empty buffer before the window too, so hits counts the window's events only (not what
     * setup or the last path's clearing traced). The descriptor stays open until the events
     * are counted: closing it is a close(2), which a probe on close would count. */
    int cleared = open(TRACING "trace", O_WRONLY | O_TRUNC);
    const long nr = sys_nr, arg = sys_arg, n = calls;
    begin("window");
    field("path", path);
    field_num("index", index);
    field_num("calls", n);
    end();

    const int bpf = bpf_path_active();
    long driver_ret = 0;
    if (bpf) bpf_counter_reset();
    if (bpf_has_driver()) {
        /* The bench's loop: one BPF_PROG_TEST_RUN of the driver, which makes the calls. */
        size_t size;
        void *attr = bpf_driver_attr(&size);
        MARKER(1);
        driver_ret = raw_syscall3(SYS_bpf, BPF_PROG_TEST_RUN, (long)attr, (long)size);
        MARKER(2);
    } else {
        MARKER(1);
        for (long i = 0; i < n; i++) raw_syscall1(nr, arg);
        MARKER(2);
    }

    begin("windowend");
    field("path", path);
    field_num("index", index);
    end();
    if (bpf_has_driver()) {
        char why[512];
        int err = bpf_driver_result(driver_ret, why, sizeof why);
        if (err) {
            begin("warn");
            field("path", path);
            field("step", "run the driver");
            field_num("errno", err);
            field("err", why);
            end();
        }
    }
    /* A BPF path's hits are its programs' counter (the bench's hits), not trace lines. */
    long hits = bpf ? bpf_counter_total() : count_hits();
    if (cleared >= 0) close(cleared);
    if (hits < 0) {
        begin("warn");
        field("path", path);
        field("step", "read trace");
        field_num("errno", -hits);
        field("err", strerror((int)-hits));
        end();
        hits = -1;
    }
    begin("hits");
    field("path", path);
    field_num("n", hits);
    end();
    clear_trace();
}

/* One path: its setup until a command fails, the window if none did, then its teardown. */
static int run_path(int first, long *windows)
{
    const char *name = cmds[first].arg;
    int last = first + 1, run = -1;
    while (last < ncmds && cmds[last].kind != C_PATH) {
        if (cmds[last].kind == C_RUN) run = last;
        last++;
    }
    int setup_end = run >= 0 ? run : last;
    begin("path");
    field("name", name);
    end();
    int failed = 0;
    char why[1024];
    for (int i = first + 1; i < setup_end; i++) {
        int err = execute(&cmds[i], why, sizeof why);
        if (err) {
            report("fail", name, &cmds[i], err, why);
            failed = 1;
            break;
        }
    }
    if (!failed && run >= 0) window(name, (*windows)++);
    /* Teardown always runs: a failed setup may have attached half of the probe. */
    if (run >= 0)
        for (int i = run + 1; i < last; i++) {
            int err = execute(&cmds[i], why, sizeof why);
            if (err) report("warn", name, &cmds[i], err, why);
        }
    bpf_path_end(); /* what the path's bpf steps attached and loaded */
    return last;
}

int main(int argc, char **argv)
{
    /* Fully buffered: the symbol block goes out in large writes; protocol lines flush. */
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    hello();
    if (argc < 2) fatal("usage: agent PLAN");
    read_plan(argv[1]);
    /* The window index is the count of windows actually opened: the plugin numbers its 'A'
     * records the same way, and a failed path opens none. */
    long windows = 0;
    for (int i = 0; i < ncmds;) i = run_path(i, &windows);
    /* After the windows: a boot that prints them and one that does not (the host caches them
     * per image) run the same code before every window. */
    if (syms) static_symbols();
    begin("done");
    end();
    power_off(0);
}
