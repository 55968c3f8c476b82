#include "sim/calibrate/sandbox.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <unistd.h>

#if defined(__linux__) && defined(__x86_64__)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#define TRACESIM_SANDBOX 1
#endif

namespace tracesim {

namespace {
int result_fd = -1; // the child's end of the pipe (set in the child only)
} // namespace

#ifdef TRACESIM_SANDBOX

Expected<void> enter_sandbox() {
    if (result_fd < 0) return make_error("enter_sandbox outside run_sandboxed");
    const unsigned fd = static_cast<unsigned>(result_fd);
    // Allowed: write to the result pipe only, the memory calls malloc and the site patch make,
    // rt_sigreturn, exit. Everything else, on any arch but x86_64, kills the process.
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, fd, 8, 7),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS), // (unreached: keeps offsets plain)
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 6, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 5, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_munmap, 4, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_brk, 3, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_rt_sigreturn, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {static_cast<unsigned short>(sizeof filter / sizeof filter[0]),
                                 filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
        return make_error("the kernel refused the seccomp filter: {}", std::strerror(errno));
    return {};
}

Expected<std::string> run_sandboxed(const std::function<std::string()>& body, double seconds) {
    int fds[2];
    if (pipe(fds) != 0) return make_error("pipe: {}", std::strerror(errno));
    pid_t child = fork();
    if (child < 0) {
        close(fds[0]);
        close(fds[1]);
        return make_error("fork: {}", std::strerror(errno));
    }
    if (child == 0) {
        close(fds[0]);
        result_fd = fds[1];
        std::string payload = body();
        const char* p = payload.data();
        size_t left = payload.size();
        while (left > 0) {
            ssize_t n = write(result_fd, p, left);
            if (n <= 0) break;
            p += n;
            left -= static_cast<size_t>(n);
        }
        syscall(SYS_exit_group, 0); // no atexit handlers, no stdio flush of the parent's buffers
    }
    close(fds[1]);
    std::string payload;
    char buffer[4096];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    int status = 0;
    bool ended = false, timed_out = false;
    while (!ended) {
        // The pipe first: a child blocked on a full pipe would never end.
        struct timeval tv{0, 20000};
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(fds[0], &readable);
        if (select(fds[0] + 1, &readable, nullptr, nullptr, &tv) > 0) {
            ssize_t n = read(fds[0], buffer, sizeof buffer);
            if (n > 0) payload.append(buffer, static_cast<size_t>(n));
        }
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child) ended = true;
        if (!ended && std::chrono::steady_clock::now() > deadline) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            ended = timed_out = true;
        }
    }
    for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;)
        payload.append(buffer, static_cast<size_t>(n));
    close(fds[0]);
    if (timed_out) return make_error("the native run took over {:.0f} s and was stopped", seconds);
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGSYS)
            return make_error("the code made a system call natively (seccomp stopped it): only "
                              "the timing loop's own calls are allowed");
        return make_error("the native run died of signal {} ({})", sig, strsignal(sig));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        return make_error("the native run exited with status {} before handing back its result",
                          WEXITSTATUS(status));
    if (payload.empty()) return make_error("the native run handed back no result");
    return payload;
}

#else

Expected<void> enter_sandbox() { return make_error("no native sandbox on this host"); }
Expected<std::string> run_sandboxed(const std::function<std::string()>&, double) {
    return make_error("native runs need an x86_64 Linux host");
}

#endif

} // namespace tracesim
